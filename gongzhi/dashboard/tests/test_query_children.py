"""The 驾驶舱 and a division's start page cost the same number of queries whatever the number of places one
step down: every indicator provider is asked once for the place and all its children (insights.batch)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from gongzhi.accounts.roles import Role
from gongzhi.campaign.tests.helpers import add_target, make_campaign
from gongzhi.tests.factories import load_divisions, make_compound, user_with
from gongzhi.tests.queries import count_queries, describe

pytestmark = pytest.mark.django_db


def _count(client: Client, url: str) -> tuple[int, str]:
    client.get(url)
    with count_queries() as ctx:
        assert client.get(url).status_code == 200
    return len(ctx), describe(ctx)


def _more_children(tree: Any, n: int) -> None:
    """n new subdistricts of 市南区, each with a community and a compound; n new compounds in 云霄路社区."""
    rows = []
    for i in range(n):
        sub = f"37020205{i}"
        rows += [(sub, f"新街道{i}", "subdistrict", "370202"), (f"{sub}001", f"新社区{i}", "community", sub)]
    divisions = load_divisions(rows)
    campaign = make_campaign(tree)
    for i in range(n):
        compound, _b, _h = make_compound(divisions[f"37020205{i}001"], f"新区小区{i}", buildings=1, units=1)
        add_target(campaign, compound)
        make_compound(tree.d("370202001001"), f"新建小区{i}", buildings=1, units=1, floors=1)


@pytest.mark.parametrize("code", ["370202", "370202001001"])
def test_the_dashboard_does_not_grow_with_the_children(client: Client, tree: Any, code: str) -> None:
    client.force_login(user_with(Role.DISTRICT_ADMIN, tree.d("370202")))
    url = reverse("dashboard:place", args=[code])
    before, _q = _count(client, url)
    _more_children(tree, 3)
    after, listed = _count(client, url)
    assert after == before, f"{url}: {before} → {after}\n{listed}"


def test_a_division_start_page_does_not_grow_with_the_children(client: Client, tree: Any) -> None:
    client.force_login(user_with(Role.DISTRICT_ADMIN, tree.d("370202")))
    url = reverse("places:division", args=["370202"])
    before, _q = _count(client, url)
    _more_children(tree, 3)
    after, listed = _count(client, url)
    assert after == before, f"{url}: {before} → {after}\n{listed}"
