"""The formation rules as properties (hypothesis), and the cases the sources name."""

from __future__ import annotations

from datetime import date

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


# -- validators: the one place a rule's message comes from (services and the ledger's check both call them)


@given(st.sampled_from([rules.BRANCH, rules.JOINT, rules.GENERAL]), st.integers(min_value=0, max_value=12))
def test_cover_messages_agree_with_the_rule(kind: str, n: int) -> None:
    messages = rules.cover_messages(kind, n)
    assert (messages == []) == rules.org_compounds_ok(kind, n)
    if messages and kind == rules.JOINT:
        assert f"{rules.JOINT_BRANCH_MIN_COMPOUNDS} 至 {rules.JOINT_BRANCH_MAX_COMPOUNDS}" in messages[0]


@given(st.dates(), st.one_of(st.none(), st.dates()))
def test_a_probationary_member_has_no_full_date_and_full_follows_joining(
    joined: date, full: date | None
) -> None:
    assert ("预备党员没有转正日期" in rules.member_dates_messages(rules.PROBATIONARY, joined, full)) == bool(
        full
    )
    early = "转正日期早于入党日期" in rules.member_dates_messages(rules.FULL, joined, full)
    assert early == (full is not None and full < joined)


@given(st.integers(min_value=0, max_value=30), st.integers(min_value=1, max_value=20))
def test_links_messages_name_the_limit(links: int, limit: int) -> None:
    messages = rules.links_messages(links, limit)
    assert (messages == []) == (links <= limit)
    assert all(str(limit) in m for m in messages)


def test_seat_messages() -> None:
    assert rules.seat_messages("secretary", covered=True, is_full=True, other_seats=9) == []
    assert rules.seat_messages("secretary", covered=True, is_full=False, other_seats=0) == [
        "书记应为正式党员"
    ]
    assert rules.seat_messages("member", covered=False, is_full=True, other_seats=0) == [
        "委员应是本组织覆盖小区的党员"
    ]
    assert (
        rules.seat_messages("member", covered=True, is_full=True, other_seats=rules.COMMITTEE_MAX_SEATS) != []
    )
    assert rules.relation_messages(True, "外单位") == ["组织关系只能在一处"]
    assert rules.relation_messages(True, " ") == [] and rules.leader_messages(True) == []
    assert rules.link_messages(True, False) == ["中心户不联系自己的房屋", "联系户应在同一小区"]
