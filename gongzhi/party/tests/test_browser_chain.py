"""A community worker fixes the gap the gaps page names, in Debian's Chromium, and sees the figures move."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from gongzhi.accounts.roles import Role
from gongzhi.party.tests.helpers import fill
from gongzhi.tests.browser import login
from gongzhi.tests.factories import make_tree, user_with

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_worker_builds_the_chain_and_the_figures_change(page, live_server, artifacts_dir):  # type: ignore[no-untyped-def]
    tree = make_tree()
    compound = tree.compounds[0]
    members = fill(compound, full=3)
    user_with(Role.COMMUNITY_WORKER, compound.community, username="worker")
    login(page, live_server, "worker")

    page.goto(f"{live_server.url}/party/gaps/{compound.community.code}/")
    gap = page.locator('tr[data-gap="own_branch_missing"]')
    expect(gap).to_contain_text(compound.name)
    expect(gap).to_contain_text("第三十条")
    gap.get_by_role("link", name="去处理").click()

    expect(page.locator("h1")).to_contain_text("组织链条")
    expect(page.locator('[data-figure="compounds_with_party_org"]')).to_have_text("0")
    page.get_by_role("button", name="建立党组织").click()
    page.get_by_label("名称").fill(f"{compound.name}党支部")
    page.get_by_role("button", name="保存").click()
    expect(page.locator('[data-figure="compounds_with_party_org"]')).to_have_text("1")
    expect(page.locator('[data-figure="party_org_coverage"]')).to_have_text("100%")
    expect(page.locator("#chain-tree")).to_contain_text(f"{compound.name}党支部")

    page.get_by_role("button", name="确定党员中心户").click()
    page.get_by_label("党员").select_option(str(members[0].pk))
    page.get_by_label("联系户数（自动选同楼栋邻近住户）").fill("1")
    page.get_by_role("button", name="保存").click()
    expect(page.locator('[data-figure="central_households"]')).to_have_text("1")
    expect(page.locator('[data-figure="homes_linked"]')).to_have_text("1")
    page.screenshot(path=str(artifacts_dir / "party-chain.png"), full_page=True)

    page.goto(f"{live_server.url}/party/gaps/{compound.community.code}/")
    expect(page.locator('tr[data-gap="own_branch_missing"]')).to_have_count(0)
    page.goto(f"{live_server.url}/party/d/{compound.community.code}/")
    expect(page.locator('[data-figure="compounds_with_party_org"]')).to_have_text("1")
    page.set_viewport_size({"width": 360, "height": 800})
    page.screenshot(path=str(artifacts_dir / "party-dashboard-360.png"), full_page=True)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360
