"""One matter from raising to a published result, in Debian's Chromium (pytest-playwright)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.utils import timezone

from gongzhi.accounts.roles import Role
from gongzhi.affairs.models import Ballot, Matter, Vote
from gongzhi.affairs.tests.helpers import make_estate, sheet_bytes, sheet_rows
from gongzhi.conftest import CHROMIUM
from gongzhi.tests.browser import login, nav_click
from gongzhi.tests.factories import make_tree, user_with

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="Debian's chromium is not installed"),
]


@pytest.mark.django_db(transaction=True)
def test_a_matter_from_raising_to_a_published_result(
    request, live_server, artifacts_dir: Path, tmp_path: Path, settings
) -> None:  # type: ignore[no-untyped-def]
    try:  # run with -p playwright; under -p no:playwright this test skips instead of erroring
        page = request.getfixturevalue("page")
    except pytest.FixtureLookupError:
        pytest.skip("pytest-playwright is not loaded (-p no:playwright)")
    # A ballot sheet is read by the task worker; here the worker's task runs as the upload queues it.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.VAR_DIR = tmp_path
    page.on("dialog", lambda dialog: dialog.accept())  # opening a vote, a ballot sheet, publishing ask first
    tree = make_tree()
    estate = make_estate(tree.d("370202001001"), "金湖花园")
    resident = user_with(Role.RESIDENT, estate.compound, first_name="居民甲")
    secretary = user_with(Role.PARTY_SECRETARY, estate.compound, first_name="党支部书记")
    shots = artifacts_dir / "affairs"
    shots.mkdir(exist_ok=True)

    # A resident raises the matter.
    login(page, live_server, resident.username)
    nav_click(page, "自治事务")
    page.click("#raise-matter")
    page.select_option("#id_compound", str(estate.compound.pk))
    page.fill("#id_title", "使用维修资金维修1号楼屋面")
    page.select_option("#id_category", label="维修资金使用")
    page.select_option("#id_item", "5")
    page.select_option("#id_scope", "compound")
    page.fill("#id_description", "顶层多户漏雨，申请使用专项维修资金维修屋面防水。")
    page.screenshot(path=str(shots / "1-raise.png"), full_page=True)
    page.click("main button[type=submit].btn-danger")
    page.wait_for_selector("#matter-title")
    assert page.inner_text("#matter-status") == "已提出"
    matter = Matter.objects.get()
    page.set_viewport_size({"width": 360, "height": 800})
    for name, url in (("list", "/affairs/"), ("matter", f"/affairs/m/{matter.pk}/")):
        page.goto(f"{live_server.url}{url}")
        assert page.evaluate("document.documentElement.scrollWidth") <= 360, name
        page.screenshot(path=str(shots / f"1-{name}-360.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.context.clear_cookies()

    # The party secretary holds a briefing session and a consultation meeting, then opens the vote.
    login(page, live_server, secretary.username)
    page.goto(f"{live_server.url}/affairs/m/{matter.pk}/")
    for kind, venue in (("briefing", "小区党群服务站"), ("consultation", "小区议事厅")):
        page.click("#meeting-form summary")
        page.select_option("#id_m-kind", kind)
        page.fill("#id_m-held_at", timezone.localtime().strftime("%Y-%m-%dT%H:%M"))
        page.fill("#id_m-venue", venue)
        page.fill("#id_m-attendees_count", "18")
        page.fill("#id_m-outcome", "同意提交业主表决")
        page.click("#meeting-form button[type=submit]")
        page.wait_for_selector(".alert-success")
    assert page.inner_text("#matter-status") == "协商"
    page.screenshot(path=str(shots / "2-consultation.png"), full_page=True)
    page.click("#open-vote button[type=submit]")
    page.wait_for_selector("#vote-status")
    vote = Vote.objects.get()

    # Paper ballots: first a sheet with a mistake (nothing recorded), then the corrected sheet.
    opinions = {i: "同意" for i in range(10)} | {10: "反对"}
    bad = sheet_rows(estate, opinions)
    bad[3][5] = "大概同意"
    bad_path = tmp_path / "表决统计（有误）.xlsx"
    bad_path.write_bytes(sheet_bytes(bad))
    page.click("#upload-sheet summary")
    page.set_input_files("input[name=sheet]", str(bad_path))
    page.click("#upload-sheet button[type=submit]")
    page.wait_for_selector("#sheet-errors")
    assert "大概同意" in page.inner_text("#sheet-errors")
    page.screenshot(path=str(shots / "3-sheet-errors.png"), full_page=True)
    assert not Ballot.objects.exists()
    good_path = tmp_path / "表决统计.xlsx"
    good_path.write_bytes(sheet_bytes(sheet_rows(estate, opinions)))
    page.goto(f"{live_server.url}/affairs/v/{vote.pk}/")
    page.click("#upload-sheet summary")
    page.set_input_files("input[name=sheet]", str(good_path))
    page.click("#upload-sheet button[type=submit]")
    page.wait_for_selector("#sheet-done")
    assert "新增 11 票" in page.inner_text("#sheet-done")
    page.goto(f"{live_server.url}/affairs/v/{vote.pk}/")

    # Close (confirmed, with a reason), read every figure, publish (with a reason).
    page.fill("#close-vote textarea[name=reason]", "全部业主已表决或明确放弃，提前结束")
    page.check("#close-vote input[name=confirm]")
    page.click("#close-button")
    page.wait_for_selector("#vote-result")
    assert page.inner_text("#vote-verdict") == "通过"
    reasons = page.inner_text("#vote-reasons")
    assert (
        "参与表决业主 11 人 / 业主总人数 12 人" in reasons
        and "同意业主 10 人 / 参与表决业主 11 人" in reasons
    )
    # The ballot chain is checked beside the page (htmx): 11 casts, hashes and replay agree, recount equal.
    page.wait_for_selector("#vote-chain[data-chain-ok=true]")
    assert "11 条投票记录" in page.inner_text("#vote-chain")
    page.screenshot(path=str(shots / "4-result.png"), full_page=True)
    page.fill("#publish-vote textarea[name=reason]", "计票结果经核对无误，依规公示")
    page.click("#publish-button")
    page.wait_for_selector("#vote-published")
    public_url = page.get_attribute("#public-link", "href")
    page.context.clear_cookies()

    # Anyone reads the published result; names are masked.
    page.set_viewport_size({"width": 360, "height": 800})
    page.goto(f"{live_server.url}{public_url}")
    page.wait_for_selector("#public-ballots")
    body = page.inner_text("body")
    assert "结论：通过" in body and estate.owners[0].name not in body
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.screenshot(path=str(shots / "5-public-360.png"), full_page=True)
    assert Vote.objects.get().published_at is not None
