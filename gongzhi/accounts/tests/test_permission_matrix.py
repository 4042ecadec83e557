"""Every role × a place inside and outside its scope × every page and endpoint.

Inside the scope a page answers 200; outside, 404 (never 403), so an object's existence does not leak.
"""

from __future__ import annotations

import pytest
from django.test import Client

from gongzhi.accounts.roles import PERMISSIONS, Action, Role
from gongzhi.people.models import Person
from gongzhi.tests.factories import user_with

ROLE_PLACE = {
    Role.DISTRICT_ADMIN: "district",
    Role.SUBDISTRICT_STAFF: "subdistrict",
    Role.COMMUNITY_WORKER: "community",
    Role.PARTY_SECRETARY: "compound",
    Role.COMMITTEE_MEMBER: "compound",
    Role.PROPERTY_STAFF: "compound",
    Role.PARTY_MEMBER: "compound",
    Role.RESIDENT: "compound",
    Role.BUILDING_LEADER: "building",
}
DEPTH = ["district", "subdistrict", "community", "compound", "building", "home"]


def targets(tree, inside: bool):
    """Objects at each level: in 市南区 / 香港中路街道 / 云霄路社区 / its first compound, or in 市北区."""
    compound = tree.compounds[0] if inside else tree.compounds[-1]
    assert compound.code.startswith("370202001001" if inside else "370203")
    building = compound.buildings.first()
    home = building.homes.first()
    community = compound.community
    return {
        "district": community.parent.parent,
        "subdistrict": community.parent,
        "community": community,
        "compound": compound,
        "building": building,
        "home": home,
    }


def urls(level: str, obj) -> list[str]:
    if level in ("district", "subdistrict", "community"):
        return [
            f"/places/d/{obj.code}/",
            f"/api/v1/divisions/{obj.code}/",
            f"/api/v1/indicators/?place={obj.code}",
        ]
    if level == "compound":
        return [
            f"/places/c/{obj.code}/",
            f"/api/v1/compounds/{obj.pk}/",
            f"/api/v1/indicators/?compound={obj.pk}",
        ]
    if level == "building":
        return [f"/places/b/{obj.pk}/", f"/api/v1/buildings/{obj.pk}/"]
    return [f"/places/h/{obj.pk}/", f"/api/v1/homes/{obj.pk}/"]


@pytest.mark.django_db
@pytest.mark.parametrize("role", list(Role))
def test_pages_and_endpoints_inside_200_outside_404(tree, role):
    inside = targets(tree, True)
    user = user_with(role, inside[ROLE_PLACE[role]])
    client = Client()
    client.force_login(user)
    start = DEPTH.index(ROLE_PLACE[role])
    for level, obj in inside.items():
        expected = 200 if DEPTH.index(level) >= start else 404
        for url in urls(level, obj):
            assert client.get(url).status_code == expected, (role, level, url)
    for level, obj in targets(tree, False).items():
        for url in urls(level, obj):
            assert client.get(url).status_code == 404, (role, level, url)


@pytest.mark.django_db
@pytest.mark.parametrize("role", list(Role))
def test_persons_endpoint_follows_person_view(tree, role):
    inside, outside = targets(tree, True), targets(tree, False)
    user = user_with(role, inside[ROLE_PLACE[role]])
    client = Client()
    client.force_login(user)
    mine = Person.objects.get(ownerships__home=inside["home"])
    theirs = Person.objects.get(ownerships__home=outside["home"])
    may = Action.PERSON_VIEW in PERMISSIONS[role]
    assert client.get(f"/api/v1/persons/{mine.pk}/").status_code == (200 if may else 404)
    assert client.get(f"/api/v1/persons/{theirs.pk}/").status_code == 404
    listed = {p["id"] for p in client.get("/api/v1/persons/?limit=500").json()["results"]}
    assert theirs.pk not in listed
    assert (mine.pk in listed) == may


@pytest.mark.django_db
@pytest.mark.parametrize("role", list(Role))
def test_lists_hold_only_the_scope(tree, role):
    inside = targets(tree, True)
    place = inside[ROLE_PLACE[role]]
    user = user_with(role, place)
    client = Client()
    client.force_login(user)
    prefix = getattr(place, "code", None) or place.compound.code
    codes = {c["code"] for c in client.get("/api/v1/compounds/").json()["results"]}
    expected = {c.code for c in tree.compounds if c.code.startswith(prefix)}
    if ROLE_PLACE[role] == "building":
        expected = set()  # a building grant does not open the compound record
    assert codes == expected
    homes = client.get("/api/v1/homes/?limit=500").json()["results"]
    assert homes and all(
        h["compound"] in {c.pk for c in tree.compounds if c.code.startswith(prefix)} for h in homes
    )
    search = client.get("/places/search/?q=l").content.decode()
    assert "辽宁路里院" not in search


@pytest.mark.django_db
def test_anonymous_is_sent_to_login(tree):
    client = Client()
    response = client.get(f"/places/c/{tree.compounds[0].code}/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert client.get("/api/v1/compounds/").status_code in (401, 403)


@pytest.mark.django_db
def test_user_without_roles_sees_nothing(tree):
    from gongzhi.tests.factories import UserFactory

    client = Client()
    client.force_login(UserFactory.create())
    assert client.get("/places/d/370202/").status_code == 404
    assert client.get("/api/v1/compounds/").json()["count"] == 0
    assert "还没有分配角色" in client.get("/").content.decode()


@pytest.mark.django_db
def test_unmasking_needs_the_right_and_is_logged(tree):
    from gongzhi.people.models import AccessLog

    home = tree.compounds[0].buildings.first().homes.first()
    person = Person.objects.get(ownerships__home=home)
    person.id_number = "11010519491231002X"
    person.save()
    worker = user_with(Role.COMMUNITY_WORKER, tree.compounds[0].community)
    secretary = user_with(Role.PARTY_SECRETARY, tree.compounds[0])
    c = Client()
    c.force_login(secretary)
    page = c.get(f"/places/h/{home.pk}/?unmask=1").content.decode()
    assert "110105********002X" in page and "11010519491231002X" not in page
    assert c.get(f"/api/v1/persons/{person.pk}/?unmask=1").status_code == 403
    assert AccessLog.objects.count() == 0
    c.force_login(worker)
    assert "110105********002X" in c.get(f"/places/h/{home.pk}/").content.decode()
    assert "11010519491231002X" in c.get(f"/places/h/{home.pk}/?unmask=1").content.decode()
    assert c.get(f"/api/v1/persons/{person.pk}/?unmask=1").json()["id_number"] == "11010519491231002X"
    assert AccessLog.objects.filter(user=worker, person=person).count() == 2
