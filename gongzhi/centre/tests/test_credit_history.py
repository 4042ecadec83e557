"""The four parties' shares keep a history of their own: each change of one party's share of one part is a
history row naming who and why (created, changed, removed); an unchanged share and a refused change write none;
the project page shows the history where the stage history is, at a fixed number of queries."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.test import Client

from gongzhi.accounts.roles import Role
from gongzhi.centre import selectors, services
from gongzhi.centre.models import Credit, Industry, Project
from gongzhi.centre.tests.helpers import make_centre
from gongzhi.tests.factories import SYSTEM, load_divisions, user_with
from gongzhi.tests.queries import assert_queries

pytestmark = pytest.mark.django_db


@pytest.fixture
def world() -> dict[str, Any]:
    divisions = load_divisions()
    made = make_centre(divisions["370202001001"])
    operator = user_with(Role.OPERATOR, divisions["370202001001"])
    owner = user_with(Role.BUILDING_OWNER, divisions["370202001001"])
    return {"made": made, "operator": operator, "owner": owner}


def _project(world: dict[str, Any], n: int = 0) -> Project:
    return services.project_create(
        actor=SYSTEM,
        platform=world["made"].centre.platforms.all()[n % 3],
        name=f"项目{n}",
        industry=Industry.objects.get(code="C"),
        kind="tech",
        created_on=date(2025, 3, 1),
        credits={"found": {"government": 100}},
    )


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _trail(p: Project) -> list[tuple[str, str, str, int | None, int | None]]:
    return [
        (h["kind"], h["part"], h["party"], h["before"], h["after"]) for h in selectors.credit_history(p.pk)
    ]


def test_each_change_of_a_share_is_a_history_row_naming_the_actor(world) -> None:  # type: ignore[no-untyped-def]
    p = _project(world)
    operator = world["operator"]
    first = Credit.objects.get(project=p)
    assert first.history.get().history_type == "+"  # type: ignore[attr-defined]
    services.project_credit(actor=operator, project=p, credits={"found": {"government": 60, "operator": 40}})
    # the government's row is the same row, changed; the operator's is new
    assert Credit.objects.get(project=p, party="government").pk == first.pk
    services.project_credit(actor=operator, project=p, credits={"found": {"operator": 100}})
    assert _trail(p) == [
        ("~", "发现线索", "运营商", 40, 100),
        ("-", "发现线索", "政府", 60, None),
        ("+", "发现线索", "运营商", None, 40),
        ("~", "发现线索", "政府", 100, 60),
        ("+", "发现线索", "政府", None, 100),
    ]
    rows = selectors.credit_history(p.pk)
    assert [h["user"] for h in rows[:4]] == [operator] * 4 and rows[4]["user"] is None
    assert {h["reason"] for h in rows[:4]} == {"记录各方贡献"}
    assert rows[4]["reason"].startswith("登记线索")
    # what stands now is what the history ends with
    assert dict(Credit.objects.filter(project=p).values_list("party", "share")) == {"operator": 100}


def test_an_unchanged_share_or_a_refused_one_writes_no_history(world) -> None:  # type: ignore[no-untyped-def]
    p = _project(world)
    before = Credit.history.count()  # type: ignore[attr-defined]
    services.project_credit(actor=SYSTEM, project=p, credits={"found": {"government": 100}})
    assert Credit.history.count() == before  # type: ignore[attr-defined]
    client = _client(world["operator"])
    response = client.post(f"/centre/p/{p.pk}/credit/", {"found_government": "50", "found_owner": "40"})
    assert response.status_code == 400 and "合计为90%" in response.content.decode()
    assert Credit.history.count() == before  # type: ignore[attr-defined]
    # a part left blank keeps its rows and their history
    services.project_credit(actor=SYSTEM, project=p, credits={"signed": {"incubator": 100}})
    assert Credit.objects.get(project=p, part="found").share == 100
    assert Credit.history.count() == before + 1  # type: ignore[attr-defined]


def test_the_project_page_shows_the_credit_history(world) -> None:  # type: ignore[no-untyped-def]
    p = _project(world)
    client = _client(world["operator"])
    response = client.post(f"/centre/p/{p.pk}/credit/", {"found_government": "30", "found_incubator": "70"})
    assert response.status_code == 302
    body = client.get(f"/centre/p/{p.pk}/").content.decode()
    table = body[body.index('id="credit-history"') :]
    assert "份额变更记录" in body
    assert "孵化器" in table and "70%" in table and "30%" in table and world["operator"].username in table
    # a reader (the building owner) sees it too
    assert 'id="credit-history"' in _client(world["owner"]).get(f"/centre/p/{p.pk}/").content.decode()


def test_the_project_page_costs_fixed_queries_whatever_the_history(world) -> None:  # type: ignore[no-untyped-def]
    p = _project(world)
    client = _client(world["operator"])
    with assert_queries(8, label="project"):
        assert client.get(f"/centre/p/{p.pk}/").status_code == 200
    for n in range(10):
        services.project_credit(
            actor=world["operator"], project=p, credits={"found": {"government": 90 - n, "owner": 10 + n}}
        )
    with assert_queries(8, label="project"):
        assert client.get(f"/centre/p/{p.pk}/").status_code == 200
