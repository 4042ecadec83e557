"""The trading ledger: a good file records listings with their bids, results and settlements through the
auction's rules; a bad one is refused cell by cell with nothing written; export → import is a round trip."""

from __future__ import annotations

import io
from typing import Any

import pytest

from gongzhi.accounts.roles import Role
from gongzhi.ledgers.base import Context
from gongzhi.ledgers.importer import export_file, get_ledger, import_book, import_file, template_file
from gongzhi.ledgers.xlsx import read_workbook
from gongzhi.tests.factories import user_with
from gongzhi.trading.ledger import BIDS, CLOSES, LISTINGS, SETTLEMENTS
from gongzhi.trading.models import Bid, Bidder, Change, Listing, Status
from gongzhi.trading.tests.kit import make_world

pytestmark = pytest.mark.django_db


def _listing(code: str, village: str = "370283001203", reserve: Any = 100_000, **kw: Any) -> list[Any]:
    row = {
        "code": code,
        "village": village,
        "title": "村东机动地经营权",
        "kind": "土地经营权",
        "area": "52.5",
        "term": 10,
        "reserve": reserve,
        "step": 1000,
        "previous": 0,
        "decision": "村民代表会议决议（2024）第3号",
        "decided": "2024-03-01",
        "from": "2024-03-10",
        "until": "2024-03-25",
        "tenant": "",
        "relisted": "",
    }
    row.update(kw)
    return list(row.values())


def _book(w, listings=None, bids=None, closes=None, settles=None) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    a, b = (x.number for x in w.bidders[:2])
    listings = (
        listings
        if listings is not None
        else [
            _listing("PD-2024-01"),
            _listing("PD-2024-02", village="370283122201"),
            _listing(
                "PD-2024-03",
                village="370283122201",
                reserve=80_000,
                **{"from": "2024-04-10", "until": "2024-04-25", "relisted": "PD-2024-02"},
            ),
        ]
    )
    bids = (
        bids
        if bids is not None
        else [["PD-2024-01", 1, a, 100_000], ["PD-2024-01", 2, b, 101_000], ["PD-2024-01", 3, a, 103_000]]
    )
    closes = (
        closes
        if closes is not None
        else [["PD-2024-01", "成交", "否", "2024-03-26"], ["PD-2024-02", "流拍", "否", "2024-03-26"]]
    )
    settles = settles if settles is not None else [["PD-2024-01", "HT-2024-001", "2024-04-02"]]
    return {
        LISTINGS.name: [LISTINGS.headers, *listings],
        BIDS.name: [BIDS.headers, *bids],
        CLOSES.name: [CLOSES.headers, *closes],
        SETTLEMENTS.name: [SETTLEMENTS.headers, *settles],
    }


def _state() -> tuple[Any, ...]:
    return (
        list(
            Listing.objects.order_by("code").values_list(
                "code", "status", "price_yuan", "winner_id", "settled_on"
            )
        ),
        list(
            Bid.objects.order_by("listing__code", "seq").values_list(
                "listing__code", "seq", "bidder_id", "amount_yuan"
            )
        ),
    )


def test_a_good_file_records_the_deals_through_the_rules() -> None:
    w = make_world(2)
    outcome = import_book(
        get_ledger("trading_listings"),
        _book(w),
        Context(user_with(Role.COUNTY_BUREAU, w.d["370283"])),
    )
    assert outcome.ok, outcome.errors
    assert outcome.counts == {"挂牌项目": 3, "出价": 3, "结算": 1, "价款": 0}
    one = Listing.objects.get(code="PD-2024-01")
    assert (one.status, one.price_yuan, one.winner, one.bids_count) == (
        Status.SETTLED,
        103_000,
        w.bidders[0],
        3,
    )
    assert Listing.objects.get(code="PD-2024-02").status == Status.RELISTED
    three = Listing.objects.get(code="PD-2024-03")
    assert three.status == Status.PUBLISHED and three.relisted_from is not None
    assert three.relisted_from.code == "PD-2024-02"
    assert one.history.first().history_user is not None  # type: ignore[attr-defined]


def _bad(w, book: dict[str, Any], sheet: str, column: str, word: str, user: Any = None) -> None:  # type: ignore[no-untyped-def]
    before = _state()
    outcome = import_book(get_ledger("trading_listings"), book, Context(user))
    assert not outcome.ok
    assert any(e.sheet == sheet and e.column == column and word in e.message for e in outcome.errors), (
        outcome.errors
    )
    assert _state() == before


def test_bad_files_are_refused_by_row_and_nothing_written() -> None:
    w = make_world(2)
    a, b = (x.number for x in w.bidders[:2])
    _bad(
        w,
        _book(w, bids=[["PD-2024-01", 1, a, 100_000], ["PD-2024-01", 2, b, 100_500]]),
        BIDS.name,
        "出价（元）",
        "101000",
    )
    _bad(w, _book(w, bids=[["PD-2024-01", 1, a, 99_000]]), BIDS.name, "出价（元）", "底价")
    _bad(w, _book(w, bids=[["PD-2024-01", 1, "JM9999999", 100_000]]), BIDS.name, "竞买人编号", "没有")
    _bad(
        w,
        _book(w, bids=[["PD-2024-01", 1, a, 100_000], ["PD-2024-01", 2, a, 102_000]]),
        BIDS.name,
        "出价（元）",
        "连续",
    )
    _bad(w, _book(w, closes=[["PD-2024-01", "流拍", "否", "2024-03-26"]]), CLOSES.name, "结果", "成交")
    _bad(w, _book(w, closes=[["PD-2024-01", "成交", "是", "2024-03-26"]]), CLOSES.name, "结果", "原承租方")
    _bad(w, _book(w, closes=[["PD-2024-01", "成交", "否", "2024-03-20"]]), CLOSES.name, "结果", "公告期满")
    _bad(
        w,
        _book(w, closes=[["PD-2024-02", "流拍", "否", "2024-03-26"]]),
        SETTLEMENTS.name,
        "结算日期",
        "已成交",
    )
    _bad(
        w,
        _book(
            w, listings=[_listing("PD-2024-01", **{"until": "2024-03-12"})], bids=[], closes=[], settles=[]
        ),
        LISTINGS.name,
        "挂牌编号",
        "公告期",
    )
    _bad(
        w,
        _book(w, listings=[_listing("PD-2024-01", village="370202001")], bids=[], closes=[], settles=[]),
        LISTINGS.name,
        "村编码",
        "不存在",
    )
    _bad(
        w,
        _book(w, listings=[_listing("PD 01!")], bids=[], closes=[], settles=[]),
        LISTINGS.name,
        "挂牌编号",
        "字母",
    )
    _bad(
        w,
        _book(w, listings=[_listing("PD-9", kind="金矿")], bids=[], closes=[], settles=[]),
        LISTINGS.name,
        "类别",
        "应为",
    )
    _bad(
        w,
        _book(w, listings=[_listing("PD-9", reserve="-5")], bids=[], closes=[], settles=[]),
        LISTINGS.name,
        "底价（元）",
        "整数",
    )
    other = user_with(Role.TOWN_STAFF, w.d["370283001"])  # 旧店镇's listings are not its to import
    _bad(w, _book(w), LISTINGS.name, "村编码", "管理范围", user=other)


def test_the_tenants_match_is_recorded() -> None:
    w = make_world(3)
    a, b, t = (x.number for x in w.bidders)
    book = _book(
        w,
        listings=[_listing("PD-T", tenant=t)],
        bids=[["PD-T", 1, a, 100_000], ["PD-T", 2, b, 101_000]],
        closes=[["PD-T", "成交", "是", "2024-03-27"]],
        settles=[],
    )
    assert import_book(get_ledger("trading_listings"), book, Context(None)).ok
    x = Listing.objects.get(code="PD-T")
    assert (x.status, x.winner, x.tenant_matched, x.price_yuan) == (
        Status.AWARDED,
        w.bidders[2],
        True,
        101_000,
    )


def test_export_then_import_is_a_round_trip(tmp_path) -> None:  # type: ignore[no-untyped-def]
    w = make_world(2)
    ledger = get_ledger("trading_listings")
    assert import_book(ledger, _book(w), Context(None)).ok
    before = _state()
    first = tmp_path / "a.xlsx"
    export_file(ledger, first, "", None)
    assert import_file(ledger, first, Context(None)).ok  # the same records again: nothing changes
    assert _state() == before
    Change.objects.all().delete()
    Bid.objects.all().delete()
    Listing.objects.filter(relisted_from__isnull=False).delete()
    Listing.objects.all().delete()
    outcome = import_file(ledger, first, Context(None))
    assert outcome.ok, outcome.errors
    second = tmp_path / "b.xlsx"
    export_file(ledger, second, "", None)
    assert read_workbook(io.BytesIO(first.read_bytes())) == read_workbook(io.BytesIO(second.read_bytes()))
    assert [r[1:] for r in _state()[0]] == [r[1:] for r in before[0]]


def test_the_template_has_the_four_sheets(tmp_path) -> None:  # type: ignore[no-untyped-def]
    target = tmp_path / "t.xlsx"
    template_file(get_ledger("trading_listings"), target)
    sheets = read_workbook(io.BytesIO(target.read_bytes()))
    assert [LISTINGS.name, BIDS.name, CLOSES.name, SETTLEMENTS.name] == list(sheets)[:4]
    assert sheets[LISTINGS.name][0] == LISTINGS.headers
    assert Bidder.objects.count() == 0
