"""The law of owner votes: 民法典 第二百七十八条、第一千二百五十九条; 司法解释 第八条、第九条."""

from __future__ import annotations

import random
from collections.abc import Hashable
from datetime import date
from decimal import Decimal
from fractions import Fraction
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gongzhi.affairs import timeline
from gongzhi.affairs.civil_code import (
    DEFAULT_RULE_SETS,
    DEVELOPER,
    MORE_THAN_HALF,
    THREE_QUARTERS,
    TWO_THIRDS,
    Electorate,
    Home,
    Item,
    Opinion,
    RuleSet,
    Threshold,
    UnknownOwner,
    count_electorate,
    decide_under_rule_set,
    evaluate_conditions,
    format_area,
    rule_set_in_force,
    tally,
    threshold_for,
)

ORDINARY = [i for i in Item if i not in (Item.FUND_RAISING, Item.RECONSTRUCTION, Item.COMMON_PARTS_USE)]
SPECIAL = [Item.FUND_RAISING, Item.RECONSTRUCTION, Item.COMMON_PARTS_USE]

# ---------------------------------------------------------------------------------------------------------
# Strategies
# ---------------------------------------------------------------------------------------------------------

areas = st.integers(min_value=1, max_value=30_000).map(lambda cents: Decimal(cents).scaleb(-2))
opinions_or_none = st.sampled_from([Opinion.AGREE, Opinion.AGAINST, Opinion.ABSTAIN, None])


def said(reasons: Any) -> list[str]:
    """The reasons (codes) worded as the pages word them, here in Chinese."""
    return [timeline.reason_text(r) for r in reasons]


@st.composite
def votes(draw: st.DrawFn) -> tuple[list[Home], dict[Hashable, Opinion | None], Item]:
    """Homes (some owners with several, some developer-held, some with no owner) and an opinion per owner."""
    n = draw(st.integers(min_value=1, max_value=40))
    owners = draw(st.integers(min_value=1, max_value=n))
    homes = []
    for i in range(n):
        kind = draw(st.sampled_from(["owner"] * 8 + ["developer", "unknown"]))
        owner: Hashable | None = f"o{draw(st.integers(0, owners - 1))}" if kind == "owner" else None
        dev = kind == "developer"
        homes.append(Home(key=("1", "1", str(i)), area=draw(areas), owner=owner, developer_held=dev))
    keys = list(count_electorate(homes).area_by_owner)
    opinions = {k: draw(opinions_or_none) for k in keys}
    item = draw(st.sampled_from(list(Item)))
    return homes, opinions, item


def reference(homes: list[Home], opinions: dict[Hashable, Opinion | None], item: Item) -> bool:
    """An independent, plain reading of art. 278 with Fractions, to check ``tally`` against."""
    area: dict[Hashable, Fraction] = {}
    for h in homes:
        key = DEVELOPER if h.developer_held else (h.owner if h.owner is not None else UnknownOwner(h.key))
        area[key] = area.get(key, Fraction(0)) + Fraction(h.area)
    voted = [k for k in area if opinions.get(k) is not None]
    agree = [k for k in voted if opinions.get(k) == Opinion.AGREE]
    total_area, total_heads = sum(area.values()), len(area)
    voted_area, agree_area = sum(area[k] for k in voted), sum(area[k] for k in agree)
    if not total_heads or not voted:
        return False
    heads_voted, heads_agree = Fraction(len(voted), total_heads), Fraction(len(agree), len(voted))
    participation = voted_area / total_area >= Fraction(2, 3) and heads_voted >= Fraction(2, 3)
    if item in SPECIAL:
        approval = agree_area / voted_area >= Fraction(3, 4) and heads_agree >= Fraction(3, 4)
    else:
        approval = agree_area / voted_area > Fraction(1, 2) and heads_agree > Fraction(1, 2)
    return participation and approval


def uniform(
    n_owners: int, voters: int, agree: int, area: Decimal = Decimal("88.50")
) -> tuple[Electorate, dict[Hashable, Opinion]]:
    homes = [Home(key=i, area=area, owner=f"o{i}") for i in range(n_owners)]
    opinions: dict[Hashable, Opinion] = {}
    for i in range(voters):
        opinions[f"o{i}"] = Opinion.AGREE if i < agree else Opinion.AGAINST
    return count_electorate(homes), opinions


# ---------------------------------------------------------------------------------------------------------
# Properties
# ---------------------------------------------------------------------------------------------------------


@given(votes())
def test_tally_agrees_with_a_plain_reading_of_the_statute(case) -> None:
    homes, opinions, item = case
    assert tally(count_electorate(homes), opinions, item).passed == reference(homes, opinions, item)


@given(votes(), st.data())
def test_turning_an_against_or_a_non_voter_into_agree_never_turns_a_pass_into_a_fail(case, data) -> None:
    homes, opinions, item = case
    electorate = count_electorate(homes)
    before = tally(electorate, opinions, item)
    candidates = [k for k in electorate.area_by_owner if opinions.get(k) in (Opinion.AGAINST, None)]
    if not candidates:
        return
    key = data.draw(st.sampled_from(candidates))
    after = tally(electorate, {**opinions, key: Opinion.AGREE}, item)
    if before.passed:
        assert after.passed
    assert after.owners_agree == before.owners_agree + 1
    assert after.area_agree > before.area_agree


@given(votes(), st.randoms())
def test_result_does_not_depend_on_input_order(case, rnd: random.Random) -> None:
    homes, opinions, item = case
    shuffled_homes = homes[:]
    rnd.shuffle(shuffled_homes)
    shuffled_opinions = list(opinions.items())
    rnd.shuffle(shuffled_opinions)
    a = tally(count_electorate(homes), opinions, item)
    b = tally(count_electorate(shuffled_homes), dict(shuffled_opinions), item)
    assert a == b


@given(st.lists(areas, min_size=1, max_size=8), st.sampled_from(SPECIAL))
def test_exactly_two_thirds_participation_and_exactly_three_quarters_approval_suffice(
    block_areas, item
) -> None:
    # Each block: 12 homes of one area; 8 vote (2/3), of whom 6 agree (3/4) and 2 abstain or oppose.
    homes, opinions = [], {}
    for b, area in enumerate(block_areas):
        for i in range(12):
            homes.append(Home(key=(b, i), area=area, owner=(b, i)))
            if i < 6:
                opinions[(b, i)] = Opinion.AGREE
            elif i < 8:
                opinions[(b, i)] = Opinion.ABSTAIN if i == 6 else Opinion.AGAINST
    result = tally(count_electorate(homes), opinions, item)
    assert Fraction(result.area_voted) / Fraction(result.area_total) == Fraction(2, 3)
    assert Fraction(result.owners_voted, result.owners_total) == Fraction(2, 3)
    assert Fraction(result.area_agree) / Fraction(result.area_voted) == Fraction(3, 4)
    assert Fraction(result.owners_agree, result.owners_voted) == Fraction(3, 4)
    assert result.participation_met and result.approval_met and result.passed
    assert result.threshold == "3/4"


@given(st.lists(areas, min_size=1, max_size=8), st.sampled_from(ORDINARY))
def test_exactly_half_approval_does_not_pass_an_ordinary_item(block_areas, item) -> None:
    homes, opinions = [], {}
    for b, area in enumerate(block_areas):
        for i in range(4):  # everyone votes; half agree
            homes.append(Home(key=(b, i), area=area, owner=(b, i)))
            opinions[(b, i)] = Opinion.AGREE if i < 2 else Opinion.AGAINST
    result = tally(count_electorate(homes), opinions, item)
    assert result.participation_met
    assert Fraction(result.owners_agree, result.owners_voted) == Fraction(1, 2)
    assert not result.approval_met and not result.passed
    assert result.threshold == ">1/2"


@given(st.lists(areas, min_size=1, max_size=20), st.lists(areas, min_size=1, max_size=20))
def test_developer_unsold_homes_count_as_one_owner(owned, unsold) -> None:
    homes = [Home(key=f"s{i}", area=a, owner=f"buyer{i}") for i, a in enumerate(owned)]
    homes += [Home(key=f"u{i}", area=a, owner=None, developer_held=True) for i, a in enumerate(unsold)]
    electorate = count_electorate(homes)
    assert electorate.homes == len(owned) + len(unsold)
    assert electorate.owners_total == len(owned) + 1
    assert electorate.area_by_owner[DEVELOPER] == sum(unsold, Decimal(0))
    assert electorate.area_total == sum(owned, Decimal(0)) + sum(unsold, Decimal(0))


@given(st.lists(areas, min_size=1, max_size=20), st.integers(min_value=0, max_value=10))
def test_an_owner_of_several_homes_counts_once(their_homes, others) -> None:
    homes = [Home(key=f"h{i}", area=a, owner="张三") for i, a in enumerate(their_homes)]
    homes += [Home(key=f"x{i}", area=Decimal(90), owner=f"其他{i}") for i in range(others)]
    electorate = count_electorate(homes)
    assert electorate.owners_total == 1 + others
    assert electorate.area_by_owner["张三"] == sum(their_homes, Decimal(0))
    result = tally(electorate, {"张三": Opinion.AGREE}, Item.OTHER_MAJOR)
    assert result.owners_voted == 1
    assert result.area_voted == sum(their_homes, Decimal(0))


@settings(max_examples=50)
@given(st.integers(min_value=1, max_value=40))
def test_just_below_two_thirds_participation_fails(k) -> None:
    electorate, opinions = uniform(3 * k, 2 * k - 1, 2 * k - 1)
    result = tally(electorate, opinions, Item.FUND_USE)
    assert result.approval_met and not result.participation_met and not result.passed


# ---------------------------------------------------------------------------------------------------------
# Examples
# ---------------------------------------------------------------------------------------------------------


def test_items_and_thresholds() -> None:
    assert [i.value for i in Item] == list(range(1, 10))
    assert Item(7).title == "（七）改建、重建建筑物及其附属设施"
    assert Item.FUND_USE.label == "使用建筑物及其附属设施的维修资金"
    assert Item.FUND_RAISING.label == "筹集建筑物及其附属设施的维修资金"
    assert Item(8).ordinal == "第八项"
    assert [threshold_for(i) for i in (6, 7, 8)] == [THREE_QUARTERS] * 3
    assert all(threshold_for(i) is MORE_THAN_HALF for i in (1, 2, 3, 4, 5, 9))
    assert (THREE_QUARTERS.code, MORE_THAN_HALF.code, TWO_THIRDS.code) == ("3/4", ">1/2", "2/3")
    assert len(Item.choices()) == 9
    with pytest.raises(ValueError):
        threshold_for(10)


def test_article_1259_boundaries() -> None:
    assert TWO_THIRDS.met(2, 3) and not TWO_THIRDS.met(Decimal("0.666"), 1)
    assert THREE_QUARTERS.met(Decimal("75.00"), Decimal("100.00"))
    assert not THREE_QUARTERS.met(Decimal("74.99"), Decimal("100.00"))
    assert not MORE_THAN_HALF.met(1, 2) and MORE_THAN_HALF.met(Decimal("50.01"), 100)
    assert not TWO_THIRDS.met(0, 0)
    assert THREE_QUARTERS.at_least_as_strict_as(MORE_THAN_HALF)
    assert not MORE_THAN_HALF.at_least_as_strict_as(THREE_QUARTERS)
    assert Threshold(Fraction(1, 2), inclusive=False).at_least_as_strict_as(Threshold(Fraction(1, 2), True))
    assert not Threshold(Fraction(1, 2), inclusive=True).at_least_as_strict_as(MORE_THAN_HALF)


def test_a_worked_example_with_reasons() -> None:
    homes = [
        Home("3-2-101", Decimal("85.50"), "张三"),
        Home("3-2-102", Decimal("90.00"), "张三"),
        Home("3-2-201", Decimal("100.00"), "李四"),
        Home("3-2-202", Decimal("100.25"), "王五"),
        Home("3-2-301", Decimal("120.00"), None, True),
        Home("3-2-302", Decimal("120.00"), None, True),
    ]
    electorate = count_electorate(homes)
    assert (electorate.homes, electorate.owners_total, electorate.area_total) == (6, 4, Decimal("615.75"))
    result = tally(
        electorate, {"张三": "同意", "李四": Opinion.ABSTAIN, DEVELOPER: "agree"}, Item.RECONSTRUCTION
    )
    assert (result.owners_voted, result.area_voted) == (3, Decimal("515.50"))
    assert (result.owners_agree, result.area_agree) == (2, Decimal("415.50"))
    assert (result.owners_abstain, result.area_abstain) == (1, Decimal("100.00"))
    # area 415.50/515.50 = 831/1031 ≥ 3/4, but heads 2/3 < 3/4
    assert result.participation_met and not result.approval_met and not result.passed
    assert said(result.reasons)[0] == (
        "参与表决专有部分面积 515.50㎡ / 总面积 615.75㎡ = 2062/2463（≈83.72%），要求 ≥ 2/3（2/3以上）：满足"
    )
    assert "同意业主 2 人 / 参与表决业主 3 人 = 2/3（≈66.67%），要求 ≥ 3/4（3/4以上）：不满足" in said(
        result.reasons
    )
    assert any("弃权 1 人计入参与表决" in r for r in said(result.reasons))
    assert said(result.reasons)[-1].startswith("结论：未通过")
    data = result.as_json_dict()
    assert data["area_total"] == "615.75" and data["area_agree"] == "415.50" and data["threshold"] == "3/4"


def test_empty_electorate_cannot_pass_and_says_why() -> None:
    result = tally(count_electorate([]), {}, Item.FUND_USE)
    assert not result.passed and not result.participation_met and not result.approval_met
    assert result.owners_total == 0 and result.area_total == 0
    assert "没有专有部分" in said(result.reasons)[0]


def test_nobody_voted() -> None:
    electorate, _ = uniform(5, 0, 0)
    result = tally(electorate, {"o1": None}, Item.FUND_USE)
    assert result.owners_voted == 0 and not result.passed
    assert any("无人参与表决" in r for r in said(result.reasons))


def test_home_without_owner_counts_but_cannot_be_outvoted_silently() -> None:
    electorate = count_electorate([Home(1, Decimal(50), "a"), Home(2, Decimal(50), None)])
    assert electorate.owners_total == 2
    assert UnknownOwner(2) in electorate.area_by_owner
    assert not tally(electorate, {"a": Opinion.AGREE}, Item.FUND_USE).participation_met  # 1/2 < 2/3


def test_bad_input_is_refused() -> None:
    with pytest.raises(ValueError, match="twice"):
        count_electorate([Home(1, Decimal(50), "a"), Home(1, Decimal(60), "b")])
    with pytest.raises(TypeError):
        count_electorate([Home(1, 50.5, "a")])  # type: ignore[arg-type]
    for bad in (Decimal(0), Decimal(-1), Decimal("NaN")):
        with pytest.raises(ValueError):
            count_electorate([Home(1, bad, "a")])
    electorate, _ = uniform(3, 0, 0)
    with pytest.raises(ValueError, match="not an owner"):
        tally(electorate, {"stranger": Opinion.AGREE}, Item.FUND_USE)
    with pytest.raises(ValueError):
        tally(electorate, {"o1": "maybe"}, Item.FUND_USE)
    with pytest.raises(ValueError, match="laxer"):
        tally(electorate, {}, Item.RECONSTRUCTION, approval=MORE_THAN_HALF)
    with pytest.raises(ValueError, match="laxer"):
        tally(electorate, {}, Item.FUND_USE, participation=Threshold(Fraction(1, 2), True))


def test_tuples_are_accepted_as_homes_and_areas_stay_exact() -> None:
    electorate = count_electorate([(1, Decimal("0.10"), "a", False), (2, Decimal("0.20"), "b", False)])
    assert electorate.area_total == Decimal("0.30")
    assert format_area(Decimal("1234.5")) == "1234.50"


def test_stricter_local_thresholds_apply() -> None:
    electorate, opinions = uniform(10, 10, 6)
    assert tally(electorate, opinions, Item.FUND_USE).passed
    stricter = tally(electorate, opinions, Item.FUND_USE, approval=THREE_QUARTERS)
    assert not stricter.passed and stricter.threshold == "3/4"


# ---------------------------------------------------------------------------------------------------------
# Rule sets
# ---------------------------------------------------------------------------------------------------------


def _rule_set(code: str, start: date, end: date | None) -> RuleSet:
    return RuleSet(code, code, start, end, TWO_THIRDS, THREE_QUARTERS, 15, True, True)


def test_default_elevator_rule_set() -> None:
    (qingdao,) = DEFAULT_RULE_SETS
    assert qingdao.participation == TWO_THIRDS and qingdao.approval == THREE_QUARTERS
    assert (qingdao.notice_days, qingdao.requires_signatures, qingdao.requires_no_objection) == (
        15,
        True,
        True,
    )
    assert rule_set_in_force(DEFAULT_RULE_SETS, date(2020, 12, 31)) is None
    assert rule_set_in_force(DEFAULT_RULE_SETS, date(2021, 1, 1)) is qingdao
    assert rule_set_in_force(DEFAULT_RULE_SETS, date(2030, 6, 1)) is qingdao


def test_rule_set_in_force_by_date() -> None:
    old = _rule_set("old", date(2021, 1, 1), date(2024, 12, 31))
    new = _rule_set("new", date(2025, 1, 1), None)
    assert rule_set_in_force([new, old], date(2024, 12, 31)) is old
    assert rule_set_in_force([new, old], date(2025, 1, 1)) is new
    assert rule_set_in_force([old], date(2025, 1, 1)) is None
    with pytest.raises(ValueError, match="several"):
        rule_set_in_force([old, _rule_set("overlap", date(2024, 6, 1), None)], date(2024, 7, 1))


def test_conditions_notice_counts_from_the_day_after_posting() -> None:
    (qingdao,) = DEFAULT_RULE_SETS
    ok = evaluate_conditions(
        qingdao,
        signatures_complete=True,
        notice_from=date(2024, 3, 1),
        notice_until=date(2024, 3, 16),
        unresolved_objections=0,
    )
    assert ok.met and any("计 15 日" in r for r in said(ok.reasons))
    short = evaluate_conditions(
        qingdao,
        signatures_complete=True,
        notice_from=date(2024, 3, 1),
        notice_until=date(2024, 3, 15),
        unresolved_objections=0,
    )
    assert not short.met
    for kwargs in (
        {"signatures_complete": False},
        {"unresolved_objections": 2},
        {"notice_from": None},
        {"notice_until": None},
    ):
        base = {
            "signatures_complete": True,
            "notice_from": date(2024, 3, 1),
            "notice_until": date(2024, 4, 1),
            "unresolved_objections": 0,
        }
        result = evaluate_conditions(qingdao, **{**base, **kwargs})  # type: ignore[arg-type]
        assert not result.met, kwargs


def test_decide_under_rule_set_needs_both_count_and_conditions() -> None:
    (qingdao,) = DEFAULT_RULE_SETS
    electorate, opinions = uniform(12, 8, 6)  # exactly 2/3 and 3/4
    good = decide_under_rule_set(
        electorate,
        opinions,
        Item.RECONSTRUCTION,
        qingdao,
        signatures_complete=True,
        notice_from=date(2024, 3, 1),
        notice_until=date(2024, 3, 16),
        unresolved_objections=0,
    )
    assert good.passed and said(good.reasons)[0].startswith("适用规则：青岛市")
    objected = decide_under_rule_set(
        electorate,
        opinions,
        Item.RECONSTRUCTION,
        qingdao,
        signatures_complete=True,
        notice_from=date(2024, 3, 1),
        notice_until=date(2024, 3, 16),
        unresolved_objections=1,
    )
    assert objected.tally.passed and not objected.passed
    assert said(objected.reasons)[-1].endswith("未通过")
