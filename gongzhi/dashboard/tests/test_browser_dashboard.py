"""The 驾驶舱 in Debian's Chromium: every catalogued figure read off the page equals the catalogue's
computation, for the district and after drilling down to a subdistrict; the charts draw; the campaign page
shows the same counts."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from gongzhi.accounts.roles import Role
from gongzhi.dashboard.templatetags.dashboard_tags import figure
from gongzhi.demo.campaign import build_campaign
from gongzhi.insights.registry import catalogue, values
from gongzhi.tests.browser import login
from gongzhi.tests.factories import make_tree, user_with

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _read_all(page, place):  # type: ignore[no-untyped-def]
    live = values(place)
    shown = catalogue(getattr(place, "level", "compound"))
    assert shown
    for f in shown:
        expect(page.locator(f'[data-gz-value="{f.code}"]')).to_have_text(figure(live.get(f.code), f))
    return live


def test_dashboard_figures_match_the_catalogue(page, live_server, artifacts_dir):  # type: ignore[no-untyped-def]
    tree = make_tree()
    demo = build_campaign(seed=1, months=2)
    assert demo.targets == 134
    district = tree.d("370202")
    user_with(Role.DISTRICT_ADMIN, district, username="qu")
    login(page, live_server, "qu")

    page.goto(f"{live_server.url}/dashboard/")
    expect(page.locator("h1")).to_contain_text("市南区 驾驶舱")
    live = _read_all(page, district)
    assert live["campaign_targets"] == 134
    expect(page.locator("#gz-history svg")).to_have_count(1)
    expect(page.locator("#gz-history-title")).to_have_text("攻坚目标总体进度")
    page.screenshot(path=str(artifacts_dir / "dashboard-district.png"), full_page=True)

    page.locator('[data-gz-figure="homes_total"]').click()
    expect(page.locator("#gz-children-title")).to_have_text("房屋数")

    page.locator("#drilldown").get_by_role("link", name="香港中路街道").click()
    expect(page.locator("h1")).to_contain_text("香港中路街道 驾驶舱")
    _read_all(page, tree.d("370202001"))

    page.goto(f"{live_server.url}/campaign/")
    page.get_by_role("link", name="深化红色物业 共建幸福家园").click()
    expect(page.locator("#fig-targets")).to_have_text("134")
    expect(page.locator("#fig-done")).to_have_text(str(live["campaign_targets_done"]))
    page.screenshot(path=str(artifacts_dir / "campaign.png"), full_page=True)
