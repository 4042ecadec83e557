"""Samples of 防止返贫动态监测 for the generated permission matrix: in each side's community (the matrix
world's village) a household with a case and a visit, built through the services."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from gongzhi.core.actors import system
from gongzhi.monitoring import services
from gongzhi.monitoring.models import Case, Household, Visit, WarningList
from gongzhi.people.identity import with_check_character
from gongzhi.tests.matrix import Filler, Sample

SYS = system("matrix")


def _build(side: Any, tag: int) -> dict[str, Any]:
    village = side.community
    household = services.household_register(
        actor=SYS,
        village=village,
        number=f"MX{tag}",
        members=[
            services.MemberRow(f"矩阵农户{tag}", with_check_character(f"370283197001010{tag}9"), "户主")
        ],
    )
    today = timezone.localdate()
    visit = services.visit_record(
        actor=SYS,
        household=household,
        visited_on=today - timedelta(days=1),
        findings="矩阵走访",
        next_due=today + timedelta(days=30),
        secure={},
        raise_category="edge",
    )
    case = Case.objects.get(household=household)
    wl = services.warning_list_import(actor=SYS, department="civil", path=village.path, rows=[]).warning_list
    return {"household": household, "case": case, "visit": visit, "list": wl}


def build(world: Any) -> None:
    world.__dict__["_monitoring"] = {
        inside: _build(world.side(inside), 1 if inside else 2) for inside in (True, False)
    }


def _pk(key: str) -> Filler:
    def fill(world: Any, inside: bool) -> Sample:
        obj: Household | Case | Visit | WarningList = world.__dict__["_monitoring"][inside][key]
        return Sample({"pk": obj.pk}, obj)

    return fill


FILLERS: dict[str, Filler] = {
    "monitoring:visit": _pk("household"),
    "monitoring:income": _pk("household"),
    "monitoring:case": _pk("case"),
    "monitoring:decide": _pk("case"),
    "monitoring:eliminate": _pk("case"),
    "monitoring:measure": _pk("case"),
    "monitoring-household-detail": _pk("household"),
    "monitoring-case-detail": _pk("case"),
    "monitoring-visit-detail": _pk("visit"),
    "monitoring-warninglist-detail": _pk("list"),
}
