"""Committee meetings (第三十八条) and the 换届小组 (第四十一、四十三条): the rules at their boundaries."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from gongzhi.cogovern import rules
from gongzhi.cogovern.rules import QINGDAO, SHANDONG, CaseDates, Step

TERM_END = date(2026, 6, 30)
DUE = TERM_END - timedelta(days=60)  # 2026-05-01


@given(members=st.integers(min_value=1, max_value=21), data=st.data())
def test_a_meeting_is_refused_exactly_when_half_or_fewer_came(members: int, data: st.DataObject) -> None:
    present = data.draw(st.integers(min_value=1, max_value=members))
    problems = rules.meeting_problems(present=present, members=members, votes=[])
    assert (problems == []) == (present * 2 > members)
    if present * 2 <= members:
        assert "第三十八条" in problems[0]


def test_quorum_boundaries_for_seven_members() -> None:
    assert rules.meeting_problems(present=3, members=7, votes=[])  # 3 of 7: not more than half
    assert rules.meeting_problems(present=4, members=7, votes=[]) == []
    assert rules.meeting_problems(present=3, members=6, votes=[])  # exactly half is not enough
    assert rules.meeting_problems(present=4, members=6, votes=[]) == []
    assert rules.meeting_problems(present=3, members=5, votes=[], rules=SHANDONG)  # 3/5 < 2/3
    assert rules.meeting_problems(present=4, members=6, votes=[], rules=SHANDONG) == []  # 2/3 "以上" counts


@given(members=st.integers(min_value=1, max_value=21), data=st.data())
def test_votes_beyond_those_present_are_refused(members: int, data: st.DataObject) -> None:
    present = data.draw(st.integers(min_value=members // 2 + 1, max_value=members))
    agree = data.draw(st.integers(min_value=0, max_value=present + 2))
    against = data.draw(st.integers(min_value=0, max_value=present + 2))
    problems = rules.meeting_problems(present=present, members=members, votes=[(agree, against)])
    assert (problems == []) == (agree + against <= present)


@given(members=st.integers(min_value=1, max_value=21), agree=st.integers(min_value=0, max_value=21))
def test_a_decision_passes_with_more_than_half_of_all_members(members: int, agree: int) -> None:
    assert rules.decision_passes(agree, members) == (agree * 2 > members)


def test_no_group_while_the_reelection_is_not_late_and_none_after_it_was_held() -> None:
    kw: dict[str, Any] = {"term_end": TERM_END, "term_extended_to": None}
    assert rules.transition_group_problems(**kw, reelection_held_on=None, formed_on=DUE)
    assert rules.transition_group_problems(**kw, reelection_held_on=None, formed_on=DUE + timedelta(1)) == []
    held = rules.transition_group_problems(**kw, reelection_held_on=DUE, formed_on=DUE + timedelta(5))
    assert "已按期召开" in held[0]
    late_held = rules.transition_group_problems(
        **kw, reelection_held_on=DUE + timedelta(1), formed_on=DUE + timedelta(5)
    )
    assert late_held == []  # held, but after the deadline: the group may still have taken over


def test_an_extension_moves_the_deadline() -> None:
    extended = TERM_END + timedelta(days=90)
    due = extended - timedelta(days=60)
    kw: dict[str, Any] = {"term_end": TERM_END, "term_extended_to": extended, "reelection_held_on": None}
    assert rules.transition_group_problems(**kw, formed_on=DUE + timedelta(1))
    assert rules.transition_group_problems(**kw, formed_on=due)
    assert rules.transition_group_problems(**kw, formed_on=due + timedelta(1)) == []


def test_shandong_counts_ninety_days() -> None:
    due = TERM_END - timedelta(days=90)
    kw: dict[str, Any] = {
        "term_end": TERM_END,
        "term_extended_to": None,
        "reelection_held_on": None,
        "rules": SHANDONG,
    }
    assert rules.transition_group_problems(**kw, formed_on=due)
    assert rules.transition_group_problems(**kw, formed_on=due + timedelta(1)) == []


@given(offset=st.integers(min_value=-5, max_value=30))
def test_the_handover_to_the_group_is_late_after_ten_days(offset: int) -> None:
    formed = date(2026, 5, 10)
    on = formed + timedelta(days=offset)
    d = CaseDates(
        elected_on=date(2021, 7, 1), filed_on=date(2021, 7, 5), term_end=TERM_END, transition_formed_on=formed
    )
    late = dict(rules.overdue_steps(d, on, QINGDAO))
    assert (Step.TRANSITION_HANDOVER in late) == (offset > 10)
    if offset > 10:
        assert late[Step.TRANSITION_HANDOVER] == rules.transition_handover_due(formed) == date(2026, 5, 20)
    done = CaseDates(**{**d.__dict__, "transition_handed_over_on": formed + timedelta(days=3)})
    assert Step.TRANSITION_HANDOVER not in dict(rules.overdue_steps(done, on, QINGDAO))
