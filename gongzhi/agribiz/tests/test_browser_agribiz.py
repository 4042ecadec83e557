"""Town staff registers a cooperative and files its yearly report; the county sees the count rise — in
Debian's Chromium, at desk and phone width."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from gongzhi.agribiz.models import CoopMember, CoopProfile, CoopReport
from gongzhi.agribiz.tests.kit import VILLAGE, credit_code, id_number, make_coop, make_world
from gongzhi.conftest import CHROMIUM
from gongzhi.tests.browser import login, nav_click

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="Debian's chromium is not installed"),
]


@pytest.mark.django_db(transaction=True)
def test_town_registers_and_reports_the_county_sees_the_count(
    request, live_server, artifacts_dir: Path
) -> None:  # type: ignore[no-untyped-def]
    try:
        page = request.getfixturevalue("page")
    except pytest.FixtureLookupError:
        pytest.skip("pytest-playwright is not loaded (-p no:playwright)")
    w = make_world()
    make_coop(w.d[VILLAGE])
    shots = artifacts_dir / "agribiz"
    shots.mkdir(exist_ok=True)
    page.on("dialog", lambda dialog: dialog.accept())  # the confirmation before the form is sent

    login(page, live_server, w.county.username)
    nav_click(page, "合作社与家庭农场")
    expect(page.locator("[data-figure=cooperatives]")).to_have_text("1")
    page.context.clear_cookies()

    login(page, live_server, w.town_staff.username)
    nav_click(page, "合作社与家庭农场")
    page.get_by_role("link", name="登记合作社").first.click()
    page.fill("#id_village", VILLAGE)
    page.fill("#id_name", "平度市郭家疃樱桃专业合作社")
    page.fill("#id_credit_code", credit_code())
    page.fill("#id_rep_name", "张伟")
    page.fill("#id_rep_id_number", id_number())
    page.fill("#id_founded_on", "2019-04-01")
    page.fill("#id_members_count", "8")
    page.fill("#id_land_mu", "260")
    page.select_option("#id_products", ["fruit"])
    page.screenshot(path=str(shots / "coop-form-1366.png"), full_page=True)
    page.get_by_role("button", name="提交").click()
    expect(page.locator(".alert-success")).to_contain_text("已登记合作社")
    page.get_by_role("link", name="报送年度报告").click()
    page.fill("#id_year", "2025")
    page.fill("#id_members", "9")
    page.fill("#id_revenue_yuan", "1200000")
    page.fill("#id_surplus_returned_yuan", "80000")
    page.fill("#id_land_mu", "260")
    page.get_by_role("button", name="提交").click()
    expect(page.locator(".alert-success")).to_contain_text("已报送2025年度报告")
    expect(page.locator("[data-report='2025']")).to_contain_text(
        "逾期报送"
    )  # filed after 30 June of the next year
    page.set_viewport_size({"width": 360, "height": 780})
    page.screenshot(path=str(shots / "coop-360.png"), full_page=True)
    page.set_viewport_size({"width": 1366, "height": 900})
    page.context.clear_cookies()

    login(page, live_server, w.county.username)
    page.goto(f"{live_server.url}/agribiz/")
    expect(page.locator("[data-figure=cooperatives]")).to_have_text("2")
    page.screenshot(path=str(shots / "county-1366.png"), full_page=True)
    assert CoopProfile.objects.count() == 2 and CoopReport.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_town_staff_adds_and_removes_a_single_member_with_the_five_member_warning(
    request, live_server, artifacts_dir: Path
) -> None:  # type: ignore[no-untyped-def]
    """Issue 14: one member joins (ID masked after), then a leaving that would leave four members asks for a
    confirmation citing 第十二条, and is recorded once confirmed."""
    try:
        page = request.getfixturevalue("page")
    except pytest.FixtureLookupError:
        pytest.skip("pytest-playwright is not loaded (-p no:playwright)")
    w = make_world()
    profile = make_coop(w.d[VILLAGE], members_count=5, name="平度市郭家疃樱桃专业合作社")
    CoopProfile.objects.filter(pk=profile.pk).update(
        members_count=4
    )  # as stated on a register before the law
    shots = artifacts_dir / "agribiz"
    shots.mkdir(exist_ok=True)
    page.on("dialog", lambda dialog: dialog.accept())
    idn = id_number()

    login(page, live_server, w.town_staff.username)
    page.goto(f"{live_server.url}/agribiz/coops/{profile.pk}/")
    page.get_by_role("link", name="成员入社、退社").click()
    page.fill("#id_join-name", "陈立新")
    page.fill("#id_join-id_number", idn)
    page.fill("#id_join-joined_on", "2021-03-01")
    page.get_by_role("button", name="登记入社").click()
    expect(page.locator(".alert-success")).to_contain_text("已登记入社")
    expect(page.locator("#members-count")).to_contain_text("5")
    row = page.locator("#members tbody tr").first
    expect(row).to_contain_text(idn[:6])
    assert idn not in page.content() and "陈立新" not in page.content()  # masked
    expect(page.locator("#below-five")).to_contain_text("第十二条")
    page.screenshot(path=str(shots / "members-1366.png"), full_page=True)

    row.get_by_role("button", name="退社").click()  # without the confirmation: asked for it, nothing written
    expect(page.locator("#leave-errors")).to_contain_text("请勾选确认")
    expect(page.locator("#members-count")).to_contain_text("5")
    page.locator("#members tbody tr").first.locator("input[name=leave-confirm]").check()
    page.locator("#members tbody tr").first.get_by_role("button", name="退社").click()
    expect(page.locator(".alert-success")).to_contain_text("已登记退社")
    expect(page.locator(".alert-warning", has_text="4名")).to_contain_text(
        "第十二条"
    )  # the messages, not the banner
    expect(page.locator("#members-count")).to_contain_text("4")
    page.set_viewport_size({"width": 360, "height": 780})
    page.screenshot(path=str(shots / "members-360.png"), full_page=True)
    profile.refresh_from_db()
    assert profile.members_count == 4
    assert CoopMember.objects.get(coop=profile).left_on is not None
