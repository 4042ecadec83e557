"""Figures follow the data; the ledger imports reports with the services' rules and refuses bad rows whole."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from gongzhi.insights.registry import PlaceScope
from gongzhi.ledgers.base import Context
from gongzhi.ledgers.importer import import_book
from gongzhi.reporting import services
from gongzhi.reporting.indicators import figures
from gongzhi.reporting.ledger import MEMBERS, REPORTING_LEDGER
from gongzhi.reporting.models import MatchStatus, Report
from gongzhi.reporting.tests.helpers import SYS, make_world, report
from gongzhi.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(tree):  # type: ignore[no-untyped-def]
    return make_world(tree)


def test_figures_count_the_rows(world) -> None:  # type: ignore[no-untyped-def]
    scope = PlaceScope(world.district)
    before = figures(scope)
    assert before["reporting_units"] == 1 and before["units_with_contact_points"] == 1
    assert before["reported_members"] == 0 and before["service_hours"] == 0
    r = report(world)
    today = timezone.localdate()
    need = services.need_create(
        actor=SYS,
        compound=world.compound,
        title="义诊",
        skills=["law"],
        hours=4,
        per_member=4,
        starts_on=today,
        ends_on=today + timedelta(days=9),
    )
    assert figures(scope)["open_needs"] == 1
    services.matching_run(actor=SYS, place=world.district)
    match = need.matches.get(status=MatchStatus.PROPOSED)
    services.match_answer(actor=world.member_user, match=match, accept=True)
    services.record_add(actor=world.staff, report=r, served_on=today, hours=Decimal("2.5"))
    after = figures(scope)
    assert after["reported_members"] == 1
    assert after["matched_needs"] == 1 and after["open_needs"] == 0
    assert after["service_hours"] == 2.5
    other = figures(PlaceScope(world.tree.d("370202009")))  # another subdistrict: none of it
    assert other["reported_members"] == 0 and other["units_with_contact_points"] == 0


def _book(*rows: list[Any]) -> dict[str, list[list[Any]]]:
    return {MEMBERS.name: [MEMBERS.headers, *rows]}


def _row(person: Any, compound: Any, skills: str = "法律服务", hours: Any = 8) -> list[Any]:
    return [person.id_number, person.name, compound.code, "U001", "", skills, "", hours, "否", "是", None]


def test_ledger_imports_reports_and_a_reexport_changes_nothing(world) -> None:  # type: ignore[no-untyped-def]
    people = [PersonFactory.create(id_number=n) for n in ("11010519491231002X", "370202198001010010")]
    out = import_book(REPORTING_LEDGER, _book(*[_row(p, world.compound) for p in people]), Context(SYS))
    assert out.ok, out.errors
    assert Report.objects.filter(unit=world.unit).count() == 2
    sheets = dict(REPORTING_LEDGER.export(world.district.path, None))
    rows = list(sheets[MEMBERS])
    again = import_book(REPORTING_LEDGER, _book(*rows), Context(SYS))
    assert again.ok and again.counts == {"报到党员": 0, "未变": 2}


@pytest.mark.parametrize(
    ("skills", "hours", "message"),
    [
        ("法律服务；杂技", 8, "技能目录中没有：杂技"),
        ("法律服务", -4, "每月可服务时长应大于 0 小时"),
        ("法律服务", "八", "应为整数"),
    ],
)
def test_ledger_bad_rows_write_nothing(world, skills, hours, message) -> None:  # type: ignore[no-untyped-def]
    good = PersonFactory.create(id_number="11010519491231002X")
    bad = PersonFactory.create(id_number="370202198001010010")
    book = _book(_row(good, world.compound), _row(bad, world.compound, skills, hours))
    out = import_book(REPORTING_LEDGER, book, Context(SYS))
    assert not out.ok
    assert any(message in e.message and e.row == 3 for e in out.errors), out.errors
    assert not Report.objects.exists()


def test_ledger_refuses_reporting_twice(world) -> None:  # type: ignore[no-untyped-def]
    person = PersonFactory.create(id_number="11010519491231002X")
    report(world, person=person, compound=world.tree.compounds[1])
    out = import_book(
        REPORTING_LEDGER, _book(_row(person, world.compound), _row(person, world.compound)), Context(SYS)
    )
    assert not out.ok
    messages = [e.message for e in out.errors]
    assert any("只能报到一次" in m for m in messages) and any("已在其他小区报到" in m for m in messages)
    assert Report.objects.count() == 1
