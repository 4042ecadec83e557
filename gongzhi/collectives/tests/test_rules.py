"""The rules of 三资 supervision at their boundaries, and as properties (hypothesis)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from gongzhi.collectives import rules
from gongzhi.collectives.rules import Limit, Rule, StepDone

D = date(2026, 3, 1)


def done(n: int, day: date = D) -> list[StepDone]:
    return [StepDone(i + 1, day) for i in range(n)]


def test_steps_go_in_order_and_none_is_skipped() -> None:
    assert rules.step_problem([], 1, D) == ""
    assert "党支部提议" in rules.step_problem([], 2, D, 5, 1)
    assert "两委商议" in rules.step_problem(done(1), 3, D, 5, 1)
    assert rules.step_problem(done(6), 6, D) == "六个步骤都已完成"
    assert rules.step_problem([], 0, D) and rules.step_problem([], 7, D)


def test_a_step_may_be_on_the_same_day_not_before() -> None:
    assert rules.step_problem(done(1, D), 2, D, 5, 1) == ""
    assert "不能早于" in rules.step_problem(done(1, D), 2, D - timedelta(days=1), 5, 1)


def test_meetings_need_a_passing_vote() -> None:
    assert rules.step_problem(done(1), 2, D) == "请填写表决票数"
    assert "未通过" in rules.step_problem(done(1), 2, D, 5, 5)  # a tie does not pass
    assert rules.step_problem(done(1), 2, D, 6, 5) == ""
    assert rules.step_problem(done(4), 5, D) == ""  # publication takes no vote


@given(st.lists(st.integers(1, 6), min_size=1, max_size=10))
def test_any_accepted_sequence_is_1_to_n(steps: list[int]) -> None:
    taken: list[StepDone] = []
    for s in steps:
        if rules.step_problem(taken, s, D, 3, 1) == "":
            taken.append(StepDone(s, D))
    assert [t.step for t in taken] == list(range(1, len(taken) + 1))


def test_approval_threshold_boundary() -> None:
    assert rules.approval_problem(50_000, 50_000, None) == ""  # at the threshold: not a major matter
    assert "四议两公开" in rules.approval_problem(50_001, 50_000, None)
    assert "尚未完成" in rules.approval_problem(50_001, 50_000, 5)
    assert rules.approval_problem(50_001, 50_000, 6) == ""


@given(st.integers(0, 10**9), st.integers(1, 10**9), st.integers(0, 6))
def test_approval_property(amount: int, threshold: int, steps: int) -> None:
    ok = rules.approval_problem(amount, threshold, steps) == ""
    assert ok == (amount <= threshold or steps == 6)


LAND = Limit(30, 300, 1500)


def warn(years: int = 10, annual: int = 60_000, area: Decimal = Decimal(100), days: int = 0) -> list[str]:
    start = date(2020, 1, 1)
    end = date(2020 + years, 1, 1) - timedelta(days=1) + timedelta(days=days)
    return rules.contract_warnings(starts_on=start, ends_on=end, annual_yuan=annual, area_mu=area, limit=LAND)


def test_contract_warnings_at_the_bounds() -> None:
    assert warn() == []
    assert warn(years=30) == []  # exactly the longest term
    assert "超过最长" in warn(years=30, days=5)[0]
    assert warn(annual=30_000) == [] and warn(annual=150_000) == []  # 300 and 1,500 per 亩: inside
    assert "低于下限" in warn(annual=29_999)[0]
    assert "高于上限" in warn(annual=150_001)[0]
    assert (
        rules.contract_warnings(
            starts_on=D, ends_on=D + timedelta(days=99_999), annual_yuan=1, area_mu=Decimal(1), limit=None
        )
        == []
    )


@given(st.integers(1, 10**7), st.decimals(min_value=1, max_value=10_000, places=2))
def test_price_warning_property(annual: int, area: Decimal) -> None:
    per_mu = (Decimal(annual) / area).quantize(Decimal("0.01"))
    ws = warn(annual=annual, area=area)
    assert any("下限" in w for w in ws) == (per_mu < 300)
    assert any("上限" in w for w in ws) == (per_mu > 1500)


def test_expiry_window() -> None:
    assert rules.expiring(D, D) and rules.expiring(D + timedelta(days=90), D)
    assert not rules.expiring(D + timedelta(days=91), D)
    assert not rules.expiring(D - timedelta(days=1), D)


RULES = [
    Rule("bad_pct", 40, False, Decimal(0), Decimal(5)),
    Rule("income", 60, True, Decimal(200), Decimal(100)),
]


def test_points_and_score_at_the_bars() -> None:
    assert rules.criterion_points(RULES[0], 0) == 40
    assert rules.criterion_points(RULES[0], 5) == 20
    assert rules.criterion_points(RULES[0], Decimal("5.1")) == 0
    assert rules.criterion_points(RULES[1], 200) == 60
    assert rules.criterion_points(RULES[1], 199) == 30
    assert rules.criterion_points(RULES[1], 99) == 0
    assert rules.criterion_points(RULES[1], None) == 0
    assert rules.town_score(RULES, {"bad_pct": 0, "income": 200}) == 100
    assert rules.town_score(RULES, {"bad_pct": 5, "income": 150}) == 50
    assert rules.town_score([], {}) == 0


def test_grades_at_the_floors() -> None:
    floors = {"exemplary": Decimal(85), "excellent": Decimal(60)}
    assert rules.town_grade(Decimal(85), floors) == "exemplary"
    assert rules.town_grade(Decimal("84.9"), floors) == "excellent"
    assert rules.town_grade(Decimal(60), floors) == "excellent"
    assert rules.town_grade(Decimal("59.9"), floors) == "strengthening"


@given(st.lists(st.tuples(st.integers(1, 50), st.booleans(), st.integers(0, 1000)), min_size=1, max_size=6))
def test_score_stays_between_0_and_100(rows: list[tuple[int, bool, int]]) -> None:
    rs = [
        Rule(f"f{i}", w, hb, Decimal(500), Decimal(250) if hb else Decimal(750))
        for i, (w, hb, _v) in enumerate(rows)
    ]
    score = rules.town_score(rs, {f"f{i}": v for i, (_w, _hb, v) in enumerate(rows)})
    assert Decimal(0) <= score <= Decimal(100)


def test_rated_towns_are_towns_and_subdistricts() -> None:
    assert rules.is_rated_town("旧店镇") and rules.is_rated_town("东阁街道")
    assert not rules.is_rated_town("平度经济开发区")
