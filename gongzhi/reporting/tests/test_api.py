"""The API of 双报到: units, members, needs and records scoped like the pages (a unit by the places it
covers), and hostile query strings answered without a 500."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone

from gongzhi.accounts.roles import Role
from gongzhi.reporting import services
from gongzhi.reporting.tests.helpers import SYS, make_world, report
from gongzhi.tests.factories import user_with

pytestmark = pytest.mark.django_db

BASE = "/api/v1/reporting"


@pytest.fixture
def world(tree):  # type: ignore[no-untyped-def]
    w = make_world(tree)
    r = report(w)
    today = timezone.localdate()
    services.need_create(
        actor=SYS,
        compound=w.compound,
        title="法律咨询",
        skills=["law"],
        hours=8,
        per_member=4,
        starts_on=today,
        ends_on=today + timedelta(days=30),
    )
    services.record_add(actor=SYS, report=r, served_on=today, hours=Decimal("2"))
    return w


def _client(user) -> Client:  # type: ignore[no-untyped-def]
    c = Client()
    c.force_login(user)
    return c


@pytest.mark.parametrize("kind", ["units", "members", "needs", "records"])
def test_staff_list_and_detail(world, kind) -> None:  # type: ignore[no-untyped-def]
    c = _client(world.staff)
    body = c.get(f"{BASE}/{kind}/").json()
    rows = body["results"] if isinstance(body, dict) else body
    assert len(rows) == 1
    assert c.get(f"{BASE}/{kind}/{rows[0]['id']}/").status_code == 200
    if kind == "members":
        assert set(rows[0]) >= {"name", "skills", "hours_month"}
        assert not {"id_number", "phone"} & set(rows[0])


def test_a_unit_is_placed_by_what_it_covers(world) -> None:  # type: ignore[no-untyped-def]
    """A building grant looks up to its compound (place.view) where the unit has its contact point, but
    has no reporting.view: 403. A community elsewhere sees nothing of it: 404 (accounts.access.scoped)."""
    building = next(b for b in world.tree.buildings if b.compound_id == world.compound.pk)
    leader = _client(user_with(Role.BUILDING_LEADER, building, username="louzhang_t"))
    assert leader.get(f"{BASE}/units/{world.unit.pk}/").status_code == 403
    far = next(c for c in world.tree.compounds if c.community_id != world.compound.community_id)
    elsewhere = _client(user_with(Role.COMMUNITY_WORKER, far.community, username="shequ_far"))
    assert elsewhere.get(f"{BASE}/units/{world.unit.pk}/").status_code == 404
    assert elsewhere.get(f"{BASE}/units/").json()["count"] == 0
    assert _client(world.staff).get(f"{BASE}/units/{world.unit.pk}/").status_code == 200


@pytest.mark.parametrize("kind", ["units", "members", "needs", "records"])
@pytest.mark.parametrize(
    "query",
    ["page=abc", "page=-1", "page=99999999999999999999", "page_size=%00", "ordering=';drop", "id=%ff"],
)
def test_hostile_query_strings(world, kind, query) -> None:  # type: ignore[no-untyped-def]
    r = _client(world.staff).get(f"{BASE}/{kind}/?{query}")
    assert r.status_code in (200, 400, 404)
    if r.status_code != 200:
        assert any("\u4e00" <= ch <= "\u9fff" for ch in r.content.decode())  # a Chinese message


@pytest.mark.parametrize("kind", ["units", "members", "needs", "records"])
@pytest.mark.parametrize("pk", ["abc", "-1", "99999999999999999999999", "0"])
def test_hostile_ids_are_404(world, kind, pk) -> None:  # type: ignore[no-untyped-def]
    assert _client(world.staff).get(f"{BASE}/{kind}/{pk}/").status_code == 404


@pytest.mark.parametrize("kind", ["units", "members", "needs", "records"])
def test_a_nul_in_the_path_is_refused_in_chinese(world, kind) -> None:  # type: ignore[no-untyped-def]
    r = _client(world.staff).get(f"{BASE}/{kind}/1%00/")
    assert r.status_code in (400, 404)
    if r.status_code == 400:
        assert any("\u4e00" <= ch <= "\u9fff" for ch in r.content.decode())


@pytest.mark.parametrize("kind", ["units", "members", "needs", "records"])
def test_the_api_is_read_only(world, kind) -> None:  # type: ignore[no-untyped-def]
    c = _client(world.staff)
    assert c.post(f"{BASE}/{kind}/", {"name": "x"}, content_type="application/json").status_code in (403, 405)
    assert c.get(f"{BASE}/{kind}/").status_code == 200
