"""A village cadre records the 四议两公开 steps for a contract, the town sees the decision, and the household
reads its village's disclosure board — in Debian's Chromium."""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from gongzhi.collectives import services
from gongzhi.collectives.models import Contract, Decision
from gongzhi.collectives.selectors import quarter_of
from gongzhi.collectives.tests.kit import make_world
from gongzhi.conftest import CHROMIUM
from gongzhi.tests.browser import login, nav_click

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="Debian's chromium is not installed"),
]


@pytest.mark.django_db(transaction=True)
def test_cadre_records_the_steps_town_sees_household_reads(request, live_server, artifacts_dir: Path) -> None:  # type: ignore[no-untyped-def]
    try:
        page = request.getfixturevalue("page")
    except pytest.FixtureLookupError:
        pytest.skip("pytest-playwright is not loaded (-p no:playwright)")
    w = make_world()
    shots = artifacts_dir / "collectives"
    shots.mkdir(exist_ok=True)
    today = timezone.localdate()
    start = today - timedelta(days=10)

    login(page, live_server, w.cadre.username)
    nav_click(page, "三资监管")
    page.click(f"text={w.c.name}")
    page.click("text=提出重大事项")
    page.fill("#id_title", "村东耕地发包")
    page.select_option("#id_kind", "contract")
    page.fill("#id_amount_yuan", "600000")
    page.fill("#id_opened_on", start.isoformat())
    page.click("button:text('保存')")
    expect(page.locator(".alert-success")).to_contain_text("已提出重大事项")
    for n in range(1, 7):
        page.fill("#id_on", (start + timedelta(days=n)).isoformat())
        if page.locator("#id_for").count():
            page.fill("#id_for", "23")
            page.fill("#id_against", "2")
        page.click("form button:text('记录')")
        expect(page.locator(".alert-success")).to_contain_text("已记录")
    expect(page.locator("text=六个步骤已全部完成")).to_be_visible()
    d = Decision.objects.get(title="村东耕地发包")
    assert d.steps_done == 6
    page.screenshot(path=str(shots / "decision-1366.png"), full_page=True)
    services.contract_record(
        actor=w.cadre,
        contract=Contract(
            collective=w.c,
            code="HT-B-1",
            kind="contracting",
            resource=w.land,
            party="王某",
            starts_on=start + timedelta(days=4),
            ends_on=start + timedelta(days=3650),
            annual_yuan=60_000,
            decision=d,
        ),
    )

    page.context.clear_cookies()
    login(page, live_server, w.town.username)
    page.goto(f"{live_server.url}/collectives/{w.c.pk}/")
    page.click("text=村东耕地发包")
    expect(page.locator("[data-steps]")).to_have_attribute("data-steps", "6")
    expect(page.locator("form button:text('记录')")).to_have_count(0)

    page.context.clear_cookies()
    login(page, live_server, w.household.username)
    nav_click(page, "村务公开栏")
    page.click(f"a:text('{quarter_of(start + timedelta(days=4))}')")
    expect(page.locator("body")).to_contain_text("HT-B-1")
    expect(page.locator("body")).to_contain_text("村民（代表）会议决议")
    page.set_viewport_size({"width": 360, "height": 800})
    page.reload()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.screenshot(path=str(shots / "disclosure-360.png"), full_page=True)
