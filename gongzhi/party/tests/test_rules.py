"""The formation rules as properties (hypothesis), and the cases the sources name."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from gongzhi.party import rules

statuses = st.lists(
    st.tuples(st.sampled_from([rules.FULL, rules.PROBATIONARY]), st.sampled_from(["", "", "海尔集团党委"])),
    max_size=30,
)


@given(statuses, st.integers(min_value=0, max_value=20))
def test_probationary_members_never_count(members: list[tuple[str, str]], extra: int) -> None:
    before = rules.counted_members(members)
    after = rules.counted_members(members + [(rules.PROBATIONARY, "")] * extra)
    assert before == after
    assert rules.must_form_own_branch(before) == rules.must_form_own_branch(after)


@given(statuses)
def test_adding_a_full_member_never_lowers_qualification(members: list[tuple[str, str]]) -> None:
    before = rules.counted_members(members)
    after = rules.counted_members([*members, (rules.FULL, "")])
    assert after == before + 1
    assert rules.must_form_own_branch(after) >= rules.must_form_own_branch(before)


@given(st.integers(min_value=0, max_value=100), st.integers(min_value=0, max_value=100))
def test_coverage_is_a_share_and_monotone(covered: int, extra: int) -> None:
    total = covered + extra
    share = rules.coverage(covered, total)
    assert 0 <= share <= 1
    if extra:
        assert rules.coverage(covered + 1, total) >= share


@given(st.integers(min_value=0, max_value=50))
def test_joint_branch_never_exceeds_five(n: int) -> None:
    if rules.org_compounds_ok(rules.JOINT, n):
        assert 2 <= n <= rules.JOINT_BRANCH_MAX_COMPOUNDS == 5
    assert rules.org_compounds_ok(rules.BRANCH, n) == (n == 1)


@given(st.integers(min_value=0, max_value=10))
def test_own_branch_or_joint_exactly_one(counted: int) -> None:
    assert rules.must_form_own_branch(counted) != rules.needs_joint_branch(counted)


def test_thresholds_from_the_sources() -> None:
    assert not rules.must_form_own_branch(2) and rules.must_form_own_branch(3)  # 党章 第三十条
    assert rules.counted_members([(rules.FULL, ""), (rules.FULL, ""), (rules.PROBATIONARY, "")]) == 2
    assert not rules.counts_toward_branch(rules.FULL, "青岛港集团党委")
    assert rules.needs_branch_committee(7) and not rules.needs_branch_committee(6)  # 条例 第六章
    assert rules.should_become_general(rules.BRANCH, 51) and not rules.should_become_general(rules.BRANCH, 50)
    assert not rules.should_become_general(rules.GENERAL, 80)
    assert rules.kind_for(51) == rules.GENERAL and rules.kind_for(50) == rules.BRANCH
    th = rules.Thresholds(building_group_min_members=3, household_max_links=2)
    assert rules.building_qualifies_for_group(3, th) and not rules.building_qualifies_for_group(2, th)
    assert rules.household_links_ok(2, th) and not rules.household_links_ok(3, th)


def test_gaps_name_their_reason_and_source() -> None:
    facts = [
        rules.CompoundFacts(1, "c1", "甲小区", counted=4, members=5),
        rules.CompoundFacts(2, "c2", "乙小区", counted=1, members=2),
        rules.CompoundFacts(3, "c3", "丙小区", counted=1, members=1, joint_org_code="J"),
    ]
    orgs = [rules.OrgFacts("J", "联合党支部", rules.JOINT, 6, 9, 9, 9, False, 1)]
    gaps = rules.gaps(facts, orgs, [rules.BuildingFacts(9, "c1", "甲小区 1号楼", 6, False)], [])
    kinds = [g.kind for g in gaps]
    assert kinds == [
        "own_branch_missing",
        "uncovered",
        "org_size",
        "no_secretary",
        "committee_missing",
        "group_missing",
    ]
    assert all(g.reason and g.source for g in gaps)
    assert "第三十条" in gaps[0].source
