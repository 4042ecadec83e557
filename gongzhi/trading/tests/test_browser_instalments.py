"""The town's staff record a contract's second instalment in Debian's Chromium: the overdue list, the
listing's schedule, a wrong amount refused, then the right one, and the row shows its payment date."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from gongzhi.conftest import CHROMIUM
from gongzhi.tests.browser import login
from gongzhi.trading.models import Instalment
from gongzhi.trading.tests.kit import make_world
from gongzhi.trading.tests.test_instalments import deal

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="Debian's chromium is not installed"),
]


@pytest.mark.django_db(transaction=True)
def test_town_staff_pay_instalment_two_and_see_it(request, live_server, artifacts_dir: Path) -> None:  # type: ignore[no-untyped-def]
    try:
        page = request.getfixturevalue("page")
    except pytest.FixtureLookupError:
        pytest.skip("pytest-playwright is not loaded (-p no:playwright)")
    w = make_world(1)
    listing = deal(w)
    second = Instalment.objects.get(listing=listing, seq=2)
    shots = artifacts_dir / "trading"
    shots.mkdir(exist_ok=True)

    login(page, live_server, w.town_staff.username)
    page.goto(f"{live_server.url}/trading/")
    expect(page.locator("#overdue h2")).to_contain_text("逾期未付价款（3）")
    page.locator("#overdue").get_by_role("link", name=listing.code).first.click()
    row = page.locator('#instalments tr[data-seq="2"]')
    expect(row.locator("[data-overdue]")).to_be_visible()
    expect(row.locator("[data-paid]")).to_have_text("—")
    page.screenshot(path=str(shots / "instalments-overdue-1366.png"), full_page=True)

    page.fill("#pay-amount-2", "9000")
    page.fill("#pay-on-2", second.due_on.isoformat())
    page.get_by_role("button", name="登记第2期价款已付").click()
    expect(page.locator(".alert-danger")).to_contain_text("应付金额10000元")
    assert Instalment.objects.get(pk=second.pk).paid_on is None

    page.fill("#pay-amount-2", "10000")
    page.fill("#pay-on-2", second.due_on.isoformat())
    page.get_by_role("button", name="登记第2期价款已付").click()
    expect(page.locator(".alert-success")).to_contain_text("已登记第2期价款")
    row = page.locator('#instalments tr[data-seq="2"]')
    expect(row.locator("[data-paid]")).to_have_text(second.due_on.isoformat())
    expect(row.locator("[data-overdue]")).to_have_count(0)
    expect(page.locator("#pay-3")).to_be_visible()  # the next one in order
    page.screenshot(path=str(shots / "instalments-paid-1366.png"), full_page=True)
    assert Instalment.objects.get(pk=second.pk).paid_on == second.due_on
    page.goto(f"{live_server.url}/trading/")
    expect(page.locator("#overdue h2")).to_contain_text("逾期未付价款（2）")
