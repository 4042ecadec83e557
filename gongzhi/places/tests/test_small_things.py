"""What users expect of the place pages (issue 9): the compound's code and its governance links, a
building's party group, the API link only for roles that use the API, a confirmation before what cannot
be undone, a message after every save."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from gongzhi.accounts.roles import Role
from gongzhi.party.tests.helpers import fill
from gongzhi.tests.factories import user_with

pytestmark = pytest.mark.django_db


def client_for(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


def test_compound_page_shows_code_and_links_its_chain_matters_and_votes(tree) -> None:  # type: ignore[no-untyped-def]
    compound = tree.compounds[0]
    page = client_for(user_with(Role.PARTY_SECRETARY, compound)).get(f"/places/c/{compound.code}/")
    text = page.content.decode()
    assert compound.code in text and "小区编码" in text
    for url in [
        f"/party/c/{compound.code}/",
        f"/affairs/?compound={compound.code}",
        f"/affairs/?compound={compound.code}&status=voting",
    ]:
        assert url in text, url
    # A resident sees no party chain link (no party.view), but does see the matters.
    resident = client_for(user_with(Role.RESIDENT, compound)).get(f"/places/c/{compound.code}/")
    assert f"/party/c/{compound.code}/" not in resident.content.decode()
    assert f"/affairs/?compound={compound.code}" in resident.content.decode()


def test_building_page_links_its_group(tree) -> None:  # type: ignore[no-untyped-def]
    from gongzhi.party import services
    from gongzhi.party.models import PartyOrganisation
    from gongzhi.party.tests.helpers import SYS

    compound = tree.compounds[0]
    building = compound.buildings.first()
    fill(compound, full=3)
    org = services.organisation_create(
        actor=SYS, kind="branch", name="金门路小区党支部", compounds=[compound]
    )
    assert PartyOrganisation.objects.filter(pk=org.pk).exists()
    group = services.group_create(
        actor=SYS, organisation=org, compound=compound, name="1号楼党小组", buildings=[building]
    )
    leader = client_for(user_with(Role.BUILDING_LEADER, building))
    text = leader.get(f"/places/b/{building.pk}/").content.decode()
    assert f"/party/c/{compound.code}/#group-{group.pk}" in text and "1号楼党小组" in text


def test_api_link_only_for_roles_that_use_it(tree) -> None:  # type: ignore[no-untyped-def]
    compound = tree.compounds[0]
    for role, place, shown in [
        (Role.DISTRICT_ADMIN, tree.d("370202"), True),
        (Role.COMMUNITY_WORKER, tree.d("370202001001"), True),
        (Role.RESIDENT, compound, False),
        (Role.PARTY_MEMBER, compound, False),
        (Role.PROPERTY_STAFF, compound, False),
    ]:
        text = client_for(user_with(role, place)).get("/affairs/").content.decode()
        assert ('href="/api/v1/docs/"' in text) is shown, role


def test_irreversible_forms_ask_first(tree) -> None:  # type: ignore[no-untyped-def]
    admin = user_with(Role.DISTRICT_ADMIN, tree.d("370202"))
    worker = user_with(Role.COMMUNITY_WORKER, tree.d("370202001001"))
    text = client_for(admin).get(f"/accounts/users/{worker.pk}/").content.decode()
    assert text.count("data-confirm=") >= 2  # deactivate the account, revoke a role
    assert "gongzhi/confirm.js" in text  # loaded on every page by the layout


def test_party_forms_say_what_was_saved(tree) -> None:  # type: ignore[no-untyped-def]
    compound = tree.compounds[0]
    secretary = client_for(user_with(Role.PARTY_SECRETARY, compound))
    fill(compound, full=3)
    response = secretary.post(
        f"/party/c/{compound.code}/edit/org/", {"kind": "branch", "name": "金门路小区党支部"}
    )
    trigger = json.loads(response["HX-Trigger"])
    assert trigger["chainChanged"] and "已保存" in trigger["gzSaved"]
