"""The chain over the API: scoped lists, writes through the services, rule violations as 400."""

from __future__ import annotations

from typing import Any

import pytest
from rest_framework.test import APIClient

from gongzhi.accounts.roles import Role
from gongzhi.party import services
from gongzhi.party.tests.helpers import add_member, fill, homes_of
from gongzhi.places.models import Building
from gongzhi.tests.factories import user_with

pytestmark = pytest.mark.django_db


def api_for(user: Any) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_indicators_carry_the_chain_figures(tree) -> None:  # type: ignore[no-untyped-def]
    fill(tree.compounds[0], full=3, probationary=2)
    body = (
        api_for(user_with(Role.DISTRICT_ADMIN, tree.d("370202")))
        .get("/api/v1/indicators/?place=370202")
        .json()
    )
    for key in [
        "compounds_total",
        "compounds_qualifying",
        "compounds_with_party_org",
        "compounds_covered",
        "party_org_coverage",
        "building_party_groups",
        "central_households",
        "party_members",
        "homes_linked",
    ]:
        assert key in body
    assert (body["compounds_qualifying"], body["party_members"], body["party_org_coverage"]) == (1, 5, 0.0)
    by_compound = api_for(user_with(Role.DISTRICT_ADMIN, tree.d("370202"))).get(
        f"/api/v1/indicators/?compound={tree.compounds[0].pk}"
    )
    assert by_compound.json()["compounds_total"] == 1


def test_lists_are_scoped(tree) -> None:  # type: ignore[no-untyped-def]
    fill(tree.compounds[0], full=3)
    fill(tree.compounds[4], full=3)
    services.organisation_create(kind="branch", name="甲党支部", compounds=[tree.compounds[0]])
    services.organisation_create(kind="branch", name="乙党支部", compounds=[tree.compounds[4]])
    worker = api_for(user_with(Role.COMMUNITY_WORKER, tree.d("370202001001")))
    assert worker.get("/api/v1/party/members/").json()["count"] == 3
    assert [o["name"] for o in worker.get("/api/v1/party/organisations/").json()["results"]] == ["甲党支部"]
    assert worker.get("/api/v1/party/gaps/?place=370203").status_code == 404
    gaps = worker.get("/api/v1/party/gaps/?place=370202001001").json()["gaps"]
    assert [g["kind"] for g in gaps] == ["uncovered", "no_secretary"]  # 云霄花园 has no organisation


def test_writes_go_through_the_rules(tree) -> None:  # type: ignore[no-untyped-def]
    c = tree.compounds[0]
    worker = api_for(user_with(Role.COMMUNITY_WORKER, tree.d("370202001001")))
    homes = homes_of(c)
    person = homes[0].ownerships.get().person
    r = worker.post(
        "/api/v1/party/members/", {"person": person.pk, "home": homes[0].pk, "status": "full"}, format="json"
    )
    assert r.status_code == 201, r.content
    member_id = r.json()["id"]
    r = worker.post(
        "/api/v1/party/organisations/",
        {"kind": "joint", "name": "一个", "compounds": [c.code]},
        format="json",
    )
    assert r.status_code == 400 and "联合党支部" in r.json()["detail"][0]
    r = worker.post(
        "/api/v1/party/organisations/",
        {"kind": "branch", "name": "甲党支部", "compounds": [c.code]},
        format="json",
    )
    assert r.status_code == 201
    building = Building.objects.get(compound=c)
    r = worker.post(
        "/api/v1/party/groups/",
        {
            "organisation": r.json()["code"],
            "name": "1号楼党小组",
            "buildings": [building.pk],
            "leader": member_id,
        },
        format="json",
    )
    assert r.status_code == 201, r.content
    r = worker.post("/api/v1/party/households/", {"member": member_id, "links": [homes[1].pk]}, format="json")
    assert r.status_code == 201, r.content
    household = r.json()["id"]
    body = worker.get(f"/api/v1/indicators/?compound={c.pk}").json()
    assert (body["building_party_groups"], body["central_households"], body["homes_linked"]) == (1, 1, 1)
    assert worker.delete(f"/api/v1/party/households/{household}/").status_code == 204
    assert worker.get(f"/api/v1/indicators/?compound={c.pk}").json()["central_households"] == 0


def test_writes_need_the_edit_right(tree) -> None:  # type: ignore[no-untyped-def]
    c = tree.compounds[0]
    m = add_member(homes_of(c)[0])
    member_role = api_for(user_with(Role.PARTY_MEMBER, c))
    r = member_role.post("/api/v1/party/households/", {"member": m.pk}, format="json")
    assert r.status_code == 403
    outsider = api_for(user_with(Role.COMMUNITY_WORKER, tree.d("370202009001")))
    assert outsider.post("/api/v1/party/households/", {"member": m.pk}, format="json").status_code == 404
