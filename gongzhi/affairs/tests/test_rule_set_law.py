"""Issue 8, cases 4, 5 and 8: a rule set's scope, a rule set laxer than the law, invalid ballots (废票)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from gongzhi.affairs import services, timeline
from gongzhi.affairs.civil_code import (
    DEFAULT_RULE_SETS,
    MORE_THAN_HALF,
    Home,
    Item,
    Opinion,
    count_electorate,
    laxness_faults,
    scope_fault,
    tally,
)
from gongzhi.affairs.models import Origin, Scope, Vote, VoteRuleSet
from gongzhi.affairs.tests.helpers import make_estate, matter_at_consultation, open_vote
from gongzhi.tests.factories import SYSTEM

ELEVATOR = DEFAULT_RULE_SETS[0]


def said(reasons: Any) -> list[str]:
    """The reasons (codes) worded as the pages word them, here in Chinese."""
    return [timeline.reason_text(r) for r in reasons]


# --- case 4: scope ---------------------------------------------------------------------------------------


def test_a_rule_set_refuses_another_scope_with_a_clear_reason() -> None:
    assert scope_fault(ELEVATOR, "unit") is None
    message = scope_fault(ELEVATOR, "compound")
    assert message is not None and "单元" in message and "全小区" in message


@pytest.mark.django_db
def test_an_elevator_matter_at_compound_scope_cannot_open_a_vote(tree) -> None:  # type: ignore[no-untyped-def]
    estate = make_estate(tree.d("370202001001"))
    matter = matter_at_consultation(estate, code="elevator", item=7, scope=Scope.COMPOUND)
    with pytest.raises(ValidationError, match="只适用于以单元为范围"):
        services.vote_open(matter=matter, actor=SYSTEM)
    assert not Vote.objects.exists()


# --- case 5: a rule set laxer than the law ----------------------------------------------------------------


@given(st.sampled_from(list(Item)))
def test_more_than_half_is_laxer_than_the_law_exactly_for_items_six_to_eight(item: Item) -> None:
    faults = laxness_faults(replace(ELEVATOR, approval=MORE_THAN_HALF), [item])
    assert bool(faults) == item.special
    if faults:
        assert "第二百七十八条第二款" in faults[0] and item.numeral in faults[0]


@pytest.mark.django_db
def test_a_laxer_elevator_rule_set_is_refused_when_saved(tree) -> None:  # type: ignore[no-untyped-def]
    make_estate(tree.d("370202001001"))  # seeds the categories and rule sets
    current = VoteRuleSet.objects.get(code=ELEVATOR.code)
    current.approval = ">1/2"
    with pytest.raises(ValidationError, match="第二百七十八条第二款"):
        current.full_clean()
    with pytest.raises(ValidationError, match="第二百七十八条第二款"):
        current.save()
    assert VoteRuleSet.objects.get(code=ELEVATOR.code).approval == "3/4"
    laxer = VoteRuleSet(
        code="lax",
        name="宽松",
        category=current.category,
        effective_from=date(2030, 1, 1),
        participation=">1/2",
    )
    with pytest.raises(ValidationError, match="参与表决门槛"):
        laxer.save()
    assert not VoteRuleSet.objects.filter(code="lax").exists()


# --- case 8: invalid ballots --------------------------------------------------------------------------------


def _three_owners() -> tuple[object, dict[str, Opinion]]:
    electorate = count_electorate(Home(k, Decimal("100"), k) for k in "abc")
    return electorate, {"a": Opinion.AGREE, "b": Opinion.INVALID}


def test_an_invalid_ballot_takes_part_by_default_but_never_agrees() -> None:
    electorate, opinions = _three_owners()
    result = tally(electorate, opinions, Item.FUND_USE)  # type: ignore[arg-type]
    assert (result.owners_voted, result.owners_agree, result.owners_invalid) == (2, 1, 1)
    assert result.participation_met and not result.approval_met  # 1 of 2 is not 过半数
    assert any("废票 1 张" in r for r in said(result.reasons))


def test_the_rules_of_procedure_may_leave_invalid_ballots_out() -> None:
    electorate, opinions = _three_owners()
    result = tally(electorate, opinions, Item.FUND_USE, invalid_participates=False)  # type: ignore[arg-type]
    assert (result.owners_voted, result.owners_agree, result.owners_invalid) == (1, 1, 1)
    assert not result.participation_met and result.approval_met


@given(st.lists(st.sampled_from(list(Opinion)), min_size=1, max_size=30), st.booleans())
def test_invalid_ballots_move_participation_only(opinions: list[Opinion], counts: bool) -> None:
    electorate = count_electorate(Home(i, Decimal("50"), i) for i in range(len(opinions)))
    result = tally(electorate, dict(enumerate(opinions)), Item.FUND_USE, invalid_participates=counts)
    invalid = opinions.count(Opinion.INVALID)
    assert result.owners_invalid == invalid
    assert result.owners_voted == len(opinions) - (0 if counts else invalid)
    assert result.owners_agree == opinions.count(Opinion.AGREE)


@pytest.mark.django_db
def test_a_paper_ballot_recorded_invalid_is_stored_and_counted_as_taking_part(tree) -> None:  # type: ignore[no-untyped-def]
    estate = make_estate(tree.d("370202001001"))
    vote = open_vote(estate)
    for i in range(8):
        services.ballot_cast(
            vote=vote, person=estate.owners[i], opinion="agree", origin=Origin.PAPER, actor=SYSTEM
        )
    services.ballot_cast(
        vote=vote, person=estate.owners[8], opinion="废票", origin=Origin.PAPER, actor=SYSTEM
    )
    with pytest.raises(ValidationError, match="废票"):
        services.ballot_cast(
            vote=vote, person=estate.owners[9], opinion="invalid", origin=Origin.ONLINE, actor=SYSTEM
        )
    closed = services.vote_close(vote=vote, actor=SYSTEM)
    assert (closed.owners_voted, closed.owners_agree, closed.owners_invalid) == (9, 8, 1)
    assert closed.passed  # 9 of 12 take part (≥ 2/3), 8 of 9 agree
