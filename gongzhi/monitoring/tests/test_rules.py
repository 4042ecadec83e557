"""The rules of 防止返贫动态监测 at their boundaries: six months, the line, the 公示 days, the step order."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from gongzhi.monitoring import rules

LINE = {y: Decimal("7000") for y in range(2020, 2031)}


def test_add_months_clamps_to_the_month_end() -> None:
    assert rules.add_months(date(2025, 8, 31), 6) == date(2026, 2, 28)
    assert rules.add_months(date(2023, 8, 31), 6) == date(2024, 2, 29)
    assert rules.add_months(date(2025, 1, 15), 6) == date(2025, 7, 15)
    assert rules.add_months(date(2025, 9, 1), 6) == date(2026, 3, 1)


def test_income_equal_to_the_line_is_not_above_it() -> None:
    assert rules.stable_since([(date(2025, 1, 1), Decimal("7000"))], LINE) is None
    assert rules.stable_since([(date(2025, 1, 1), Decimal("7000.01"))], LINE) == date(2025, 1, 1)


def test_a_dip_restarts_the_run() -> None:
    checks = [
        (date(2025, 1, 1), Decimal("8000")),
        (date(2025, 3, 1), Decimal("6000")),
        (date(2025, 5, 1), Decimal("8000")),
        (date(2025, 7, 1), Decimal("9000")),
    ]
    assert rules.stable_since(checks, LINE) == date(2025, 5, 1)
    assert rules.stable_since([*checks, (date(2025, 8, 1), Decimal("100"))], LINE) is None


def test_a_year_without_a_line_counts_as_not_above() -> None:
    assert rules.stable_since([(date(2019, 6, 1), Decimal("99999"))], LINE) is None


def test_six_months_boundary() -> None:
    since = date(2025, 1, 15)
    assert not rules.income_stable(since, date(2025, 7, 14))
    assert rules.income_stable(since, date(2025, 7, 15))
    assert not rules.income_stable(None, date(2030, 1, 1))


@given(st.dates(date(2000, 1, 1), date(2090, 1, 1)), st.integers(0, 400))
def test_stable_exactly_from_six_months_on(since: date, days: int) -> None:
    today = since + timedelta(days=days)
    assert rules.income_stable(since, today) == (today >= rules.add_months(since, 6))
    assert rules.add_months(since, 6) > since + timedelta(days=180)


def _checklist(**over: object) -> list[rules.Check]:
    args: dict[str, object] = dict(
        since=date(2025, 1, 1),
        today=date(2025, 7, 1),
        education=True,
        medical=True,
        housing=True,
        water=True,
        has_labour=True,
    )
    args.update(over)
    return rules.elimination_checklist(**args)  # type: ignore[arg-type]


def test_checklist_needs_every_item() -> None:
    assert rules.may_eliminate(_checklist())
    for item in ("education", "medical", "housing", "water", "has_labour"):
        assert not rules.may_eliminate(_checklist(**{item: False})), item
    assert not rules.may_eliminate(_checklist(today=date(2025, 6, 30)))


def test_notice_and_step_order() -> None:
    on = date(2025, 3, 1)
    assert rules.notice_ends(on, 5) == date(2025, 3, 6)
    done = [("village", on, 5)]
    assert rules.step_refusal("town", done, date(2025, 3, 6)) is not None  # last day of the notice
    assert rules.step_refusal("town", done, date(2025, 3, 7)) is None
    assert rules.step_refusal("county", done, date(2025, 4, 1)) is not None  # out of order
    assert rules.step_refusal("village", [], on) is None
    assert rules.step_refusal("town", [], on) is not None
    full = [("village", on, 5), ("town", on, 5), ("county", on, 7)]
    assert rules.step_refusal("village", full, date(2026, 1, 1)) == "三个环节均已完成"


@given(st.integers(0, 60), st.integers(0, 120))
def test_a_step_waits_exactly_for_the_notice(days: int, after: int) -> None:
    on = date(2025, 1, 1)
    allowed = rules.step_refusal("town", [("village", on, days)], on + timedelta(days=after)) is None
    assert allowed == (after > days)


def test_overdue_and_stalled_boundaries() -> None:
    opened = date(2025, 1, 1)
    assert not rules.visit_overdue(date(2025, 2, 1), opened, date(2025, 2, 1), 30)
    assert rules.visit_overdue(date(2025, 2, 1), opened, date(2025, 2, 2), 30)
    assert not rules.visit_overdue(None, opened, date(2025, 1, 31), 30)
    assert rules.visit_overdue(None, opened, date(2025, 2, 1), 30)
    assert not rules.stalled(opened, date(2025, 1, 31), 30)
    assert rules.stalled(opened, date(2025, 2, 1), 30)
