"""In Debian's Chromium: an enterprise contact files a request, the operator answers it, the contact rates it;
the overview and the enterprise list open for the investment bureau."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from gongzhi.accounts.roles import Role
from gongzhi.centre import services
from gongzhi.centre.models import Enterprise, Industry, ServiceRequest
from gongzhi.centre.tests.helpers import make_centre
from gongzhi.conftest import CHROMIUM
from gongzhi.tests.browser import login
from gongzhi.tests.factories import SYSTEM, credit_code, load_divisions, user_with

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="Debian's chromium is not installed"),
]

SHOTS = Path(
    os.environ.get("GONGZHI_SHOTS", "") or Path(__file__).resolve().parents[3] / "test-artifacts" / "centre"
)


def _world() -> dict[str, Any]:
    divisions = load_divisions()
    made = make_centre(divisions["370202001001"])
    ent = services.enterprise_register(
        actor=SYSTEM,
        centre=made.centre,
        name="青岛芯联科技有限公司",
        credit_code=credit_code(42),
        industry=Industry.objects.get(code="C"),
        kind=Enterprise.Kind.TECH_INDUSTRIAL,
        platform=made.centre.platforms.first(),
    )
    contact = user_with(
        Role.ENTERPRISE_CONTACT, divisions["370202001001"], username="qiye", first_name="企业联络人"
    )
    ent.contacts.add(contact)
    operator = user_with(Role.OPERATOR, divisions["370202001001"], username="yunying", first_name="运营商")
    bureau = user_with(Role.INVESTMENT_BUREAU, divisions["370202"], username="zhaoshang", first_name="招商")
    return {"made": made, "enterprise": ent, "contact": contact, "operator": operator, "bureau": bureau}


def _shot(page: Any, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    for width in (1366, 360):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=str(SHOTS / f"{name}-{width}.png"), full_page=True)
    page.set_viewport_size({"width": 1366, "height": 900})


def test_contact_files_operator_answers_contact_rates(page, live_server, browser) -> None:  # type: ignore[no-untyped-def]
    w = _world()
    page.on("dialog", lambda dialog: dialog.accept())
    login(page, live_server, "qiye")
    page.goto(f"{live_server.url}/centre/requests/")
    form = page.locator(f"#file-{w['enterprise'].pk}")
    form.locator("select[name=item]").select_option(label="政务 · 企业开办（3个工作日）")
    form.locator("input[name=detail]").fill("办理分支机构登记")
    form.locator("button[type=submit]").click()
    expect(page.locator(".alert-success")).to_contain_text("区行政审批服务局")
    req = ServiceRequest.objects.get()
    assert req.detail == "办理分支机构登记" and req.status == "open"

    other = browser.new_context(locale="zh-CN").new_page()
    other.on("dialog", lambda dialog: dialog.accept())
    login(other, live_server, "yunying")
    other.goto(f"{live_server.url}/centre/requests/")
    row = other.locator(f"tr[data-request='{req.pk}']")
    row.locator("input[name=outcome]").fill("已核发营业执照")
    row.locator("form.answer button[type=submit]").click()
    expect(other.locator(".alert-success")).to_contain_text("已办结")
    req.refresh_from_db()
    assert req.status == "done" and req.outcome == "已核发营业执照"

    page.goto(f"{live_server.url}/centre/requests/")
    row = page.locator(f"tr[data-request='{req.pk}']")
    row.locator("select[name=rating]").select_option("4")
    row.locator("form.rate button[type=submit]").click()
    expect(page.locator(".alert-success")).to_contain_text("感谢")
    expect(page.locator(f"tr[data-request='{req.pk}'] .status")).to_contain_text("4★")
    req.refresh_from_db()
    assert req.rating == 4
    _shot(page, "requests-contact")


def test_bureau_opens_the_overview_and_filters_enterprises(page, live_server) -> None:  # type: ignore[no-untyped-def]
    w = _world()
    login(page, live_server, "zhaoshang")
    page.goto(f"{live_server.url}/centre/")
    expect(page.locator("h1")).to_contain_text(w["made"].centre.name)
    expect(page.locator("#funnel")).to_contain_text("线索")
    _shot(page, "overview")
    page.goto(f"{live_server.url}/centre/{w['made'].centre.pk}/enterprises/")
    page.select_option("select[name=kind]", "tech")
    page.locator("main form button[type=submit]").click()
    expect(page.locator("#enterprises")).to_contain_text("青岛芯联科技有限公司")
    page.select_option("select[name=kind]", "hq")
    page.locator("main form button[type=submit]").click()
    expect(page.locator("#enterprises")).to_contain_text("没有符合条件的企业")
    _shot(page, "enterprises")


def test_operator_moves_a_project_from_visit_to_signed_with_evidence_and_credit(page, live_server) -> None:  # type: ignore[no-untyped-def]
    from datetime import date

    from gongzhi.centre.models import Credit, Project, Stage

    w = _world()
    platform = w["made"].centre.platforms.first()
    project = services.project_create(
        actor=SYSTEM,
        platform=platform,
        name="青岛晶合微电子有限公司",
        industry=Industry.objects.get(code="C"),
        kind=Enterprise.Kind.TECH_INDUSTRIAL,
        created_on=date(2025, 3, 1),
        next_action="洽谈租金",
        next_action_on=date(2025, 3, 20),
    )
    services.project_advance(
        actor=SYSTEM,
        project=project,
        stage=Stage.objects.get(code="visit"),
        on=date(2025, 3, 10),
        evidence="考察纪要",
    )
    login(page, live_server, "yunying")
    page.goto(f"{live_server.url}/centre/{w['made'].centre.pk}/board/?platform={platform.pk}")
    card = page.locator(f"section[data-stage=visit] article[data-project='{project.pk}']")
    expect(card).to_contain_text("已逾期")
    _shot(page, "board")
    card.locator("a").click()
    expect(page.locator("h1")).to_contain_text("青岛晶合微电子有限公司")

    form = page.locator("#advance")
    form.locator("select[name=stage]").select_option(label="签约")
    form.locator("input[name=on]").fill("2025-04-02")
    form.locator("button[type=submit]").click()
    expect(page.locator("#advance .alert-danger")).to_contain_text("须填写佐证")
    project.refresh_from_db()
    assert project.stage.code == "visit"

    form = page.locator("#advance")
    form.locator("select[name=stage]").select_option(label="签约")
    form.locator("input[name=on]").fill("2025-04-02")
    form.locator("input[name=evidence]").fill("投资协议 XHA-2025-017")
    form.locator("button[type=submit]").click()
    expect(page.locator(".alert-success")).to_contain_text("签约")
    expect(page.locator("#stage")).to_contain_text("签约")
    expect(page.locator("#steps")).to_contain_text("投资协议 XHA-2025-017")

    credit = page.locator("#credit")
    credit.locator("input[name=signed_government]").fill("40")
    credit.locator("input[name=signed_operator]").fill("50")
    credit.locator("button[type=submit]").click()
    expect(page.locator("#credit .alert-danger")).to_contain_text("90%")
    credit = page.locator("#credit")
    credit.locator("input[name=signed_government]").fill("40")
    credit.locator("input[name=signed_operator]").fill("60")
    credit.locator("button[type=submit]").click()
    expect(page.locator(".alert-success")).to_contain_text("贡献")
    project.refresh_from_db()
    assert project.stage.code == "signed"
    assert dict(Credit.objects.filter(project=project, part="signed").values_list("party", "share")) == {
        "government": 40,
        "operator": 60,
    }
    assert (
        Project.objects.get(pk=project.pk).steps.get(stage__code="signed").evidence == "投资协议 XHA-2025-017"
    )
    _shot(page, "project")
