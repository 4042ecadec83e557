"""Department warning lists through `/ledgers/` (issue 14): the same matching service as the monitoring
page, in the background with row errors and all or nothing, opened to the county bureau only, no export."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from gongzhi.accounts.roles import Role
from gongzhi.ledgers.access import usable_ledgers
from gongzhi.ledgers.base import Context
from gongzhi.ledgers.importer import get_ledger, import_book, import_file
from gongzhi.ledgers.models import LedgerImport
from gongzhi.ledgers.xlsx import write_workbook
from gongzhi.monitoring.models import Case, CaseStatus, Channel, Warning, WarningList
from gongzhi.monitoring.tests.helpers import household, pingdu
from gongzhi.monitoring.warning_ledger import WARNINGS
from gongzhi.people.identity import with_check_character
from gongzhi.tests.factories import user_with

pytestmark = pytest.mark.django_db

STRANGER = with_check_character("37028319990101999")


def _book(*rows: list[Any]) -> dict[str, Any]:
    return {WARNINGS.name: [WARNINGS.headers, *rows]}


def _state() -> tuple[int, int, int]:
    return WarningList.objects.count(), Warning.objects.count(), Case.objects.count()


def test_a_county_imports_a_list_grouped_by_department_through_the_one_service() -> None:
    w = pingdu()
    a, b = household(w.d["370283100201"]), household(w.d["370283101201"])
    outside = household(w.d["370211100201"])  # 黄岛区: outside the county's place
    county = user_with(Role.COUNTY_BUREAU, w.d["370283"])
    rows = _book(
        [a.head.id_number, "民政", "低保边缘"],
        [b.head.id_number.lower(), "医保", "大病支出"],
        [STRANGER, "民政", ""],
        [outside.head.id_number, "医保", ""],
    )
    outcome = import_book(get_ledger("monitoring_warnings"), rows, Context(county))
    assert outcome.ok, outcome.errors
    assert outcome.counts == {
        "预警名单": 2,
        "行数": 4,
        "匹配农户": 2,
        "新发现监测对象": 2,
        "未匹配身份证号": 2,
    }
    assert sorted(WarningList.objects.values_list("department", "rows", "matched", "unknown")) == [
        ("civil", 2, 1, 1),
        ("medical", 2, 1, 1),
    ]
    case = Case.objects.get(household=a)
    assert (case.channel, case.status, case.category) == (Channel.DEPARTMENT, CaseStatus.IDENTIFYING, "")
    assert Warning.objects.get(household=b).reason == "大病支出"
    assert case.history.get().history_user_id == county.pk  # type: ignore[attr-defined]
    assert not Case.objects.filter(household=outside).exists()


@pytest.mark.parametrize(
    ("row", "column", "word"),
    [
        (["12345", "民政", ""], "身份证号", "18 位"),
        (["370283199901019990", "民政", ""], "身份证号", "校验码"),
        ([None, "民政", ""], "身份证号", ""),
        (["@ID", "民政", ""], "身份证号", "18 位"),
        ([STRANGER, "公安", ""], "预警部门", "应为以下之一"),
        ([STRANGER, "民政", "因" * 201], "预警事由", "200"),
        ([STRANGER, "民政", '=HYPERLINK("x")\x00'], "预警事由", ""),
    ],
)
def test_hostile_rows_are_refused_with_their_row_and_nothing_written(row, column, word) -> None:  # type: ignore[no-untyped-def]
    w = pingdu()
    a = household(w.d["370283100201"])
    county = user_with(Role.COUNTY_BUREAU, w.d["370283"])
    outcome = import_book(
        get_ledger("monitoring_warnings"), _book([a.head.id_number, "民政", ""], row), Context(county)
    )
    assert not outcome.ok
    assert any(e.row == 3 and e.column == column and word in e.message for e in outcome.errors), (
        outcome.errors
    )
    assert _state() == (0, 0, 0)


def test_a_wrong_header_or_no_user_or_no_right_writes_nothing() -> None:
    w = pingdu()
    a = household(w.d["370283100201"])
    ledger = get_ledger("monitoring_warnings")
    county = user_with(Role.COUNTY_BUREAU, w.d["370283"])
    wrong = {WARNINGS.name: [["证件号", "预警部门", "预警事由"], [a.head.id_number, "民政", ""]]}
    assert not import_book(ledger, wrong, Context(county)).ok
    assert not import_book(ledger, _book([a.head.id_number, "民政", ""]), Context(None)).ok
    town = user_with(Role.TOWN_STAFF, w.d["370283100"])
    outcome = import_book(ledger, _book([a.head.id_number, "民政", ""]), Context(town))
    assert not outcome.ok and "权限" in outcome.errors[0].message
    assert _state() == (0, 0, 0)
    # A workbook that is not one.
    assert not import_file(ledger, io.BytesIO(b"PK\x03\x04 not a workbook"), Context(county)).ok
    assert _state() == (0, 0, 0)


def test_the_ledgers_page_offers_it_to_the_county_only_and_without_export(tmp_path, settings) -> None:  # type: ignore[no-untyped-def]
    w = pingdu()
    a = household(w.d["370283100201"])
    county = user_with(Role.COUNTY_BUREAU, w.d["370283"])
    town = user_with(Role.TOWN_STAFF, w.d["370283100"])
    assert [
        (u.may_import, u.may_export) for u in usable_ledgers(county) if u.ledger.slug == "monitoring_warnings"
    ] == [(True, False)]
    assert "monitoring_warnings" not in {u.ledger.slug for u in usable_ledgers(town)}
    client = Client()
    client.force_login(county)
    page = client.get(reverse("ledgers:home")).content.decode()
    assert "部门预警名单" in page
    assert "/ledgers/monitoring_warnings/export/" not in page
    export = client.get(reverse("ledgers:export", args=["monitoring_warnings"]) + "?place=370283")
    assert export.status_code == 403
    assert client.get(reverse("ledgers:template", args=["monitoring_warnings"])).status_code == 200

    path = tmp_path / "list.xlsx"
    write_workbook(path, [(WARNINGS, [[a.head.id_number, "住建", "危房"]])])
    other = Client()
    other.force_login(town)
    with path.open("rb") as f:
        refused = other.post(reverse("ledgers:upload"), {"ledger": "monitoring_warnings", "file": f})
    assert refused.status_code == 403 and not LedgerImport.objects.exists()
    with path.open("rb") as f:
        queued = client.post(reverse("ledgers:upload"), {"ledger": "monitoring_warnings", "file": f})
    job = LedgerImport.objects.get()
    assert queued.status_code == 302 and job.ledger == "monitoring_warnings"
    from gongzhi.ledgers.tasks import run

    assert run(job.pk).counts["新发现监测对象"] == 1
    assert Warning.objects.get().reason == "危房"
