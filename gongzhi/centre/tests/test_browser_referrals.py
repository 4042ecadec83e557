"""In Debian's Chromium: the operator opens a finance request from the requests list, refers it to a bank,
records the bank's approval, sees it on the centre's referral list and in the figure; the enterprise's
contact sees the result on its own request's page."""

from __future__ import annotations

import os
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from gongzhi.centre import selectors, services
from gongzhi.centre import services_referrals as referrals
from gongzhi.centre.models import Referral
from gongzhi.centre.tests.test_browser import _shot, _world
from gongzhi.conftest import CHROMIUM
from gongzhi.tests.browser import login
from gongzhi.tests.factories import SYSTEM

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="Debian's chromium is not installed"),
]


def test_a_referral_from_the_request_page_to_its_result(page, live_server, browser) -> None:  # type: ignore[no-untyped-def]
    w = _world()
    centre = w["made"].centre
    referrals.partner_create(actor=SYSTEM, centre=centre, kind="centre.bank", name="青岛示范银行")
    today = timezone.localdate()
    loan = services.service_request_file(
        actor=SYSTEM,
        enterprise=w["enterprise"],
        item=w["made"].items[1],
        detail="设备购置贷款",
        filed_on=today - timedelta(days=3),
    )
    login(page, live_server, "yunying")
    page.goto(f"{live_server.url}/centre/requests/")
    page.locator(f"tr[data-request='{loan.pk}'] a").first.click()
    expect(page.locator("h1")).to_contain_text("科技信贷")
    form = page.locator("#refer")
    form.locator("select[name=partner]").select_option(label="青岛示范银行")
    form.locator("select[name=product]").select_option("loan")
    form.locator("input[name=referred_on]").fill("2000-01-01")  # before the request was filed
    form.locator("input[name=amount_asked_yuan]").fill("3000000")
    form.locator("button[type=submit]").click()
    expect(page.locator("#refer .alert-danger")).to_contain_text("不能早于诉求提出日期")
    assert not Referral.objects.exists()

    form = page.locator("#refer")
    form.locator("select[name=partner]").select_option(label="青岛示范银行")
    form.locator("input[name=referred_on]").fill(today.isoformat())
    form.locator("input[name=amount_asked_yuan]").fill("3000000")
    form.locator("button[type=submit]").click()
    expect(page.locator(".alert-success")).to_contain_text("青岛示范银行")
    referral = Referral.objects.get()
    row = page.locator(f"#referrals tr[data-referral='{referral.pk}']")
    expect(row).to_contain_text("待答复")

    answer = page.locator(f"#answer-{referral.pk}")
    answer.locator("select[name=result]").select_option("approved")
    answer.locator("input[name=amount_approved_yuan]").fill("3500000")
    answer.locator("button[type=submit]").click()
    expect(page.locator(f"#answer-{referral.pk} .alert-danger")).to_contain_text("不能超过申请金额")
    answer = page.locator(f"#answer-{referral.pk}")
    answer.locator("select[name=result]").select_option("approved")
    answer.locator("input[name=amount_approved_yuan]").fill("2800000")
    answer.locator("button[type=submit]").click()
    expect(page.locator(".alert-success")).to_contain_text("已登记推介结果")
    expect(page.locator(f"#referrals tr[data-referral='{referral.pk}'] .result")).to_contain_text("已批准")
    _shot(page, "request-referral")
    assert selectors.service_figures(centre.path)["finance_yuan"] == 2_800_000

    page.goto(f"{live_server.url}/centre/{centre.pk}/referrals/")
    expect(page.locator("#arranged")).to_contain_text("2,800,000")
    page.select_option("select[name=result]", "approved")
    page.locator("#filters button[type=submit]").click()
    expect(page.locator("#referrals")).to_contain_text("青岛芯联科技有限公司")
    page.locator("#f-overdue").check()
    page.locator("#filters button[type=submit]").click()
    expect(page.locator("#referrals")).to_contain_text("暂无推介")
    _shot(page, "referrals")

    mine = browser.new_context(locale="zh-CN").new_page()
    login(mine, live_server, "qiye")
    mine.goto(f"{live_server.url}/centre/r/{loan.pk}/")
    expect(mine.locator(f"#referrals tr[data-referral='{referral.pk}']")).to_contain_text("2,800,000.00")
    expect(mine.locator("#refer")).to_have_count(0)
    _shot(mine, "request-contact")


def test_the_operator_renames_and_ends_a_partner_from_the_referrals_list(page, live_server, browser) -> None:  # type: ignore[no-untyped-def]
    w = _world()
    centre = w["made"].centre
    bank = referrals.partner_create(actor=SYSTEM, centre=centre, kind="centre.bank", name="青岛示范银行")
    login(page, live_server, "yunying")
    page.goto(f"{live_server.url}/centre/{centre.pk}/referrals/")
    page.locator("#partners-link").click()
    expect(page.locator("h1")).to_contain_text("合作机构")
    end = page.locator(f"#end-{bank.pk}")
    end.locator("input[name=ends_on]").fill("2000-01-01")
    end.locator("button[type=submit]").click()
    expect(page.locator(f"#end-{bank.pk} .alert-danger")).to_contain_text("不能早于开始合作日期")
    rename = page.locator(f"#rename-{bank.pk}")
    rename.locator("input[name=name]").fill("青岛西海岸银行")
    rename.locator("button[type=submit]").click()
    expect(page.locator(".alert-success")).to_contain_text("青岛西海岸银行")
    end = page.locator(f"#end-{bank.pk}")
    end.locator("input[name=ends_on]").fill(timezone.localdate().isoformat())
    end.locator("button[type=submit]").click()
    expect(page.locator(f"tr[data-partner='{bank.pk}'] .ended")).to_contain_text("已终止")
    _shot(page, "centre-partners")
    bank.refresh_from_db()
    assert bank.name == "青岛西海岸银行" and bank.ended_on == timezone.localdate()
