"""Subdistrict staff create a community worker's account in Debian's Chromium."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from gongzhi.accounts.roles import Role
from gongzhi.tests.browser import login, nav_click
from gongzhi.tests.factories import make_tree, user_with

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_staff_creates_an_account(page, live_server, artifacts_dir):
    tree = make_tree()
    user_with(Role.SUBDISTRICT_STAFF, tree.d("370202001"), username="jiedao")
    login(page, live_server, "jiedao")
    nav_click(page, "用户管理")
    page.get_by_role("link", name="新建用户").click()
    page.get_by_label("用户名").fill("zhang.min")
    page.get_by_label("姓名").fill("张敏")
    page.get_by_label("初始密码").fill("Qd-2024-safe!")
    page.get_by_label("角色").select_option(label="社区工作者")
    page.get_by_label("范围").fill("370202009001")
    page.get_by_role("button", name="创建").click()
    expect(page.get_by_text("不在您管理的区域内")).to_be_visible()
    page.get_by_label("初始密码").fill("Qd-2024-safe!")
    page.get_by_label("范围").fill("370202001001")
    page.get_by_role("button", name="创建").click()
    expect(page.locator("h1")).to_have_text("张敏")
    expect(page.get_by_text("社区工作者 · 云霄路社区")).to_be_visible()
    page.screenshot(path=str(artifacts_dir / "accounts-user.png"), full_page=True)
