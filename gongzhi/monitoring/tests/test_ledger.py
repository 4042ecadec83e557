"""The monitoring households ledger: hostile sheets refused cell by cell with nothing written; a good file
registers households, members and income checks through the services; export → import changes nothing."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from gongzhi.accounts.access import can
from gongzhi.accounts.roles import Action, Role
from gongzhi.ledgers.base import Context
from gongzhi.ledgers.importer import get_ledger, import_book, import_file, template_file
from gongzhi.ledgers.xlsx import read_workbook, write_workbook
from gongzhi.monitoring import services
from gongzhi.monitoring.ledger import HOUSEHOLDS, INCOMES, MEMBERS
from gongzhi.monitoring.models import Household, Income, Member
from gongzhi.monitoring.tests.helpers import household, pingdu
from gongzhi.people.bulk import NewPerson, persons_create_bulk
from gongzhi.people.identity import with_check_character
from gongzhi.people.models import Person
from gongzhi.tests.factories import user_with

pytestmark = pytest.mark.django_db

A = with_check_character("37028319700101201")
B = with_check_character("37028319720101202")
C = with_check_character("37028319750101203")


def book(households: list[list[Any]], members: list[list[Any]], incomes: list[list[Any]]) -> dict[str, Any]:
    return {
        HOUSEHOLDS.name: [HOUSEHOLDS.headers, *households],
        MEMBERS.name: [MEMBERS.headers, *members],
        INCOMES.name: [INCOMES.headers, *incomes],
    }


GOOD = book(
    [["PD-01", "370283100201"], ["PD-02", "370283100202"]],
    [
        ["PD-01", "王大山", A, "户主", "有劳动力"],
        ["PD-01", "李秀英", B, "配偶", "无劳动力"],
        ["PD-02", "赵四", C, "户主", "弱劳动力"],
    ],
    [["PD-01", "2025-06-30", "7800"], ["PD-02", date(2025, 12, 31), 6900.5]],
)


def _state() -> tuple[Any, ...]:
    return (
        list(Household.objects.order_by("pk").values_list("number", "village_id")),
        list(Member.objects.order_by("pk").values_list("household_id", "person_id", "relation", "labour")),
        list(Income.objects.order_by("pk").values_list("household_id", "measured_on", "yuan_per_person")),
        Person.objects.count(),
    )


def test_a_good_file_registers_households_members_and_incomes() -> None:
    w = pingdu()
    user = user_with(Role.TOWN_STAFF, w.d["370283100"])  # monitoring.visit, no person.edit
    outcome = import_book(get_ledger("monitoring_households"), GOOD, Context(user))
    assert outcome.ok, outcome.errors
    assert outcome.counts == {"农户": 2, "成员": 3, "收入核查": 2}
    h = Household.objects.get(number="PD-01")
    assert h.head.id_number == A and h.members.get(person__id_number=B).labour == "none"
    assert Income.objects.get(household__number="PD-02").yuan_per_person == Decimal("6900.50")
    assert h.history.first().history_user_id == user.pk  # type: ignore[attr-defined]


def test_a_village_cadre_registers_new_households_by_ledger_as_by_the_form_and_no_person_page_opens(
    client,  # type: ignore[no-untyped-def]
) -> None:
    """docs/decisions.md, "persons recorded by a registry": the members of a household the cadre may visit
    are recorded under `monitoring.visit`, as the form records them; 市南区's person pages stay closed."""
    w = pingdu()
    cadre = user_with(Role.VILLAGE_CADRE, w.d["370283100201"])
    assert not can(cadre, Action.PERSON_EDIT, w.d["370283100201"])
    one = book([["PD-01", "370283100201"]], GOOD[MEMBERS.name][1:3], [])
    outcome = import_book(get_ledger("monitoring_households"), one, Context(cadre))
    assert outcome.ok, outcome.errors
    assert outcome.counts == {"农户": 1, "成员": 2, "收入核查": 0}
    head = Household.objects.get(number="PD-01").head
    assert head.history.get().history_user_id == cadre.pk  # type: ignore[attr-defined]
    # Not in a village the cadre may not visit, even with the same right elsewhere.
    _bad(
        book([["PD-02", "370283100202"]], [GOOD[MEMBERS.name][3]], []),
        HOUSEHOLDS.name,
        "村编码",
        "管理范围",
        cadre,
    )
    # The bulk service itself refuses outside the cadre's places (not only the ledger's check).
    with pytest.raises(PermissionDenied):
        services.households_create_bulk(
            actor=cadre,
            households=[
                services.NewHousehold(
                    w.d["370283100202"].pk,
                    w.d["370283100202"].path,
                    "PD-03",
                    [services.MemberRow("某", C, "户主")],
                )
            ],
        )
    # The people bulk service for 市南区's ledgers still asks person.edit, and the person pages stay closed.
    with pytest.raises(PermissionDenied):
        persons_create_bulk(actor=cadre, persons=[NewPerson("某", C)])
    client.force_login(cadre)
    assert client.get(reverse("people:search")).status_code in (403, 404)
    assert client.get(reverse("people:person", args=[head.pk])).status_code in (403, 404)


def _bad(rows: dict[str, Any], sheet: str, column: str, word: str, user: Any = None) -> None:
    before = _state()
    outcome = import_book(get_ledger("monitoring_households"), rows, Context(user))
    assert not outcome.ok
    assert any(e.sheet == sheet and e.column == column and word in e.message for e in outcome.errors), (
        outcome.errors
    )
    assert _state() == before


def test_hostile_sheets_are_refused_and_nothing_written() -> None:
    w = pingdu()
    household(w.d["370283100201"])
    bad_check = A[:-1] + ("0" if A[-1] != "0" else "1")
    g = GOOD
    hh, mm, ii = g[HOUSEHOLDS.name][1:], g[MEMBERS.name][1:], g[INCOMES.name][1:]
    _bad(book(hh, [[*mm[0][:2], bad_check, *mm[0][3:]], *mm[1:]], ii), MEMBERS.name, "身份证号", "校验码")
    _bad(book(hh, [[*mm[0][:2], "=1+1", *mm[0][3:]], *mm[1:]], ii), MEMBERS.name, "身份证号", "18 位")
    _bad(book(hh, [*mm, ["PD-02", "重复", C, "子女", "有劳动力"]], ii), MEMBERS.name, "身份证号", "重复")
    _bad(book(hh, [[*mm[0][:4], "很能干"], *mm[1:]], ii), MEMBERS.name, "劳动能力", "应为以下之一")
    _bad(book([["PD-01", "999999999999"], hh[1]], mm, ii), HOUSEHOLDS.name, "村编码", "不存在")
    _bad(book([["PD-01", "370283100"], hh[1]], mm, ii), HOUSEHOLDS.name, "村编码", "不存在")
    _bad(book([*hh, ["PD-03", "370283100201"]], mm, ii), HOUSEHOLDS.name, "户编号", "成员")
    _bad(
        book(hh, [*mm, ["PD-09", "某", with_check_character("37028319900101209"), "", "有劳动力"]], ii),
        MEMBERS.name,
        "户编号",
        "未登记",
    )
    _bad(book(hh, mm, [["PD-01", "2099-01-01", "1"]]), INCOMES.name, "核查日期", "晚于今天")
    _bad(book(hh, mm, [["PD-01", "昨天", "1"]]), INCOMES.name, "核查日期", "日期")
    _bad(book(hh, mm, [["PD-01", "2025-01-01", "abc"]]), INCOMES.name, "人均纯收入（元/年）", "数字")
    _bad(book(hh, mm, [["PD-01", "2025-01-01", "-1"]]), INCOMES.name, "人均纯收入（元/年）", "0–10,000,000")
    _bad(book(hh, mm, [["PD-01", "2025-01-01", "1e9"]]), INCOMES.name, "人均纯收入（元/年）", "0–10,000,000")
    _bad(book(hh, mm, [["PD-77", "2025-01-01", "1"]]), INCOMES.name, "户编号", "未登记")
    other = user_with(Role.VILLAGE_CADRE, w.d["370283101201"])
    _bad(GOOD, HOUSEHOLDS.name, "村编码", "管理范围", user=other)
    taken = Member.objects.first().person.id_number  # type: ignore[union-attr]
    _bad(book(hh, [[*mm[0][:2], taken, *mm[0][3:]], *mm[1:]], ii), MEMBERS.name, "身份证号", "已是农户")


def test_a_file_that_is_not_a_workbook_is_refused() -> None:
    pingdu()
    outcome = import_file(get_ledger("monitoring_households"), io.BytesIO(b"not a workbook"), Context(None))
    assert not outcome.ok and not Household.objects.exists()


def test_export_then_import_changes_nothing(tmp_path) -> None:  # type: ignore[no-untyped-def]
    w = pingdu()
    ledger = get_ledger("monitoring_households")
    assert import_book(ledger, GOOD, Context(None)).ok
    user = user_with(Role.COUNTY_BUREAU, w.d["370283"])
    target = tmp_path / "out.xlsx"
    write_workbook(target, ledger.export(w.d["370283"].path, user))
    raw = read_workbook(target)
    assert len(raw[MEMBERS.name]) == 4 and A in [r[2] for r in raw[MEMBERS.name]]
    before = _state()
    outcome = import_book(ledger, raw, Context(None))
    assert outcome.ok, outcome.errors
    assert _state() == before
    template_file(ledger, tmp_path / "t.xlsx")
    assert set(read_workbook(tmp_path / "t.xlsx")) >= {HOUSEHOLDS.name, MEMBERS.name, INCOMES.name}
