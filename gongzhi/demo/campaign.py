"""Demo campaign for 市南区: "深化红色物业 共建幸福家园" 2024–2026 with 134 targets over three phases and four
measures, dated progress reports, and twelve months of snapshots of the catalogue.

Targets whose goal the registries can see (a party organisation covering the compound, building party
groups, an owners' committee once that registry is installed) are completed by the real sync from the
catalogue's figures, run at the end of each phase that has passed and today — the demo's party chain exists
from the start, so the first sync finds most of those goals met; the others receive dated reports
through the real service, some reaching 100 %, some left behind their deadline (overdue). The snapshots
are taken by the real snapshot computation for each past month end (`as_of`), so the campaign's history
follows its dated reports; figures without dated records are taken as they stand. Idempotent: a second run
finds the campaign and changes nothing.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from gongzhi.campaign import services
from gongzhi.campaign.models import Campaign, GoalType
from gongzhi.campaign.selectors import month_ends
from gongzhi.core.actors import system
from gongzhi.dashboard.models import Snapshot
from gongzhi.dashboard.services import snapshots_take
from gongzhi.places.models import Compound, Division

DEMO = system("seed_demo")
NAME = "深化红色物业 共建幸福家园"
PHASES = [
    ("组织发动", date(2024, 3, 1), date(2024, 12, 31)),
    ("攻坚推进", date(2025, 1, 1), date(2025, 12, 31)),
    ("总结提升", date(2026, 1, 1), date(2026, 12, 31)),
]
MEASURES = [
    ("健全组织体系", Decimal("2")),
    ("强化履职监督", Decimal("1")),
    ("规范行业运行", Decimal("1")),
    ("夯实基础保障", Decimal("1")),
]
# (goal type, measure index, how many) — 134 targets in all, as the district's survey found.
PLAN = [
    ("party_org", 0, 24),
    ("building_groups", 0, 12),
    ("owners_committee", 0, 10),
    ("supervision", 1, 22),
    ("property_company", 2, 26),
    ("closed_renovation", 3, 20),
    ("old_renovation", 3, 20),
]
PHASE_SHARE = (40, 54, 40)  # targets per phase, in the order the plan is dealt out


@dataclass
class CampaignDemo:
    created: bool
    targets: int
    done: int
    snapshots: int


def _deadline(rng: random.Random, start: date, end: date) -> date:
    return start + timedelta(days=rng.randint(90, (end - start).days))


def build_campaign(*, seed: int, district_code: str = "370202", months: int = 12) -> CampaignDemo:
    district = Division.objects.get(code=district_code)
    existing = Campaign.objects.filter(division=district, name=NAME).first()
    today = timezone.localdate()
    days = _snapshot_days(today, months)
    if existing is not None:
        # A first seed that stopped after the campaign was written (a crash, Ctrl-C) left it without the
        # monthly history: take the days still missing, and nothing when none is (idempotent).
        return CampaignDemo(
            False,
            existing.targets.count(),
            existing.targets.filter(status="done").count(),
            _take_missing(district, days),
        )
    rng = random.Random(seed)
    campaign = services.campaign_create(
        actor=DEMO,
        division=district,
        name=NAME,
        first_year=2024,
        last_year=2026,
        phases=PHASES,
        measures=MEASURES,
        motto="一年打基础，两年促提升，三年见实效",
    )
    phases, measures = list(campaign.phases.all()), list(campaign.measures.all())
    goals = {g.code: g for g in GoalType.objects.all()}
    compounds = list(
        Compound.objects.filter(path__under=district.path).select_related("community").order_by("code")
    )
    rng.shuffle(compounds)
    slots = [i for i, n in enumerate(PHASE_SHARE) for _ in range(n)]
    rows = []
    k = 0
    for goal, measure, count in PLAN:
        for _ in range(count):
            compound = compounds[k % len(compounds)]
            # Owners' committees are the three-year result: due by the campaign's end.
            phase = phases[-1] if goal == "owners_committee" else phases[slots[k]]
            k += 1
            rows.append(
                services.TargetRow(
                    phase,
                    measures[measure],
                    goals[goal],
                    compound,
                    f"{compound.name}{goals[goal].name}",
                    f"{compound.community.name}党委",
                    phase.ends_on
                    if goal == "owners_committee"
                    else _deadline(rng, phase.starts_on, phase.ends_on),
                    Decimal(rng.choice(["1", "1", "1", "2"])),
                )
            )
    targets = services.targets_add(actor=DEMO, campaign=campaign, rows=rows)
    for target in targets:
        if target.goal_type.figure:
            continue
        _report(rng, target, campaign, today)
    for on in [p.ends_on for p in phases if p.ends_on < today] + [today]:
        services.targets_sync(actor=DEMO, campaign=campaign, on=on)
    taken = 0
    for on in days:
        taken += snapshots_take(actor=DEMO, on=on, path=district.path).rows
    done = campaign.targets.filter(status="done").count()
    return CampaignDemo(True, len(targets), done, taken)


def _snapshot_days(today: date, months: int) -> list[date]:
    """The demo's history: the last `months` month ends before today, and today."""
    return [*month_ends(today - timedelta(days=31 * months), today)[-months - 1 : -1], today]


def _take_missing(district: Division, days: list[date]) -> int:
    """Snapshot the district on each of `days` that holds no snapshot of it yet; the rows written. A day's
    snapshot is one transaction (snapshots_take), so a day holding the district's rows is complete."""
    held = set(
        Snapshot.objects.filter(place_code=district.code, taken_on__in=days).values_list(
            "taken_on", flat=True
        )
    )
    return sum(snapshots_take(actor=DEMO, on=on, path=district.path).rows for on in days if on not in held)


def _report(rng: random.Random, target, campaign: Campaign, today: date) -> None:  # type: ignore[no-untyped-def]
    """Dated reports from the phase's start: most reach 100 % by the deadline, some fall behind."""
    start = target.phase.starts_on
    last = min(today, target.deadline + timedelta(days=30))
    if last <= start:
        return
    behind = rng.random() < 0.1  # about one in ten is left behind: overdue once its deadline passes
    steps = rng.randint(2, 4)
    progress = Decimal("0")
    for i in range(1, steps + 1):
        on = start + (last - start) * i / steps
        if on > today:
            break
        if i == steps and not behind and target.deadline <= today:
            progress = Decimal("1")
        else:
            progress = min(Decimal("0.9"), progress + Decimal(rng.randint(15, 35)) / 100)
        services.target_report(
            actor=DEMO,
            target=target,
            progress=progress,
            on=on,
            note="阶段性进展" if progress < 1 else "已完成，资料已归档",
        )
