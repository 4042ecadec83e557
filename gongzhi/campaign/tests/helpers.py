"""A small campaign in the test tree: three phases, four measures, targets at compounds."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from gongzhi.campaign import services
from gongzhi.campaign.models import Campaign, GoalType
from gongzhi.core.actors import system
from gongzhi.tests.factories import Tree

SYSTEM = system("test")
PHASES = [
    ("组织发动", date(2024, 1, 1), date(2024, 12, 31)),
    ("攻坚推进", date(2025, 1, 1), date(2025, 12, 31)),
    ("总结提升", date(2026, 1, 1), date(2026, 12, 31)),
]
MEASURES = [
    ("健全组织体系", Decimal("2")),
    ("强化履职监督", Decimal("1")),
    ("规范行业运行", Decimal("1")),
    ("夯实基础保障", Decimal("1")),
]


def make_campaign(tree: Tree) -> Campaign:
    return services.campaign_create(
        actor=SYSTEM,
        division=tree.d("370202"),
        name="深化红色物业 共建幸福家园",
        first_year=2024,
        last_year=2026,
        phases=PHASES,
        measures=MEASURES,
    )


def add_target(
    campaign: Campaign,
    place,
    goal: str = "property_company",
    *,
    phase: int = 0,
    measure: int = 0,
    deadline: date = date(2026, 6, 30),
    weight: Decimal = Decimal("1"),
    title: str = "目标",
):  # type: ignore[no-untyped-def]
    (target,) = services.targets_add(
        actor=SYSTEM,
        campaign=campaign,
        rows=[
            services.TargetRow(
                list(campaign.phases.all())[phase],
                list(campaign.measures.all())[measure],
                GoalType.objects.get(code=goal),
                place,
                title,
                "张书记",
                deadline,
                weight,
            )
        ],
    )
    return target
