"""The dashboard and the campaign page cost the same number of queries whatever the data's size.

The dashboard's count grows with the catalogue (one provider per app, asked for the place and each place one
step down), not with compounds, targets or snapshots: the pin compares two sizes instead of naming a number
that every new app would change.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from gongzhi.accounts.roles import Role
from gongzhi.campaign.tests.helpers import SYSTEM, add_target, make_campaign
from gongzhi.dashboard.services import snapshots_take
from gongzhi.tests.factories import make_compound, user_with
from gongzhi.tests.queries import count_queries, describe

pytestmark = pytest.mark.django_db


def _count(client, url):  # type: ignore[no-untyped-def]
    client.get(url)
    with count_queries() as ctx:
        assert client.get(url).status_code == 200
    return len(ctx), describe(ctx)


def test_pages_do_not_grow_with_the_data(client, tree):
    campaign = make_campaign(tree)
    add_target(campaign, tree.compounds[0])
    snapshots_take(actor=SYSTEM)
    client.force_login(user_with(Role.DISTRICT_ADMIN, tree.d("370202")))
    urls = [reverse("dashboard:place", args=["370202"]), reverse("campaign:detail", args=[campaign.pk])]
    before = [_count(client, u) for u in urls]
    for i in range(5):
        c, _b, _h = make_compound(tree.d("370202001001"), f"新建小区{i}", buildings=1, units=1, floors=1)
        add_target(campaign, c, deadline=timezone.localdate() - timedelta(days=i + 1))
    for days in (30, 60, 90):
        snapshots_take(actor=SYSTEM, on=timezone.localdate() - timedelta(days=days))
    after = [_count(client, u) for u in urls]
    for (n0, _q0), (n1, q1), url in zip(before, after, urls, strict=True):
        assert n1 == n0, f"{url}: {n0} → {n1}\n{q1}"
