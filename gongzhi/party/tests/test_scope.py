"""Scope by coverage: a joint branch is inside the scope of every compound it covers, and of no other."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from rest_framework.test import APIClient

from gongzhi.accounts.access import can, scoped
from gongzhi.accounts.roles import Action, Role
from gongzhi.accounts.services import role_grant
from gongzhi.party import services
from gongzhi.party.models import PartyOrganisation
from gongzhi.party.tests.helpers import SYS, fill
from gongzhi.tests.factories import user_with

pytestmark = pytest.mark.django_db


def api_for(user: Any) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def joint_branch(tree: Any) -> PartyOrganisation:
    a, b = tree.compounds[0], tree.compounds[2]  # two communities: stored under their subdistrict
    fill(a, full=1)
    fill(b, full=1)
    org = services.organisation_create(actor=SYS, kind="joint", name="甲乙联合党支部", compounds=[a, b])
    assert org.path == a.community.parent.path  # above both compounds: no compound grant reaches it by path
    return org


def test_the_secretary_of_a_covered_compound_sees_the_joint_branch_everywhere(tree) -> None:  # type: ignore[no-untyped-def]
    org = joint_branch(tree)
    secretary = user_with(Role.PARTY_SECRETARY, tree.compounds[2])
    page = Client()
    page.force_login(secretary)
    assert 'data-org="' + org.code + '"' in page.get(f"/party/c/{tree.compounds[2].code}/").content.decode()
    api = api_for(secretary)
    detail = api.get(f"/api/v1/party/organisations/{org.pk}/")
    assert detail.status_code == 200
    assert detail.json()["compounds"] == [tree.compounds[0].code, tree.compounds[2].code]
    assert [o["id"] for o in api.get("/api/v1/party/organisations/").json()["results"]] == [org.pk]
    assert can(secretary, Action.PARTY_EDIT, org)


def test_the_secretary_of_an_uncovered_compound_gets_404(tree) -> None:  # type: ignore[no-untyped-def]
    org = joint_branch(tree)
    outsider = user_with(Role.PARTY_SECRETARY, tree.compounds[1])  # same community as a covered one
    api = api_for(outsider)
    assert api.get(f"/api/v1/party/organisations/{org.pk}/").status_code == 404
    assert api.get("/api/v1/party/organisations/").json()["results"] == []
    assert api.delete(f"/api/v1/party/organisations/{org.pk}/").status_code == 404
    assert not can(outsider, Action.PARTY_VIEW, org)


def test_a_user_granted_on_both_covered_compounds_lists_the_branch_once(tree) -> None:  # type: ignore[no-untyped-def]
    org = joint_branch(tree)
    both = user_with(Role.PARTY_SECRETARY, tree.compounds[0])
    role_grant(actor=SYS, user=both, role=Role.PARTY_SECRETARY, place=tree.compounds[2])
    assert list(scoped(both, PartyOrganisation.objects.all(), Action.PARTY_VIEW)) == [org]
    district = api_for(user_with(Role.DISTRICT_ADMIN, tree.d("370202")))
    assert [o["id"] for o in district.get("/api/v1/party/organisations/").json()["results"]] == [org.pk]


def test_an_ended_branch_leaves_lists_and_pages_but_keeps_its_history(tree) -> None:  # type: ignore[no-untyped-def]
    org = joint_branch(tree)
    services.organisation_dissolve(actor=SYS, organisation=org)
    admin = api_for(user_with(Role.DISTRICT_ADMIN, tree.d("370202")))
    assert admin.get("/api/v1/party/organisations/").json()["results"] == []
    org.refresh_from_db()
    assert org.ended_on is not None
    assert [h.history_type for h in org.history.order_by("history_id")] == ["+", "~"]
    assert org.seats.current().count() == 0 and org.coverages.count() == 2


def test_an_ended_branch_stays_in_the_scope_of_the_compounds_it_covered(tree) -> None:  # type: ignore[no-untyped-def]
    org = joint_branch(tree)
    services.organisation_dissolve(actor=SYS, organisation=org)
    org = PartyOrganisation.objects.get(pk=org.pk)
    secretary = user_with(Role.PARTY_SECRETARY, tree.compounds[2])
    outsider = user_with(Role.PARTY_SECRETARY, tree.compounds[1])
    assert can(secretary, Action.PARTY_VIEW, org) and not can(outsider, Action.PARTY_VIEW, org)
    assert list(scoped(secretary, PartyOrganisation.objects.ended(), Action.PARTY_VIEW)) == [org]
    assert list(scoped(outsider, PartyOrganisation.objects.ended(), Action.PARTY_VIEW)) == []
