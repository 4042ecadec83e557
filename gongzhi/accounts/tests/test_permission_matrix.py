"""The permission matrix, generated from the URL configuration and the API router (gongzhi.tests.matrix):
every role × an object inside and outside its scope × every page and endpoint, plus anonymous users.

Inside the scope a page answers 200/302 when the role may, 403 when it may see the place but lacks the right;
outside, 404 (never 403), so an object's existence does not leak. Below the generated matrix, hand-written
checks of what the matrix cannot see (list contents, unmasking and its log).
"""

from __future__ import annotations

import sys
import types
from collections.abc import Iterator
from typing import Any

import pytest
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.test import Client, override_settings
from django.urls import clear_url_caches, path

from gongzhi.accounts.roles import PERMISSIONS, ROLE_LEVEL, Action, Role, granted_roles
from gongzhi.accounts.tests.matrix_world import FILLERS, World, build_world
from gongzhi.core.registry import Rule, register_rules, requires
from gongzhi.people.models import Person
from gongzhi.tests import matrix
from gongzhi.tests.factories import user_with

ROLES = granted_roles()
SIZES: dict[str, int] = {}


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory) -> Iterator[World]:  # type: ignore[no-untyped-def]
    """One database setup for the whole module, rolled back at its end; each request runs in a savepoint."""
    media = override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("media"))
    with django_db_blocker.unblock(), media, transaction.atomic():
        yield build_world()
        transaction.set_rollback(True)


def test_every_url_declares_its_rule_and_can_be_filled() -> None:
    found = matrix.endpoints()
    assert len(found) > 50
    assert matrix.undeclared(found) == [], "views without a declared action (gongzhi.core.registry)"
    assert matrix.unfillable(found, FILLERS) == [], (
        "URLs the matrix cannot fill: add them to matrix_world.FILLERS"
    )


@pytest.mark.django_db
@pytest.mark.parametrize("inside", [True, False], ids=["inside", "outside"])
@pytest.mark.parametrize("role", [*ROLES, "anonymous"])
def test_generated_matrix(world: World, role: str, inside: bool) -> None:
    user = world.users.get(role)
    client = Client()
    if user is not None:
        client.force_login(user)
    outcome = matrix.run(client, user, matrix.endpoints(), FILLERS, world, inside)
    SIZES[f"{role}/{inside}"] = len(outcome.rows)
    assert not outcome.wrong, f"{role} {'inside' if inside else 'outside'} its scope:\n{outcome.report()}"


def test_matrix_size_is_reported(capsys: Any) -> None:
    """Roles × scopes × requests, printed for the closing note (after the matrix ran in this module)."""
    if SIZES:
        with capsys.disabled():
            print(
                f"\npermission matrix: {len(ROLES)} roles + anonymous × 2 scopes, {sum(SIZES.values())} requests"
            )


def _unchecked(request: HttpRequest, code: str) -> HttpResponse:
    return HttpResponse("no check at all")


@requires(Action.PLACE_VIEW)
def _declared_but_unchecked(request: HttpRequest, code: str) -> HttpResponse:
    return HttpResponse("declared, but forgot to ask gongzhi.accounts.access")


@pytest.fixture
def throwaway_urls() -> Iterator[str]:
    from gongzhi import urls

    module = types.ModuleType("gongzhi_throwaway_urls")
    module.urlpatterns = [  # type: ignore[attr-defined]
        path("throwaway/<str:code>/", _unchecked, name="throwaway"),
        path("throwaway/<str:code>/declared/", _declared_but_unchecked, name="throwaway_declared"),
        *urls.urlpatterns,
    ]
    sys.modules[module.__name__] = module
    with override_settings(ROOT_URLCONF=module.__name__):
        clear_url_caches()
        yield module.__name__
    clear_url_caches()
    del sys.modules[module.__name__]


def test_the_generator_flags_a_new_view_without_a_declared_check(throwaway_urls: str) -> None:
    found = matrix.endpoints(throwaway_urls)
    assert matrix.undeclared(found) == ["throwaway (throwaway/<str:code>/)"]
    fillers = {k: v for k, v in FILLERS.items() if k != "places:compound"}
    assert "places:compound (places/c/<str:code>/)" in matrix.unfillable(found, fillers)


@pytest.mark.django_db
def test_the_matrix_fails_a_view_that_declares_but_does_not_check(world: World, throwaway_urls: str) -> None:
    found = [e for e in matrix.endpoints(throwaway_urls) if e.name == "throwaway_declared"]
    assert found and found[0].rule == Rule(Action.PLACE_VIEW)
    fillers = {"throwaway_declared": lambda w, inside: matrix.Sample({"code": "x"}, w.side(inside).compound)}
    client = Client()
    user = world.users[Role.RESIDENT]
    client.force_login(user)
    outcome = matrix.run(client, user, found, fillers, world, inside=False)
    assert [(r.expected, r.got) for r in outcome.wrong] == [((404,), 200)]
    register_rules({"throwaway": Action.PLACE_VIEW})  # declared in a registry now: no longer flagged
    try:
        assert "throwaway (throwaway/<str:code>/)" not in matrix.undeclared(matrix.endpoints(throwaway_urls))
    finally:
        from gongzhi.core import registry

        registry.RULES.pop("throwaway")


ROLE_PLACE = ROLE_LEVEL  # where each role is granted (one table, accounts/roles.py)
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
@pytest.mark.parametrize("role", granted_roles())
def test_pages_and_endpoints_inside_200_outside_404(tree, role):
    inside = targets(tree, True)
    user = user_with(role, inside[ROLE_PLACE[role]])
    client = Client()
    client.force_login(user)
    start = DEPTH.index(ROLE_PLACE[role])
    for level, obj in inside.items():
        # A building grant also sees the compound it is in (accounts/access.py, ABOVE_A_BUILDING).
        above = ROLE_PLACE[role] == "building" and level == "compound"
        expected = 200 if DEPTH.index(level) >= start or above else 404
        for url in urls(level, obj):
            assert client.get(url).status_code == expected, (role, level, url)
    for level, obj in targets(tree, False).items():
        for url in urls(level, obj):
            assert client.get(url).status_code == 404, (role, level, url)


@pytest.mark.django_db
@pytest.mark.parametrize("role", granted_roles())
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
@pytest.mark.parametrize("role", granted_roles())
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
        expected = {place.compound.code}  # a building grant sees its compound, not the others (access.py)
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
