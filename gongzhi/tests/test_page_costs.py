"""Query pins for the pages outside the place browser, affairs lists and the party app (pinned in their own
tests): each costs a fixed number of queries, listed by gongzhi.tests.queries when it does not."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from gongzhi.accounts.roles import Role
from gongzhi.tests.factories import make_compound, user_with
from gongzhi.tests.queries import assert_queries

pytestmark = pytest.mark.django_db

# Session, user and grants come first on every page (3); the comment names what the page adds.
PINS = {
    "/accounts/users/": 5,  # the users holding a role here, their roles (prefetched)
    "/accounts/users/new/": 3,  # nothing: the form's places come with the grants
    "/ledgers/": 5,  # the user's recent imports; the top of the user's scope, where exports are offered
    "compound_edit": 5,  # the compound, the divisions above it
    "building_add": 5,  # the compound, the divisions above it
    "/api/v1/indicators/catalogue/": 2,  # session and user only: the catalogue is in memory
}


def urls(tree: Any) -> dict[str, str]:
    code = tree.compounds[0].code
    found = {key: key for key in PINS if key.startswith("/")}
    found["compound_edit"] = f"/places/c/{code}/edit/"
    found["building_add"] = f"/places/c/{code}/buildings/new/"
    return found


def check(client: Client, tree: Any) -> None:
    for key, url in urls(tree).items():
        with assert_queries(PINS[key], label=url):
            response = client.get(url)
        assert response.status_code == 200, url


def test_pages_cost_a_fixed_number_of_queries(tree: Any) -> None:
    client = Client()
    client.force_login(user_with(Role.SUBDISTRICT_STAFF, tree.d("370202001")))
    check(client, tree)
    for i in range(5):  # more compounds and users under the same subdistrict: the same counts
        make_compound(tree.d("370202001001"), f"扩展小区{i}", buildings=2)
        user_with(Role.RESIDENT, tree.d("370202001001"))
    check(client, tree)
