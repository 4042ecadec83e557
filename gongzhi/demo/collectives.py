"""Demo step for collective "三资" supervision in 平度市: the real villages' collectives and what they hold.

Every village of 平度市 in the divisions data gets its collective economic organisation, assets, resources,
a fund account with fifteen months of income and spending, contracts for its resources and assets, and
decisions through the 四议两公开 steps (a completed one for each contract above the threshold, and one more
per village left at each step from none to all six). The generator shapes each rated town's data towards
a profile — how many contracts are priced or termed outside the settings, how many major contracts were
signed without a decision, how much the collectives earned — with the profiles dealt 4 / 9 / 4 over the
17 towns (the source: 示范 4, 创优 9, 强基 4). The grades are never written: they are what
`selectors.rated_towns` (the Criterion rows through rules.town_score) makes of these rows. Deterministic for a
seed, idempotent (a county with collectives is left alone), bulk writes through the services.
"""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from gongzhi.collectives import rules, selectors, services
from gongzhi.collectives.models import (
    Account,
    Asset,
    AssetKind,
    Collective,
    Contract,
    ContractKind,
    Decision,
    DecisionStep,
    Entry,
    MatterKind,
    Resource,
    ResourceKind,
)
from gongzhi.demo.names import person_name
from gongzhi.demo.users import DEMO
from gongzhi.places.models import Division, Level

PINGDU = "370283"
# Profile: (share of contracts out of range, share of major contracts without a decision, income per village).
PROFILES = {
    "exemplary": (0.0, 0.0, (230_000, 320_000)),
    "excellent": (0.06, 0.0, (120_000, 170_000)),
    "strengthening": (0.2, 0.15, (110_000, 150_000)),
}
DEAL = ("exemplary",) * 4 + ("excellent",) * 9 + ("strengthening",) * 4
# Resource kind: (area range in 亩, fair yearly price per 亩).
RESOURCES = {
    ResourceKind.LAND: ((60, 300), (500, 1000)),
    ResourceKind.FOREST: ((80, 400), (60, 200)),
    ResourceKind.WATER: ((10, 60), (400, 1200)),
    ResourceKind.WASTELAND: ((30, 150), (40, 300)),
}
ASSETS = (
    ("村办公楼", AssetKind.BUILDING, (400_000, 1_500_000)),
    ("农产品冷库", AssetKind.FACILITY, (300_000, 1_200_000)),
    ("沿街门头房", AssetKind.BUILDING, (200_000, 900_000)),
    ("农机具", AssetKind.EQUIPMENT, (50_000, 300_000)),
)
SPENDING = ("道路维修", "保洁服务费", "办公费", "水电费", "绿化养护")


@dataclass(frozen=True)
class CollectivesDemo:
    created: bool
    collectives: int
    contracts: int
    expiring: int
    out_of_range: int
    unapproved: int
    decisions: int
    assets_yuan: int
    grades: dict[str, int]


def _steps(rng: random.Random, start: date, upto: int, members: int) -> list[DecisionStep]:
    out, day = [], start
    for n in range(1, upto + 1):
        day += timedelta(days=rng.randint(2, 6))
        yes = rng.randint(members * 2 // 3, members) if n in rules.VOTED else 0
        out.append(
            DecisionStep(
                step=n,
                on=day,
                votes_for=yes,
                votes_against=members - yes if n in rules.VOTED else 0,
                note=str(rules.STEPS[n - 1]),
            )
        )
    return out


def _profiles(rng: random.Random, towns: list[Division]) -> dict[str, str]:
    """The generator's target profile of each rated town (not its grade: that is computed)."""
    rated = [t for t in towns if rules.is_rated_town(t.name)]
    deal = list(DEAL[: len(rated)]) + ["excellent"] * max(0, len(rated) - len(DEAL))
    rng.shuffle(deal)
    out = dict(zip((t.path for t in rated), deal, strict=True))
    for t in towns:
        out.setdefault(t.path, "excellent")
    return out


def build_collectives(*, seed: int = 14, county_code: str = PINGDU) -> CollectivesDemo:
    county = Division.objects.filter(code=county_code).first()
    if county is None:
        return CollectivesDemo(False, 0, 0, 0, 0, 0, 0, 0, {})
    if Collective.objects.filter(path__startswith=county.path).exists():
        return _summary(county, created=False)
    with transaction.atomic():
        services.settings_ensure(actor=DEMO)
        _build(random.Random(seed), county)
    return _summary(county, created=True)


def _build(rng: random.Random, county: Division) -> None:
    today = timezone.localdate()
    towns = list(Division.objects.filter(parent=county, level=Level.SUBDISTRICT).order_by("code"))
    profile = _profiles(rng, towns)
    villages = list(Division.objects.filter(path__under=county.path, level=Level.VILLAGE).order_by("code"))
    services.collectives_bulk_create(actor=DEMO, villages=villages, founded_on=date(2019, 6, 30))
    coll = {c.path: c for c in Collective.objects.filter(path__in=[v.path for v in villages])}
    town_of = {v.path: v.path[: len(v.path.rstrip("/").rsplit("/", 1)[0]) + 1] for v in villages}
    limits, threshold = services.limits(), services.major_yuan()

    holdings: list[Asset | Resource | Account] = []
    for v in villages:
        c = coll[v.path]
        for name, asset_kind, (lo, hi) in rng.sample(ASSETS, 3):
            holdings.append(
                Asset(collective=c, name=name, kind=asset_kind, value_yuan=rng.randint(lo, hi) // 1000 * 1000)
            )
        for kind in rng.sample(list(RESOURCES), 3):
            (alo, ahi), _price = RESOURCES[kind]
            label = ResourceKind(kind).label
            holdings.append(
                Resource(
                    collective=c, name=f"{v.name}{label}", kind=kind, area_mu=Decimal(rng.randint(alo, ahi))
                )
            )
        holdings.append(Account(collective=c, name="基本存款账户", bank="平度农商银行"))
    services.holdings_bulk_create(actor=DEMO, rows=holdings)

    # Contracts: one per resource and per leased asset; shaped by the town's profile.
    decisions: list[tuple[Decision, list[DecisionStep]]] = []
    drafts: list[tuple[Contract, bool]] = []  # (contract, needs its decision)
    by_town: dict[str, list[Contract]] = {}
    for h in holdings:
        if isinstance(h, Account) or (isinstance(h, Asset) and h.kind == AssetKind.EQUIPMENT):
            continue
        years = rng.randint(3, 12)
        starts = today - timedelta(days=rng.randint(200, min(years * 365 - 100, 2400)))
        ends = date(starts.year + years, starts.month, min(starts.day, 28)) - timedelta(days=1)
        if rng.random() < 0.12:
            ends = today + timedelta(days=rng.randint(3, 88))
        if isinstance(h, Resource):
            _area, (plo, phi) = RESOURCES[ResourceKind(h.kind)]
            annual = int(h.area_mu) * rng.randint(plo, phi)
            k = Contract(
                collective=h.collective, code="", kind=ContractKind.CONTRACTING, resource=h, area_mu=h.area_mu
            )
        else:
            annual = max(12_000, h.value_yuan // 15 // 1000 * 1000)
            k = Contract(collective=h.collective, code="", kind=ContractKind.LEASE, asset=h)
        k.party, k.starts_on, k.ends_on, k.annual_yuan = person_name(rng), starts, ends, annual
        by_town.setdefault(town_of[h.collective.path], []).append(k)
    for town, contracts in by_town.items():
        wide, bare, _income = PROFILES[profile[town]]
        rng.shuffle(contracts)
        n_wide = round(len(contracts) * wide)
        majors = [
            k
            for k in contracts
            if rules.needs_decision(rules.whole_price(k.annual_yuan, k.starts_on, k.ends_on), threshold)
        ]
        n_bare = round(len(contracts) * bare)
        bare_set = {id(k) for k in majors[-n_bare:]} if n_bare else set()
        for k in contracts[:n_wide]:
            limit = limits.get(k.resource.kind if k.resource else "asset")
            if k.resource is not None and limit is not None and limit.max_per_mu:
                k.annual_yuan = int(k.area_mu) * (limit.max_per_mu + rng.randint(100, 600))
            elif limit is not None:  # an asset: a term beyond the longest allowed
                k.ends_on = date(k.starts_on.year + limit.max_years + rng.randint(1, 5), 6, 30)
        for k in contracts:
            drafts.append((k, id(k) not in bare_set))
    drafts.sort(key=lambda d: (d[0].collective.path, d[0].starts_on))
    for i, (k, decided) in enumerate(drafts):
        k.code = f"HT{k.collective.code[2:]}-{i + 1:05d}"
        whole = rules.whole_price(k.annual_yuan, k.starts_on, k.ends_on)
        if decided and rules.needs_decision(whole, threshold):
            opened = k.starts_on - timedelta(days=60)
            d = Decision(
                collective=k.collective,
                title=f"{k.subject.name if k.subject else ''}{k.get_kind_display()}",
                kind=MatterKind.CONTRACT,
                amount_yuan=whole,
                opened_on=opened,
            )
            steps = _steps(rng, opened, 4, rng.randint(20, 45))
            steps += [
                DecisionStep(step=5, on=steps[-1].on + timedelta(days=1), note=str(rules.STEPS[4])),
                DecisionStep(
                    step=6, on=k.starts_on + timedelta(days=rng.randint(1, 30)), note=str(rules.STEPS[5])
                ),
            ]
            decisions.append((d, steps))
            k.decision = d
    # One more decision per village, left at each step from none to all six: every state on the pages.
    for n, v in enumerate(villages):
        opened = today - timedelta(days=rng.randint(40, 90))
        amount = rng.randint(60, 400) * 1000
        decisions.append(
            (
                Decision(
                    collective=coll[v.path],
                    title=rng.choice(("村内道路硬化", "新建村级冷库", "高标准农田配套")),
                    kind=MatterKind.SPENDING,
                    amount_yuan=amount,
                    opened_on=opened,
                ),
                [s for s in _steps(rng, opened, min(n % 7, 4), rng.randint(20, 45))]
                + [
                    DecisionStep(step=s, on=today - timedelta(days=2 - (s - 5)), note=str(rules.STEPS[s - 1]))
                    for s in (5, 6)
                    if n % 7 >= s
                ],
            )
        )
    services.decisions_bulk_create(actor=DEMO, rows=decisions)
    services.contracts_bulk_create(actor=DEMO, rows=[k for k, _d in drafts])

    # Fund entries: fifteen months of income (reaching the profile's yearly sum) and small spending.
    accounts = {a.path: a for a in Account.objects.filter(path__in=list(coll))}
    entries: list[Entry] = []
    for v in villages:
        lo, hi = PROFILES[profile[town_of[v.path]]][2]
        yearly, a = rng.randint(lo, hi), accounts[v.path]
        for q in range(5):
            on = today - timedelta(days=20 + 90 * q)
            share = yearly // 4
            entries.append(
                Entry(
                    account=a,
                    on=on,
                    direction=Entry.Direction.INCOME,
                    amount_yuan=share * 6 // 10,
                    summary="承包费收入",
                )
            )
            entries.append(
                Entry(
                    account=a,
                    on=on - timedelta(days=9),
                    direction=Entry.Direction.INCOME,
                    amount_yuan=share - share * 6 // 10,
                    summary="租赁收入",
                )
            )
            for _ in range(2):
                entries.append(
                    Entry(
                        account=a,
                        on=on - timedelta(days=rng.randint(1, 80)),
                        direction=Entry.Direction.SPENDING,
                        amount_yuan=rng.randint(2, 30) * 1000,
                        summary=rng.choice(SPENDING),
                    )
                )
    services.entries_bulk_create(actor=DEMO, rows=entries)


def _summary(county: Division, *, created: bool) -> CollectivesDemo:
    today = timezone.localdate()
    contracts = Contract.objects.filter(path__under=county.path)
    rated = selectors.rated_towns(county.path)
    return CollectivesDemo(
        created=created,
        collectives=Collective.objects.filter(path__under=county.path).count(),
        contracts=contracts.count(),
        expiring=contracts.filter(selectors.expiring_q(today)).count(),
        out_of_range=contracts.filter(out_of_range=True).count(),
        unapproved=contracts.filter(unapproved=True).count(),
        decisions=Decision.objects.filter(path__under=county.path).count(),
        assets_yuan=selectors.totals(county.path)["assets"],
        grades=dict(Counter(r.grade for r in rated)),
    )
