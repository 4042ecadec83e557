"""The auction's rules at their boundaries (gongzhi.trading.rules)."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from gongzhi.trading import rules


def test_first_bid_must_reach_the_reserve() -> None:
    assert rules.bid_problem(amount=99_999, reserve=100_000, step=1_000, price=0, has_bids=False)
    assert rules.bid_problem(amount=100_000, reserve=100_000, step=1_000, price=0, has_bids=False) is None


def test_next_bid_one_step_above_the_price() -> None:
    def ask(amount: int) -> str | None:
        return rules.bid_problem(amount=amount, reserve=100_000, step=1_000, price=120_000, has_bids=True)

    assert ask(120_999)
    assert ask(120_000)
    assert ask(121_000) is None


@given(price=st.integers(1, 10**9), step=st.integers(1, 10**6), amount=st.integers(0, 2 * 10**9))
def test_a_bid_is_refused_exactly_below_price_plus_step(price: int, step: int, amount: int) -> None:
    refused = rules.bid_problem(amount=amount, reserve=1, step=step, price=price, has_bids=True) is not None
    assert refused == (amount < price + step)


def test_tenant_may_match_only_when_registered_and_not_already_highest() -> None:
    assert rules.close_outcome(bids=3, leader_id=1, tenant_id=2, tenant_registered=True).status == "tenant"
    assert rules.close_outcome(bids=3, leader_id=1, tenant_id=2, tenant_registered=False) == rules.Outcome(
        "awarded", 1
    )
    assert rules.close_outcome(bids=3, leader_id=2, tenant_id=2, tenant_registered=True) == rules.Outcome(
        "awarded", 2
    )
    assert rules.close_outcome(bids=0, leader_id=None, tenant_id=2, tenant_registered=True).status == "failed"


def test_publicity_period_boundary() -> None:
    start = date(2025, 3, 1)

    def ask(until_day: int, decided: date = start) -> list[str]:
        return rules.listing_problems(
            reserve=1,
            step=1,
            term_years=5,
            decided_on=decided,
            publish_from=start,
            publish_until=start + timedelta(days=until_day),
            min_days=10,
        )

    assert ask(9) == []
    assert ask(8)
    assert ask(20, decided=start + timedelta(days=1))


def test_collective_income() -> None:
    assert rules.collective_income(price=150, reserve=100, previous_income=0) == 150
    assert rules.collective_income(price=150, reserve=100, previous_income=80) == 50
    assert rules.collective_income(price=100, reserve=100, previous_income=80) == 0


@given(st.integers(1, 10**12), st.integers(0, 100))
def test_deposit_rounds_up(reserve: int, percent: int) -> None:
    d = rules.deposit_required(reserve, percent)
    assert d * 100 >= reserve * percent > (d - 1) * 100
