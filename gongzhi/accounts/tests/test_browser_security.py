"""A district administrator sets up TOTP at first log-in, then finds and ends sessions on "my security"
(Debian's Chromium, under the site's CSP)."""

from __future__ import annotations

from pathlib import Path

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from gongzhi.accounts.roles import Role
from gongzhi.tests.browser import login
from gongzhi.tests.factories import make_tree, user_with

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = Path("/work/wt/shots/h15b")


def _code(device: TOTPDevice) -> str:
    return str(totp(device.bin_key, device.step, device.t0, device.digits, device.drift)).zfill(6)


def _shot(page, name: str, artifacts_dir) -> None:  # type: ignore[no-untyped-def]
    for folder in (artifacts_dir, SHOTS if SHOTS.parent.exists() else None):
        if folder is not None:
            folder.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(folder / name), full_page=True)


def test_two_factor_log_in_and_my_security(page, live_server, artifacts_dir, settings):
    settings.GONGZHI_DEMO = False
    tree = make_tree()
    admin = user_with(Role.DISTRICT_ADMIN, tree.d("370202"), username="qu_admin", first_name="赵六")
    login(page, live_server, "qu_admin")
    expect(page.locator("h1")).to_have_text("两步验证")
    qr = page.locator("#otp-qr")
    expect(qr).to_be_visible()
    assert page.evaluate("document.getElementById('otp-qr').naturalWidth") > 0
    _shot(page, "otp-setup.png", artifacts_dir)
    page.get_by_label("动态验证码").fill("000000")
    page.get_by_role("button", name="验证").click()
    expect(page.get_by_text("验证码不正确或已过期")).to_be_visible()
    device = TOTPDevice.objects.get(user=admin)
    TOTPDevice.objects.filter(pk=device.pk).update(
        throttling_failure_count=0, throttling_failure_timestamp=None
    )
    page.get_by_label("动态验证码").fill(_code(device))
    page.get_by_role("button", name="验证").click()
    expect(page.get_by_text("两步验证已启用")).to_be_visible()

    page.get_by_role("link", name="我的安全").click()  # the shield beside the name (the name opens 我的信息)
    expect(page.locator("h1")).to_have_text("我的安全")
    expect(page.get_by_text("两步验证已启用（身份验证器应用）")).to_be_visible()
    expect(page.get_by_text("当前会话")).to_be_visible()
    expect(page.get_by_text("动态验证码通过").first).to_be_visible()
    _shot(page, "my-security.png", artifacts_dir)
    page.locator("#sessions").get_by_role("button", name="结束").click()
    expect(page.locator("#login-form")).to_be_visible()
