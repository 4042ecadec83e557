"""A village cadre records a visit that raises a case; the town approves it — in Debian's Chromium."""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from gongzhi.accounts.roles import Role
from gongzhi.conftest import CHROMIUM
from gongzhi.monitoring import services
from gongzhi.monitoring.models import Case, CaseStatus, Channel, Decision
from gongzhi.monitoring.tests.helpers import household, pingdu
from gongzhi.tests.browser import login, nav_click
from gongzhi.tests.factories import user_with

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="Debian's chromium is not installed"),
]


@pytest.mark.django_db(transaction=True)
def test_cadre_visit_raises_a_case_and_the_town_approves(request, live_server, artifacts_dir: Path) -> None:  # type: ignore[no-untyped-def]
    try:
        page = request.getfixturevalue("page")
    except pytest.FixtureLookupError:
        pytest.skip("pytest-playwright is not loaded (-p no:playwright)")
    w = pingdu()
    village = w.d["370283100201"]
    h = household(village)
    cadre = user_with(Role.VILLAGE_CADRE, village, first_name="村干部")
    town = user_with(Role.TOWN_STAFF, w.d["370283100"], first_name="镇干部")
    shots = artifacts_dir / "monitoring"
    shots.mkdir(exist_ok=True)
    visited = timezone.localdate() - timedelta(days=20)

    login(page, live_server, cadre.username)
    nav_click(page, "防返贫监测")
    page.click("a.nav-link:text-is('农户')")
    page.click("#household-table >> text=记录走访")
    page.fill("#visited_on", visited.isoformat())
    page.fill("#next_due", (visited + timedelta(days=30)).isoformat())
    page.fill("#findings", "户主突发重病住院，家庭收入骤减")
    page.uncheck("#medical")
    page.select_option("#raise_category", "sudden")
    page.fill("#risk", "大病支出")
    page.screenshot(path=str(shots / "visit-form-1366.png"), full_page=True)
    page.click("#visit-form button[type=submit]")
    expect(page.locator(".alert-success")).to_contain_text("走访记录已保存")
    expect(page.locator("#case-status")).to_have_text("识别中")
    case = Case.objects.get(household=h)
    assert case.channel == Channel.VISIT and case.opened_on == visited
    expect(page.locator("#checklist")).to_contain_text("基本医疗有保障")

    # The village's democratic review was held the next day (its 公示 of 5 days has long ended).
    services.case_decide(
        actor=cadre, case=case, step="village", approved=True, on=visited + timedelta(days=1)
    )

    page.context.clear_cookies()
    login(page, live_server, town.username)
    page.goto(f"{live_server.url}/monitoring/?place={w.d['370283100'].code}")
    page.click(f"#case-table >> text={h.number}")
    form = page.locator(".decide-form").filter(has_text="镇级审核")
    form.locator("input[name=note]").fill("情况属实")
    form.locator("button[value='1']").click()
    expect(page.locator(".alert-success")).to_contain_text("审批意见已记录")
    expect(page.locator("#timeline")).to_contain_text("镇级审核：通过")
    page.screenshot(path=str(shots / "case-town-approved-1366.png"), full_page=True)
    page.set_viewport_size({"width": 360, "height": 800})
    page.reload()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.screenshot(path=str(shots / "case-360.png"), full_page=True)
    step = Decision.objects.get(case=case, step="town")
    assert step.approved and step.decided_by == town and step.notice_days == 5
    case.refresh_from_db()
    assert case.status == CaseStatus.IDENTIFYING  # the county decides after the town's 公示
