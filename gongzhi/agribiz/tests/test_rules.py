"""The registry's rules with their boundaries: the credit code (GB 32100), five members, the report window."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st
from stdnum.cn import uscc

from gongzhi.agribiz import rules
from gongzhi.agribiz.rules import ReportState

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # GB 32100's 31 characters
TODAY = date(2026, 11, 30)


@given(
    st.text(alphabet="0123456789", min_size=6, max_size=6), st.text(alphabet=ALPHABET, min_size=9, max_size=9)
)
def test_a_code_with_its_check_character_passes_and_any_other_check_fails(area: str, body: str) -> None:
    base = "93" + area + body  # registration authority and kind, the area code (digits), the organisation
    good = base + uscc.calc_check_digit(base)
    assert rules.credit_code_problem(good) == ""
    for wrong in ALPHABET:
        if wrong != good[-1]:
            assert "GB 32100" in rules.credit_code_problem(base + wrong)


@given(st.text(max_size=40))
def test_any_text_gets_an_answer_never_an_exception(text: str) -> None:
    problem = rules.credit_code_problem(text)
    assert problem == "" or "统一社会信用代码" in problem
    assert problem == "" or not uscc.is_valid(text)


def _coop(**kw: object) -> list[str]:
    values: dict[str, object] = {
        "credit_code": "91370211000100007" + uscc.calc_check_digit("91370211000100007"),
        "members": 5,
        "land_mu": Decimal(0),
        "founded": date(2015, 1, 1),
        "grade": "",
        "grade_year": None,
        "today": TODAY,
    }
    values.update(kw)
    return rules.coop_problems(**values)  # type: ignore[arg-type]


def test_five_members_is_the_least() -> None:
    assert _coop(members=5) == []
    assert any("第十二条" in m for m in _coop(members=4))


@given(st.integers(min_value=1990, max_value=2040))
def test_a_grade_year_between_founding_and_this_year(year: int) -> None:
    problems = _coop(grade="provincial", grade_year=year)
    assert (problems == []) == (2015 <= year <= TODAY.year)


def test_grade_needs_its_year_and_no_year_without_grade() -> None:
    assert _coop(grade="national", grade_year=None)
    assert _coop(grade="", grade_year=2020)


@given(st.integers(min_value=2000, max_value=2030), st.integers(min_value=-400, max_value=400))
def test_report_state_around_the_due_day(year: int, offset: int) -> None:
    due = date(year + 1, 6, 30)
    filed = due + timedelta(days=offset)
    assert rules.report_status(year, filed, filed) == (ReportState.FILED if offset <= 0 else ReportState.LATE)
    assert rules.report_status(year, None, filed) == (
        ReportState.NOT_DUE if offset <= 0 else ReportState.MISSING
    )


def test_farm_land_and_labour() -> None:
    ok = {
        "credit_code": None,
        "own_mu": Decimal(10),
        "transferred_mu": Decimal(0),
        "labour": 1,
        "registered": date(2020, 1, 1),
        "grade": "",
        "grade_year": None,
        "today": TODAY,
    }
    assert rules.farm_problems(**ok) == []  # type: ignore[arg-type]
    assert rules.farm_problems(**{**ok, "own_mu": Decimal(0)})  # type: ignore[arg-type]
    assert rules.farm_problems(**{**ok, "labour": 0})  # type: ignore[arg-type]
    assert rules.farm_problems(**{**ok, "credit_code": "123"})  # type: ignore[arg-type]


def test_a_report_comes_after_its_year() -> None:
    assert rules.report_problems(year=2025, filed_on=date(2026, 1, 1), founded=None, revenue=10) == []
    assert rules.report_problems(year=2026, filed_on=date(2026, 12, 1), founded=None, revenue=10)
    assert rules.report_problems(year=2025, filed_on=date(2026, 1, 1), founded=None, revenue=1, returned=2)
