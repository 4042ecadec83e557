"""The centre's rules of law and of the mechanism, as pure functions."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gongzhi.centre import rules
from gongzhi.tests.factories import credit_code


def test_a_made_up_code_with_its_check_character_passes() -> None:
    assert rules.credit_code_problem(credit_code(1)) == ""


@pytest.mark.parametrize(
    "bad", ["", "12345", "91370211000000001", "9137021100000000X1", "A1370211000000001X"]
)
def test_bad_credit_codes_are_refused_in_chinese(bad: str) -> None:
    assert "统一社会信用代码" in rules.credit_code_problem(bad)


@given(st.integers(0, 10**9 - 1), st.sampled_from("0123456789ABCDEFGHJKLMNPQRTUWXY"))
def test_a_wrong_check_character_is_always_caught(serial: int, wrong: str) -> None:
    good = credit_code(serial)
    if wrong != good[-1]:
        assert rules.credit_code_problem(good[:-1] + wrong)


def test_stage_rules() -> None:
    assert rules.stage_problem("", registered=False, leased=False) == ""
    assert "注册" in rules.stage_problem("registration", registered=False, leased=True)
    assert rules.stage_problem("registration", registered=True, leased=False) == ""
    assert "租约" in rules.stage_problem("lease", registered=True, leased=False)
    assert rules.stage_problem("lease", registered=True, leased=True) == ""


@given(st.lists(st.integers(0, 100), min_size=1, max_size=4))
def test_attribution_is_accepted_exactly_when_shares_sum_to_the_whole(shares: list[int]) -> None:
    problem = rules.attribution_problem({"found": shares})
    assert (problem == "") == (sum(shares) == 100)


def test_attribution_checks_each_part_on_its_own() -> None:
    assert rules.attribution_problem({"found": [60, 40], "signed": [100]}) == ""
    assert "signed" in rules.attribution_problem({"found": [60, 40], "signed": [50, 40]})
    assert rules.attribution_problem({"hosted": [120, -20]})


dates = st.dates(date(2024, 1, 1), date(2027, 12, 31))


@given(dates, dates, dates, dates)
def test_overlap_is_symmetric_and_means_a_shared_day(a: date, b: date, c: date, d: date) -> None:
    a1, a2 = sorted((a, b))
    b1, b2 = sorted((c, d))
    shared = max(a1, b1) <= min(a2, b2)
    assert rules.leases_overlap(a1, a2, b1, b2) is shared
    assert rules.leases_overlap(b1, b2, a1, a2) is shared


def test_leases_touching_on_one_day_overlap_but_consecutive_do_not() -> None:
    assert rules.leases_overlap(date(2025, 1, 1), date(2025, 6, 30), date(2025, 6, 30), date(2025, 12, 31))
    assert not rules.leases_overlap(date(2025, 1, 1), date(2025, 6, 30), date(2025, 7, 1), date(2025, 12, 31))


# A made-up calendar in the shape of the State Council's notices: a holiday from Wednesday to the next
# Tuesday with the Sunday before and the Saturday after worked instead.
HOLIDAYS = {date(2025, 10, d): False for d in (1, 2, 3, 6, 7, 8)}
HOLIDAYS |= {date(2025, 9, 28): True, date(2025, 10, 11): True}


def test_a_limit_counts_from_the_next_day_and_skips_the_weekend() -> None:
    # Friday + 1 working day is Monday.
    assert rules.add_working_days(date(2025, 9, 5), 1, {}) == date(2025, 9, 8)
    assert rules.add_working_days(date(2025, 9, 5), 0, {}) == date(2025, 9, 5)


def test_holidays_are_skipped_and_adjusted_working_days_count() -> None:
    # Friday 26 Sept + 1 → Sunday 28 Sept, an adjusted working day.
    assert rules.add_working_days(date(2025, 9, 26), 1, HOLIDAYS) == date(2025, 9, 28)
    # Tuesday 30 Sept + 1 → over the holiday to Thursday 9 Oct.
    assert rules.add_working_days(date(2025, 9, 30), 1, HOLIDAYS) == date(2025, 10, 9)
    # + 3 → Thu 9, Fri 10, Sat 11 (worked).
    assert rules.add_working_days(date(2025, 9, 30), 3, HOLIDAYS) == date(2025, 10, 11)
    # Without the calendar, 1 Oct would have been the next working day.
    assert rules.add_working_days(date(2025, 9, 30), 1, {}) == date(2025, 10, 1)


@given(dates, st.integers(0, 40))
def test_the_limit_ends_on_a_working_day_after_exactly_n_working_days(start: date, n: int) -> None:
    end = rules.add_working_days(start, n, HOLIDAYS)
    counted = sum(
        rules.is_working_day(start + timedelta(days=i), HOLIDAYS) for i in range(1, (end - start).days + 1)
    )
    assert counted == n
    assert n == 0 or rules.is_working_day(end, HOLIDAYS)


def test_negative_limits_are_a_programming_error() -> None:
    with pytest.raises(ValueError):
        rules.add_working_days(date(2025, 1, 1), -1, {})
