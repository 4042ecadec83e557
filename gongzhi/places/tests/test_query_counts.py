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
    "/places/d/370202/": 6,
    "/places/d/370202001/": 6,
    "community": 6,
    "compound": 6,
    "building": 8,
    "home": 7,
    "/places/search/?q=xq": 5,
    "/api/v1/compounds/": 5,
    "/api/v1/homes/": 4,  # keyset pages: no count query
    "/api/v1/indicators/?place=370202": 9,
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
