"""Samples of 双报到 for the generated permission matrix (gongzhi/accounts/tests/matrix_world.py adds
FILLERS): in each side's compound a unit with a contact point, a member's report, a need, a proposal and a
service record, built with the world (build) through the services."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone

from gongzhi.core.actors import system
from gongzhi.reporting import services
from gongzhi.reporting.models import Match, Need, Report, ServiceRecord, Unit
from gongzhi.tests.factories import PersonFactory
from gongzhi.tests.matrix import Filler, Sample

SYS = system("matrix")


@dataclass
class Samples:
    unit: Unit
    report: Report
    need: Need
    match: Match
    record: ServiceRecord


def _build(side: Any, tag: str) -> Samples:
    compound = side.compound
    district = compound.community.parent.parent
    (unit,) = services.units_bulk_create(
        actor=SYS,
        rows=[
            services.NewUnit(
                "reporting.agency", f"MX{tag}", f"矩阵单位{tag}", district, [(compound, side.person)]
            )
        ],
    )
    person = PersonFactory.create(name=f"报到党员{tag}")
    report = services.member_report(
        actor=SYS,
        person=person,
        compound=compound,
        skills=["law"],
        hours_month=8,
        unit=unit,
        on=timezone.localdate() - timedelta(days=30),
    )
    today = timezone.localdate()
    need = services.need_create(
        actor=SYS,
        compound=compound,
        title=f"矩阵需求{tag}",
        skills=["law"],
        hours=8,
        per_member=4,
        starts_on=today,
        ends_on=today + timedelta(days=30),
    )
    match = services.match_propose(actor=SYS, need=need, report=report, hours=4)
    record = services.record_add(actor=SYS, report=report, served_on=today, hours=Decimal("2"))
    record.status = "reported"
    record.save(update_fields=["status"])
    return Samples(unit, report, need, match, record)


def build(world: Any) -> None:
    """Called by matrix_world.build_world, inside the module's transaction (not a test's, rolled back)."""
    world.__dict__["_reporting"] = {
        inside: _build(world.side(inside), "内" if inside else "外") for inside in (True, False)
    }


def _samples(world: Any, inside: bool) -> Samples:
    return world.__dict__["_reporting"][inside]  # type: ignore[no-any-return]


def _pk(attr: str) -> Filler:
    def fill(world: Any, inside: bool) -> Sample:
        obj = getattr(_samples(world, inside), attr)
        return Sample({"pk": obj.pk}, obj)

    return fill


def _card(world: Any, inside: bool) -> Sample:
    unit = _samples(world, inside).unit
    return Sample({"pk": unit.pk, "year": timezone.localdate().year, "quarter": 1}, unit)


def _compound(world: Any, inside: bool) -> Sample:
    _samples(world, inside)
    compound = world.side(inside).compound
    return Sample({"code": compound.code}, compound)


FILLERS: dict[str, Filler] = {
    "reporting:unit": _pk("unit"),
    "reporting:resources": _pk("unit"),
    "reporting:projects": _pk("unit"),
    "reporting:card_xlsx": _card,
    "reporting:card_pdf": _card,
    "reporting:staff_report": _compound,
    "reporting:need_new": _compound,
    "reporting:need": _pk("need"),
    "reporting:propose": _pk("need"),
    "reporting:withdraw": _pk("match"),
    "reporting:answer": _pk("match"),
    "reporting:confirm": _pk("record"),
    "reporting-unit-detail": _pk("unit"),
    "reporting-member-detail": _pk("report"),
    "reporting-need-detail": _pk("need"),
    "reporting-record-detail": _pk("record"),
}
