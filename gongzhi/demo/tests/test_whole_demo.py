"""The seeded demo 市南区 shows the source's figures, counted by the rules from live rows.

Seeding the whole demo is the suite's most expensive step, so the checks that need all of it share one seed:
the dashboard in Chromium (every figure of the source's lead article, domain.md §6, then every catalogued
figure against the catalogue's own computation), the party page and the indicators API, the party rules' gaps,
and a second `seed_demo` that reuses what is there.
"""

from __future__ import annotations

import re

import pytest
from django.core.management import call_command
from django.test import Client
from playwright.sync_api import expect

from gongzhi.accounts.roles import Role
from gongzhi.dashboard.templatetags.dashboard_tags import figure
from gongzhi.insights.registry import catalogue, values
from gongzhi.party import selectors
from gongzhi.places.models import Division
from gongzhi.tests.browser import login
from gongzhi.tests.factories import user_with

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

SOURCE = {  # domain.md §6 and the lead article
    "compounds_with_party_org": "215",
    "party_org_coverage": "100.00%",
    "building_party_groups": "483",
    "central_households": "3,592",
    "campaign_targets": "134",
    "reporting_units": "50",
    "reported_members": "3,372",
    "community_maps": "50",
    "owners_committee_rate": "89.09%",
}


def party_figure(page: str, name: str) -> str:
    match = re.search(rf'data-figure="{name}">([^<]+)<', page)
    assert match, name
    return match.group(1)


def test_demo_dashboard_and_party_figures_read_the_source(page, live_server, artifacts_dir):  # type: ignore[no-untyped-def]
    call_command("seed_demo", verbosity=0)
    shinan = Division.objects.get(code="370202")
    admin = user_with(Role.DISTRICT_ADMIN, shinan, username="demo_qu")

    # The dashboard in Chromium, as a district admin reads it.
    login(page, live_server, "demo_qu")
    page.goto(f"{live_server.url}/dashboard/370202/")
    for code, shown in SOURCE.items():
        expect(page.locator(f'[data-gz-value="{code}"]')).to_have_text(shown)
    resolved = int(page.locator('[data-gz-value="matters_resolved"]').inner_text().replace(",", ""))
    assert resolved >= 430
    live = values(shinan)
    for f in catalogue("district"):
        expect(page.locator(f'[data-gz-value="{f.code}"]')).to_have_text(figure(live.get(f.code), f))
    expect(page.locator("#gz-history svg")).to_have_count(1)
    page.screenshot(path=str(artifacts_dir / "dashboard-demo.png"), full_page=True)

    # The party page and the indicators API: 215 / 483 / 3,592 and full coverage.
    client = Client()
    client.force_login(admin)
    party = client.get("/party/d/370202/").content.decode()
    assert party_figure(party, "compounds_total") == "250"
    assert party_figure(party, "compounds_qualifying") == "215"
    assert party_figure(party, "compounds_with_party_org") == "215"
    assert party_figure(party, "building_party_groups") == "483"
    assert party_figure(party, "central_households").replace(",", "") == "3592"
    assert party_figure(party, "party_org_coverage") == "100%"
    api = client.get("/api/v1/indicators/?place=370202").json()
    assert api["party_org_coverage"] == 1.0 and api["compounds_covered"] == 250
    # The rules find nothing missing in the demo, and a second run reuses what is there.
    assert selectors.gaps(shinan) == []
    call_command("seed_demo", verbosity=0)
    assert client.get("/api/v1/indicators/?place=370202").json() == api
