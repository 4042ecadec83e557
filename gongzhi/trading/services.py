"""Every write of the trading app: keyword-only, `actor` first, one transaction, the listing's history kept.

A bid locks the listing row (`select_for_update`) before it reads the current price, so concurrent bids
on one listing run one after another: none is lost, each is checked against the price the previous one
left, and the sequence numbers are strict. The permission asked: `trading.manage` at the village for the
exchange's steps, `trading.bid` for a bidder's own bid.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from gongzhi.accounts.access import At, authorize
from gongzhi.accounts.roles import Role
from gongzhi.accounts.services import role_grant
from gongzhi.core.actors import stamp, system
from gongzhi.people.identity import clean_id_number, is_credit_code
from gongzhi.people.models import Person, PersonKind
from gongzhi.places.models import Division, Level
from gongzhi.trading import rules
from gongzhi.trading.models import BID, MANAGE, Bid, Bidder, BidderStatus, Deposit, Kind, Listing, Status


def publicity_days() -> int:
    return int(getattr(settings, "GONGZHI_TRADING_PUBLICITY_DAYS", rules.MIN_PUBLICITY_DAYS))


def deposit_percent() -> int:
    return int(getattr(settings, "GONGZHI_TRADING_DEPOSIT_PERCENT", rules.DEPOSIT_PERCENT))


def _save(obj: Any, actor: Any, reason: str) -> Any:
    stamp(obj, actor, reason)
    obj.save()
    return obj


def _numbered(bidder: Bidder) -> Bidder:
    """Give a new bidder its number (竞买人编号) from its key: unique, and readable on the phone."""
    bidder.number = f"JM{bidder.pk:07d}"
    Bidder.objects.filter(pk=bidder.pk).update(number=bidder.number)
    return bidder


def bidder_register(
    *, actor: Any, name: str, place: Division, user: Any = None, on: date | None = None
) -> Bidder:
    """The exchange's staff register a bidder themselves: approved at once."""
    authorize(actor, MANAGE, place)
    name = (name or "").strip()
    if not name:
        raise ValidationError(_("请填写竞买人名称"))
    today = on or timezone.localdate()
    bidder = Bidder(
        name=name[:100],
        path=place.path,
        user=user,
        registered_on=today,
        status=BidderStatus.APPROVED,
        reviewed_on=today,
    )
    return _numbered(_save(bidder, actor, "竞买人登记"))


class BidderKind(StrEnum):
    PERSON = "person"
    ORGANISATION = "organisation"


def _subject(actor: Any, kind: str, name: str, document: str) -> Person:
    """The person or organisation behind a registration, found by its checked number or made new."""
    document = (document or "").strip().upper()
    if kind == BidderKind.PERSON:
        number = clean_id_number(document)
        person = Person.objects.filter(id_number=number).first()
        fresh = Person(kind=PersonKind.INDIVIDUAL, name=name, id_number=number)
    elif kind == BidderKind.ORGANISATION:
        if not is_credit_code(document):
            raise ValidationError(_("统一社会信用代码应为 18 位且校验位正确"))
        person = Person.objects.filter(credit_code=document).first()
        fresh = Person(kind=PersonKind.ORGANISATION, name=name, credit_code=document)
    else:
        raise ValidationError(_("请选择竞买人类型（个人或单位）"))
    if person is None:
        return _save(fresh, actor, "竞买人登记")
    if person.name != name:
        raise ValidationError(_("证件号码与名称不符"))
    return person


@transaction.atomic
def bidder_self_register(
    *, actor: Any, kind: str, name: str, document: str, place: Division, on: date | None = None
) -> Bidder:
    """竞买人登记: a signed-in person or organisation asks to bid at `place`'s exchange (a county or
    district). The ID number or credit code is checked; the staff then approve or refuse it."""
    if getattr(actor, "pk", None) is None:
        raise PermissionDenied
    if "\x00" in f"{name}{document}":  # PostgreSQL refuses NUL in text: a message, not a 500
        raise ValidationError(_("请求中含有不允许的空字符（NUL），已拒绝。"))
    name = (name or "").strip()
    if not name or len(name) > 100:
        raise ValidationError(_("请填写竞买人名称（不超过100字）"))
    if place.level != Level.DISTRICT:
        raise ValidationError(_("请选择交易所在的区（市）"))
    if Bidder.objects.filter(user_id=actor.pk).exists():
        raise ValidationError(_("您已提交过竞买人登记"))
    person = _subject(actor, kind, name, document)
    if Bidder.objects.filter(person=person).exclude(status=BidderStatus.REFUSED).exists():
        raise ValidationError(_("该证件已登记为竞买人"))
    bidder = Bidder(
        name=name,
        person=person,
        path=place.path,
        user=actor,
        registered_on=on or timezone.localdate(),
        status=BidderStatus.PENDING,
    )
    return _numbered(_save(bidder, actor, "竞买人自主登记"))


@transaction.atomic
def bidder_review(*, actor: Any, bidder: Bidder, approve: bool, note: str = "") -> Bidder:
    """The exchange approves a registration (the account then holds the bidder role at the exchange's
    place) or refuses it with a reason."""
    bidder = Bidder.objects.select_for_update().get(pk=bidder.pk)
    authorize(actor, MANAGE, At(bidder.path))
    if bidder.status != BidderStatus.PENDING:
        raise ValidationError(_("该登记已审核"))
    note = (note or "").strip()
    if "\x00" in note:
        raise ValidationError(_("请求中含有不允许的空字符（NUL），已拒绝。"))
    if not approve and not note:
        raise ValidationError(_("不予通过时请说明理由"))
    bidder.status = BidderStatus.APPROVED if approve else BidderStatus.REFUSED
    bidder.reviewed_on = timezone.localdate()
    bidder.review_note = note[:200]
    _save(bidder, actor, "竞买人审核通过" if approve else "竞买人审核未通过")
    place = Division.objects.filter(path=bidder.path).first()
    if approve and place is None:
        raise ValidationError(_("登记地无效，请退回后重新登记"))
    if approve and place is not None and bidder.user is not None:
        # The grant is the approval's consequence; the system grants it in the reviewer's name.
        role_grant(
            actor=system(f"trading.bidder_review:{actor}"), user=bidder.user, role=Role.BIDDER, place=place
        )
    return bidder


@transaction.atomic
def listing_create(
    *,
    actor: Any,
    village: Division,
    code: str,
    title: str,
    kind: str,
    area_mu: Decimal,
    term_years: int,
    reserve_yuan: int,
    step_yuan: int,
    previous_income_yuan: int,
    decision: str,
    decided_on: date,
    publish_from: date,
    publish_until: date,
    tenant: Bidder | None = None,
    relisted_from: Listing | None = None,
) -> Listing:
    authorize(actor, MANAGE, village)
    problems = rules.listing_problems(
        reserve=reserve_yuan,
        step=step_yuan,
        term_years=term_years,
        decided_on=decided_on,
        publish_from=publish_from,
        publish_until=publish_until,
        min_days=publicity_days(),
    )
    if village.level != Level.VILLAGE:
        problems.append(_("标的须挂在村（集体经济组织）名下"))
    if kind not in Kind.values:
        problems.append(_("标的类别无效"))
    if not decision.strip():
        problems.append(_("请填写集体经济组织的决议（会议和文号）"))
    if Listing.objects.filter(code=code).exists():
        problems.append(_("挂牌编号已存在"))
    if problems:
        raise ValidationError(problems)
    listing = Listing(
        code=code,
        village=village,
        path=village.path,
        title=title.strip()[:200],
        kind=kind,
        area_mu=area_mu,
        term_years=term_years,
        reserve_yuan=reserve_yuan,
        step_yuan=step_yuan,
        deposit_yuan=rules.deposit_required(reserve_yuan, deposit_percent()),
        previous_income_yuan=previous_income_yuan,
        decision=decision.strip()[:200],
        decided_on=decided_on,
        publish_from=publish_from,
        publish_until=publish_until,
        tenant=tenant,
        relisted_from=relisted_from,
    )
    return _save(listing, actor, "挂牌")


@transaction.atomic
def deposit_record(
    *, actor: Any, listing: Listing, bidder: Bidder, amount_yuan: int, on: date | None = None
) -> Deposit:
    """The exchange records a bidder's deposit; only then may the bidder bid."""
    authorize(actor, MANAGE, listing)
    if listing.status != Status.PUBLISHED:
        raise ValidationError(_("该项目已结束竞价，不再受理报名"))
    if bidder.status != BidderStatus.APPROVED:
        raise ValidationError(_("竞买人登记尚未审核通过"))
    if amount_yuan < listing.deposit_yuan:
        raise ValidationError(_("保证金不足：应缴%(d)s元") % {"d": listing.deposit_yuan})
    if Deposit.objects.filter(listing=listing, bidder=bidder).exists():
        raise ValidationError(_("该竞买人已缴纳本项目保证金"))
    return Deposit.objects.create(
        listing=listing,
        bidder=bidder,
        path=listing.path,
        amount_yuan=amount_yuan,
        paid_on=on or timezone.localdate(),
    )


def bid_place(
    *, actor: Any, listing_id: int, bidder: Bidder, amount_yuan: int, today: date | None = None
) -> Bid:
    """One bid, serialised on the listing row; ValidationError (Chinese) when the rules refuse it."""
    today = today or timezone.localdate()
    with transaction.atomic():
        listing = Listing.objects.select_for_update().get(pk=listing_id)
        authorize(actor, BID, listing)
        if listing.status != Status.PUBLISHED:
            raise ValidationError(_("该项目已结束竞价"))
        if today <= listing.publish_until:
            raise ValidationError(_("公告期内只受理报名，公告期满后开始竞价"))
        if bidder.status != BidderStatus.APPROVED:
            raise ValidationError(_("竞买人登记尚未审核通过"))
        if not Deposit.objects.filter(listing=listing, bidder=bidder).exists():
            raise ValidationError(_("未缴纳保证金，不能出价"))
        if listing.leader_id == bidder.pk:
            raise ValidationError(_("您已是当前最高出价人"))
        problem = rules.bid_problem(
            amount=amount_yuan,
            reserve=listing.reserve_yuan,
            step=listing.step_yuan,
            price=listing.price_yuan,
            has_bids=listing.bids_count > 0,
        )
        if problem:
            raise ValidationError(problem)
        seq = listing.bids_count + 1
        bid = Bid.objects.create(
            listing=listing, bidder=bidder, path=listing.path, seq=seq, amount_yuan=amount_yuan
        )
        Listing.objects.filter(pk=listing.pk).update(
            price_yuan=amount_yuan, leader=bidder, bids_count=F("bids_count") + 1
        )
        return bid


@transaction.atomic
def listing_close(*, actor: Any, listing: Listing, today: date | None = None) -> Listing:
    """End the bidding: failed (no bid), awaiting the sitting tenant's decision, or awarded."""
    listing = Listing.objects.select_for_update().get(pk=listing.pk)
    authorize(actor, MANAGE, listing)
    today = today or timezone.localdate()
    if listing.status != Status.PUBLISHED:
        raise ValidationError(_("该项目不在竞价中"))
    if today <= listing.publish_until:
        raise ValidationError(_("公告期未满，不能结束竞价"))
    tenant_registered = (
        listing.tenant_id is not None
        and Deposit.objects.filter(listing=listing, bidder_id=listing.tenant_id).exists()
    )
    out = rules.close_outcome(
        bids=listing.bids_count,
        leader_id=listing.leader_id,
        tenant_id=listing.tenant_id,
        tenant_registered=tenant_registered,
    )
    listing.status = out.status
    listing.winner_id = out.winner_id
    listing.closed_on = today
    return _save(listing, actor, "结束竞价")


@transaction.atomic
def tenant_decide(*, actor: Any, listing: Listing, match: bool) -> Listing:
    """The sitting tenant matches the highest price (and wins at it) or waives; the highest bidder wins then."""
    listing = Listing.objects.select_for_update().get(pk=listing.pk)
    authorize(actor, MANAGE, listing)
    if listing.status != Status.TENANT:
        raise ValidationError(_("该项目不在原承租方优先权行使期"))
    listing.status = Status.AWARDED
    listing.winner_id = listing.tenant_id if match else listing.leader_id
    listing.tenant_matched = match
    return _save(listing, actor, "原承租方同等条件优先" if match else "原承租方放弃优先权")


@transaction.atomic
def listing_settle(*, actor: Any, listing: Listing, contract_no: str, on: date | None = None) -> Listing:
    """Contract signed and the price paid to the collective: settled; the other bidders' deposits go back."""
    listing = Listing.objects.select_for_update().get(pk=listing.pk)
    authorize(actor, MANAGE, listing)
    contract_no = (contract_no or "").strip()
    if listing.status != Status.AWARDED:
        raise ValidationError(_("只有已成交的项目才能结算"))
    if not contract_no:
        raise ValidationError(_("请填写流转合同编号"))
    on = on or timezone.localdate()
    listing.status = Status.SETTLED
    listing.contract_no = contract_no[:64]
    listing.settled_on = on
    Deposit.objects.filter(listing=listing, refunded_on__isnull=True).exclude(
        bidder_id=int(listing.winner_id or 0)
    ).update(refunded_on=on)
    return _save(listing, actor, "合同签订、价款结算")


@transaction.atomic
def listing_relist(
    *, actor: Any, listing: Listing, code: str, reserve_yuan: int, publish_from: date, publish_until: date
) -> Listing:
    """A failed auction listed again (often at a lower reserve, under the same collective decision)."""
    listing = Listing.objects.select_for_update().get(pk=listing.pk)
    authorize(actor, MANAGE, listing)
    if listing.status != Status.FAILED:
        raise ValidationError(_("只有流拍的项目才能重新挂牌"))
    Deposit.objects.filter(listing=listing, refunded_on__isnull=True).update(refunded_on=timezone.localdate())
    new = listing_create(
        actor=actor,
        village=listing.village,
        code=code,
        title=listing.title,
        kind=listing.kind,
        area_mu=listing.area_mu,
        term_years=listing.term_years,
        reserve_yuan=reserve_yuan,
        step_yuan=listing.step_yuan,
        previous_income_yuan=listing.previous_income_yuan,
        decision=listing.decision,
        decided_on=listing.decided_on,
        publish_from=publish_from,
        publish_until=publish_until,
        tenant=listing.tenant,
        relisted_from=listing,
    )
    listing.status = Status.RELISTED
    _save(listing, actor, "重新挂牌")
    return new
