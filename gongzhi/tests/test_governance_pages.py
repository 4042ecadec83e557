"""The 驾驶舱 and the 小区治理 pages belong to the roles of the compound-governance system (市南区's): a bidder,
a monitored household, an enterprise contact — every role of the other systems — sees no entry for them and
gets the site's 403 page at their URLs (accounts.roles.GOVERNANCE_ROLES, one permission check)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from gongzhi.accounts.roles import GOVERNANCE_ROLES, ROLE_LEVEL, Role, granted_roles
from gongzhi.core import registry
from gongzhi.tests.factories import user_with

pytestmark = pytest.mark.django_db

OUTSIDE = [role for role in granted_roles() if role not in GOVERNANCE_ROLES]
ENTRIES = ("dashboard:home", "places:home", "affairs:matters", "affairs:my_page")


def place_for(tree: Any, role: str) -> Any:
    level = ROLE_LEVEL[role]
    codes = {"district": "370202", "subdistrict": "370202001", "community": "370202001001"}
    return tree.d(codes[level]) if level in codes else tree.compounds[0]


def test_the_other_systems_roles_are_the_ones_the_brief_names() -> None:
    assert {Role.BIDDER, Role.HOUSEHOLD, Role.ENTERPRISE_CONTACT} <= set(OUTSIDE)
    assert not {Role.RESIDENT, Role.SYSTEM_ADMIN, Role.AUDIT_READER} & set(OUTSIDE)


@pytest.mark.parametrize("role", OUTSIDE)
def test_an_outside_role_has_no_cockpit_nor_governance_menu_and_gets_403(tree: Any, role: str) -> None:
    place = place_for(tree, role)
    user = user_with(role, place)
    shown = {entry.url_name for entry in registry.navigation(user)}
    assert not shown & set(ENTRIES), (role, shown)
    client = Client()
    client.force_login(user)
    page = client.get("/", follow=True).content.decode()
    assert 'data-nav-group="governance"' not in page and 'data-nav-group="cockpit"' not in page, role
    assert not any(
        f'href="{reverse(name)}"' in page for name in ("dashboard:home", "affairs:matters", "affairs:my_page")
    ), role
    for url in (
        "/dashboard/",
        f"/dashboard/{place.code}/",
        reverse("affairs:matters"),
        reverse("affairs:my_page"),
    ):
        answer = client.get(url)
        body = answer.content.decode()
        assert answer.status_code == 403, (role, url, answer.status_code)
        assert "您的角色不能做这项操作" in body and 'class="navbar' in body, (role, url)


@pytest.mark.parametrize("role", [Role.RESIDENT, Role.COMMUNITY_WORKER, Role.AUDIT_READER])
def test_the_governance_roles_keep_them(tree: Any, role: str) -> None:
    user = user_with(role, place_for(tree, role))
    assert {"dashboard:home", "places:home"} <= {entry.url_name for entry in registry.navigation(user)}
    client = Client()
    client.force_login(user)
    assert client.get("/dashboard/", follow=True).status_code == 200
    assert client.get(reverse("affairs:matters")).status_code == 200


SEARCH_FORM = f'role="search" action="{reverse("places:search")}"'


@pytest.mark.parametrize("role", OUTSIDE)
def test_an_outside_role_has_no_place_search_and_its_endpoint_refuses(tree: Any, role: str) -> None:
    """The navbar's place search belongs to 小区治理: not offered, and refused at its URL (plain and htmx)."""
    client = Client()
    client.force_login(user_with(role, place_for(tree, role)))
    page = client.get("/", follow=True)
    assert page.status_code == 200 and SEARCH_FORM not in page.content.decode(), role
    name = tree.compounds[0].name
    for headers in ({}, {"HX-Request": "true"}):
        answer = client.get(reverse("places:search"), {"q": name}, headers=headers)
        assert answer.status_code == 403, (role, answer.status_code)
        assert name not in answer.content.decode()


@pytest.mark.parametrize("role", [Role.RESIDENT, Role.COMMUNITY_WORKER, Role.AUDIT_READER])
def test_the_governance_roles_keep_the_place_search(tree: Any, role: str) -> None:
    client = Client()
    client.force_login(user_with(role, place_for(tree, role)))
    assert SEARCH_FORM in client.get("/", follow=True).content.decode()
    name = tree.compounds[0].name  # inside every granted place of place_for's
    answer = client.get(reverse("places:search"), {"q": name})
    assert answer.status_code == 200 and name in answer.content.decode()
