"""Issue 8, case 7: co-owners who disagree — keep both, flag the conflict, count as the rule says."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gongzhi.affairs import services
from gongzhi.affairs.civil_code import CoOwnerRule, Opinion, co_owners_opinion
from gongzhi.affairs.models import Ballot, BallotChange, Origin
from gongzhi.affairs.tests.helpers import make_estate, new_person, open_vote
from gongzhi.people.models import Ownership
from gongzhi.tests.factories import SYSTEM

opinions = st.sampled_from(list(Opinion))


@given(st.one_of(st.none(), opinions), st.lists(opinions, max_size=4), st.sampled_from(list(CoOwnerRule)))
def test_a_home_carries_one_opinion_and_order_never_decides(
    representative: Opinion | None, others: list[Opinion], rule: CoOwnerRule
) -> None:
    result = co_owners_opinion(representative, others, rule)
    cast = [*others, *([representative] if representative else [])]
    assert result.conflict == (len(set(cast)) > 1)
    assert result == co_owners_opinion(representative, list(reversed(others)), rule)  # not last-write-wins
    if not result.conflict:
        assert result.opinion == (cast[0] if cast else None)
    elif rule == CoOwnerRule.REPRESENTATIVE and representative is not None:
        assert result.opinion == representative
    else:
        assert result.opinion is None


@pytest.fixture
def co_owned(tree):  # type: ignore[no-untyped-def]
    estate = make_estate(tree.d("370202001001"))
    spouse = new_person(name="配偶")
    Ownership.objects.filter(home=estate.homes[0]).update(share=Decimal("0.5"))
    Ownership.objects.create(
        home=estate.homes[0], person=spouse, compound_id_cache=estate.compound.pk, share=Decimal("0.5")
    )
    return estate, spouse


@pytest.mark.django_db
def test_a_co_owners_later_ballot_does_not_replace_the_representatives(co_owned) -> None:  # type: ignore[no-untyped-def]
    estate, spouse = co_owned
    vote = open_vote(estate)
    services.ballot_cast(
        vote=vote, person=estate.owners[0], opinion="agree", origin=Origin.PAPER, actor=SYSTEM
    )
    services.ballot_cast(vote=vote, person=spouse, opinion="against", origin=Origin.PAPER, actor=SYSTEM)
    assert (
        Ballot.objects.filter(vote=vote).count() == 2 and BallotChange.objects.filter(vote=vote).count() == 2
    )
    closed = services.vote_close(vote=vote, actor=SYSTEM)
    assert (closed.owners_voted, closed.owners_agree, closed.owners_against) == (1, 1, 0)
    assert any("共有人表决意见不一致" in r for r in closed.shown_reasons)


@pytest.mark.django_db
def test_co_owners_who_differ_without_the_representative_count_for_no_one(co_owned, tree) -> None:  # type: ignore[no-untyped-def]
    estate, spouse = co_owned
    third = new_person(name="子女")
    Ownership.objects.create(
        home=estate.homes[0], person=third, compound_id_cache=estate.compound.pk, share=Decimal("0.25")
    )
    vote = open_vote(estate)
    services.ballot_cast(vote=vote, person=spouse, opinion="agree", origin=Origin.PAPER, actor=SYSTEM)
    services.ballot_cast(vote=vote, person=third, opinion="against", origin=Origin.PAPER, actor=SYSTEM)
    closed = services.vote_close(vote=vote, actor=SYSTEM)
    assert (closed.owners_voted, closed.owners_agree) == (0, 0)
    assert any("1 户共有人表决意见不一致" in r for r in closed.shown_reasons)
