"""A community worker and the district admin use the place browser in Debian's Chromium."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from gongzhi.accounts.roles import Role
from gongzhi.tests.browser import login
from gongzhi.tests.factories import make_tree, user_with

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_community_worker_drills_down_and_sees_only_own_community(page, live_server, artifacts_dir):
    tree = make_tree()
    community = tree.compounds[0].community
    user_with(Role.COMMUNITY_WORKER, community, username="worker")
    login(page, live_server, "worker")
    # Lands on their own community, which lists its two compounds.
    expect(page.locator("h1")).to_have_text("云霄路社区")
    expect(page.get_by_role("link", name="金门路小区")).to_be_visible()
    expect(page.get_by_role("link", name="湛山新村")).to_have_count(0)
    page.get_by_role("link", name="金门路小区").click()
    expect(page.locator("h1")).to_have_text("金门路小区")
    page.get_by_role("link", name="1号楼").click()
    expect(page.locator("h1")).to_contain_text("1号楼")
    page.locator("a.gz-home-cell").first.click()
    expect(page.locator("h1")).to_contain_text("101")
    expect(page.get_by_text("专有部分面积")).to_be_visible()
    page.screenshot(path=str(artifacts_dir / "places-home.png"), full_page=True)
    # Another community's page is a plain 404 for this worker.
    other = tree.compounds[2].community
    response = page.goto(f"{live_server.url}/places/d/{other.code}/")
    assert response is not None and response.status == 404


def test_admin_finds_compound_by_pinyin_initials_and_switches_language(page, live_server, artifacts_dir):
    tree = make_tree()
    user_with(Role.DISTRICT_ADMIN, tree.d("370202"), username="admin")
    login(page, live_server, "admin")
    expect(page.locator("h1")).to_have_text("市南区")
    page.screenshot(path=str(artifacts_dir / "places-district.png"), full_page=True)
    page.goto(f"{live_server.url}/places/search/")
    page.get_by_role("searchbox", name="搜索").last.fill("zsxc")
    expect(page.get_by_role("link", name=re.compile("湛山新村"))).to_be_visible()
    expect(page.get_by_role("link", name=re.compile("辽宁路里院"))).to_have_count(0)
    page.get_by_role("link", name=re.compile("湛山新村")).click()
    expect(page.locator("h1")).to_have_text("湛山新村")
    page.get_by_role("button", name="English").click()
    expect(page.get_by_role("button", name="中文")).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.get_by_role("button", name="中文").click()
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")


def test_phone_width(page, live_server, artifacts_dir):
    tree = make_tree()
    user_with(Role.COMMUNITY_WORKER, tree.compounds[0].community, username="worker")
    page.set_viewport_size({"width": 360, "height": 740})
    login(page, live_server, "worker")
    page.get_by_role("link", name="金门路小区").click()
    expect(page.locator("h1")).to_have_text("金门路小区")
    # Nothing wider than the screen: no sideways scrolling on a phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.screenshot(path=str(artifacts_dir / "places-compound-phone.png"), full_page=True)
