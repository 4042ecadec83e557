"""The gaps page looks into buildings and households only where the counters' maxima say it may find one:
the maxima must follow every write, and a new threshold must need no recount."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client

from gongzhi.accounts.roles import Role
from gongzhi.party import selectors, services
from gongzhi.party.models import CompoundPartyStats
from gongzhi.party.tests.helpers import SYS, add_member, homes_of
from gongzhi.places.models import Home
from gongzhi.tests.factories import PersonFactory, make_compound, user_with

pytestmark = pytest.mark.django_db


def kinds(place) -> list[str]:  # type: ignore[no-untyped-def]
    return [g.kind for g in selectors.gaps(place)]


def test_a_crowded_building_without_a_group_is_found_and_leaves_when_grouped(tree) -> None:  # type: ignore[no-untyped-def]
    community = tree.d("370202001001")
    c, buildings, _h = make_compound(community, "密楼", buildings=2, units=2, floors=3, per_floor=2)
    homes = list(Home.objects.filter(building=buildings[0]).order_by("pk"))
    members = [add_member(h, person=PersonFactory()) for h in homes[:5]]
    stats = CompoundPartyStats.objects.get(compound=c)
    assert stats.top_ungrouped_building == 5
    assert "group_missing" in kinds(community)
    org = services.organisation_create(actor=SYS, kind="branch", name="密楼党支部", compounds=[c])
    services.group_create(
        actor=SYS,
        organisation=org,
        compound=c,
        name="1号楼党小组",
        buildings=[buildings[0]],
        leader=members[0],
    )
    assert CompoundPartyStats.objects.get(compound=c).top_ungrouped_building == 0
    assert "group_missing" not in kinds(community)


def test_a_lower_link_limit_finds_households_over_it_without_a_recount(tree) -> None:  # type: ignore[no-untyped-def]
    c = tree.compounds[0]
    homes = homes_of(c)
    member = add_member(homes[0])
    services.central_household_designate(actor=SYS, member=member, links=homes[1:4])
    assert CompoundPartyStats.objects.get(compound=c).top_household_links == 3
    assert "too_many_links" not in kinds(tree.d("370202"))
    services.setting_add(
        actor=SYS, key="household_max_links", value=2, effective_from=date(2020, 1, 1), place=tree.d("370202")
    )
    assert "too_many_links" in kinds(tree.d("370202"))
    client = Client()
    client.force_login(user_with(Role.DISTRICT_ADMIN, tree.d("370202")))
    assert 'data-gap="too_many_links"' in client.get("/party/gaps/370202/").content.decode()
