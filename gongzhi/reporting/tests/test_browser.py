"""A member reports on the phone, is proposed for a need, accepts, records hours; the secretary confirms;
the hours reach the unit's quarterly card — in Debian's Chromium."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from gongzhi.core.pdf import pdf_text
from gongzhi.party.tests.helpers import add_member, homes_of
from gongzhi.reporting import services
from gongzhi.reporting.models import Report
from gongzhi.reporting.rules import quarter_of
from gongzhi.reporting.tests.helpers import SYS, make_world
from gongzhi.tests.browser import login
from gongzhi.tests.factories import make_tree

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = Path("/work/wt/shots/h11")


def _shot(page, artifacts_dir, name):  # type: ignore[no-untyped-def]
    page.screenshot(path=str(artifacts_dir / f"reporting-{name}.png"), full_page=True)
    if SHOTS.parent.exists():
        SHOTS.mkdir(exist_ok=True)
        page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def test_member_reports_is_proposed_accepts_and_hours_reach_the_card(
    page, browser, live_server, artifacts_dir
):  # type: ignore[no-untyped-def]
    world = make_world(make_tree())
    add_member(homes_of(world.compound)[0], person=world.member, in_service=True, workplace="市南区司法局")

    page.set_viewport_size({"width": 390, "height": 844})
    login(page, live_server, "dangyuan_t")
    page.goto(f"{live_server.url}/reporting/me/")
    page.get_by_label("法律服务").check()
    page.get_by_label("每月可服务时长（小时）").fill("-3")
    page.get_by_role("button", name="报到", exact=True).click()
    expect(page.get_by_role("alert")).to_contain_text("每月可服务时长应大于 0 小时")
    assert not Report.objects.exists()
    page.get_by_label("法律服务").check()
    page.get_by_label("每月可服务时长（小时）").fill("8")
    page.get_by_role("button", name="报到", exact=True).click()
    expect(page.locator("#my-report")).to_contain_text(world.compound.name)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    today = timezone.localdate()
    services.need_create(
        actor=SYS,
        compound=world.compound,
        title="法律咨询进小区",
        skills=["law"],
        hours=4,
        per_member=4,
        starts_on=today,
        ends_on=today + timedelta(days=20),
    )
    staff = browser.new_page(locale="zh-CN")
    login(staff, live_server, "shequ_t")
    staff.goto(f"{live_server.url}/reporting/needs/?place={world.compound.community.code}")
    staff.get_by_role("button", name="智能匹配（小区所需、党员所长）").click()
    expect(staff.locator(".alert-success")).to_contain_text("推荐 1 人次")
    staff.get_by_role("link", name="法律咨询进小区").click()
    expect(staff.locator("#match-table")).to_contain_text("技能相符：法律服务")
    _shot(staff, artifacts_dir, "need")

    page.goto(f"{live_server.url}/reporting/me/")
    expect(page.locator("#proposals")).to_contain_text("居住地：同小区")
    _shot(page, artifacts_dir, "me-proposed")
    page.get_by_role("button", name="接受").click()
    expect(page.locator("#accepted")).to_contain_text("法律咨询进小区")
    page.get_by_label("服务日期").fill(today.isoformat())
    page.get_by_label("服务时长（小时）").fill("3.5")
    page.get_by_label("服务的需求").select_option(label="法律咨询进小区")
    page.get_by_role("button", name="提交").click()
    expect(page.locator("#my-records")).to_contain_text("待确认")

    secretary = browser.new_page(locale="zh-CN")
    login(secretary, live_server, "shuji_t")
    secretary.goto(f"{live_server.url}/reporting/records/")
    secretary.get_by_role("button", name="确认").click()
    secretary.goto(f"{live_server.url}/reporting/records/?status=confirmed")
    expect(secretary.locator("#record-table")).to_contain_text("3.5")

    staff.goto(f"{live_server.url}/reporting/units/{world.unit.pk}/")
    expect(staff.locator("#unit-members")).to_contain_text(world.member.name)
    _shot(staff, artifacts_dir, "unit")
    card = staff.request.get(
        f"{live_server.url}/reporting/units/{world.unit.pk}/card/{today.year}/{quarter_of(today)}.pdf"
    )
    assert card.ok
    text = pdf_text(card.body())
    assert world.member.name in text and "3.5" in text

    # The member claims a service post on the phone; staff set the year's hours; the year-end list shows
    # who fell short and who never reported.
    services.post_save(actor=SYS, place=world.compound.community, name="政策宣讲员", quota=1)
    page.goto(f"{live_server.url}/reporting/me/")
    page.locator("#my-posts").get_by_role("button", name="认领", exact=True).click()
    expect(page.locator(".alert-success")).to_contain_text("岗位已更新：政策宣讲员")
    expect(page.locator("#my-posts")).to_contain_text("1/1")
    idle = add_member(homes_of(world.compound)[1], in_service=True, workplace="市南区司法局")
    staff.goto(f"{live_server.url}/reporting/hours/?place={world.compound.community.code}")
    staff.get_by_label("每年最低服务时长（小时）").fill("-5")
    staff.get_by_role("button", name="保存", exact=True).click()
    expect(staff.get_by_role("alert")).to_contain_text("不小于 0")
    staff.get_by_label("每年最低服务时长（小时）").fill("10")
    staff.get_by_role("button", name="保存", exact=True).click()
    expect(staff.locator(".alert-success")).to_contain_text("每年最低服务 10 小时")
    staff.goto(f"{live_server.url}/reporting/shortfall/?place={world.compound.community.code}")
    table = staff.locator("#shortfall-table")
    expect(table).to_contain_text(world.member.name)
    expect(table).to_contain_text("服务时长不足 10 小时")
    expect(table).to_contain_text(idle.person.name)
    expect(table).to_contain_text("未报到")
    _shot(staff, artifacts_dir, "shortfall")
