"""The events pages: guests and agreements counted against the rows, each agreement's path to landing (signed
is not landed), and fixed query counts whatever the guests and agreements."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from gongzhi.accounts.roles import Role
from gongzhi.centre import selectors, services
from gongzhi.centre.models import Agreement, Event, Guest, Industry, Project, Stage
from gongzhi.centre.tests.helpers import make_centre
from gongzhi.tests.factories import SYSTEM, credit_code, load_divisions, user_with
from gongzhi.tests.queries import assert_queries

pytestmark = pytest.mark.django_db
HELD = date(2025, 4, 18)


@pytest.fixture
def world() -> dict[str, Any]:
    divisions = load_divisions()
    made = make_centre(divisions["370202001001"])
    event = Event.objects.create(
        centre=made.centre, kind="ceremony", title="开园签约仪式", held_on=HELD, path=made.centre.path
    )
    Guest.objects.bulk_create(
        Guest(event=event, organisation=f"嘉宾单位{i}", attended=i % 5 != 0) for i in range(10)
    )
    return {"made": made, "event": event, "user": user_with(Role.INCUBATOR, divisions["370202001001"])}


def _signed(world: dict[str, Any], n: int) -> Project:
    project = services.project_create(
        actor=SYSTEM,
        platform=world["made"].centre.platforms.first(),
        name=f"签约企业{n}",
        industry=Industry.objects.get(code="C"),
        kind="tech",
        created_on=date(2025, 3, 1),
    )
    services.project_advance(
        actor=SYSTEM, project=project, stage=Stage.objects.get(code="signed"), on=HELD, evidence="协议"
    )
    Agreement.objects.create(
        event=world["event"],
        project=project,
        amount_yuan=Decimal(5_000_000),
        follow_up="张三",
        path=project.path,
    )
    return project


def _land(world: dict[str, Any], project: Project, room: int) -> None:
    services.project_advance(
        actor=SYSTEM,
        project=project,
        stage=Stage.objects.get(code="registered"),
        on=date(2025, 5, 1),
        evidence="营业执照",
        credit_code=credit_code(500 + room),
    )
    services.project_land(
        actor=SYSTEM,
        project=project,
        space=world["made"].spaces[room],
        starts_on=date(2025, 5, 28),
        ends_on=date(2028, 5, 27),
        monthly_rent_yuan=Decimal(8000),
    )


def test_signed_is_not_landed(world) -> None:  # type: ignore[no-untyped-def]
    first, second = _signed(world, 1), _signed(world, 2)
    _land(world, first, 0)
    row = selectors.events(world["made"].centre.pk).get()
    assert (row.invited, row.attended, row.signed, row.landed, row.amount) == (
        10,
        8,
        2,
        1,
        Decimal(10_000_000),
    )
    by_project = {r["agreement"].project_id: r for r in selectors.event_agreements(world["event"])}
    assert by_project[first.pk]["landed"] and by_project[first.pk]["days_to_land"] == 40
    assert not by_project[second.pk]["landed"] and by_project[second.pk]["days_to_land"] is None
    assert [s.stage.code for s in by_project[first.pk]["steps"]] == [
        "lead",
        "signed",
        "registered",
        "moved_in",
    ]


def test_event_pages_cost_fixed_queries(world) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(world["user"])
    centre, event = world["made"].centre, world["event"]

    def pages() -> None:
        with assert_queries(5, label="events"):  # session, user, grants, the centre, the events
            assert client.get(f"/centre/{centre.pk}/events/").status_code == 200
        with assert_queries(7, label="event"):  # + the event, agreements, their steps, the guests
            page = client.get(f"/centre/ev/{event.pk}/")
        assert page.status_code == 200

    _land(world, _signed(world, 1), 0)
    pages()
    for n in range(2, 6):
        _signed(world, n)
    pages()
    body = Client()
    body.force_login(world["user"])
    text = body.get(f"/centre/ev/{event.pk}/").content.decode()
    assert text.count("未落地") == 4 and "签约后 40 天" in text
