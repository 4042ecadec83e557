"""The trading ledger's 付款计划 sheet: the staff export the contracts' schedules in their places; a payment
date on an unpaid instalment records it through the rules of `services.instalment_pay` (exact amount, in
order, dated between the previous payment and today, once); any bad row refuses the file, named by row,
with nothing written; hostile cells are refused cell by cell."""

from __future__ import annotations

import io
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from gongzhi.accounts.roles import Role
from gongzhi.ledgers.base import Context
from gongzhi.ledgers.importer import export_file, get_ledger, import_book, import_file
from gongzhi.ledgers.xlsx import read_workbook
from gongzhi.tests.factories import user_with
from gongzhi.trading.ledger import INSTALMENTS
from gongzhi.trading.models import Change, Instalment, Listing
from gongzhi.trading.tests.kit import World, make_world
from gongzhi.trading.tests.test_instalments import deal

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()  # the pages' and the job's today


def _rows(listing: Listing, **paid: Any) -> list[list[Any]]:
    """The schedule as the export writes it; `paid` maps "s<seq>" to the payment date to state."""
    return [
        [listing.code, listing.contract_no, i.seq, i.due_on, i.amount_yuan, paid.get(f"s{i.seq}", i.paid_on)]
        for i in Instalment.objects.filter(listing=listing).order_by("seq")
    ]


def _state() -> tuple[Any, ...]:
    return (
        list(Instalment.objects.order_by("listing_id", "seq").values_list("listing_id", "seq", "paid_on")),
        Change.objects.count(),
        Instalment.history.count(),
    )


def _import(rows: list[list[Any]], user: Any) -> Any:
    return import_book(
        get_ledger("trading_listings"), {INSTALMENTS.name: [INSTALMENTS.headers, *rows]}, Context(user)
    )


def _setup() -> tuple[World, Listing, Any]:
    w = make_world(bidders=1)
    return w, deal(w), w.town_staff


def test_payments_in_the_sheet_are_recorded_in_order_with_history_and_feed() -> None:
    _w, listing, staff = _setup()
    two, three = (Instalment.objects.get(listing=listing, seq=s) for s in (2, 3))
    on2, on3 = two.due_on + timedelta(days=5), three.due_on + timedelta(days=1)
    outcome = _import(_rows(listing, s2=on2, s3=on3), staff)
    assert outcome.ok, outcome.errors
    assert outcome.counts["价款"] == 2
    assert Instalment.objects.get(pk=two.pk).paid_on == on2
    assert Instalment.objects.get(pk=three.pk).paid_on == on3
    last = Instalment.history.filter(id=three.pk).latest("history_id")
    assert last.history_user == staff and last.history_change_reason == "第3期价款已付"
    feed = list(Change.objects.filter(event="instalment_paid").order_by("id").values_list("data", flat=True))
    assert [(d["seq"], d["on"]) for d in feed] == [(2, on2.isoformat()), (3, on3.isoformat())]
    # The same file again: the payments are on record with the same dates, nothing is written.
    before = _state()
    again = _import(_rows(listing, s2=on2, s3=on3), staff)
    assert again.ok and again.counts["价款"] == 0
    assert _state() == before


def _refused(rows: list[list[Any]], user: Any, column: str, word: str, row: int | None = None) -> None:
    before = _state()
    outcome = _import(rows, user)
    assert not outcome.ok
    assert any(
        e.sheet == INSTALMENTS.name and e.column == column and word in e.message and row in (None, e.row)
        for e in outcome.errors
    ), outcome.errors
    assert _state() == before


def test_the_rules_of_a_payment_are_the_pages_and_refuse_the_whole_file() -> None:
    w, listing, staff = _setup()
    i2, i3 = (Instalment.objects.get(listing=listing, seq=s) for s in (2, 3))
    signed = listing.signed_on
    assert signed is not None
    on2 = i2.due_on + timedelta(days=1)
    rows = _rows(listing, s2=on2)
    # Out of order: instalment 3 stated paid, 2 not (rows are sorted: row 4 is instalment 3).
    _refused(_rows(listing, s3=i3.due_on), staff, "实付日期", "请先登记上一期", row=4)
    # A good row 3 with a bad row 4 (paid before instalment 2's payment): nothing written, row named.
    _refused(_rows(listing, s2=on2, s3=on2 - timedelta(days=1)), staff, "实付日期", "不能早于", row=4)
    # In the future.
    _refused(_rows(listing, s2=TODAY + timedelta(days=1)), staff, "实付日期", "不能晚于今天", row=3)
    # Before the signing.
    _refused(_rows(listing, s2=signed - timedelta(days=1)), staff, "实付日期", "不能早于", row=3)
    # Not the exact amount (a part payment is not an instalment paid).
    part = [r[:] for r in rows]
    part[1][4] = 9_000
    _refused(part, staff, "金额（元）", "须等于该期应付金额10000", row=3)
    # Twice in the file.
    _refused([*rows, rows[1]], staff, "期次", "文件中重复")
    # A paid instalment's date changed (the ledger does not undo or move payments).
    moved = _rows(listing, s1=signed + timedelta(days=1))
    _refused(moved, staff, "实付日期", "不能更改", row=2)
    # Instalment 1 unpaid in the file though paid on record: also a change.
    cleared = _rows(listing, s1=None)
    _refused(cleared, staff, "实付日期", "不能更改", row=2)
    # The schedule as held: another due date, another contract number, an instalment it does not have.
    due = [r[:] for r in rows]
    due[2][3] = due[2][3] + timedelta(days=1)
    _refused(due, staff, "应付日期", "不符", row=4)
    other = [r[:] for r in rows]
    other[0][1] = "LZ-OTHER"
    _refused(other, staff, "合同编号", "不符", row=2)
    _refused([[listing.code, listing.contract_no, 11, i3.due_on, 10_000, ""]], staff, "期次", "没有这一期")
    _refused([["PD-NONE", "X", 2, i3.due_on, 10_000, ""]], staff, "挂牌编号", "没有这个挂牌编号")
    # Another town's staff: not in their places.
    _refused(rows, w.other_town_staff, "挂牌编号", "管理范围")


HOSTILE = [
    ("实付日期", "2024-02-30", "应为日期"),
    ("实付日期", "昨天", "应为日期"),
    ("应付日期", "=NOW()", "应为日期"),
    ("金额（元）", "10000000000000000000000", "1,000,000,000,000"),
    ("金额（元）", "10000.5", "整数"),
    ("金额（元）", "一万元", "整数"),
    ("金额（元）", "-10000", "1,000,000,000,000"),
    ("期次", "二", "整数"),
    ("期次", "0", "1 至 100"),
    ("期次", "1e3", "整数"),
    ("合同编号", "X" * 65, "不超过 64"),
    ("挂牌编号", "PD'; DROP TABLE x;--", "字母、数字和连字符"),
    ("合同编号", "LZ\x00", "空字符"),
]


def test_hostile_cells_are_refused_with_nothing_written() -> None:
    _w, listing, staff = _setup()
    good = _rows(listing, s2=Instalment.objects.get(listing=listing, seq=2).due_on)
    for column, cell, word in HOSTILE:
        rows = [r[:] for r in good]
        rows[1][INSTALMENTS.headers.index(column)] = cell
        before = _state()
        outcome = _import(rows, staff)
        assert not outcome.ok, (column, cell)
        hit = [e.message for e in outcome.errors if e.column == column and e.row == 3]
        assert hit and word in hit[0], (column, cell, outcome.errors)
        assert _state() == before


def test_the_staff_export_their_schedules_and_the_export_imports_back(tmp_path) -> None:  # type: ignore[no-untyped-def]
    w, listing, staff = _setup()
    ledger = get_ledger("trading_listings")
    mine = tmp_path / "mine.xlsx"
    export_file(ledger, mine, "", staff)
    sheet = read_workbook(io.BytesIO(mine.read_bytes()))[INSTALMENTS.name]
    assert sheet[0] == INSTALMENTS.headers
    assert [r[:3] for r in sheet[1:]] == [[listing.code, listing.contract_no, s] for s in range(1, 11)]
    # Staff of another town and a county bureau elsewhere see none of it; the county bureau of 平度市 all.
    theirs = tmp_path / "theirs.xlsx"
    export_file(ledger, theirs, "", w.other_town_staff)
    assert read_workbook(io.BytesIO(theirs.read_bytes()))[INSTALMENTS.name][1:] == []
    county = tmp_path / "county.xlsx"
    export_file(ledger, county, "", user_with(Role.COUNTY_BUREAU, w.d["370283"]))
    assert len(read_workbook(io.BytesIO(county.read_bytes()))[INSTALMENTS.name]) == 11
    before = _state()
    assert import_file(ledger, mine, Context(staff)).ok  # a round trip writes nothing
    assert _state() == before
