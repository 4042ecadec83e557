from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from gongzhi.campaign import rules
from gongzhi.campaign.selectors import month_ends

unit = st.decimals(min_value=0, max_value=1, places=4)
weight = st.decimals(min_value=0, max_value=10, places=2)


@given(st.lists(st.tuples(st.one_of(st.none(), unit), weight), max_size=20))
def test_weighted_mean_leaves_out_missing_and_stays_within_range(items):  # type: ignore[no-untyped-def]
    mean = rules.weighted_mean(items)
    counted = [v for v, w in items if v is not None and w > 0]
    if not counted:
        assert mean is None
    else:
        assert min(counted) - Decimal("0.0001") <= mean <= max(counted) + Decimal("0.0001")


def test_missing_is_not_zero():
    assert rules.weighted_mean([(Decimal("0.8"), Decimal("1")), (None, Decimal("5"))]) == Decimal("0.8")
    assert rules.weighted_mean([(Decimal("1"), Decimal("3")), (Decimal("0"), Decimal("1"))]) == Decimal(
        "0.75"
    )


@given(st.integers(min_value=-5, max_value=30), st.integers(min_value=1, max_value=5))
def test_figure_progress_caps_at_one(value, threshold):  # type: ignore[no-untyped-def]
    p = rules.figure_progress(value, Decimal(threshold))
    assert p is not None and 0 <= p <= 1
    assert (p == 1) == (value >= threshold) == rules.goal_met(value, Decimal(threshold))
    assert rules.figure_progress(None, Decimal(1)) is None


def test_lights():
    start, deadline = date(2024, 1, 1), date(2025, 1, 1)
    s = rules.TargetState(start, deadline, None, Decimal("0.5"))
    assert rules.light(s, date(2024, 7, 1)) == rules.Light.GREEN
    assert (
        rules.light(rules.TargetState(start, deadline, None, Decimal("0.1")), date(2024, 9, 1))
        == rules.Light.YELLOW
    )
    assert rules.light(s, deadline - timedelta(days=10)) == rules.Light.YELLOW  # due soon
    assert rules.light(s, deadline + timedelta(days=1)) == rules.Light.RED
    done = rules.TargetState(start, deadline, date(2024, 12, 1), Decimal("1"))
    assert rules.light(done, date(2026, 1, 1)) == rules.Light.GREEN
    assert rules.month_light(["green"] * 9 + ["red"]) == rules.Light.RED
    assert rules.month_light(["green"] * 8 + ["yellow"] * 2) == rules.Light.YELLOW
    assert rules.month_light(["green"] * 20 + ["yellow"]) == rules.Light.GREEN


def test_month_ends():
    assert month_ends(date(2024, 1, 1), date(2024, 3, 15)) == [
        date(2024, 1, 31),
        date(2024, 2, 29),
        date(2024, 3, 15),
    ]
