"""The county's ledger: a bad file lists every bad row and writes nothing; a good file writes through the
services; export → import changes nothing (the round trip); the template has both sheets."""

from __future__ import annotations

from typing import Any

import pytest

from gongzhi.agribiz.ledger import COOPS, FARMS, MEMBERS
from gongzhi.agribiz.models import CoopMember, CoopProfile, FamilyFarm
from gongzhi.agribiz.tests.kit import (
    JIAOZHOU_VILLAGE,
    OTHER_TOWN_VILLAGE,
    VILLAGE,
    credit_code,
    id_number,
    make_coop,
    make_world,
)
from gongzhi.ledgers.base import Context
from gongzhi.ledgers.importer import get_ledger, import_book

pytestmark = pytest.mark.django_db


def _coop_row(village: str, **kw: Any) -> list[Any]:
    row = {
        "村区划代码": village,
        "合作社名称": "平度市旧店果品专业合作社",
        "统一社会信用代码": credit_code(),
        "法定代表人": "赵强",
        "法定代表人身份证号": id_number(),
        "成立日期": "2016-05-01",
        "成员数": 15,
        "经营土地（亩）": "800",
        "主要产品": "果品；蔬菜",
        "示范等级": "省级示范",
        "评定年度": 2021,
    }
    row.update(kw)
    return [row[h] for h in COOPS.headers]


def _farm_row(village: str, code: str, **kw: Any) -> list[Any]:
    row = {
        "村区划代码": village,
        "名录编号": code,
        "家庭农场名称": "平度市丰收家庭农场",
        "经营者": "孙丽",
        "经营者身份证号": id_number(),
        "统一社会信用代码": "",
        "登记日期": "2019-03-01",
        "自有承包地（亩）": "10",
        "流转土地（亩）": "200",
        "家庭劳动力（人）": 3,
        "主要产品": "粮食",
        "示范等级": "",
        "评定年度": "",
    }
    row.update(kw)
    return [row[h] for h in FARMS.headers]


def _book(coops: list[list[Any]], farms: list[list[Any]]) -> dict[str, list[list[Any]]]:
    return {COOPS.name: [COOPS.headers, *coops], FARMS.name: [FARMS.headers, *farms]}


def test_a_bad_file_lists_its_rows_and_writes_nothing() -> None:
    w = make_world()
    book = _book(
        [
            _coop_row(VILLAGE),
            _coop_row(VILLAGE, 统一社会信用代码="93370283000000001X"),
            _coop_row(VILLAGE, 成员数=3),
            _coop_row(JIAOZHOU_VILLAGE),  # outside the town's places
            _coop_row(VILLAGE, 主要产品="石油"),
            _coop_row(VILLAGE, 法定代表人身份证号="123"),
        ],
        [_farm_row(VILLAGE, "JT-9", **{"家庭劳动力（人）": "两个"}), _farm_row(OTHER_TOWN_VILLAGE, "JT-8")],
    )
    outcome = import_book(get_ledger("agribiz"), book, Context(w.town_staff))
    assert not outcome.ok
    rows = {(e.sheet, e.row) for e in outcome.errors}
    assert {("合作社", 3), ("合作社", 4), ("合作社", 5), ("合作社", 6), ("合作社", 7)} <= rows, outcome.errors
    assert {("家庭农场", 2), ("家庭农场", 3)} <= rows
    assert ("合作社", 2) not in rows
    assert not CoopProfile.objects.exists() and not FamilyFarm.objects.exists()


def test_import_then_export_round_trip() -> None:
    w = make_world()
    ledger = get_ledger("agribiz")
    book = _book([_coop_row(VILLAGE), _coop_row(OTHER_TOWN_VILLAGE)], [_farm_row(VILLAGE, "JT-1")])
    outcome = import_book(ledger, book, Context(w.county))
    assert outcome.ok, outcome.errors
    assert outcome.counts == {"合作社": 2, "家庭农场": 1, "合作社成员": 0}
    coop = CoopProfile.objects.get(village=w.d[VILLAGE])
    assert coop.grade == "provincial" and {p.code for p in coop.products.all()} == {"fruit", "veg"}
    exported = {s.name: [s.headers, *list(rows)] for s, rows in ledger.export(w.d["370283"].path, None)}
    assert len(exported["合作社"]) == 3 and len(exported["家庭农场"]) == 2
    again = import_book(ledger, exported, Context(w.county))
    assert again.ok and again.counts == {"合作社": 0, "家庭农场": 0, "合作社成员": 0}
    second = {s.name: [s.headers, *list(rows)] for s, rows in ledger.export(w.d["370283"].path, None)}
    assert second == exported


def _member(code: str, name: str, idn: str = "", joined: str = "2020-03-01") -> list[Any]:
    return [code, name, idn, joined]


def test_members_sheet_errors_by_row_nothing_written_then_a_round_trip() -> None:
    w = make_world()
    ledger = get_ledger("agribiz")
    mine = make_coop(w.d[VILLAGE])  # founded 2015-03-01
    theirs = make_coop(w.d[OTHER_TOWN_VILLAGE])
    new = _coop_row(VILLAGE)
    new_code = new[COOPS.headers.index("统一社会信用代码")]
    a, b = id_number(), id_number()
    members = [
        _member(mine.credit_code, "王秀兰", a),
        _member(mine.credit_code, "刘军"),  # no ID number: named by the ledger only
        _member(new_code, "赵强", b, "2016-06-01"),  # a cooperative registered by the same file
        _member("93370283999999999X", "钱七"),  # no such cooperative
        _member(theirs.credit_code, "孙八"),  # another town's cooperative
        _member(mine.credit_code, "王秀兰", a),  # twice in the file
        _member(mine.credit_code, "李九", "370283198001011234"),  # a wrong check character
        _member(mine.credit_code, "周十", "", "2014-01-01"),  # before the cooperative was founded
        _member(mine.credit_code, "吴一", "", "2999-01-01"),  # in the future
    ]
    book = {**_book([new], []), MEMBERS.name: [MEMBERS.headers, *members]}
    outcome = import_book(ledger, book, Context(w.town_staff))
    assert not outcome.ok
    bad = {(e.sheet, e.row) for e in outcome.errors}
    assert bad == {(MEMBERS.name, n) for n in (5, 6, 7, 8, 9, 10)}, outcome.errors
    assert not CoopMember.objects.exists() and CoopProfile.objects.count() == 2

    book[MEMBERS.name] = [MEMBERS.headers, *members[:3]]
    outcome = import_book(ledger, book, Context(w.town_staff))
    assert outcome.ok, outcome.errors
    assert outcome.counts == {"合作社": 1, "家庭农场": 0, "合作社成员": 3}
    wang = CoopMember.objects.get(name="王秀兰")
    assert wang.person is not None and wang.person.id_number == a and wang.coop == mine
    assert CoopMember.objects.get(name="赵强").coop.credit_code == new_code
    assert wang.history.get().history_user_id == w.town_staff.pk
    # The coop page lists them, masked as the representative is (names and ID numbers).
    from django.test import Client

    from gongzhi.people.masking import mask_name

    c = Client()
    c.force_login(w.town_staff)
    page = c.get(f"/agribiz/coops/{mine.pk}/").content.decode()
    assert mask_name("刘军") in page and "刘军" not in page and a not in page

    exported = {s.name: [s.headers, *list(rows)] for s, rows in ledger.export(w.d["370283"].path, None)}
    assert len(exported[MEMBERS.name]) == 4
    again = import_book(ledger, exported, Context(w.county))
    assert again.ok and again.counts["合作社成员"] == 0, again.errors
    assert CoopMember.objects.count() == 3
    # The town's own export has only its cooperatives' members.
    own = {s.name: list(rows) for s, rows in ledger.export(w.d["370283"].path, w.other_town_staff)}
    assert own[MEMBERS.name] == []
