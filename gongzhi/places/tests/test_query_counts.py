"""The place browser's pages cost a fixed number of queries: ten times the data, the same count."""

from __future__ import annotations

import pytest
from django.test import Client

from gongzhi.accounts.roles import Role
from gongzhi.people.services import ownership_add
from gongzhi.tests.factories import SYSTEM, PersonFactory, make_compound, user_with
from gongzhi.tests.queries import assert_queries

# Queries per page for a district administrator: session, user and grants, then the page's own reads.
PINS = {
    # Divisions: + the figures their cards show, and only those (party counters 1, matters 1, votes 1,
    # briefings 1: each provider asked runs a fixed number, whatever the data; the others are not asked).
    "/places/d/370202/": 10,
    "/places/d/370202001/": 10,
    "community": 10,
    "compound": 6,
    "building": 9,  # + its party group(s)
    "home": 7,
    "/places/search/?q=xq": 5,
    "/api/v1/compounds/": 5,
    "/api/v1/homes/": 4,  # keyset pages: no count query
    "/api/v1/indicators/?place=370202": 32,  # every app's figures, one or two grouped queries each
}


def check(client: Client, urls: dict[str, str]) -> None:
    """Each page costs exactly its pinned number of queries (the message lists them when it does not)."""
    for key, url in urls.items():
        with assert_queries(PINS[key], label=url):
            response = client.get(url)
        assert response.status_code == 200, url


def grow(tree, factor: int) -> None:
    """Add compounds, buildings and homes with owners under the same community and building."""
    community = tree.compounds[0].community
    for i in range(factor):
        _compound, _b, homes = make_compound(
            community, f"扩展小区{i}", buildings=2, units=2, floors=2, per_floor=2
        )
        for home in homes:
            ownership_add(actor=SYSTEM, home=home, person=PersonFactory.create())


@pytest.mark.django_db
def test_place_pages_do_not_grow_with_data(tree):
    admin = user_with(Role.DISTRICT_ADMIN, tree.d("370202"))
    client = Client()
    client.force_login(admin)
    compound = tree.compounds[0]
    building = compound.buildings.first()
    home = building.homes.first()
    urls = {key: key for key in PINS if key.startswith("/")}
    urls |= {
        "community": f"/places/d/{compound.community.code}/",
        "compound": f"/places/c/{compound.code}/",
        "building": f"/places/b/{building.pk}/",
        "home": f"/places/h/{home.pk}/",
    }
    check(client, urls)
    grow(tree, 10)
    # The first building also gets ten times the homes and owners.
    from decimal import Decimal

    from gongzhi.places.services import building_create, home_create

    extra = building_create(actor=SYSTEM, compound=compound, number="99号楼", units=1, floors=40)
    for f in range(1, 41):
        h = home_create(actor=SYSTEM, building=extra, unit_no=1, room=f"{f}01", floor=f, area=Decimal("90"))
        ownership_add(actor=SYSTEM, home=h, person=PersonFactory.create())
    check(client, {**urls, "building": f"/places/b/{extra.pk}/"})
    check(client, urls)


@pytest.mark.django_db
def test_district_start_page_shows_governance_figures_with_drill_down(tree):
    from gongzhi.party.tests.helpers import fill

    fill(tree.compounds[0], full=3, probationary=1)
    client = Client()
    client.force_login(user_with(Role.DISTRICT_ADMIN, tree.d("370202")))
    response = client.get("/places/d/370202/")
    cards = {c.code: c for c in response.context["governance"]}
    assert cards["party_members"].value == 4  # computed by the party provider from the members just made
    assert cards["party_members"].url == "/party/members/?place=370202"
    assert cards["matters_resolved"].url == "/affairs/?place=370202&status=resolved"
    assert cards["party_org_coverage"].url == "/party/d/370202/"
    assert {"matters_total", "briefing_sessions", "votes_held", "votes_passed"} <= set(cards)
    page = response.content.decode()
    assert "治理概况" in page and 'data-figure="party_members"' in page
    # The drill-downs open, and the matters list narrows to the division.
    assert client.get(cards["matters_resolved"].url).status_code == 200
    assert client.get(cards["party_members"].url).status_code == 200
