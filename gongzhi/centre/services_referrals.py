"""Writes of the finance referrals (融资推介): a partner organisation (registered, renamed, ended), a referral of a finance request to it,
the partner's result, and the bulk variant the ledger import uses. Keyword-only, `actor` first, one
transaction, a history row naming the actor; the rules (gongzhi.centre.rules_referrals) are checked before
anything is written, and a refusal is a ValidationError with the Chinese message."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from gongzhi.accounts.access import authorize, can
from gongzhi.centre import rules_referrals as rules
from gongzhi.centre.models import (
    EDIT,
    PARTNER_KINDS,
    REQUEST,
    SERVE,
    Centre,
    Referral,
    ServiceRequest,
)
from gongzhi.centre.selectors_referrals import partner_since, partners_all, partners_for
from gongzhi.centre.services import due_date
from gongzhi.core.actors import history_user, is_system, reason_of, stamp
from gongzhi.organisations.models import Organisation
from gongzhi.organisations.services import organisation_create, organisation_end, organisation_update


def _refuse(problem: str) -> None:
    if problem:
        raise ValidationError(problem)


def answer_days() -> int:
    return int(getattr(settings, "GONGZHI_CENTRE_REFERRAL_ANSWER_DAYS", rules.ANSWER_DAYS))


def _officer(actor: Any) -> Any:
    return None if is_system(actor) else history_user(actor)


@transaction.atomic
def partner_create(*, actor: Any, centre: Centre, kind: str, name: str) -> Organisation:
    """A bank, fund or guarantor the centre refers to: an organisation covering the centre's place."""
    authorize(actor, EDIT, centre)
    if kind not in PARTNER_KINDS:
        raise ValidationError("请选择机构类型：合作银行、投资基金或融资担保机构。")
    _refuse(rules.partner_name_problem(name))
    name = name.strip()
    if partners_for(centre).filter(name=name).exists():
        raise ValidationError(f"合作机构“{name}”已登记。")
    n = Organisation.objects.filter(code__startswith=f"CTRP{centre.pk:04d}").count() + 1
    while Organisation.objects.filter(code=f"CTRP{centre.pk:04d}{n:04d}").exists():
        n += 1
    return organisation_create(
        actor=actor,
        kind=kind,
        code=f"CTRP{centre.pk:04d}{n:04d}",
        name=name,
        places=[centre.division],
        reason="登记合作机构",
    )


def _partner_of(centre: Centre, partner: Organisation) -> Organisation:
    """The partner as one of the centre's (ended ones too), read again: another centre's organisation, or
    one of another kind, is refused whatever its id."""
    found = partners_all(centre).filter(pk=partner.pk).first()
    if found is None:
        raise ValidationError("该机构不是本服务中心的合作机构。")
    return found


@transaction.atomic
def partner_rename(*, actor: Any, centre: Centre, partner: Organisation, name: str) -> Organisation:
    """Rename a partner (its referrals show the new name). `centre.edit` at the centre, and — through the
    organisations core — at every place the partner covers, so a partner the district registered above the
    centre is renamed by the district, not by one centre's operator."""
    authorize(actor, EDIT, centre)
    found = _partner_of(centre, partner)
    _refuse(rules.partner_name_problem(name))
    name = name.strip()
    if partners_for(centre).filter(name=name).exclude(pk=found.pk).exists():
        raise ValidationError(f"合作机构“{name}”已登记。")
    return organisation_update(actor=actor, organisation=found, name=name, reason="合作机构更名")


@transaction.atomic
def partner_end(*, actor: Any, centre: Centre, partner: Organisation, on: date | None = None) -> Organisation:
    """End a partnership on `on` (today): from that day the partner is not offered for new referrals
    (partners_for), while its referrals keep it, their results may still be recorded, and it stays on the
    partners page. The organisation's coverage ends with it (organisations.services.organisation_end)."""
    authorize(actor, EDIT, centre)
    found = _partner_of(centre, partner)
    day = on or timezone.localdate()
    _refuse(rules.partner_end_problem(day, partner_since(found), found.ended_on))
    return organisation_end(actor=actor, organisation=found, on=day, reason="终止合作")


def _checked_new(
    request: ServiceRequest,
    partner: Organisation,
    product: str,
    amount: Decimal | None,
    referred_on: date,
    today: date,
    partners: set[int],
) -> None:
    _refuse(rules.request_problem(request.item.category, request.status))
    if product not in Referral.Product.values:
        raise ValidationError("请选择融资品种。")
    if partner.pk not in partners:
        raise ValidationError("该机构不是本服务中心的合作机构。")
    _refuse(rules.amount_problem(amount))
    _refuse(rules.referral_day_problem(referred_on, request.filed_on, today))


@transaction.atomic
def referral_create(
    *,
    actor: Any,
    request: ServiceRequest,
    partner: Organisation,
    product: str,
    amount_asked_yuan: Decimal | None,
    referred_on: date | None = None,
) -> Referral:
    """Refer an open finance request to a partner of its centre; the answer is due after answer_days()
    working days (the centre's calendar)."""
    authorize(actor, SERVE, request)
    today = timezone.localdate()
    day = referred_on or today
    centre = request.item.centre
    _checked_new(
        request,
        partner,
        product,
        amount_asked_yuan,
        day,
        today,
        set(partners_for(centre).values_list("pk", flat=True)),
    )
    assert amount_asked_yuan is not None
    referral = Referral(
        request=request,
        enterprise_id=request.enterprise_id,
        partner=partner,
        product=product,
        amount_asked_yuan=amount_asked_yuan.quantize(Decimal("0.01")),
        referred_on=day,
        answer_due_on=due_date(day, answer_days()),
        officer=_officer(actor),
        path=request.path,
    )
    stamp(referral, actor, "推介合作机构")
    referral.save()
    return referral


def _authorize_result(actor: Any, referral: Referral, result: str) -> None:
    """A partner's approval or refusal is recorded by whoever serves the request; a withdrawal also by the
    enterprise's own contact."""
    if can(actor, SERVE, referral):
        return
    if (
        result == rules.WITHDRAWN
        and can(actor, REQUEST, referral)
        and referral.enterprise.contacts.filter(pk=getattr(actor, "pk", 0) or 0).exists()
    ):
        return
    raise PermissionDenied


def _apply_result(
    referral: Referral,
    result: str,
    answered_on: date,
    amount: Decimal | None,
    reason: str,
    today: date,
) -> None:
    _refuse(rules.closed_problem(referral.result))
    _refuse(
        rules.result_problem(
            result,
            asked=referral.amount_asked_yuan,
            approved=amount,
            reason=reason,
            referred_on=referral.referred_on,
            answered_on=answered_on,
            today=today,
        )
    )
    referral.result = result
    referral.answered_on = answered_on
    referral.amount_approved_yuan = amount.quantize(Decimal("0.01")) if amount is not None else None
    referral.reason = reason.strip()[:200]


LABEL = {
    rules.APPROVED: "合作机构批准",
    rules.DECLINED: "合作机构未批准",
    rules.WITHDRAWN: "撤回推介",
}


@transaction.atomic
def referral_answer(
    *,
    actor: Any,
    referral: Referral,
    result: str,
    answered_on: date | None = None,
    amount_approved_yuan: Decimal | None = None,
    reason: str = "",
) -> Referral:
    """Record the partner's result once: approved with an amount (at most the amount asked), declined with a
    reason, or withdrawn. The referral's row is locked first, so two clerks cannot answer it twice."""
    _authorize_result(actor, referral, result)
    locked = Referral.objects.select_for_update().get(pk=referral.pk)
    today = timezone.localdate()
    _apply_result(locked, result, answered_on or today, amount_approved_yuan, reason, today)
    stamp(locked, actor, LABEL.get(result, "登记推介结果"))
    locked.save()
    return locked


@dataclass(frozen=True)
class NewReferral:
    request: ServiceRequest
    partner: Organisation
    product: str
    amount_asked_yuan: Decimal
    referred_on: date
    # A referral the office records after the partner answered carries its result at once.
    result: str = rules.PENDING
    answered_on: date | None = None
    amount_approved_yuan: Decimal | None = None
    reason: str = ""


@dataclass(frozen=True)
class Result:
    referral: Referral
    result: str
    answered_on: date
    amount_approved_yuan: Decimal | None
    reason: str


@transaction.atomic
def referrals_bulk_save(
    *, actor: Any, new: Sequence[NewReferral], results: Sequence[Result], reason: str = "导入融资推介"
) -> tuple[int, int]:
    """The ledger's write: new referrals and results of pending ones, each checked by the same rules as the
    forms (a closed referral is not answered again), one history row each naming the actor. Returns
    (created, answered)."""
    today = timezone.localdate()
    for row in new:
        authorize(actor, SERVE, row.request)
    for res in results:
        authorize(actor, SERVE, res.referral)
    partners: dict[int, set[int]] = {}
    made: list[Referral] = []
    dues: dict[date, date] = {}
    for item in new:
        centre = item.request.item.centre
        if centre.pk not in partners:
            partners[centre.pk] = set(partners_for(centre).values_list("pk", flat=True))
        _checked_new(
            item.request,
            item.partner,
            item.product,
            item.amount_asked_yuan,
            item.referred_on,
            today,
            partners[centre.pk],
        )
        if item.referred_on not in dues:
            dues[item.referred_on] = due_date(item.referred_on, answer_days())
        referral = Referral(
            request=item.request,
            enterprise_id=item.request.enterprise_id,
            partner=item.partner,
            product=item.product,
            amount_asked_yuan=item.amount_asked_yuan,
            referred_on=item.referred_on,
            answer_due_on=dues[item.referred_on],
            officer=_officer(actor),
            path=item.request.path,
        )
        if item.result != rules.PENDING:
            _apply_result(
                referral,
                item.result,
                item.answered_on or today,
                item.amount_approved_yuan,
                item.reason,
                today,
            )
        made.append(referral)
    held = {
        r.pk: r for r in Referral.objects.select_for_update().filter(pk__in=[x.referral.pk for x in results])
    }
    changed: list[Referral] = []
    for res in results:
        old = held[res.referral.pk]
        _apply_result(old, res.result, res.answered_on, res.amount_approved_yuan, res.reason, today)
        changed.append(old)
    user, why = history_user(actor), reason_of(actor, reason)
    if made:
        bulk_create_with_history(made, Referral, default_user=user, default_change_reason=why)
    if changed:
        bulk_update_with_history(
            changed,
            Referral,
            ["result", "answered_on", "amount_approved_yuan", "reason"],
            default_user=user,
            default_change_reason=why,
        )
    return len(made), len(changed)
