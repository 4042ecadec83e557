"""Issue 15 item 6: out-of-range cells (floor 40000, area 123456789.00, a NUL byte) passed the ledger checks.
Every cell is now checked against the limits of the model field it is written to, before anything is
written, the same on SQLite as on PostgreSQL."""

from __future__ import annotations

from typing import Any

import pytest

from gongzhi.accounts.roles import Role
from gongzhi.core.registry import LEDGERS
from gongzhi.ledgers.base import Context, parse_sheet
from gongzhi.ledgers.fields import field_problems, model_field
from gongzhi.ledgers.importer import get_ledger, import_file
from gongzhi.places.ledger import HOMES, HOMES_LEDGER, OWNERS
from gongzhi.places.tests.test_homes_ledger import X, snapshot, write
from gongzhi.tests.factories import user_with


@pytest.mark.django_db
def test_out_of_range_cells_are_listed_and_nothing_is_written(tree, tmp_path):
    compound = tree.compounds[0]
    worker = user_with(Role.COMMUNITY_WORKER, compound.community)
    code = compound.code
    f = write(
        tmp_path / "hostile.xlsx",
        [
            [code, "2号楼", 1, "101", 40000, "90.5", "是"],
            [code, "2号楼", 1, "102", 1, "123456789.00", "是"],
            [code, "2号楼", 70000, "103", 1, "80", "是"],
            [code, "2号楼", 1, "104", -40000, "80", "是"],
        ],
        [[code, "2号楼", 1, "101", "赵敏", X, "13912345678", "1"]],
    )
    before = snapshot()
    outcome = import_file(HOMES_LEDGER, f, Context(worker))
    assert not outcome.ok
    bad = {(e.row, e.column) for e in outcome.errors}
    assert {(2, "楼层"), (3, "专有部分面积"), (4, "单元"), (5, "楼层")} <= bad, outcome.errors
    assert snapshot() == before


def test_a_nul_byte_is_a_cell_error_in_every_sheet():
    rows: list[list[Any]] = [HOMES.headers, ["370202001001001", "1号楼", 1, "1\x0001", 1, "80", "是"]]
    _, errors = parse_sheet(HOMES, rows)
    assert [(e.row, e.column) for e in errors] == [(2, "房号")]
    assert "空字符" in errors[0].message


@pytest.mark.django_db
def test_limits_come_from_the_model_fields():
    assert field_problems("places.Home.floor", 32767) == []
    assert field_problems("places.Home.floor", 32768)
    assert field_problems("places.Home.area", __import__("decimal").Decimal("12345678.99")) == []
    assert field_problems("people.Person.name", "字" * 101)
    assert field_problems("people.Person.name", "") == []


@pytest.mark.django_db
def test_every_declared_field_of_every_ledger_exists():
    """A column naming a field that was renamed or removed fails here, not at import time."""
    checked = 0
    for slug in LEDGERS:
        ledger = get_ledger(slug)
        for spec in getattr(ledger, "sheets", (HOMES, OWNERS)):
            for col in spec.columns:
                if col.field:
                    model_field(col.field)
                    checked += 1
    assert checked >= 11
