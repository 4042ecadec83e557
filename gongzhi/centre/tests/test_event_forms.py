"""The forms that record an event, its guests and the agreements signed at it: written through the
services with history; bad input answers 400 with the reason and writes nothing; a read-only role and a
user of another place cannot write."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from gongzhi.accounts.roles import Role
from gongzhi.centre import services
from gongzhi.centre.models import Agreement, Event, Guest, Industry
from gongzhi.centre.tests.helpers import make_centre
from gongzhi.tests.factories import SYSTEM, load_divisions, user_with

pytestmark = pytest.mark.django_db


@pytest.fixture
def world() -> dict[str, Any]:
    divisions = load_divisions()
    made = make_centre(divisions["370202001001"], rooms=1)
    operator = user_with(Role.OPERATOR, divisions["370202001001"])
    projects = [
        services.project_create(
            actor=SYSTEM,
            platform=made.centre.platforms.first(),
            name=f"签约项目{i}",
            industry=Industry.objects.get(code="C"),
            kind="tech",
            created_on=date(2025, 3, 1),
        )
        for i in range(2)
    ]
    client = Client()
    client.force_login(operator)
    return {
        "made": made,
        "operator": operator,
        "projects": projects,
        "client": client,
        "divisions": divisions,
    }


EVENT = {
    "kind": "ceremony",
    "title": "首批企业签约仪式",
    "held_on": "2025-06-18",
    "attended": "区招商局\n青岛某大学\n\n某商会",
    "absent": "某银行",
}


def test_an_event_with_guests_and_agreements_through_the_forms(world) -> None:  # type: ignore[no-untyped-def]
    client, centre, (a, b) = world["client"], world["made"].centre, world["projects"]
    assert client.get(f"/centre/{centre.pk}/events/new/").status_code == 200
    response = client.post(f"/centre/{centre.pk}/events/new/", EVENT)
    assert response.status_code == 302
    event = Event.objects.get()
    assert (event.title, event.held_on, event.path) == ("首批企业签约仪式", date(2025, 6, 18), centre.path)
    assert event.history.get().history_user == world["operator"]
    assert sorted(Guest.objects.values_list("organisation", "attended")) == sorted(
        [("区招商局", True), ("青岛某大学", True), ("某商会", True), ("某银行", False)]
    )
    # Edit: the guest list is replaced; the edit form shows the lists as they are.
    form = client.get(f"/centre/ev/{event.pk}/edit/").content.decode()
    assert "某银行" in form and "青岛某大学" in form
    response = client.post(f"/centre/ev/{event.pk}/edit/", {**EVENT, "absent": "", "title": "签约仪式"})
    assert response.status_code == 302
    assert Guest.objects.count() == 3 and Event.objects.get().title == "签约仪式"
    # Agreements: one per project; the page lists it with its path to landing.
    post = {"project": a.pk, "amount_yuan": "50000000", "follow_up": "招商一组"}
    assert client.post(f"/centre/ev/{event.pk}/agreements/new/", post).status_code == 302
    again = client.post(f"/centre/ev/{event.pk}/agreements/new/", post)
    assert again.status_code == 400  # a signed project is no longer offered
    page = client.get(f"/centre/ev/{event.pk}/").content.decode()
    assert f'data-agreement="{Agreement.objects.get().pk}"' in page and "未落地" in page
    assert f'<option value="{b.pk}">' in page and f'<option value="{a.pk}">' not in page


@pytest.mark.parametrize(
    ("data", "word"),
    [
        ({"kind": "party"}, "有效的选项"),
        ({"title": ""}, ""),
        ({"held_on": "2025-02-30"}, ""),
        ({"attended": "甲单位\n甲单位"}, "嘉宾单位重复"),
        ({"attended": "长" * 81}, "1到80个字"),
    ],
)
def test_a_bad_event_answers_400_and_writes_nothing(world, data: dict[str, str], word: str) -> None:  # type: ignore[no-untyped-def]
    response = world["client"].post(f"/centre/{world['made'].centre.pk}/events/new/", {**EVENT, **data})
    assert response.status_code == 400 and word in response.content.decode()
    assert not Event.objects.exists() and not Guest.objects.exists()


@pytest.mark.parametrize(
    ("data", "word"),
    [
        ({"amount_yuan": "-1"}, ""),
        ({"amount_yuan": "1e30"}, ""),
        ({"follow_up": " "}, ""),
        ({"project": "99999999"}, ""),
    ],
)
def test_a_bad_agreement_answers_400_and_writes_nothing(world, data: dict[str, str], word: str) -> None:  # type: ignore[no-untyped-def]
    event = Event.objects.create(
        centre=world["made"].centre,
        kind="ceremony",
        title="t",
        held_on=date(2025, 1, 1),
        path=world["made"].centre.path,
    )
    post = {"project": world["projects"][0].pk, "amount_yuan": "1", "follow_up": "x", **data}
    response = world["client"].post(f"/centre/ev/{event.pk}/agreements/new/", post)
    assert response.status_code == 400 and word in response.content.decode()
    assert not Agreement.objects.exists()


def test_a_reader_and_an_outsider_cannot_write(world) -> None:  # type: ignore[no-untyped-def]
    centre = world["made"].centre
    owner = user_with(Role.BUILDING_OWNER, world["divisions"]["370202001001"])
    outsider = user_with(Role.OPERATOR, world["divisions"]["370202001002"])
    for user, status in ((owner, 403), (outsider, 404)):
        client = Client()
        client.force_login(user)
        assert client.post(f"/centre/{centre.pk}/events/new/", EVENT).status_code == status
    assert not Event.objects.exists()
    assert Decimal(0) == sum((a.amount_yuan for a in Agreement.objects.all()), Decimal(0))
