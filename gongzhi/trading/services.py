"""Every write of the trading app: keyword-only, `actor` first, one transaction, the listing's history kept.

A bid locks the listing row (`select_for_update`) before it reads the current price, so concurrent bids
on one listing run one after another: none is lost, each is checked against the price the previous one
left, and the sequence numbers are strict. The permission asked: `trading.manage` at the village for the
exchange's steps, `trading.bid` for a bidder's own bid.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
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
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from gongzhi.accounts.access import At, authorize
from gongzhi.accounts.roles import Role
from gongzhi.accounts.services import role_grant
from gongzhi.collectives import rules as collective_rules
from gongzhi.collectives import services as collective_services
from gongzhi.collectives.models import KIND as COLLECTIVE_KIND
from gongzhi.collectives.models import (
    Asset,
    Contract,
    ContractKind,
    Decision,
    DecisionStep,
    MatterKind,
    Resource,
)
from gongzhi.core.actors import history_user, stamp, system
from gongzhi.people.identity import clean_id_number, is_credit_code
from gongzhi.people.models import Person, PersonKind
from gongzhi.places.models import Division, Level
from gongzhi.trading import rules
from gongzhi.trading.models import (
    BID,
    MANAGE,
    Bid,
    Bidder,
    BidderStatus,
    Change,
    ChangeKind,
    Deposit,
    Instalment,
    Kind,
    Listing,
    Status,
)


def publicity_days() -> int:
    return int(getattr(settings, "GONGZHI_TRADING_PUBLICITY_DAYS", rules.MIN_PUBLICITY_DAYS))


def deposit_percent() -> int:
    return int(getattr(settings, "GONGZHI_TRADING_DEPOSIT_PERCENT", rules.DEPOSIT_PERCENT))


def _save(obj: Any, actor: Any, reason: str) -> Any:
    stamp(obj, actor, reason)
    obj.save()
    return obj


def listing_data(listing: Listing) -> dict[str, Any]:
    """What the change feed says of a listing's state (no personal data: bidders by number only)."""
    return {
        "code": listing.code,
        "status": listing.status,
        "price_yuan": listing.price_yuan,
        "bids_count": listing.bids_count,
    }


def change(listing: Listing, kind: str, event: str, object_id: int, **data: Any) -> Change:
    """One row of the change feed, in the caller's transaction (so it commits with the change or not at all)."""
    return Change.objects.create(
        listing_id=listing.pk,
        path=listing.path,
        kind=kind,
        event=event,
        object_id=object_id,
        data={**listing_data(listing), **data} if kind in (ChangeKind.LISTING, ChangeKind.AUCTION) else data,
    )


def changes_bulk(listings: Iterable[Listing], kind: str, event: str, *, batch_size: int = 2000) -> None:
    """One change-feed row per listing (its state as it stands), in the caller's transaction: how listings
    that arrive in bulk enter the feed — the ledger's import (`recorded`, and `relisted` for the failed
    listings it relists) and the demo, which records its past deals through the same path."""
    Change.objects.bulk_create(
        (
            Change(listing=x, path=x.path, kind=kind, event=event, object_id=x.pk, data=listing_data(x))
            for x in listings
        ),
        batch_size=batch_size,
    )


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
    """竞买人登记: a signed-in person or organisation asks to bid at `place`'s exchange — the county's
    trading centre (a district) or a town's trading station (镇街交易服务站), whose staff then review it.
    The ID number or credit code is checked; the staff approve or refuse it."""
    if getattr(actor, "pk", None) is None:
        raise PermissionDenied
    if "\x00" in f"{name}{document}":  # PostgreSQL refuses NUL in text: a message, not a 500
        raise ValidationError(_("请求中含有不允许的空字符（NUL），已拒绝。"))
    name = (name or "").strip()
    if not name or len(name) > 100:
        raise ValidationError(_("请填写竞买人名称（不超过100字）"))
    if place.level not in (Level.DISTRICT, Level.SUBDISTRICT):
        raise ValidationError(_("请选择受理登记的交易中心或镇街交易服务站"))
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
    """The exchange where it was filed (`trading.manage` there: the town's staff for a town's station, the
    county bureau for the county's centre and every town under it) approves a registration — the account
    then holds the bidder role in the whole county (区、市), one market: each listing's own exchange still
    takes its deposit — or refuses it with a reason."""
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
    place = district_of(bidder.path)
    if approve and place is None:
        raise ValidationError(_("登记地无效，请退回后重新登记"))
    if approve and place is not None and bidder.user is not None:
        # The grant is the approval's consequence; the system grants it in the reviewer's name.
        role_grant(
            actor=system(f"trading.bidder_review:{actor}"), user=bidder.user, role=Role.BIDDER, place=place
        )
    return bidder


def district_of(path: str) -> Division | None:
    """The county (区、市) a path lies in, or the path's own division when it is one (one query)."""
    parts = [p for p in path.split("/") if p]
    prefixes = ["/".join(parts[:i]) + "/" for i in range(1, len(parts) + 1)]
    return Division.objects.filter(level=Level.DISTRICT, path__in=prefixes).first()


def resolved_on(decision: Decision) -> date | None:
    """The day the villagers' (representatives') meeting resolved the matter (step 4), if it did."""
    step = DecisionStep.objects.filter(decision=decision, step=collective_rules.PASSED_BY).first()
    return step.on if step else None


def decision_check(decision: Decision, village: Division) -> str:
    """'' when `decision` may carry a listing in `village` (rules.decision_problem)."""
    same = decision.path == village.path and decision.collective.kind == COLLECTIVE_KIND
    return rules.decision_problem(
        same_collective=same,
        for_contracting=decision.kind == MatterKind.CONTRACT,
        complete=collective_rules.is_complete(decision.steps_done),
    )


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
    decision_record: Decision | None,
    publish_from: date,
    publish_until: date,
    tenant: Bidder | None = None,
    relisted_from: Listing | None = None,
) -> Listing:
    """挂牌: approved by the village collective's completed 四议两公开 decision on letting its property.
    A relisting carries its failed listing's decision (a listing from before the link, its text)."""
    authorize(actor, MANAGE, village)
    problems: list[str] = []
    decision, decided_on = "", publish_from
    if decision_record is not None:
        problem = decision_check(decision_record, village)
        if problem:
            problems.append(problem)
        decision = decision_record.title
        decided_on = resolved_on(decision_record) or publish_from
    elif relisted_from is not None and relisted_from.decision_record_id is None:
        decision, decided_on = relisted_from.decision, relisted_from.decided_on
    else:
        problems.append(_("请选择该村集体经济组织已完成“四议两公开”的决策"))
    problems += rules.listing_problems(
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
        decision_record=decision_record,
        decision=decision.strip()[:200],
        decided_on=decided_on,
        publish_from=publish_from,
        publish_until=publish_until,
        tenant=tenant,
        relisted_from=relisted_from,
    )
    _save(listing, actor, "挂牌")
    change(listing, ChangeKind.LISTING, "relisted" if relisted_from else "published", listing.pk)
    return listing


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
        change(
            listing,
            ChangeKind.BID,
            "placed",
            bid.pk,
            seq=seq,
            amount_yuan=amount_yuan,
            bidder=bidder.number or "",
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
    _save(listing, actor, "结束竞价")
    change(listing, ChangeKind.AUCTION, "closed", listing.pk)
    if listing.status == Status.AWARDED:
        _award_change(listing)
    return listing


def _award_change(listing: Listing) -> None:
    winner = Bidder.objects.filter(pk=int(listing.winner_id or 0)).values_list("number", flat=True).first()
    change(
        listing,
        ChangeKind.AWARD,
        "awarded",
        listing.pk,
        winner=winner or "",
        price_yuan=listing.price_yuan,
        tenant_matched=listing.tenant_matched,
        on=listing.closed_on.isoformat() if listing.closed_on else None,
    )


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
    _save(listing, actor, "原承租方同等条件优先" if match else "原承租方放弃优先权")
    _award_change(listing)
    return listing


RESOURCE_OF = {Kind.LAND: "land", Kind.WASTELAND: "wasteland", Kind.FOREST: "forest", Kind.WATER: "water"}


@transaction.atomic
def contract_sign(
    *,
    actor: Any,
    listing: Listing,
    subject: Asset | Resource,
    code: str,
    starts_on: date,
    signed_on: date | None = None,
    yearly: bool = False,
) -> Contract:
    """签订流转合同 after the award: the collective (出让方) and the winning bidder (受让方), the listed asset
    or resource, the term from `starts_on` for the listing's years, the price and its payment schedule.
    The contract is the collectives' own record (三资合同: its term and price warnings, its expiry), written
    through their service in the exchange's name; the listing points to it."""
    listing = (
        Listing.objects.select_for_update(of=("self",))
        .select_related("winner", "decision_record")
        .get(pk=listing.pk)
    )
    authorize(actor, MANAGE, listing)
    today = timezone.localdate()
    signed_on = signed_on or today
    code = (code or "").strip()
    problems = []
    if listing.status != Status.AWARDED:
        problems.append(_("只有已成交、未结算的项目才能签订合同"))
    if listing.contract_id is not None:
        problems.append(_("该项目已签订合同"))
    if listing.winner is None:
        problems.append(_("该项目没有受让方"))
    if not code or len(code) > 40 or "\x00" in code:
        problems.append(_("请填写合同编号（不超过40字）"))
    elif Contract.objects.filter(code=code).exists():
        problems.append(_("合同编号已存在"))
    if subject.path != listing.path:
        problems.append(_("标的须是该村集体经济组织的资产或资源"))
    wanted = RESOURCE_OF.get(Kind(listing.kind))
    if isinstance(subject, Resource) and subject.kind != wanted:
        problems.append(_("标的类别与挂牌类别不符"))
    if isinstance(subject, Asset) and wanted is not None:
        problems.append(_("标的类别与挂牌类别不符"))
    if listing.closed_on and signed_on < listing.closed_on:
        problems.append(_("签约日期不能早于成交日期"))
    if signed_on > today:
        problems.append(_("签约日期不能晚于今天"))
    if listing.closed_on and starts_on < listing.closed_on:
        problems.append(_("合同起始日期不能早于成交日期"))
    if problems:
        raise ValidationError(problems)
    ends_on = rules.contract_end(starts_on, listing.term_years)
    is_resource = isinstance(subject, Resource)
    contract = Contract(
        collective=subject.collective,
        code=code,
        kind=ContractKind.CONTRACTING if is_resource else ContractKind.LEASE,
        asset=subject if isinstance(subject, Asset) else None,
        resource=subject if isinstance(subject, Resource) else None,
        party=listing.winner.name if listing.winner else "",
        starts_on=starts_on,
        ends_on=ends_on,
        annual_yuan=-(-listing.price_yuan // listing.term_years),
        area_mu=listing.area_mu,
        decision=listing.decision_record,
    )
    # The record is the award's consequence; the system writes it in the exchange's staff's name.
    collective_services.contract_record(actor=system(f"trading.contract_sign:{actor}"), contract=contract)
    schedule = rules.payment_schedule(
        price=listing.price_yuan, term_years=listing.term_years, starts_on=starts_on, yearly=yearly
    )
    bulk_create_with_history(
        [
            Instalment(listing=listing, path=listing.path, seq=i + 1, due_on=due, amount_yuan=amount)
            for i, (due, amount) in enumerate(schedule)
        ],
        Instalment,
        default_user=history_user(actor),
        default_change_reason="签订流转合同",
    )
    listing.contract = contract
    listing.contract_no = code
    listing.signed_on = signed_on
    _save(listing, actor, "签订流转合同")
    change(
        listing,
        ChangeKind.CONTRACT,
        "signed",
        contract.pk,
        code=code,
        starts_on=starts_on.isoformat(),
        ends_on=ends_on.isoformat(),
        price_yuan=listing.price_yuan,
        instalments=len(schedule),
    )
    return contract


@transaction.atomic
def listing_settle(*, actor: Any, listing: Listing, contract_no: str = "", on: date | None = None) -> Listing:
    """The price (its first instalment) paid to the collective: settled; the other bidders' deposits go back.
    A listing with a signed contract settles under it; a past deal from the ledger names its contract's
    number instead."""
    listing = Listing.objects.select_for_update().get(pk=listing.pk)
    authorize(actor, MANAGE, listing)
    contract_no = (contract_no or "").strip()
    if listing.status != Status.AWARDED:
        raise ValidationError(_("只有已成交的项目才能结算"))
    if listing.contract_id is not None:
        if contract_no and contract_no != listing.contract_no:
            raise ValidationError(_("合同编号与已签订的合同不符"))
        contract_no = listing.contract_no
    if not contract_no:
        raise ValidationError(_("请先签订流转合同"))
    on = on or timezone.localdate()
    listing.status = Status.SETTLED
    listing.contract_no = contract_no[:64]
    listing.settled_on = on
    Deposit.objects.filter(listing=listing, refunded_on__isnull=True).exclude(
        bidder_id=int(listing.winner_id or 0)
    ).update(refunded_on=on)
    first = Instalment.objects.filter(listing=listing, seq=1, paid_on__isnull=True).first()
    if first is not None:
        first.paid_on = on
        _save(first, actor, "价款结算")
    _save(listing, actor, "价款结算")
    change(
        listing,
        ChangeKind.CONTRACT,
        "settled",
        listing.contract_id or listing.pk,
        code=contract_no,
        on=on.isoformat(),
    )
    return listing


@dataclass(frozen=True)
class Payment:
    """A later instalment paid: which (listing, seq), how much and when — what the page's form and a row of
    the ledger's 付款计划 sheet both say."""

    listing_id: int
    seq: int
    amount_yuan: int
    paid_on: date


def payment_problems(
    payments: Sequence[Payment],
    listings: dict[int, Listing],
    held: dict[tuple[int, int], Instalment],
    today: date,
) -> list[list[str]]:
    """Why each payment may not be recorded (an empty list where it may), in the order given: a payment
    earlier in the list counts as made for those after it (so a file may pay instalments 2 and 3 of one
    contract, in order), and the same instalment twice is refused the second time. The rules are the page's:
    `rules.instalment_problems` (exact amount, in order, dated between the previous payment and today, once)."""
    paid: dict[tuple[int, int], date | None] = {k: i.paid_on for k, i in held.items()}
    out: list[list[str]] = []
    for p in payments:
        listing, instalment = listings.get(p.listing_id), held.get((p.listing_id, p.seq))
        if listing is None or instalment is None:
            out.append([_("找不到该期付款计划")])
            continue
        if listing.contract_id is None or listing.signed_on is None:
            out.append([_("该项目尚未签订流转合同")])
            continue
        if p.seq == 1 and listing.status != Status.SETTLED:
            out.append([_("第1期价款随结算登记")])
            continue
        earlier = [s for (lid, s) in paid if lid == p.listing_id and s < p.seq]
        previous = paid[(p.listing_id, max(earlier))] if earlier else None
        problems = rules.instalment_problems(
            amount=p.amount_yuan,
            due_amount=instalment.amount_yuan,
            paid_on=p.paid_on,
            earliest=max(listing.signed_on, previous) if previous else listing.signed_on,
            today=today,
            already_paid=paid[(p.listing_id, p.seq)] is not None,
            previous_unpaid=bool(earlier) and previous is None,
        )
        if not problems:
            paid[(p.listing_id, p.seq)] = p.paid_on
        out.append(problems)
    return out


def _payments_held(
    payments: Sequence[Payment],
) -> tuple[dict[int, Listing], dict[tuple[int, int], Instalment]]:
    """The listings (locked, in key order so two writers cannot deadlock) and their schedules, two queries."""
    ids = sorted({p.listing_id for p in payments})
    listings = {x.pk: x for x in Listing.objects.select_for_update().filter(pk__in=ids).order_by("pk")}
    held = {(i.listing_id, i.seq): i for i in Instalment.objects.filter(listing_id__in=ids)}
    return listings, held


def _payments_write(
    actor: Any, payments: Sequence[Payment], listings: dict[int, Listing], held: Any
) -> list[Instalment]:
    """Mark the instalments paid (one history row each, naming the actor) and add their change-feed rows."""
    done = []
    for p in payments:
        instalment = held[(p.listing_id, p.seq)]
        instalment.paid_on = p.paid_on
        done.append(stamp(instalment, actor, f"第{instalment.seq}期价款已付"))
    bulk_update_with_history(done, Instalment, ["paid_on"], default_user=history_user(actor))
    Change.objects.bulk_create(
        Change(
            listing_id=i.listing_id,
            path=i.path,
            kind=ChangeKind.CONTRACT,
            event="instalment_paid",
            object_id=i.pk,
            data={
                "code": listings[i.listing_id].contract_no,
                "seq": i.seq,
                "amount_yuan": i.amount_yuan,
                "on": i.paid_on.isoformat() if i.paid_on else "",
            },
        )
        for i in done
    )
    return done


@transaction.atomic
def instalment_pay(*, actor: Any, listing: Listing, seq: int, amount_yuan: int, paid_on: date) -> Instalment:
    """A later instalment of a signed contract paid to the collective (the first is paid at settlement):
    the due amount, once, in order, on a real date (rules.instalment_problems). The listing row is locked,
    so two clerks recording the same instalment are serialised and the second is refused."""
    payment = Payment(listing.pk, seq, amount_yuan, paid_on)
    listings, held = _payments_held([payment])
    authorize(actor, MANAGE, listings[listing.pk])
    problems = payment_problems([payment], listings, held, timezone.localdate())[0]
    if problems:
        raise ValidationError(problems)
    return _payments_write(actor, [payment], listings, held)[0]


@transaction.atomic
def instalments_pay_bulk(*, actor: Any, payments: Sequence[Payment]) -> int:
    """Many later instalments paid at once (the ledger's 付款计划 sheet): the same rules as `instalment_pay`,
    each payment checked against the schedule and the payments before it; any refusal refuses them all,
    naming the listing and instalment, and nothing is written."""
    listings, held = _payments_held(payments)
    for x in listings.values():
        authorize(actor, MANAGE, x)
    errors = [
        f"{listings[p.listing_id].code if p.listing_id in listings else p.listing_id} 第{p.seq}期：{'；'.join(m)}"
        for p, m in zip(
            payments, payment_problems(payments, listings, held, timezone.localdate()), strict=True
        )
        if m
    ]
    if errors:
        raise ValidationError(errors)
    return len(_payments_write(actor, payments, listings, held))


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
        decision_record=listing.decision_record,
        publish_from=publish_from,
        publish_until=publish_until,
        tenant=listing.tenant,
        relisted_from=listing,
    )
    listing.status = Status.RELISTED
    _save(listing, actor, "重新挂牌")
    change(listing, ChangeKind.AUCTION, "relisted", listing.pk, relisting=new.code)
    return new
