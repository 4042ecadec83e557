"""The chain over the API: scoped lists, writes through the services, rule violations as 400."""

from __future__ import annotations

from typing import Any

import pytest
from rest_framework.test import APIClient

from gongzhi.accounts.roles import Role
from gongzhi.party import services
from gongzhi.party.tests.helpers import SYS, add_member, fill, homes_of
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
    services.organisation_create(actor=SYS, kind="branch", name="甲党支部", compounds=[tree.compounds[0]])
    services.organisation_create(actor=SYS, kind="branch", name="乙党支部", compounds=[tree.compounds[4]])
    worker = api_for(user_with(Role.COMMUNITY_WORKER, tree.d("370202001001")))
    assert len(worker.get("/api/v1/party/members/").json()["results"]) == 3
    # Pages by key over (path, id): every member once, in order, with no count and no offset.
    names, url = [], "/api/v1/party/members/?limit=2"
    while url:
        page = worker.get(url).json()
        names += [m["name"] for m in page["results"]]
        url = page["next"]
    assert len(names) == 3 and len(set(names)) == 3
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


def test_member_transfer_make_full_seats_and_removals(tree) -> None:  # type: ignore[no-untyped-def]
    from gongzhi.party.models import PartyMember, PartyOrganisation

    c = tree.compounds[0]
    worker = api_for(user_with(Role.COMMUNITY_WORKER, tree.d("370202001001")))
    full = fill(c, full=3, probationary=1)
    probationary = full[-1]
    org = services.organisation_create(actor=SYS, kind="branch", name="甲党支部", compounds=[c])
    # 转正, and a second 转正 is refused with the reason.
    r = worker.post(
        f"/api/v1/party/members/{probationary.pk}/make-full/", {"on": "2024-07-01"}, format="json"
    )
    assert r.status_code == 200 and r.json()["status"] == "full"
    r = worker.post(
        f"/api/v1/party/members/{probationary.pk}/make-full/", {"on": "2024-07-02"}, format="json"
    )
    assert r.status_code == 400 and "已是正式党员" in r.json()["detail"][0]
    # Relation moves to the branch, then to a unit elsewhere; both steps stay in the history.
    m = full[0]
    r = worker.post(
        f"/api/v1/party/members/{m.pk}/transfer/",
        {"on": "2024-01-01", "to_organisation": org.code},
        format="json",
    )
    assert r.status_code == 200 and r.json()["organisation"] == org.code
    r = worker.post(
        f"/api/v1/party/members/{m.pk}/transfer/",
        {"on": "2024-03-01", "to_text": "市南区卫健局机关党委"},
        format="json",
    )
    assert [t["to_text"] for t in r.json()["transfers"]] == ["甲党支部", "市南区卫健局机关党委"]
    bad = worker.post(f"/api/v1/party/members/{m.pk}/transfer/", {"on": "2024-03-01"}, format="json")
    assert bad.status_code == 400
    # Secretary through the seats endpoint.
    r = worker.post(
        f"/api/v1/party/organisations/{org.pk}/seats/",
        {"member": full[1].pk, "title": "secretary"},
        format="json",
    )
    assert r.status_code == 200 and r.json()["secretary"] == full[1].person.name
    # A group blocks dissolving its organisation; removing the group first lets it go.
    building = Building.objects.filter(compound=c).first()
    assert building is not None
    group = services.group_create(
        actor=SYS, organisation=org, compound=c, name="1号楼党小组", buildings=[building], leader=None
    )
    assert worker.delete(f"/api/v1/party/organisations/{org.pk}/").status_code == 400
    assert worker.delete(f"/api/v1/party/groups/{group.pk}/").status_code == 204
    assert worker.delete(f"/api/v1/party/organisations/{org.pk}/").status_code == 204
    # Dissolving ends it (an end date, its seats and coverage end too); the row and its history stay.
    ended = PartyOrganisation.objects.get(pk=org.pk)
    assert ended.ended_on is not None and not PartyOrganisation.objects.active().filter(pk=org.pk).exists()
    assert not ended.coverages.current().exists() and ended.history.count() >= 2
    assert worker.get(f"/api/v1/party/organisations/{org.pk}/").status_code == 404
    assert PartyMember.objects.filter(compound=c).count() == 4
    # Outside the worker's places: 404; a party member's role may not write.
    elsewhere = fill(tree.compounds[3], full=1)[0]
    assert (
        worker.post(
            f"/api/v1/party/members/{elsewhere.pk}/make-full/", {"on": "2024-01-01"}, format="json"
        ).status_code
        == 404
    )
    member_role = api_for(user_with(Role.PARTY_MEMBER, c))
    assert (
        member_role.post(
            f"/api/v1/party/members/{m.pk}/make-full/", {"on": "2024-01-01"}, format="json"
        ).status_code
        == 403
    )
