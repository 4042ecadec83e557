"""The town's staff import the registry's ledger through /ledgers/ (opened by agribiz.manage, not by 市南区's
ledger.import): a cooperative with its members, in Debian's Chromium. A village cadre, who may report but not
register, finds the 三资 ledger there but not this one."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from gongzhi.agribiz.ledger import COOPS, FARMS, MEMBERS
from gongzhi.agribiz.models import CoopMember, CoopProfile
from gongzhi.agribiz.tests.kit import VILLAGE, credit_code, id_number, make_world
from gongzhi.conftest import CHROMIUM
from gongzhi.ledgers.models import LedgerImport
from gongzhi.ledgers.xlsx import write_workbook
from gongzhi.tests.browser import login, nav_click

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="Debian's chromium is not installed"),
]


def _sheet(path: Path, code: str) -> None:
    coop = {
        "村区划代码": VILLAGE,
        "合作社名称": "平度市郭家疃葡萄专业合作社",
        "统一社会信用代码": code,
        "法定代表人": "赵强",
        "法定代表人身份证号": id_number(),
        "成立日期": "2018-05-01",
        "成员数": 6,
        "经营土地（亩）": "420",
        "主要产品": "果品",
        "示范等级": "",
        "评定年度": None,
    }
    members = [[code, name, id_number(), "2018-06-01"] for name in ("王秀兰", "刘军", "孙丽", "李强", "周敏")]
    write_workbook(
        path,
        [(COOPS, [[coop[h] for h in COOPS.headers]]), (FARMS, []), (MEMBERS, members)],
    )


@pytest.mark.django_db(transaction=True)
def test_town_staff_import_the_registry_ledger_through_the_ledgers_page(
    request, live_server, artifacts_dir: Path, tmp_path: Path, settings
) -> None:  # type: ignore[no-untyped-def]
    try:
        page = request.getfixturevalue("page")
    except pytest.FixtureLookupError:
        pytest.skip("pytest-playwright is not loaded (-p no:playwright)")
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    w = make_world()
    code = credit_code()
    sheet = tmp_path / "agribiz.xlsx"
    _sheet(sheet, code)
    shots = artifacts_dir / "agribiz"
    shots.mkdir(exist_ok=True)

    login(page, live_server, w.town_staff.username)
    nav_click(page, "台账")
    form = page.locator("#file-agribiz").locator("xpath=ancestor::form")
    page.locator("#file-agribiz").set_input_files(str(sheet))
    page.once("dialog", lambda dialog: dialog.accept())
    page.screenshot(path=str(shots / "ledgers-town.png"), full_page=True)
    form.locator("button[type=submit]").click()
    expect(page.locator("#import-progress")).to_have_attribute("data-status", "done")
    job = LedgerImport.objects.get()
    assert job.ledger == "agribiz" and job.created_by_id == w.town_staff.pk
    profile = CoopProfile.objects.get(credit_code=code)
    assert profile.village.code == VILLAGE
    assert CoopMember.objects.filter(coop=profile).count() == 5
    page.screenshot(path=str(shots / "ledger-import-done.png"), full_page=True)

    # Export (the town's staff hold person.unmask for ID-keyed registers) and import it back: nothing changes.
    page.goto(f"{live_server.url}/ledgers/")
    with page.expect_download() as download:
        page.locator('a[href^="/ledgers/agribiz/export/"]').click()
    exported = tmp_path / "exported.xlsx"
    download.value.save_as(exported)
    page.locator("#file-agribiz").set_input_files(str(exported))
    page.once("dialog", lambda dialog: dialog.accept())
    page.locator("#file-agribiz").locator("xpath=ancestor::form").locator("button[type=submit]").click()
    expect(page.locator("#import-progress")).to_have_attribute("data-status", "done")
    assert CoopProfile.objects.count() == 1 and CoopMember.objects.count() == 5

    page.context.clear_cookies()
    login(page, live_server, w.cadre.username)
    page.goto(f"{live_server.url}/ledgers/")
    expect(page.locator("#file-collectives")).to_have_count(1)
    expect(page.locator("#file-agribiz")).to_have_count(0)
