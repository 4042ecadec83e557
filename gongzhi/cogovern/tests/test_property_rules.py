"""Credit codes, score sheets and the credit grade."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gongzhi.cogovern import property_rules as pr

VALID = "91110000600037341L"
SHEET = json.loads((Path(pr.__file__).parent / "data" / "score_sheet.json").read_text(encoding="utf-8"))


def test_a_valid_credit_code_passes_and_is_normalised() -> None:
    assert pr.credit_code_problem(VALID) == ""
    assert pr.credit_code_problem(" 91110000600037341l ") == ""
    assert pr.normalise_credit_code(" 91110000600037341l") == VALID


@pytest.mark.parametrize(
    ("code", "word"),
    [
        ("", "请填写"),
        ("9111000060003734", "18 位"),
        ("91110000600037341M", "校验位"),
        ("91110000600037341I", "字符"),
        ("911100006000373$1L", "字符"),
    ],
)
def test_bad_credit_codes_say_why(code: str, word: str) -> None:
    assert word in pr.credit_code_problem(code)


@given(st.text(max_size=30))
def test_any_text_gives_a_message_or_nothing_never_an_exception(text: str) -> None:
    assert isinstance(pr.credit_code_problem(text), str)


def test_the_default_sheet_is_qingdaos_8_categories_39_items_100_points() -> None:
    assert pr.sheet_problems(SHEET) == []
    assert pr.sheet_shape(SHEET) == (8, 39, Decimal(100))


def test_a_sheet_not_totalling_100_or_malformed_is_refused() -> None:
    broken = json.loads(json.dumps(SHEET))
    broken["categories"][0]["items"][0]["points"] = 1
    assert "100" in pr.sheet_problems(broken)[0]
    assert pr.sheet_problems({"categories": []})
    assert pr.sheet_problems({"categories": [{"name": "x", "items": [{"name": "", "points": "a"}]}]})


def test_a_filled_sheet_totals_and_bounds_each_item() -> None:
    full = [it["points"] for c in SHEET["categories"] for it in c["items"]]
    assert pr.sheet_total(SHEET, full) == (Decimal(100), [])
    assert pr.sheet_total(SHEET, full[:-1])[1]
    over = [*full[:-1], full[-1] + 1]
    assert "之间" in pr.sheet_total(SHEET, over)[1][0]
    assert "数字" in pr.sheet_total(SHEET, [*full[:-1], "x"])[1][0]


@pytest.mark.parametrize(
    ("average", "kwargs", "grade"),
    [
        (Decimal(95), {}, "AAA"),
        (Decimal(90), {}, "AAA"),
        (Decimal("89.9"), {}, "AA"),
        (Decimal(80), {}, "AA"),
        (Decimal(75), {}, "A"),
        (Decimal(65), {}, "B"),
        (Decimal(50), {}, "C"),
        (Decimal(39), {}, pr.BLACKLIST),
        (Decimal(95), {"black_entries": 3}, pr.BLACKLIST),
        (Decimal(95), {"complaints_upheld": 3}, "AA"),  # 95 − 6 = 89
        (Decimal(95), {"contracts_terminated": 1}, "AA"),
        (None, {}, "B"),  # nobody has evaluated it yet
    ],
)
def test_credit_grade(average: Decimal | None, kwargs: dict[str, int], grade: str) -> None:
    args: dict[str, Any] = {
        "complaints_upheld": 0,
        "contracts_terminated": 0,
        "black_entries": 0,
        "red_entries": 0,
        **kwargs,
    }
    assert pr.credit(evaluation_average=average, **args).grade == grade


@given(
    avg=st.decimals(0, 100, places=1),
    complaints=st.integers(0, 50),
    terminated=st.integers(0, 5),
    black=st.integers(0, 4),
    red=st.integers(0, 4),
)
def test_credit_score_stays_within_0_and_100_and_never_rises_with_complaints(
    avg: Decimal, complaints: int, terminated: int, black: int, red: int
) -> None:
    a = pr.credit(
        evaluation_average=avg,
        complaints_upheld=complaints,
        contracts_terminated=terminated,
        black_entries=black,
        red_entries=red,
    )
    b = pr.credit(
        evaluation_average=avg,
        complaints_upheld=complaints + 1,
        contracts_terminated=terminated,
        black_entries=black,
        red_entries=red,
    )
    assert Decimal(0) <= a.score <= Decimal(100)
    assert b.score <= a.score


def test_quarters_back() -> None:
    assert pr.quarters_back(2024, 2, 4) == [(2024, 2), (2024, 1), (2023, 4), (2023, 3)]
