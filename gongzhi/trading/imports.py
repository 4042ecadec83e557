"""Recording the exchange's past deals in bulk (the ledger's writes): listings with their bids, results
and settlements, each checked by the same rules as the pages' single steps.

`deal_problems` says, per part of a deal, why it may not be recorded (the ledger reports those by row);
`deals_record_bulk` checks again and writes, one history row per listing naming the importer. Bids keep
their sequence; a result is what `rules.close_outcome` would give (the sitting tenant's match needs a
tenant who is not the highest bidder); a settlement needs a deal closed 成交.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongzhi.accounts.access import authorize
from gongzhi.core.actors import stamp
from gongzhi.places.models import Division
from gongzhi.trading import rules, services
from gongzhi.trading.models import MANAGE, Bid, Bidder, ChangeKind, Listing, Status
from gongzhi.trading.services import deposit_percent, publicity_days

AWARDED, FAILED, TENANT = "awarded", "failed", "tenant"


@dataclass
class Deal:
    """One listing as the ledger states it; `bids` are (seq, bidder, amount) in sequence."""

    village: Division
    values: dict[str, Any]  # Listing fields: code, title, kind, area_mu, term_years, reserve_yuan, …
    tenant: Bidder | None = None
    relisted_from: str = ""  # code of the failed listing this one lists again
    bids: list[tuple[int, Bidder, int]] = field(default_factory=list)
    result: str = ""  # "", AWARDED, FAILED or TENANT
    tenant_matched: bool = False
    closed_on: date | None = None
    contract_no: str = ""
    settled_on: date | None = None


def listing_problems(deal: Deal) -> list[str]:
    v = deal.values
    out = rules.listing_problems(
        reserve=v["reserve_yuan"],
        step=v["step_yuan"],
        term_years=v["term_years"],
        decided_on=v["decided_on"],
        publish_from=v["publish_from"],
        publish_until=v["publish_until"],
        min_days=publicity_days(),
    )
    if not v["decision"].strip():
        out.append(_("请填写集体经济组织的决议（会议和文号）"))
    if deal.tenant is not None and deal.tenant.status != "approved":
        out.append(_("原承租方的竞买人登记尚未审核通过"))
    return out


def bid_problems(deal: Deal) -> list[tuple[int, str]]:
    """(index in deal.bids, why) for bids the auction would have refused."""
    v, out = deal.values, []
    price, leader = 0, None
    for i, (seq, bidder, amount) in enumerate(deal.bids):
        if seq != i + 1:
            out.append((i, _("序号应从1起连续编号，此处应为%(n)s") % {"n": i + 1}))
            continue
        if bidder.status != "approved":
            out.append((i, _("竞买人登记尚未审核通过")))
            continue
        if bidder.pk == leader:
            out.append((i, _("同一竞买人不能连续出价")))
            continue
        problem = rules.bid_problem(
            amount=amount, reserve=v["reserve_yuan"], step=v["step_yuan"], price=price, has_bids=i > 0
        )
        if problem:
            out.append((i, problem))
            continue
        price, leader = amount, bidder.pk
    return out


def result_problems(deal: Deal, today: date) -> list[str]:
    """The result must be what the close would give: 流拍 without bids, else 成交 — or, where the sitting
    tenant is not the highest bidder, 待原承租方决定 until it decides, and 成交 (matched or not) after."""
    if not deal.result:
        return []
    out = []
    leader = deal.bids[-1][1].pk if deal.bids else None
    tenant = deal.tenant.pk if deal.tenant else None

    def outcome(registered: bool) -> str:
        return rules.close_outcome(
            bids=len(deal.bids), leader_id=leader, tenant_id=tenant, tenant_registered=registered
        ).status

    base, could_match = outcome(False), outcome(True) == TENANT
    if deal.result not in {base, *([TENANT] if could_match else [])}:
        out.append(_("与出价记录不符：按规则应为“%(s)s”") % {"s": Status(base).label})
    if deal.tenant_matched and (not could_match or deal.result != AWARDED):
        out.append(_("只有原承租方不是最高出价人、且已成交时，才能记为同等条件优先受让"))
    if deal.closed_on is None:
        out.append(_("请填写成交（流拍）日期"))
    elif not deal.values["publish_until"] < deal.closed_on <= today:
        out.append(_("成交（流拍）日期应在公告期满之后、今天之前"))
    return out


def settlement_problems(deal: Deal, today: date) -> list[str]:
    if not deal.contract_no and deal.settled_on is None:
        return []
    if deal.result != AWARDED:
        return [_("只有已成交的项目才能结算")]
    if not deal.contract_no or deal.settled_on is None:
        return [_("请填写流转合同编号和结算日期")]
    if deal.closed_on is not None and not deal.closed_on <= deal.settled_on <= today:
        return [_("结算日期应在成交之后、今天之前")]
    return []


def deal_problems(deal: Deal, today: date) -> list[str]:
    return [
        *listing_problems(deal),
        *(m for _i, m in bid_problems(deal)),
        *result_problems(deal, today),
        *settlement_problems(deal, today),
    ]


@transaction.atomic
def deals_record_bulk(*, actor: Any, deals: list[Deal], reason: str = "台账导入") -> int:
    """Write deals the rules allow (a listing each, its bids, result and settlement); any refused deal
    refuses them all. Listings relisted by another deal in the list are marked 已重新挂牌."""
    today = timezone.localdate()
    for deal in deals:
        authorize(actor, MANAGE, deal.village)
        problems = deal_problems(deal, today)
        if problems:
            raise ValidationError(f"{deal.values['code']}：" + "；".join(problems))
    # Listings relisted by this file are found in it or, in one query for all, among those already held.
    earlier = {d.relisted_from for d in deals if d.relisted_from}
    made: dict[str, Listing] = {x.code: x for x in Listing.objects.filter(code__in=earlier)}
    bids: list[Bid] = []
    for deal in deals:
        v = deal.values
        winner, leader = None, (deal.bids[-1][1] if deal.bids else None)
        if deal.result == AWARDED and leader is not None:
            winner = deal.tenant if deal.tenant_matched else leader
        listing = Listing(
            village=deal.village,
            path=deal.village.path,
            deposit_yuan=rules.deposit_required(v["reserve_yuan"], deposit_percent()),
            tenant=deal.tenant,
            status=(Status.SETTLED if deal.settled_on else deal.result) or Status.PUBLISHED,
            price_yuan=deal.bids[-1][2] if deal.bids else 0,
            leader=leader,
            bids_count=len(deal.bids),
            winner=winner,
            tenant_matched=deal.tenant_matched,
            closed_on=deal.closed_on,
            contract_no=deal.contract_no[:64],
            settled_on=deal.settled_on,
            relisted_from=made.get(deal.relisted_from) if deal.relisted_from else None,
            **{**v, "area_mu": Decimal(v["area_mu"])},
        )
        stamp(listing, actor, reason).save()
        made[listing.code] = listing
        bids += (
            Bid(listing=listing, bidder=b, path=listing.path, seq=seq, amount_yuan=amount)
            for seq, b, amount in deal.bids
        )
        old = listing.relisted_from
        if old is not None:
            if old.status != Status.FAILED:
                raise ValidationError(_("只有流拍的项目才能重新挂牌"))
            old.status = Status.RELISTED
            stamp(old, actor, reason).save()
    Bid.objects.bulk_create(bids)  # every deal's bids in one insert (bids are a log: audit on the listing)
    # One change-feed row per deal recorded (its state as imported), and one per listing it relisted.
    new = [made[d.values["code"]] for d in deals]
    relisted = [x for x in made.values() if x.status == Status.RELISTED and x.code in earlier]
    services.changes_bulk(new, ChangeKind.LISTING, "recorded")
    services.changes_bulk(relisted, ChangeKind.AUCTION, "relisted")
    return len(deals)
