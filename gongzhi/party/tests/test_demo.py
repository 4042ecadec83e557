"""The demo district shows the source's figures, counted by the rules from live rows."""

from __future__ import annotations

import re

import pytest
from django.core.management import call_command
from django.test import Client

from gongzhi.accounts.roles import Role
from gongzhi.party import selectors
from gongzhi.places.models import Division
from gongzhi.tests.factories import user_with


def figure(page: str, name: str) -> str:
    match = re.search(rf'data-figure="{name}">([^<]+)<', page)
    assert match, name
    return match.group(1)


@pytest.mark.slow
@pytest.mark.django_db
def test_demo_dashboard_reads_215_483_3592_and_full_coverage() -> None:
    call_command("seed_demo", verbosity=0)
    shinan = Division.objects.get(code="370202")
    client = Client()
    client.force_login(user_with(Role.DISTRICT_ADMIN, shinan))
    page = client.get("/party/d/370202/").content.decode()
    assert figure(page, "compounds_total") == "250"
    assert figure(page, "compounds_qualifying") == "215"
    assert figure(page, "compounds_with_party_org") == "215"
    assert figure(page, "building_party_groups") == "483"
    assert figure(page, "central_households").replace(",", "") == "3592"
    assert figure(page, "party_org_coverage") == "100%"
    api = client.get("/api/v1/indicators/?place=370202").json()
    assert api["party_org_coverage"] == 1.0 and api["compounds_covered"] == 250
    # The rules find nothing missing in the demo, and a second run reuses what is there.
    assert selectors.gaps(shinan) == []
    call_command("seed_demo", verbosity=0)
    assert client.get("/api/v1/indicators/?place=370202").json() == api
