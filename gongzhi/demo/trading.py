"""Demo step for rural property-rights trading in 平度市: years of auctions whose outcome is the source's scale.

The generator lists collective assets of the real villages of 平度市 and runs each auction through the
trading rules (gongzhi.trading.rules): the bids climb from the reserve by whole steps, each checked by
`bid_problem`; `close_outcome` decides failed / tenant / awarded, the sitting tenant matches in part of the
deals. It keeps listing until the settled prices reach `turnover_yuan` (a parameter, the source's
cumulative 5.5亿元); the collectives' income (`trading_collective_income_yuan`) is then whatever the rule
of collective income makes of these rows — the share of assets that earned nothing before and the
premiums the bidding produced. A few listings stay open (in publication, in bidding, awaiting the tenant,
awarded but unsettled, failed) so every page has something to show. Deterministic for a seed, idempotent
(a district with listings is left alone), bulk writes.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from gongzhi.collectives import services as collective_services
from gongzhi.collectives.models import Collective, Decision, DecisionStep, MatterKind, Resource
from gongzhi.core.actors import system
from gongzhi.demo.names import person_name
from gongzhi.places.models import Division, Level
from gongzhi.trading import rules
from gongzhi.trading import services as trading_services
from gongzhi.trading.models import (
    Bid,
    Bidder,
    BidderStatus,
    ChangeKind,
    Deposit,
    Instalment,
    Kind,
    Listing,
    Status,
)
from gongzhi.trading.selectors import totals
from gongzhi.trading.selectors import traded as traded_qs

PINGDU = "370283"
# Kind: (share of listings, reserve range in yuan, area range in mu, term range in years).
KINDS = {
    Kind.LAND: (0.55, (80_000, 900_000), (20, 400), (5, 15)),
    Kind.ASSET: (0.15, (50_000, 1_200_000), (0, 0), (3, 10)),
    Kind.WASTELAND: (0.1, (20_000, 300_000), (30, 300), (10, 30)),
    Kind.FOREST: (0.05, (30_000, 400_000), (50, 600), (10, 30)),
    Kind.WATER: (0.1, (20_000, 250_000), (5, 80), (5, 15)),
    Kind.FACILITY: (0.05, (40_000, 600_000), (1, 30), (3, 10)),
}
BIDDER_KINDS = ("种植专业合作社", "家庭农场", "农业开发有限公司", "养殖专业合作社")


@dataclass(frozen=True)
class TradingDemo:
    created: bool
    listings: int
    settled: int
    bids: int
    turnover: int
    income: int


def _bidders(rng: random.Random, district: Division, n: int, today: date) -> list[Bidder]:
    rows = []
    for i in range(n):
        name = person_name(rng) if i % 3 == 0 else f"平度市{person_name(rng)[:2]}{rng.choice(BIDDER_KINDS)}"
        rows.append(
            Bidder(
                name=f"{name}（{i + 1:04d}）",
                number=f"JMD{i + 1:06d}",  # the demo's own series, apart from JM + key
                path=district.path,
                registered_on=today - timedelta(days=2500),
                status=BidderStatus.APPROVED,
                reviewed_on=today - timedelta(days=2499),
            )
        )
    Bidder.objects.bulk_create(rows, batch_size=1000)
    return list(Bidder.objects.filter(path=district.path).order_by("id"))


def _auction(
    rng: random.Random, listing: Listing, bidders: list[Bidder], n_bidders: int, tenant_joins: bool
) -> tuple[list[Bid], list[Deposit]]:
    """Run the auction in memory through the rules; fills the listing's price, leader and count.

    A sitting tenant who joins pays the deposit and waits to match rather than bid."""
    field = [b for b in rng.sample(bidders, n_bidders + 1) if b is not listing.tenant][:n_bidders]
    registered = [*field, listing.tenant] if tenant_joins and listing.tenant is not None else field
    deposits = [
        Deposit(
            listing=listing,
            bidder=b,
            path=listing.path,
            amount_yuan=listing.deposit_yuan,
            paid_on=listing.publish_from,
        )
        for b in registered
    ]
    bids: list[Bid] = []
    price, leader = 0, None
    if n_bidders:
        rounds = rng.choice((0, 0, 1, 1, 2, 3, 5, 8))
        for _r in range(rounds + 1):
            b = rng.choice([x for x in field if x is not leader] or field)
            amount = (
                listing.reserve_yuan if not bids else price + listing.step_yuan * rng.choice((1, 1, 2, 3))
            )
            if rules.bid_problem(
                amount=amount,
                reserve=listing.reserve_yuan,
                step=listing.step_yuan,
                price=price,
                has_bids=bool(bids),
            ):
                continue
            bids.append(
                Bid(listing=listing, bidder=b, path=listing.path, seq=len(bids) + 1, amount_yuan=amount)
            )
            price, leader = amount, b
    listing.price_yuan, listing.leader, listing.bids_count = price, leader, len(bids)
    return bids, deposits


def _close(rng: random.Random, listing: Listing, deposits: list[Deposit]) -> None:
    """Close by the rule; the sitting tenant matches in part of the deals; deals are signed and settled."""
    tenant_registered = listing.tenant is not None and any(d.bidder == listing.tenant for d in deposits)
    out = rules.close_outcome(
        bids=listing.bids_count,
        leader_id=listing.leader.pk if listing.leader else None,
        tenant_id=listing.tenant.pk if listing.tenant else None,
        tenant_registered=tenant_registered,
    )
    listing.status = out.status
    if out.status == "tenant":
        listing.tenant_matched = rng.random() < 0.6
        listing.winner = listing.tenant if listing.tenant_matched else listing.leader
        listing.status = Status.AWARDED
    elif out.status == "awarded":
        listing.winner = listing.leader
    if listing.status == Status.AWARDED:
        listing.status = Status.SETTLED
        listing.contract_no = f"LZ-{listing.code}"
        listing.settled_on = listing.closed_on
    for d in deposits:
        if d.bidder != listing.winner:
            d.refunded_on = listing.closed_on


@transaction.atomic
def build_trading(
    *, seed: int, turnover_yuan: int = 550_000_000, new_income_share: float = 0.065
) -> TradingDemo:
    district = Division.objects.get(code=PINGDU)
    if Listing.objects.filter(path__under=district.path).exists():
        return TradingDemo(False, 0, 0, 0, 0, 0)
    rng = random.Random(seed * 7 + 14)
    today = timezone.localdate()
    villages = list(Division.objects.filter(level=Level.VILLAGE, path__under=district.path).order_by("code"))
    bidders = _bidders(rng, district, 400, today)
    kinds = list(KINDS)
    weights = [KINDS[k][0] for k in kinds]
    listings: list[Listing] = []
    all_bids: list[Bid] = []
    all_deposits: list[Deposit] = []
    traded = 0
    n = 0
    while traded < turnover_yuan:
        n += 1
        kind = rng.choices(kinds, weights)[0]
        _w, (lo, hi), (alo, ahi), (tlo, thi) = KINDS[kind]
        reserve = rng.randrange(lo, hi, 1_000)
        closed = today - timedelta(days=rng.randrange(30, 7 * 365))
        publish_until = closed - timedelta(days=1)
        publish_from = publish_until - timedelta(days=rng.choice((9, 14, 19)))
        village = rng.choice(villages)
        tenant = rng.choice(bidders) if rng.random() < 0.2 else None
        listing = Listing(
            code=f"PD{closed.year}-{n:05d}",
            village=village,
            path=village.path,
            title=f"{village.name.removesuffix('村民委员会').removesuffix('村委会')}{kind.label}",
            kind=kind,
            area_mu=Decimal(rng.randint(alo, ahi)) if ahi else Decimal(0),
            term_years=rng.randint(tlo, thi),
            reserve_yuan=reserve,
            step_yuan=max(500, reserve // 100 // 500 * 500),
            deposit_yuan=rules.deposit_required(reserve),
            previous_income_yuan=0
            if rng.random() < new_income_share
            else reserve * rng.randint(70, 95) // 100,
            decision=f"村民代表会议决议（{closed.year}）第{rng.randint(1, 12)}号",
            decided_on=publish_from - timedelta(days=rng.randint(5, 40)),
            publish_from=publish_from,
            publish_until=publish_until,
            tenant=tenant,
            closed_on=closed,
        )
        n_bidders = rng.choice((0, 1, 1, 2, 2, 3, 4, 5)) if rng.random() < 0.94 else 0
        joins = tenant is not None and n_bidders > 0 and rng.random() < 0.6
        bids, deposits = _auction(rng, listing, bidders, n_bidders, joins)
        _close(rng, listing, deposits)
        listings.append(listing)
        all_bids += bids
        all_deposits += deposits
        if listing.status == Status.SETTLED:
            traded += listing.price_yuan
    settled = [x for x in listings if x.status == Status.SETTLED]
    signed = _unsettle_for_contracts(settled, today)
    Listing.objects.bulk_create(listings, batch_size=1000)
    Deposit.objects.bulk_create(all_deposits, batch_size=2000)
    Bid.objects.bulk_create(all_bids, batch_size=5000)
    _open_listings(rng, villages[:6], bidders[:6], today)
    # The change feed starts with one 'recorded' row per listing, as the migration gives listings held before.
    trading_services.changes_bulk(
        Listing.objects.filter(path__under=district.path).order_by("pk").iterator(chunk_size=2000),
        ChangeKind.LISTING,
        "recorded",
    )
    _sign_with_overdue_instalments(signed, today)
    t = totals(traded_qs(district.path))
    return TradingDemo(
        True, Listing.objects.count(), len(settled), Bid.objects.count(), t["turnover"], t["income"]
    )


def _open_listings(rng: random.Random, villages: list[Division], bidders: list[Bidder], today: date) -> None:
    """A handful of live listings for the pages: one in publication, two in bidding (the demo bidder paid),
    each resting on its village collective's completed 四议两公开 decision (made here when the collectives'
    demo has not yet given the village one)."""
    actor = system("demo.trading")
    collective_services.collectives_bulk_create(actor=actor, villages=villages[:3])
    for i, village in enumerate(villages[:3]):
        collective = Collective.objects.get(code=f"JT{village.code}")
        opened = today - timedelta(days=60)
        decision = Decision(
            collective=collective,
            title=f"{village.name.removesuffix('村民委员会').removesuffix('村委会')}机动地经营权公开流转",
            kind=MatterKind.CONTRACT,
            amount_yuan=100_000 + 50_000 * i,
            opened_on=opened,
        )
        steps = [
            DecisionStep(step=n, on=opened + timedelta(days=4 * n), votes_for=25 if n in (2, 3, 4) else 0)
            for n in range(1, 7)
        ]
        collective_services.decisions_bulk_create(actor=actor, rows=[(decision, steps)])
        decision = Decision.objects.filter(collective=collective).latest("pk")
        reserve = 100_000 + 50_000 * i
        listing = Listing.objects.create(
            code=f"PD{today.year}-LIVE{i + 1}",
            village=village,
            path=village.path,
            title=f"{village.name.removesuffix('村民委员会').removesuffix('村委会')}机动地经营权",
            kind=Kind.LAND,
            area_mu=Decimal(60 + 20 * i),
            term_years=10,
            reserve_yuan=reserve,
            step_yuan=1_000,
            deposit_yuan=rules.deposit_required(reserve),
            previous_income_yuan=0 if i == 2 else reserve * 8 // 10,
            decision_record=decision,
            decision=decision.title,
            decided_on=opened + timedelta(days=16),  # step 4, the villagers' resolution
            publish_from=today - timedelta(days=20) if i else today - timedelta(days=3),
            publish_until=today - timedelta(days=1) if i else today + timedelta(days=10),
            tenant=bidders[5] if i == 2 else None,
        )
        for b in bidders[:4]:
            Deposit.objects.create(
                listing=listing,
                bidder=b,
                path=listing.path,
                amount_yuan=listing.deposit_yuan,
                paid_on=listing.publish_from,
            )
        if i:
            price = 0
            for seq, b in enumerate(bidders[1:4], start=1):
                price = reserve if seq == 1 else price + 1_000 * seq
                Bid.objects.create(listing=listing, bidder=b, path=listing.path, seq=seq, amount_yuan=price)
            Listing.objects.filter(pk=listing.pk).update(price_yuan=price, leader=bidders[3], bids_count=3)


CONTRACTS = 3  # past deals given a signed contract with yearly instalments, some left overdue


def _unsettle_for_contracts(settled: list[Listing], today: date) -> list[Listing]:
    """A few past land deals closed two to three years ago, held back at 已成交 before they are written so
    that `_sign_with_overdue_instalments` can sign and settle them through the services (their price and
    status end as they were: the printed turnover and income do not change)."""
    picked = [
        x
        for x in settled
        if x.kind == Kind.LAND
        and x.term_years >= 5
        and x.closed_on is not None
        and today - timedelta(days=3 * 365) < x.closed_on < today - timedelta(days=2 * 365)
    ][:CONTRACTS]
    for x in picked:
        x.status, x.contract_no, x.settled_on = Status.AWARDED, "", None
    return picked


def _sign_with_overdue_instalments(listings: list[Listing], today: date) -> None:
    """Sign each held-back deal's contract (yearly payments from the close) on a land resource of its
    village collective, under a completed 四议两公开 decision dated before the publication; settle it (the
    first instalment paid); pay the second of the first deal; leave the rest unpaid, so the listing pages
    mark overdue instalments, and run the daily reminder job once so /trading/ lists them."""
    from gongzhi.trading.reminders import overdue_remind

    actor = system("demo.trading")
    collective_services.collectives_bulk_create(actor=actor, villages=[x.village for x in listings])
    for n, x in enumerate(listings):
        collective = Collective.objects.get(code=f"JT{x.village.code}")
        opened = x.decided_on - timedelta(days=16)
        decision = Decision(
            collective=collective,
            title=x.title + "经营权公开流转",
            kind=MatterKind.CONTRACT,
            amount_yuan=x.reserve_yuan,
            opened_on=opened,
        )
        steps = [
            DecisionStep(step=k, on=opened + timedelta(days=4 * k), votes_for=25 if k in (2, 3, 4) else 0)
            for k in range(1, 7)
        ]
        collective_services.decisions_bulk_create(actor=actor, rows=[(decision, steps)])
        x.decision_record = Decision.objects.filter(collective=collective).latest("pk")
        Listing.objects.filter(pk=x.pk).update(decision_record=x.decision_record)
        land = Resource(
            collective=collective,
            path=collective.path,
            name=f"{x.title}地块（{x.code}）",
            kind=trading_services.RESOURCE_OF[Kind.LAND],
            area_mu=x.area_mu,
        )
        collective_services.holding_add(actor=actor, row=land)
        on = x.closed_on or today
        trading_services.contract_sign(
            actor=actor, listing=x, subject=land, code=f"LZ-{x.code}", starts_on=on, signed_on=on, yearly=True
        )
        trading_services.listing_settle(actor=actor, listing=x, on=on)
        if n == 0:
            second = Instalment.objects.get(listing=x, seq=2)
            trading_services.instalment_pay(
                actor=actor,
                listing=x,
                seq=2,
                amount_yuan=second.amount_yuan,
                paid_on=second.due_on + timedelta(days=12),
            )
    overdue_remind(actor=actor, on=today)
