"""Issue 8, cases 1 and 2: 司法解释 第九条 — each developer's unsold, and sold but undelivered, homes count
as one person for that developer; the buyer of an undelivered home does not vote yet."""

from __future__ import annotations

from collections.abc import Hashable
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from gongzhi.affairs import services
from gongzhi.affairs.civil_code import DEVELOPER, Developer, Home, UnknownOwner, count_electorate
from gongzhi.affairs.models import Origin
from gongzhi.affairs.tests.helpers import give_to_developer, make_estate, open_vote
from gongzhi.places.models import Home as HomeRow
from gongzhi.tests.factories import SYSTEM

AREA = Decimal("80.00")


def test_the_issue_example_counts_five_persons_not_ten() -> None:
    """4 delivered homes of 4 buyers + 2 unsold + 5 sold but undelivered → 5 persons."""
    homes = [Home(f"d{i}", AREA, f"buyer{i}") for i in range(4)]
    homes += [Home(f"u{i}", AREA, "dev", developer_held=True, developer="dev") for i in range(2)]
    homes += [Home(f"s{i}", AREA, f"late{i}", delivered=False, developer="dev") for i in range(5)]
    electorate = count_electorate(homes)
    assert electorate.owners_total == 5
    assert electorate.area_by_owner[Developer("dev")] == AREA * 7
    assert not any(f"late{i}" in electorate.area_by_owner for i in range(5))


def test_two_developers_are_two_persons() -> None:
    homes = [
        Home("a", AREA, "A", developer_held=True, developer="A"),
        Home("b", AREA, "B", developer_held=True, developer="B"),
        Home("c", AREA, "buyer", delivered=False, developer="B"),
    ]
    electorate = count_electorate(homes)
    assert electorate.owners_total == 2
    assert electorate.area_by_owner[Developer("B")] == AREA * 2


@st.composite
def registers(draw: st.DrawFn) -> list[Home]:
    n = draw(st.integers(min_value=1, max_value=30))
    homes = []
    for i in range(n):
        kind = draw(st.sampled_from(["delivered", "delivered", "unsold", "undelivered", "unknown"]))
        dev = draw(st.sampled_from([None, "A", "B"]))
        buyer = f"o{draw(st.integers(0, 5))}"
        if kind == "delivered":
            homes.append(Home(i, AREA, buyer))
        elif kind == "unsold":
            homes.append(Home(i, AREA, dev, developer_held=True, developer=dev))
        elif kind == "undelivered":
            homes.append(Home(i, AREA, draw(st.sampled_from([None, buyer])), delivered=False, developer=dev))
        else:
            homes.append(Home(i, AREA, None))
    return homes


@given(registers())
def test_headcount_is_delivered_owners_plus_one_per_developer(homes: list[Home]) -> None:
    """Property: persons = distinct owners of delivered homes + unknown owners + one per developer
    holding an unsold or undelivered home; every home's area is counted exactly once."""
    electorate = count_electorate(homes)
    owners: set[Hashable] = set()
    for h in homes:
        if h.developer_held or not h.delivered:
            owners.add(Developer(h.developer))
        else:
            owners.add(h.owner if h.owner is not None else UnknownOwner(h.key))
    assert set(electorate.area_by_owner) == owners
    assert electorate.area_total == AREA * len(homes)
    assert (DEVELOPER in owners) == any(
        (h.developer_held or not h.delivered) and h.developer is None for h in homes
    )


@pytest.mark.django_db
def test_a_vote_counts_undelivered_homes_with_their_developer(tree) -> None:  # type: ignore[no-untyped-def]
    estate = make_estate(tree.d("370202001001"))
    developer = give_to_developer(estate, [4, 5])
    undelivered = list(range(6, 12))
    HomeRow.objects.filter(pk__in=[estate.homes[i].pk for i in undelivered]).update(delivered=False)
    vote = open_vote(estate)
    with pytest.raises(ValidationError, match="尚未交付"):
        services.ballot_cast(
            vote=vote, person=estate.owners[6], opinion="agree", origin=Origin.PAPER, actor=SYSTEM
        )
    for i in (0, 1, 2):
        services.ballot_cast(
            vote=vote, person=estate.owners[i], opinion="agree", origin=Origin.PAPER, actor=SYSTEM
        )
    services.ballot_cast(vote=vote, person=developer, opinion="agree", origin=Origin.PAPER, actor=SYSTEM)
    closed = services.vote_close(vote=vote, actor=SYSTEM)
    # 4 delivered buyers + the developer (2 unsold + 6 sold undelivered) = 5 persons, not 12.
    assert (closed.homes, closed.owners_total, closed.owners_voted) == (12, 5, 4)
    assert closed.area_voted == sum((estate.homes[i].area for i in [0, 1, 2, 4, 5, *undelivered]), Decimal(0))


@pytest.mark.django_db
def test_two_developers_each_count_and_neither_ballot_replaces_the_other(tree) -> None:  # type: ignore[no-untyped-def]
    estate = make_estate(tree.d("370202001001"))
    first = give_to_developer(estate, [10], name="甲置业有限公司")
    second = give_to_developer(estate, [11], name="乙置业有限公司")
    vote = open_vote(estate)
    services.ballot_cast(vote=vote, person=first, opinion="agree", origin=Origin.PAPER, actor=SYSTEM)
    services.ballot_cast(vote=vote, person=second, opinion="against", origin=Origin.PAPER, actor=SYSTEM)
    closed = services.vote_close(vote=vote, actor=SYSTEM)
    assert (closed.owners_total, closed.owners_voted, closed.owners_agree, closed.owners_against) == (
        12,
        2,
        1,
        1,
    )
