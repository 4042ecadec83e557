"""The key-figure ledger: hostile sheets refused cell by cell with nothing written; a good sheet creates and
updates enterprises' years through the service; export → import changes nothing."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from gongzhi.accounts.roles import Role
from gongzhi.centre import services
from gongzhi.centre.ledger import FIGURES
from gongzhi.centre.models import Enterprise, Industry, KeyFigures
from gongzhi.centre.tests.helpers import make_centre
from gongzhi.ledgers.base import Context
from gongzhi.ledgers.importer import export_file, get_ledger, import_book
from gongzhi.ledgers.xlsx import read_workbook
from gongzhi.tests.factories import SYSTEM, credit_code, load_divisions, user_with

pytestmark = pytest.mark.django_db
LEDGER = "centre_key_figures"


@pytest.fixture
def world() -> dict[str, Any]:
    divisions = load_divisions()
    made = make_centre(divisions["370202001001"])
    firm = services.enterprise_register(
        actor=SYSTEM,
        centre=made.centre,
        name="青岛芯联科技有限公司",
        credit_code=credit_code(42),
        industry=Industry.objects.get(code="C"),
        kind=Enterprise.Kind.TECH_INDUSTRIAL,
    )
    return {"made": made, "firm": firm, "divisions": divisions}


def sheet(*rows: dict[str, Any]) -> dict[str, list[list[Any]]]:
    return {FIGURES.name: [FIGURES.headers, *[[r.get(h, "") for h in FIGURES.headers] for r in rows]]}


GOOD = {
    "统一社会信用代码": credit_code(42),
    "年度": "2024",
    "营业收入（元）": "12,500,000.50",
    "纳税额（元）": "830000",
    "从业人员": "86",
    "研发投入（元）": "1900000",
    "专利数": "14",
}


@pytest.mark.parametrize(
    ("cell", "value", "word"),
    [
        ("统一社会信用代码", credit_code(42)[:-1] + ("1" if credit_code(42).endswith("0") else "0"), "无效"),
        ("统一社会信用代码", credit_code(43), "未在您管理的服务中心登记"),
        ("年度", "二〇二四", "四位数字"),
        ("年度", "1800", "1949"),
        ("营业收入（元）", "-5", "不小于0"),
        ("营业收入（元）", "NaN", "不小于0"),
        ("营业收入（元）", "1e20", "不小于0"),
        ("纳税额（元）", "约80万", "金额"),
        ("从业人员", "3.5", "整数"),
        ("专利数", "99999999999", "整数"),
        ("从业人员", "=1+1", "整数"),
    ],
)
def test_a_hostile_cell_is_refused_and_nothing_written(world, cell: str, value: str, word: str) -> None:  # type: ignore[no-untyped-def]
    outcome = import_book(
        get_ledger(LEDGER), sheet(GOOD, {**GOOD, "年度": "2023", cell: value}), Context(None)
    )
    assert not outcome.ok
    assert any(e.column == cell and e.row == 3 and word in e.message for e in outcome.errors), outcome.errors
    assert not KeyFigures.objects.exists()


def test_duplicates_and_missing_columns_are_refused(world) -> None:  # type: ignore[no-untyped-def]
    outcome = import_book(get_ledger(LEDGER), sheet(GOOD, GOOD), Context(None))
    assert not outcome.ok and outcome.errors[0].message.startswith("同一企业同一年度")
    broken = {FIGURES.name: [FIGURES.headers[:2], [credit_code(42), "x"]]}
    outcome = import_book(get_ledger(LEDGER), broken, Context(None))
    assert not outcome.ok and any(e.message == "缺少此列" for e in outcome.errors)
    assert not KeyFigures.objects.exists()


def test_a_user_outside_the_centre_may_not_write_its_figures(world) -> None:  # type: ignore[no-untyped-def]
    stranger = user_with(Role.OPERATOR, world["divisions"]["370202001002"])
    outcome = import_book(get_ledger(LEDGER), sheet(GOOD), Context(stranger))
    assert not outcome.ok and "未在您管理" in outcome.errors[0].message
    assert not KeyFigures.objects.exists()


def test_a_good_sheet_creates_then_updates_and_round_trips(world, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    operator = user_with(Role.OPERATOR, world["divisions"]["370202001001"])
    outcome = import_book(
        get_ledger(LEDGER), sheet(GOOD, {**GOOD, "年度": "2023", "专利数": ""}), Context(operator)
    )
    assert outcome.ok and outcome.counts == {"新增年度指标": 2, "更新年度指标": 0}
    year = KeyFigures.objects.get(year=2024)
    assert (year.revenue_yuan, year.employees, year.patents) == (Decimal("12500000.50"), 86, 14)
    assert year.history.get().history_user == operator
    outcome = import_book(get_ledger(LEDGER), sheet({**GOOD, "专利数": "15"}), Context(operator))
    assert outcome.counts == {"新增年度指标": 0, "更新年度指标": 1}
    assert KeyFigures.objects.get(year=2024).patents == 15
    target = tmp_path / "figures.xlsx"
    export_file(get_ledger(LEDGER), target, world["made"].centre.path, operator)
    raw = read_workbook(target)
    assert len(raw[FIGURES.name]) == 3
    again = import_book(get_ledger(LEDGER), raw, Context(operator))
    assert again.ok and again.counts == {"新增年度指标": 0, "更新年度指标": 2}
    assert KeyFigures.objects.get(year=2024).patents == 15 and KeyFigures.objects.count() == 2
