"""Where each role starts: the centre's and the villages' people on their own system's page, the rest on
their places (gongzhi.core.registry.register_start, gongzhi.places.views.home)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from gongzhi.accounts.roles import Role
from gongzhi.core import registry
from gongzhi.tests.factories import user_with


def test_a_start_page_is_one_that_all_the_roles_name() -> None:
    assert registry.start_page([]) is None
    assert registry.start_page([Role.OPERATOR, Role.INCUBATOR]) == "centre:home"
    assert registry.start_page([Role.HOUSEHOLD]) == "monitoring:mine"
    assert registry.start_page([Role.OPERATOR, Role.DISTRICT_ADMIN]) is None  # a governance role: the places
    assert (
        registry.start_page([Role.OPERATOR, Role.BIDDER]) is None
    )  # two systems: the places page lists both


def test_a_role_declares_one_start_page() -> None:
    with pytest.raises(ValueError, match="declared twice"):
        registry.register_start("trading:index", Role.HOUSEHOLD)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "expected"),
    [
        (Role.ENTERPRISE_CONTACT, "/centre/requests/"),
        (Role.VILLAGE_CADRE, "/monitoring/"),
        (Role.BIDDER, "/trading/mine/"),
        (Role.COMMUNITY_WORKER, "/places/d/370202001001/"),
    ],
)
def test_home_sends_each_role_to_its_start(tree: Any, role: str, expected: str) -> None:
    client = Client()
    client.force_login(user_with(role, tree.d("370202001001")))
    answer = client.get("/")
    assert answer.status_code == 302
    assert answer["Location"] == expected
