"""The demo 市南区 dashboard in Chromium shows every figure of the source's lead article (domain.md §6),
computed from the generated rows: what a district admin reads off the page, then every figure shown against
the catalogue's own computation.
"""

from __future__ import annotations

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from gongzhi.accounts.roles import Role
from gongzhi.dashboard.templatetags.dashboard_tags import figure
from gongzhi.insights.registry import catalogue, values
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


def test_demo_dashboard_reads_the_source_figures(page, live_server, artifacts_dir):  # type: ignore[no-untyped-def]
    call_command("seed_demo", verbosity=0)
    shinan = Division.objects.get(code="370202")
    user_with(Role.DISTRICT_ADMIN, shinan, username="demo_qu")
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
