"""The bidder's path in Debian's Chromium: register (ID number checked, masked), wait for the exchange's
approval, pay the deposit at the exchange, bid."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from gongzhi.accounts.roles import Role
from gongzhi.conftest import CHROMIUM
from gongzhi.people.identity import with_check_character
from gongzhi.tests.browser import login
from gongzhi.tests.factories import UserFactory, user_with
from gongzhi.trading.models import Bid, Bidder, BidderStatus
from gongzhi.trading.tests.kit import make_listing, make_world

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="Debian's chromium is not installed"),
]

ID = with_check_character("37028319850505202")


@pytest.mark.django_db(transaction=True)
def test_a_person_registers_is_approved_and_bids(request, live_server, artifacts_dir: Path) -> None:  # type: ignore[no-untyped-def]
    try:
        page = request.getfixturevalue("page")
    except pytest.FixtureLookupError:
        pytest.skip("pytest-playwright is not loaded (-p no:playwright)")
    w = make_world(0)
    listing = make_listing(w.d["370283001203"])
    person = UserFactory.create(first_name="王")
    county = user_with(Role.COUNTY_BUREAU, w.d["370283"], first_name="交易中心")
    shots = artifacts_dir / "trading"
    shots.mkdir(exist_ok=True)

    login(page, live_server, person.username)
    page.goto(f"{live_server.url}/trading/register/")
    page.fill("#name", "王小川")
    page.fill("#document", ID[:-1] + ("1" if ID[-1] != "1" else "2"))  # a typo in the check character
    page.select_option("#place", "370283")
    page.click("#register-form button[type=submit]")
    expect(page.locator(".alert-danger")).to_contain_text("校验码")
    assert not Bidder.objects.exists()
    page.fill("#name", "王小川")
    page.fill("#document", ID)
    page.click("#register-form button[type=submit]")
    expect(page.locator("#registration-status")).to_have_text("待审核")
    expect(page.locator("#registration")).to_contain_text(ID[:6] + "********" + ID[-4:])
    expect(page.locator("main")).not_to_contain_text(ID)
    page.screenshot(path=str(shots / "register-pending-1366.png"), full_page=True)

    page.context.clear_cookies()
    login(page, live_server, county.username)
    page.goto(f"{live_server.url}/trading/bidders/")
    row = page.locator("#pending-bidders tr").filter(has_text="王小川")
    expect(row).to_contain_text(ID[-4:])
    row.get_by_role("button", name="通过", exact=True).click()
    expect(page.locator(".alert-success")).to_contain_text("已审核通过")
    bidder = Bidder.objects.get()
    assert bidder.status == BidderStatus.APPROVED
    page.goto(f"{live_server.url}/trading/{listing.pk}/")
    page.select_option("#bidder", str(bidder.pk))
    page.get_by_role("button", name="登记保证金").click()
    expect(page.locator(".alert-success")).to_contain_text("已登记保证金")

    page.context.clear_cookies()
    login(page, live_server, person.username)
    page.set_viewport_size({"width": 360, "height": 800})
    page.goto(f"{live_server.url}/trading/{listing.pk}/")
    page.fill("#amount", str(listing.reserve_yuan))
    page.get_by_role("button", name="出价").click()
    expect(page.locator(".alert-success")).to_contain_text("出价成功")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.screenshot(path=str(shots / "bid-360.png"), full_page=True)
    assert Bid.objects.get().bidder == bidder


@pytest.mark.django_db(transaction=True)
def test_a_towns_staff_review_a_registration_filed_at_their_station(  # type: ignore[no-untyped-def]
    request, live_server, artifacts_dir: Path
) -> None:
    try:
        page = request.getfixturevalue("page")
    except pytest.FixtureLookupError:
        pytest.skip("pytest-playwright is not loaded (-p no:playwright)")
    w = make_world(0)
    listing = make_listing(w.d["370283001203"])
    person = UserFactory.create(first_name="李")
    shots = artifacts_dir / "trading"
    shots.mkdir(exist_ok=True)

    login(page, live_server, person.username)
    page.goto(f"{live_server.url}/trading/register/")
    page.fill("#name", "李青禾")
    page.fill("#document", ID)
    page.select_option("#place", "370283001")  # 东阁街道's trading station
    page.click("#register-form button[type=submit]")
    expect(page.locator("#registration-status")).to_have_text("待审核")

    page.context.clear_cookies()
    login(page, live_server, w.town_staff.username)
    page.goto(f"{live_server.url}/trading/bidders/")
    row = page.locator("#pending-bidders tr").filter(has_text="李青禾")
    expect(row).to_contain_text("东阁街道农村产权交易服务站")
    expect(row).not_to_contain_text(ID)
    page.screenshot(path=str(shots / "town-review-1366.png"), full_page=True)
    row.get_by_role("button", name="通过", exact=True).click()
    expect(page.locator(".alert-success")).to_contain_text("已审核通过")
    bidder = Bidder.objects.get()
    assert bidder.status == BidderStatus.APPROVED
    page.goto(f"{live_server.url}/trading/{listing.pk}/")
    expect(page.locator("#bidder")).to_contain_text(str(bidder.number))
    page.select_option("#bidder", str(bidder.pk))
    page.get_by_role("button", name="登记保证金").click()
    expect(page.locator(".alert-success")).to_contain_text("已登记保证金")

    page.context.clear_cookies()
    login(page, live_server, person.username)
    page.goto(f"{live_server.url}/trading/{listing.pk}/")
    page.fill("#amount", str(listing.reserve_yuan))
    page.get_by_role("button", name="出价").click()
    expect(page.locator(".alert-success")).to_contain_text("出价成功")
    expect(page.locator(".gz-card").filter(has_text="出价记录").last).to_contain_text(str(bidder.number))
    assert Bid.objects.get().bidder == bidder


@pytest.mark.django_db(transaction=True)
def test_the_exchange_signs_the_contract_from_the_award(  # type: ignore[no-untyped-def]
    request, live_server, artifacts_dir: Path
) -> None:
    try:
        page = request.getfixturevalue("page")
    except pytest.FixtureLookupError:
        pytest.skip("pytest-playwright is not loaded (-p no:playwright)")
    from gongzhi.collectives.models import Contract
    from gongzhi.trading import services
    from gongzhi.trading.tests.kit import pay, resource_for

    w = make_world(1)
    listing = make_listing(w.d["370283001203"])
    resource_for(listing)
    pay(listing, w.bidders[0])
    services.bid_place(actor=w.users[0], listing_id=listing.pk, bidder=w.bidders[0], amount_yuan=160_000)
    services.listing_close(actor=w.town_staff, listing=listing)
    shots = artifacts_dir / "trading"
    shots.mkdir(exist_ok=True)

    login(page, live_server, w.town_staff.username)
    page.goto(f"{live_server.url}/trading/{listing.pk}/")
    expect(page.locator("[data-decision] a")).to_have_attribute(
        "href", f"/collectives/decisions/{listing.decision_record_id}/"
    )
    page.fill("#id_code", "bad code!")
    page.get_by_role("button", name="签订合同").click()
    expect(page.locator(".alert-danger")).to_be_visible()
    assert not Contract.objects.exists()
    page.fill("#id_code", "LZ-2026-0101")
    page.select_option("#id_yearly", "1")
    page.get_by_role("button", name="签订合同").click()
    expect(page.locator(".alert-success")).to_contain_text("已签订流转合同")
    expect(page.locator("[data-contract]")).to_contain_text("LZ-2026-0101")
    expect(page.locator("#instalments tbody tr")).to_have_count(10)
    page.screenshot(path=str(shots / "contract-1366.png"), full_page=True)
    page.get_by_role("button", name="价款已付，结算").click()
    expect(page.locator("[data-status]")).to_have_text("已结算")
    assert Contract.objects.get().party == w.bidders[0].name
