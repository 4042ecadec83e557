"""The homes-and-owners ledger: round trip, additions, every bad cell reported, nothing half-written."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
import xlsxwriter

from gongzhi.accounts.roles import Role
from gongzhi.ledgers.base import Context
from gongzhi.ledgers.importer import export_file, import_file
from gongzhi.people.models import Ownership, Person
from gongzhi.places.ledger import HOMES, HOMES_LEDGER, OWNERS
from gongzhi.places.models import Building, Compound, Division, Home
from gongzhi.tests.factories import user_with

X = "11010519491231002X"


def write(path: Path, homes: list[list], owners: list[list]) -> Path:
    wb = xlsxwriter.Workbook(str(path))
    for spec, rows in ((HOMES, homes), (OWNERS, owners)):
        ws = wb.add_worksheet(spec.name)
        ws.write_row(0, 0, spec.headers)
        for i, row in enumerate(rows, start=1):
            ws.write_row(i, 0, row)
    wb.close()
    return path


def snapshot() -> tuple:
    return (
        list(Home.objects.order_by("pk").values_list("pk", "area", "floor", "delivered")),
        list(Ownership.objects.order_by("pk").values_list("home_id", "person_id", "share")),
        list(Person.objects.order_by("pk").values_list("name", "id_number", "phone")),
        list(Division.objects.order_by("pk").values_list("homes_count", "buildings_count")),
        list(Building.objects.order_by("pk").values_list("units", "floors", "homes_count")),
    )


@pytest.mark.django_db
def test_export_then_import_changes_nothing(tree, tmp_path):
    worker = user_with(Role.COMMUNITY_WORKER, tree.compounds[0].community)
    target = tmp_path / "out.xlsx"
    rows = export_file(HOMES_LEDGER, target, tree.compounds[0].community.path, worker)
    assert rows == 16  # 8 homes and 8 owners in the community's two compounds
    before = snapshot()
    outcome = import_file(HOMES_LEDGER, target, Context(worker))
    assert outcome.ok, outcome.errors
    assert set(outcome.counts.values()) == {0}
    assert snapshot() == before


@pytest.mark.django_db
def test_import_adds_building_homes_and_owners(tree, tmp_path):
    compound = tree.compounds[0]
    worker = user_with(Role.COMMUNITY_WORKER, compound.community)
    code = compound.code
    f = write(
        tmp_path / "in.xlsx",
        [
            [code, "2号楼", 1, "101", 1, "90.5", "是"],
            [code, "2号楼", 2, "501", 5, 120, "否"],
            [code, "1号楼", 1, "101", 1, "85.00", "是"],
        ],
        [
            [code, "2号楼", 1, "101", "赵敏", X, "13912345678", "0.5"],
            [code, "2号楼", 1, "101", "钱江", "", "", "0.5"],
        ],
    )
    outcome = import_file(HOMES_LEDGER, f, Context(worker))
    assert outcome.ok, outcome.errors
    assert outcome.counts == {"新增楼栋": 1, "新增房屋": 2, "更新房屋": 1, "新增产权": 2, "更新手机号": 0}
    b = Building.objects.get(compound=compound, number="2号楼")
    assert (b.units, b.floors, b.homes_count) == (2, 5, 2)
    compound.refresh_from_db()
    assert compound.homes_count == 6 and compound.owners_total == 6
    assert compound.total_area == Decimal("328.00") + Decimal("90.50") + Decimal("120.00") + Decimal("3.50")
    assert Division.objects.get(code="370202").homes_count == 18
    assert Person.objects.get(id_number=X).phone == "13912345678"
    # The same file again changes nothing.
    again = import_file(HOMES_LEDGER, f, Context(worker))
    assert again.ok and set(again.counts.values()) == {0}


@pytest.mark.django_db
def test_broken_file_lists_every_problem_and_writes_nothing(tree, tmp_path):
    mine, theirs = tree.compounds[0], tree.compounds[-1]
    worker = user_with(Role.COMMUNITY_WORKER, mine.community)
    code = mine.code
    f = write(
        tmp_path / "bad.xlsx",
        [
            [code, "3号楼", 1, "101", 1, "0", "是"],  # row 2: area not positive
            [code, "3号楼", 1, "102", 1, "90.123", "是"],  # row 3: three decimals
            [code, "3号楼", 1, "103", 1, "90", "是"],  # row 4
            [code, "3号楼", 1, "103", 1, "91", "是"],  # row 5: same home twice
            [theirs.code, "1号楼", 1, "101", 1, "80", "是"],  # row 6: outside the worker's places
            ["123", "1号楼", 1, "101", 1, "80", "也许"],  # row 7: bad code, bad yes/no
        ],
        [
            [code, "3号楼", 1, "103", "甲", "370202198001011230", "", ""],  # row 2: bad check character
            [code, "3号楼", 1, "999", "乙", "", "", ""],  # row 3: unknown home
            [code, "3号楼", 1, "103", "丙", X, "", "0.7"],  # row 4
            [code, "3号楼", 1, "103", "丁", "", "", "0.6"],  # row 5: shares above 1
            [code, "1号楼", 1, "101", "戊", X, "", ""],  # row 6: same ID, other name
        ],
    )
    before = snapshot()
    outcome = import_file(HOMES_LEDGER, f, Context(worker))
    assert not outcome.ok
    found = {(e.sheet, e.row, e.column) for e in outcome.errors}
    assert {
        ("房屋", 2, "专有部分面积"),
        ("房屋", 3, "专有部分面积"),
        ("房屋", 7, "小区编码"),
        ("房屋", 7, "已交付"),
        ("业主", 2, "身份证号"),
    } <= found
    assert snapshot() == before
    # With the cell errors mended, the cross-row checks speak.
    f = write(
        tmp_path / "bad2.xlsx",
        [
            [code, "3号楼", 1, "103", 1, "90", "是"],
            [code, "3号楼", 1, "103", 1, "91", "是"],
            [theirs.code, "1号楼", 1, "101", 1, "80", "是"],
        ],
        [
            [code, "3号楼", 1, "999", "乙", "", "", ""],
            [code, "3号楼", 1, "103", "丙", X, "", "0.7"],
            [code, "3号楼", 1, "103", "丁", "", "", "0.6"],
            [code, "1号楼", 1, "101", "戊", X, "", ""],
        ],
    )
    outcome = import_file(HOMES_LEDGER, f, Context(worker))
    messages = {(e.sheet, e.row): e.message for e in outcome.errors}
    assert "同一套房屋" in messages[("房屋", 3)]
    assert "无权" in messages[("房屋", 4)]
    assert "不在" in messages[("业主", 2)]
    assert "超过 1" in messages[("业主", 4)]
    assert "丙" in messages[("业主", 5)]
    assert snapshot() == before
    assert not Compound.objects.filter(buildings__number="3号楼").exists()


@pytest.mark.django_db
def test_export_masks_for_roles_that_may_not_unmask(tree, tmp_path):
    from python_calamine import CalamineWorkbook

    compound = tree.compounds[0]
    Person.objects.filter(ownerships__home__compound=compound).update(id_number=None)
    owner = Person.objects.filter(ownerships__home__compound=compound).first()
    assert owner is not None
    owner.id_number = X
    owner.save()
    secretary = user_with(Role.PARTY_SECRETARY, compound)
    target = tmp_path / "s.xlsx"
    export_file(HOMES_LEDGER, target, compound.path, secretary)
    rows = CalamineWorkbook.from_path(str(target)).get_sheet_by_name("业主").to_python()
    assert rows[0][5] == "身份证号" and all(r[5] == "" for r in rows[1:])
