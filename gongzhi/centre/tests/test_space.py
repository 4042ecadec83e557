"""Space matching (needs against the rooms free over their dates) and the guard against overlapping leases:
the service's check on every database, PostgreSQL's exclusion constraint beneath it."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.test import Client
from hypothesis import given
from hypothesis import strategies as st

from gongzhi.accounts.roles import Role
from gongzhi.centre import rules, selectors, services
from gongzhi.centre.models import Enterprise, Industry, Lease, Space
from gongzhi.centre.tests.helpers import make_centre
from gongzhi.tests.factories import SYSTEM, credit_code, load_divisions, user_with
from gongzhi.tests.queries import assert_queries

D = Decimal
NEED = rules.Need(area_min=D(80), area_max=D(120), from_on=date(2025, 6, 1))


@given(
    low=st.integers(0, 500),
    width=st.integers(0, 500),
    area=st.integers(0, 1200),
    floor=st.integers(-2, 40),
)
def test_a_room_fits_only_inside_the_area_range_and_never_scores_over_100(
    low: int, width: int, area: int, floor: int
) -> None:
    need = rules.Need(
        area_min=D(low), area_max=D(low + width), from_on=date(2025, 1, 1), floor_min=5, floor_max=9
    )
    fit = rules.space_fit(need, area=D(area), floor=floor, use="office")
    assert (fit is not None) == (low <= area <= low + width)
    if fit is not None:
        score, reasons = fit
        assert 10 <= score <= 100 and reasons[0].startswith("面积")
        assert ("符合楼层要求" in reasons[1]) == (5 <= floor <= 9)


def test_the_boundaries_of_the_area_and_floor() -> None:
    need = rules.Need(area_min=D(80), area_max=D(120), from_on=date(2025, 1, 1), floor_min=10, floor_max=12)
    assert rules.space_fit(need, area=D(80), floor=10, use="lab") == (
        60,
        ["面积80㎡，在需求80–120㎡之内", "位于10层，符合楼层要求"],
    )
    assert rules.space_fit(need, area=D("79.99"), floor=10, use="lab") is None
    assert rules.space_fit(need, area=D(100), floor=12, use="lab")[0] == 100  # type: ignore[index]
    assert rules.space_fit(need, area=D(100), floor=13, use="lab")[0] == 90  # type: ignore[index]
    assert rules.space_fit(need, area=D(100), floor=2, use="lab")[0] == 50  # type: ignore[index]
    used = rules.Need(area_min=D(1), area_max=D(500), from_on=date(2025, 1, 1), use="lab")
    assert rules.space_fit(used, area=D(100), floor=1, use="office") is None
    assert rules.need_problem(rules.Need(area_min=D(5), area_max=D(4), from_on=date(2025, 1, 1)))
    assert rules.need_problem(NEED) == ""


pytestmark_db = pytest.mark.django_db


@pytest.fixture
def world() -> dict[str, Any]:
    divisions = load_divisions()
    made = make_centre(divisions["370202001001"], rooms=6)
    firm = services.enterprise_register(
        actor=SYSTEM,
        centre=made.centre,
        name="青岛测试科技有限公司",
        credit_code=credit_code(7),
        industry=Industry.objects.get(code="I"),
        kind=Enterprise.Kind.INNOVATIVE,
    )
    return {"made": made, "firm": firm, "user": user_with(Role.PLATFORM_STAFF, divisions["370202001001"])}


def _lease(world: dict[str, Any], room: Space, start: date, end: date) -> Lease:
    return services.lease_sign(
        actor=SYSTEM,
        space=room,
        enterprise=world["firm"],
        starts_on=start,
        ends_on=end,
        monthly_rent_yuan=D(9000),
    )


@pytestmark_db
def test_matching_lists_only_rooms_free_over_the_dates_with_why(world) -> None:  # type: ignore[no-untyped-def]
    rooms = world["made"].spaces
    Space.objects.filter(pk=rooms[1].pk).update(area=D(90), floor=3)
    Space.objects.filter(pk=rooms[5].pk).update(area=D(300))
    _lease(world, rooms[0], date(2024, 6, 1), date(2025, 5, 31))  # ends the day before: free
    _lease(world, rooms[2], date(2025, 5, 1), date(2025, 6, 1))  # shares the first day: taken
    _lease(world, rooms[3], date(2026, 1, 1), date(2026, 12, 31))  # taken later, free until then
    centre = world["made"].centre
    found = selectors.space_matches(centre.pk, NEED)
    assert [r["space"].pk for r in found] == [rooms[0].pk, rooms[4].pk, rooms[1].pk]
    assert found[0]["score"] == 100 and "自2025-06-01起无租约" in found[0]["reasons"]
    until = rules.Need(area_min=D(80), area_max=D(120), from_on=date(2025, 6, 1), until_on=date(2025, 12, 31))
    assert rooms[3].pk in {r["space"].pk for r in selectors.space_matches(centre.pk, until)}
    upper = rules.Need(area_min=D(80), area_max=D(120), from_on=date(2025, 6, 1), floor_min=10)
    assert selectors.space_matches(centre.pk, upper)[-1]["space"].pk == rooms[1].pk


@pytestmark_db
def test_a_room_between_two_leases_is_vacant_today(world) -> None:  # type: ignore[no-untyped-def]
    room = world["made"].spaces[0]
    today = date.today()
    _lease(world, room, today - timedelta(days=400), today - timedelta(days=10))
    _lease(world, room, today + timedelta(days=10), today + timedelta(days=400))
    path = world["made"].centre.path
    assert room.pk in set(selectors.vacant_spaces(path).values_list("pk", flat=True))


@pytestmark_db
def test_the_matching_page_ranks_and_refuses_hostile_needs(world) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(world["user"])
    url = f"/centre/{world['made'].centre.pk}/match/"
    assert client.get(url).status_code == 200
    with assert_queries(5):  # session, user, grants, the centre, the rooms
        page = client.get(url, {"area_min": "80", "area_max": "120", "from_on": "2025-06-01"})
    assert page.status_code == 200 and page.content.decode().count("data-space=") == 6
    for query, message in [
        ({"area_min": "200", "area_max": "100", "from_on": "2025-06-01"}, "下限不大于上限"),
        ({"area_min": "abc", "area_max": "100", "from_on": "2025-06-01"}, "数字"),
        ({"area_min": "1", "area_max": "100", "from_on": "2025-02-30"}, "日期"),
        ({"area_min": "1", "area_max": "100", "from_on": "2025-06-01", "until_on": "2025-01-01"}, "截止日期"),
        ({"area_min": "1", "area_max": "1e9", "from_on": "2025-06-01"}, "1000000"),
        ({"area_min": "1", "area_max": "100", "from_on": "2025-06-01", "use": "<script>"}, "选择"),
    ]:
        response = client.get(url, query)
        assert response.status_code == 400 and message in response.content.decode(), query


@pytestmark_db
def test_the_service_refuses_an_overlap_on_every_database(world) -> None:  # type: ignore[no-untyped-def]
    room = world["made"].spaces[0]
    _lease(world, room, date(2025, 1, 1), date(2025, 12, 31))
    with pytest.raises(ValidationError, match="不能重叠"):
        _lease(world, room, date(2025, 12, 31), date(2026, 6, 30))
    assert Lease.objects.count() == 1


@pytestmark_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="the exclusion constraint is PostgreSQL's")
def test_postgresql_itself_refuses_overlapping_leases(world) -> None:  # type: ignore[no-untyped-def]
    room, other = world["made"].spaces[:2]
    first = _lease(world, room, date(2025, 1, 1), date(2025, 12, 31))
    fields = {
        "enterprise": world["firm"],
        "area": D(100),
        "monthly_rent_yuan": D(1),
        "path": room.path,
        "ends_on": date(2026, 3, 1),
    }
    with pytest.raises(IntegrityError), transaction.atomic():  # a write around the service, sharing a day
        Lease.objects.create(space=room, starts_on=first.ends_on, **fields)
    Lease.objects.create(space=room, starts_on=date(2026, 1, 1), **fields)  # the next day: allowed
    Lease.objects.create(space=other, starts_on=date(2025, 6, 1), **fields)  # another room: allowed
    assert Lease.objects.count() == 3
