"""In Debian's Chromium: the operator opens the catalogue from the centre's overview, is refused a duplicate
item with the reason on the page, adds one, changes its limit, retires it (after the confirmation); the
enterprise's contact is no longer offered it on the requests page."""

from __future__ import annotations

import os

import pytest
from playwright.sync_api import expect

from gongzhi.centre.models import ServiceItem
from gongzhi.centre.tests.test_browser import _shot, _world
from gongzhi.conftest import CHROMIUM
from gongzhi.tests.browser import login

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="Debian's chromium is not installed"),
]


def test_the_operator_maintains_the_catalogue(page, live_server, browser) -> None:  # type: ignore[no-untyped-def]
    w = _world()
    centre = w["made"].centre
    page.on("dialog", lambda dialog: dialog.accept())
    login(page, live_server, "yunying")
    page.goto(f"{live_server.url}/centre/{centre.pk}/")
    page.locator("#to-items").click()
    expect(page.locator("h1")).to_contain_text("服务事项目录")
    new = page.locator("#new-item")
    new.locator("select[name=category]").select_option("government")
    new.locator("input[name=name]").fill("企业开办")  # already in the catalogue
    new.locator("input[name=handler]").fill("区行政审批服务局")
    new.locator("input[name=limit_days]").fill("3")
    new.locator("button[type=submit]").click()
    expect(page.locator("#new-item .alert-danger")).to_contain_text("已在目录中")
    assert ServiceItem.objects.count() == 3

    new = page.locator("#new-item")
    new.locator("select[name=category]").select_option("talent")
    new.locator("input[name=name]").fill("人才公寓")
    new.locator("input[name=handler]").fill("区住房保障中心")
    new.locator("input[name=limit_days]").fill("7")
    new.locator("button[type=submit]").click()
    expect(page.locator(".alert-success")).to_contain_text("人才公寓")
    item = ServiceItem.objects.get(name="人才公寓")
    edit = page.locator(f"#edit-{item.pk}")
    edit.locator("input[name=limit_days]").fill("9")
    edit.locator("button[type=submit]").click()
    expect(page.locator(".alert-success")).to_contain_text("已修改")
    page.locator(f"#retire-{item.pk} button").click()
    expect(page.locator(f"tr[data-item='{item.pk}'] .retired")).to_contain_text("已停办")
    _shot(page, "centre-items")
    item.refresh_from_db()
    assert item.limit_days == 9 and item.retired_on is not None

    page.context.clear_cookies()
    login(page, live_server, "qiye")
    page.goto(f"{live_server.url}/centre/requests/")
    options = page.locator(f"#file-{w['enterprise'].pk} select[name=item] option").all_inner_texts()
    assert any("企业开办" in o for o in options) and not any("人才公寓" in o for o in options)
