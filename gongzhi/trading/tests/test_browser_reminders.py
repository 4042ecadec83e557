"""The overdue reminders in Debian's Chromium: the town's station staff (zhen_staff's role) and the county
bureau (pingdu_ju's) see the daily job's reminders on /trading/ — collective, payer, amount, days overdue —
and the town's staff export the trading ledger with its 付款计划 sheet from the ledgers page."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from gongzhi.accounts.roles import Role
from gongzhi.conftest import CHROMIUM
from gongzhi.core.actors import system
from gongzhi.ledgers.xlsx import read_workbook
from gongzhi.tests.browser import login
from gongzhi.tests.factories import user_with
from gongzhi.trading.ledger import INSTALMENTS
from gongzhi.trading.models import Instalment
from gongzhi.trading.reminders import overdue_remind
from gongzhi.trading.tests.kit import make_world
from gongzhi.trading.tests.test_instalments import deal

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="Debian's chromium is not installed"),
]


@pytest.mark.django_db(transaction=True)
def test_town_staff_and_county_bureau_see_reminders_and_export_the_schedule(  # type: ignore[no-untyped-def]
    request, live_server, artifacts_dir: Path, tmp_path: Path
) -> None:
    try:
        page = request.getfixturevalue("page")
    except pytest.FixtureLookupError:
        pytest.skip("pytest-playwright is not loaded (-p no:playwright)")
    w = make_world(1)
    listing = deal(w)
    overdue_remind(actor=system("test"), on=timezone.localdate())
    second = Instalment.objects.get(listing=listing, seq=2)
    days = (timezone.localdate() - second.due_on).days
    county = user_with(Role.COUNTY_BUREAU, w.d["370283"])
    shots = artifacts_dir / "trading"
    shots.mkdir(exist_ok=True)

    for user, name in ((w.town_staff, "town"), (county, "county")):
        page.context.clear_cookies()
        login(page, live_server, user.username)
        page.goto(f"{live_server.url}/trading/")
        expect(page.locator("#reminders [data-reminders]")).to_have_text("3")
        row = page.locator(f'#reminders tr[data-reminder="{second.pk}"]')
        expect(row).to_contain_text(listing.contract.collective.name)  # type: ignore[union-attr]
        expect(row).to_contain_text(w.bidders[0].name)
        expect(row).to_contain_text("10,000")
        expect(row.locator("[data-days]")).to_have_text(str(days))
        page.screenshot(path=str(shots / f"reminders-{name}-1366.png"), full_page=True)

    page.context.clear_cookies()
    login(page, live_server, w.town_staff.username)
    page.goto(f"{live_server.url}/ledgers/")
    with page.expect_download() as download:
        page.locator('a[href^="/ledgers/trading_listings/export/"]').first.click()
    exported = tmp_path / "trading.xlsx"
    download.value.save_as(exported)
    sheet = read_workbook(io.BytesIO(exported.read_bytes()))[INSTALMENTS.name]
    assert sheet[0] == INSTALMENTS.headers
    assert [r[2] for r in sheet[1:]] == list(range(1, 11))
    assert {r[0] for r in sheet[1:]} == {listing.code}

    # Paid on the listing's page, the instalment leaves the reminders.
    page.goto(f"{live_server.url}/trading/{listing.pk}/")
    page.fill("#pay-amount-2", "10000")
    page.fill("#pay-on-2", second.due_on.isoformat())
    page.get_by_role("button", name="登记第2期价款已付").click()
    expect(page.locator(".alert-success")).to_contain_text("已登记第2期价款")
    page.goto(f"{live_server.url}/trading/")
    expect(page.locator("#reminders [data-reminders]")).to_have_text("2")
    expect(page.locator(f'#reminders tr[data-reminder="{second.pk}"]')).to_have_count(0)
