"""The party ledger's columns name the model fields they are written to, so a value the table cannot hold
is refused against its cell before anything is written (gongzhi.ledgers.fields)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from gongzhi.ledgers.base import Context
from gongzhi.ledgers.fields import NUL_MESSAGE, field_problems, model_field
from gongzhi.ledgers.importer import get_ledger, import_book
from gongzhi.party.ledger.sheets import MEMBERS, SHEETS
from gongzhi.party.models import PartyMember
from gongzhi.people.identity import with_check_character

pytestmark = pytest.mark.django_db


def refused(col, value: str) -> bool:  # type: ignore[no-untyped-def]
    try:
        parsed = col.parse(value)
    except ValidationError:
        return True
    return bool(field_problems(col.field, parsed))


def test_every_text_column_refuses_one_character_beyond_its_model_field() -> None:
    declared = [c for s in SHEETS for c in s.columns if c.field]
    assert len(declared) >= 20
    for col in declared:
        limit = getattr(model_field(col.field), "max_length", None)
        if limit:
            assert refused(col, "1" * (limit + 1)), col.header


def test_out_of_range_cells_are_refused_and_nothing_is_written(tree) -> None:  # type: ignore[no-untyped-def]
    home = tree.homes[0]
    good = {
        "身份证号": with_check_character("37020219800101001"),
        "姓名": "张伟",
        "党员状态": "正式党员",
        "入党日期": "2001-07-01",
        "转正日期": "2002-07-01",
        "小区编码": tree.compounds[0].code,
        "楼号": home.building.number,
        "单元": home.unit_no,
        "房号": home.room,
    }
    bad = {
        "单元": 70000,
        "工作单位": "单" * 101,
        "组织关系在外单位": "海尔\x00集团",
        "所属楼栋党小组": "x" * 101,
    }
    row = {**good, **bad}
    outcome = import_book(
        get_ledger("party"),
        {"党员": [MEMBERS.headers, [row.get(h, "") for h in MEMBERS.headers]]},
        Context(None),
    )
    assert not outcome.ok
    by_column = {e.column: e.message for e in outcome.errors}
    assert set(bad) <= set(by_column), outcome.errors
    assert by_column["组织关系在外单位"] == NUL_MESSAGE
    assert "32767" in by_column["单元"]
    assert "100" in by_column["工作单位"]
    assert not PartyMember.objects.exists()
