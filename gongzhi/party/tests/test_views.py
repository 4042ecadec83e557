"""Pages: scoping, editing through the htmx forms, the gaps page, and fixed query counts."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest
from django.test import Client

from gongzhi.accounts.roles import Role
from gongzhi.party import services
from gongzhi.party.models import CentralHousehold, PartyMember, PartyOrganisation
from gongzhi.party.tests.helpers import SYS, add_member, fill, homes_of
from gongzhi.places.models import Building
from gongzhi.tests.factories import make_compound, user_with
from gongzhi.tests.queries import assert_queries

pytestmark = pytest.mark.django_db


def client_for(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


def test_pages_render(tree) -> None:  # type: ignore[no-untyped-def]
    c = tree.compounds[0]
    fill(c, full=3)
    client = client_for(user_with(Role.DISTRICT_ADMIN, tree.d("370202")))
    for url in [
        "/party/",
        "/party/d/370202/",
        "/party/d/370202001/",
        "/party/d/370202001001/",
        f"/party/c/{c.code}/",
        f"/party/c/{c.code}/tree/",
        "/party/gaps/370202/",
        f"/party/gaps/{c.code}/",
        "/party/members/?place=370202&q=zw",
        "/party/organisations/?place=370202",
        "/party/settings/",
        *[
            f"/party/c/{c.code}/edit/{k}/"
            for k in ["org", "secretary", "group", "household", "member", "transfer", "full"]
        ],
    ]:
        response = client.get(url, follow=True)
        assert response.status_code == 200, url


def test_scope_404_outside_403_without_the_right(tree) -> None:  # type: ignore[no-untyped-def]
    inside, outside = tree.compounds[0], tree.compounds[4]
    member = client_for(user_with(Role.PARTY_MEMBER, inside))
    assert member.get(f"/party/c/{inside.code}/").status_code == 200
    assert member.get(f"/party/c/{inside.code}/edit/org/").status_code == 403
    assert member.get(f"/party/c/{outside.code}/").status_code == 404
    assert member.get("/party/d/370203/").status_code == 404
    resident = client_for(user_with(Role.RESIDENT, inside))
    assert resident.get(f"/party/c/{inside.code}/").status_code == 403


def test_members_list_finds_by_pinyin_initials(tree) -> None:  # type: ignore[no-untyped-def]
    c = tree.compounds[0]
    m = add_member(homes_of(c)[0])
    client = client_for(user_with(Role.COMMUNITY_WORKER, tree.d("370202001001")))
    initials = m.person.initials
    page = client.get(f"/party/members/?q={initials}").content.decode()
    assert m.person.name in page
    other = client.get(f"/party/members/?q={initials}&status=probationary").content.decode()
    assert m.person.name not in other


def test_a_community_worker_fixes_a_gap_and_it_disappears(tree) -> None:  # type: ignore[no-untyped-def]
    c = tree.compounds[0]
    fill(c, full=3)
    worker = client_for(user_with(Role.COMMUNITY_WORKER, tree.d("370202001001")))
    page = worker.get("/party/gaps/370202001001/").content.decode()
    assert 'data-gap="own_branch_missing"' in page and c.name in page
    response = worker.post(
        f"/party/c/{c.code}/edit/org/", {"kind": "branch", "name": f"{c.name}党支部"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200 and "chainChanged" in json.loads(response["HX-Trigger"])
    page = worker.get("/party/gaps/370202001001/").content.decode()
    assert 'data-gap="own_branch_missing"' not in page
    # The next gap the rules name: no secretary yet.
    assert 'data-gap="no_secretary"' in page


def test_forms_report_rule_violations(tree) -> None:  # type: ignore[no-untyped-def]
    c = tree.compounds[0]
    worker = client_for(user_with(Role.COMMUNITY_WORKER, tree.d("370202001001")))
    response = worker.post(f"/party/c/{c.code}/edit/org/", {"kind": "joint", "name": "联合"})
    assert "HX-Trigger" not in response
    assert "联合党支部覆盖 2 至 5 个小区" in response.content.decode()


def test_household_form_links_neighbours_and_moves_the_figures(tree) -> None:  # type: ignore[no-untyped-def]
    c = tree.compounds[0]
    m = add_member(homes_of(c)[0])
    worker = client_for(user_with(Role.COMMUNITY_WORKER, tree.d("370202001001")))
    response = worker.post(f"/party/c/{c.code}/edit/household/", {"member": m.pk, "links": 2})
    assert "chainChanged" in json.loads(response["HX-Trigger"])
    household = CentralHousehold.objects.get(member=m)
    assert household.links.count() == 2
    tree_html = worker.get(f"/party/c/{c.code}/tree/").content.decode()
    assert 'data-figure="central_households">1<' in tree_html
    response = worker.post(f"/party/households/{household.pk}/remove/")
    assert "chainChanged" in json.loads(response["HX-Trigger"])
    assert 'data-figure="central_households">0<' in worker.get(f"/party/c/{c.code}/tree/").content.decode()


def test_member_form_registers_a_resident(tree) -> None:  # type: ignore[no-untyped-def]
    c = tree.compounds[0]
    person = homes_of(c)[1].ownerships.get().person
    worker = client_for(user_with(Role.COMMUNITY_WORKER, tree.d("370202001001")))
    response = worker.post(
        f"/party/c/{c.code}/edit/member/",
        {"person": person.pk, "status": "probationary", "joined_on": "2024-07-01"},
    )
    assert "chainChanged" in json.loads(response["HX-Trigger"])
    assert PartyMember.objects.get(person=person).home == homes_of(c)[1]


def test_settings_page_only_the_district_admin_adds(tree) -> None:  # type: ignore[no-untyped-def]
    admin = client_for(user_with(Role.DISTRICT_ADMIN, tree.d("370202")))
    district = tree.d("370202")
    data = {
        "key": "building_group_min_members",
        "value": 3,
        "effective_from": "2024-01-01",
        "place": district.pk,
    }
    assert admin.post("/party/settings/", data).status_code == 302
    assert "楼栋建立党小组的最少党员数" in admin.get("/party/settings/").content.decode()
    worker = client_for(user_with(Role.COMMUNITY_WORKER, tree.d("370202001001")))
    assert worker.post("/party/settings/", data).status_code == 403


# -- query counts -------------------------------------------------------------------------------------


def grow_chain(compound: Any, members: int, groups: int, households: int) -> None:
    homes = [h for h in homes_of(compound) if not h.party_members.exists()]
    made = [add_member(homes[i]) for i in range(members)]
    org = PartyOrganisation.objects.active().covering(compound.path).first() or services.organisation_create(
        actor=SYS, kind="branch", name=f"{compound.name}党支部", compounds=[compound]
    )
    services.secretary_set(actor=SYS, organisation=org, member=made[0])
    for b in list(Building.objects.filter(compound=compound, party_groups__isnull=True).order_by("seq"))[
        :groups
    ]:
        services.group_create(
            actor=SYS,
            organisation=org,
            compound=compound,
            name=f"{b.number}党小组",
            buildings=[b],
            leader=made[0],
        )
    used = {m.home_id for m in made}
    free = [h for h in homes if h.pk not in used]
    for i, m in enumerate(made[:households]):
        if not hasattr(m, "central_household"):
            services.central_household_designate(actor=SYS, member=m, links=free[i * 2 : i * 2 + 2])


# Each page's queries, pinned (session, user, the place, grants, then the page's own reads). The pins
# hold with ten times the data: a new query per row would break them, and the helper lists every SQL.
PINS = {
    "/party/d/370202/": 10,
    "/party/d/370202001001/": 8,
    "/party/c/{big}/": 15,
    "/party/c/{big}/tree/": 14,
    "/party/gaps/370202/": 17,
    "/party/gaps/{big}/": 17,
    "/party/members/?place=370202": 6,
    "/party/members/?place=370202&q=w": 5,
    "/party/members/?place=370202&after={first}": 7,
    "/party/organisations/?place=370202": 9,
    "/api/v1/indicators/?place=370202": 32,  # the whole catalogue, every app's figures
    "/api/v1/party/organisations/": 7,
    "/api/v1/party/members/": 5,
    "/api/v1/party/groups/": 6,
    "/api/v1/party/households/": 6,
    "/api/v1/party/gaps/?place=370202": 15,
}


def check_pins(client: Client, **fill_in: Any) -> None:
    for url, n in PINS.items():
        with assert_queries(n, label=url.format(**fill_in)):
            assert client.get(url.format(**fill_in)).status_code == 200, url


def test_query_counts_do_not_grow_with_the_data(tree) -> None:  # type: ignore[no-untyped-def]
    community = tree.d("370202001001")
    big, _b, _h = make_compound(community, "大院", buildings=4, units=2, floors=5, per_floor=2)
    grow_chain(big, members=3, groups=1, households=1)
    client = client_for(user_with(Role.DISTRICT_ADMIN, tree.d("370202")))
    first = PartyMember.objects.order_by("path", "pk").first()
    assert first is not None
    check_pins(client, big=big.code, first=first.pk)
    grow_chain(big, members=30, groups=3, households=10)
    for i in range(9):
        other, _b, _h = make_compound(community, f"新院{i}", buildings=1, units=1, floors=2, per_floor=2)
        grow_chain(other, members=3, groups=1, households=1)
    check_pins(client, big=big.code, first=first.pk)


def test_members_list_pages_by_key_and_counts_from_the_counters(tree) -> None:  # type: ignore[no-untyped-def]
    from gongzhi.party import views

    c = tree.compounds[0]
    made = fill(c, full=5, probationary=2)
    client = client_for(user_with(Role.COMMUNITY_WORKER, tree.d("370202001001")))
    views.MEMBERS_PAGE, saved = 3, views.MEMBERS_PAGE
    try:
        seen: list[str] = []
        url = "/party/members/"
        while url:
            response = client.get(url)
            seen += [m.person.name for m in response.context["page"]]
            after = response.context["next_after"]
            url = f"/party/members/?after={after}" if after else ""
            assert "共 7 人" in response.content.decode()
    finally:
        views.MEMBERS_PAGE = saved
    assert sorted(seen) == sorted(m.person.name for m in made) and len(seen) == 7
    assert "共 5 人" in client.get("/party/members/?status=full").content.decode()
    # An `after` outside the caller's members starts over; rubbish is ignored.
    assert client.get("/party/members/?after=99999999").context["is_first"]
    assert client.get("/party/members/?after=x").status_code == 200
    assert client.get("/party/members/?after=x%00").status_code == 400  # NUL: refused by core.security


def test_probationary_member_becomes_full_and_the_compound_qualifies(tree) -> None:  # type: ignore[no-untyped-def]
    c = tree.compounds[0]
    fill(c, full=2)
    probationary = add_member(homes_of(c)[3], status="probationary")
    worker = client_for(user_with(Role.COMMUNITY_WORKER, tree.d("370202001001")))
    page = worker.get(f"/party/c/{c.code}/tree/").content.decode()
    assert 'data-figure="compounds_qualifying">0<' in page
    response = worker.post(
        f"/party/c/{c.code}/edit/full/", {"member": probationary.pk, "full_on": "2025-07-01"}
    )
    assert "chainChanged" in json.loads(response["HX-Trigger"])
    page = worker.get(f"/party/c/{c.code}/tree/").content.decode()
    assert 'data-figure="compounds_qualifying">1<' in page


def test_groups_and_organisations_can_be_removed_in_order(tree) -> None:  # type: ignore[no-untyped-def]
    c = tree.compounds[0]
    grow_chain(c, members=3, groups=1, households=0)
    worker = client_for(user_with(Role.COMMUNITY_WORKER, tree.d("370202001001")))
    org = PartyOrganisation.objects.active().covering(c.path).get()
    group = org.groups.get()
    assert worker.post(f"/party/organisations/{org.pk}/remove/").status_code == 409
    assert "chainChanged" in json.loads(worker.post(f"/party/groups/{group.pk}/remove/")["HX-Trigger"])
    assert "chainChanged" in json.loads(worker.post(f"/party/organisations/{org.pk}/remove/")["HX-Trigger"])
    assert not PartyOrganisation.objects.active().covering(c.path).exists()
    assert PartyOrganisation.objects.get(pk=org.pk).ended_on is not None  # ended, not deleted
    page = worker.get("/party/gaps/370202001001/").content.decode()
    assert 'data-gap="own_branch_missing"' in page


def test_nav_shows_party_links_only_to_roles_that_see_the_chain(tree) -> None:  # type: ignore[no-untyped-def]
    resident = client_for(user_with(Role.RESIDENT, tree.compounds[0]))
    assert "/party/members/" not in resident.get("/places/c/" + tree.compounds[0].code + "/").content.decode()
    member = client_for(user_with(Role.PARTY_MEMBER, tree.compounds[0]))
    assert "/party/members/" in member.get("/places/c/" + tree.compounds[0].code + "/").content.decode()


def test_settings_in_force_for_a_community_worker_come_from_the_district(tree) -> None:  # type: ignore[no-untyped-def]

    services.setting_add(
        actor=SYS,
        key="household_max_links",
        value=8,
        effective_from=date(2024, 1, 1),
        place=tree.d("370202"),
        note="区定",
    )
    worker = client_for(user_with(Role.COMMUNITY_WORKER, tree.d("370202001001")))
    page = worker.get("/party/settings/").content.decode()
    assert "区定" in page
    assert '<td class="text-end" data-setting>8</td>' in page


def test_the_chain_loads_its_member_list_from_the_members_page(tree) -> None:  # type: ignore[no-untyped-def]
    c = tree.compounds[0]
    made = fill(c, full=2)
    worker = client_for(user_with(Role.COMMUNITY_WORKER, tree.d("370202001001")))
    page = worker.get(f"/party/c/{c.code}/").content.decode()
    assert f'hx-get="/party/members/?place={c.code}"' in page and "（2）" in page
    rows = worker.get(f"/party/members/?place={c.code}", HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in rows and all(m.person.name in rows for m in made)


def test_organisations_list_counts_members_of_the_page(tree) -> None:  # type: ignore[no-untyped-def]
    c = tree.compounds[0]
    made = fill(c, full=3)
    org = services.organisation_create(actor=SYS, kind="branch", name=f"{c.name}党支部", compounds=[c])
    for m in made[:2]:
        services.member_transfer(actor=SYS, member=m, to_organisation=org, on=date(2024, 1, 1))
    worker = client_for(user_with(Role.COMMUNITY_WORKER, tree.d("370202001001")))
    page = worker.get("/party/organisations/").context["page"]
    assert [(o.code, o.n_members) for o in page] == [(org.code, 2)]
