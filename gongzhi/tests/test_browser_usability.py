"""Pages changed for issue 9 in Chromium at desk and phone width: the error pages, the compound edit form
(its date input shows the stored date) and an import nobody picked up."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from gongzhi.accounts.roles import Role
from gongzhi.ledgers.models import LedgerImport
from gongzhi.places.models import Compound
from gongzhi.tests.browser import login
from gongzhi.tests.factories import make_tree, user_with

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_error_pages_edit_form_and_stalled_import(page, live_server, artifacts_dir) -> None:  # type: ignore[no-untyped-def]
    tree = make_tree()
    compound = tree.compounds[0]
    Compound.objects.filter(pk=compound.pk).update(first_delivered_on=date(2018, 7, 24))
    worker = user_with(Role.COMMUNITY_WORKER, compound.community, username="worker")
    user_with(Role.PARTY_SECRETARY, compound, username="shuji")
    job = LedgerImport.objects.create(
        ledger="homes", file="x.xlsx", original_name="房屋.xlsx", created_by=worker
    )
    LedgerImport.objects.filter(pk=job.pk).update(created_at=timezone.now() - timedelta(minutes=1))
    url = live_server.url
    login(page, live_server, "worker")
    for width, name in ((1366, "desk"), (360, "phone")):
        page.set_viewport_size({"width": width, "height": 800})
        page.goto(f"{url}/places/c/{compound.code}/edit/")
        expect(page.locator("#id_first_delivered_on")).to_have_value("2018-07-24")
        page.screenshot(path=str(artifacts_dir / f"compound-edit-{name}.png"), full_page=True)
        page.goto(f"{url}/ledgers/imports/{job.pk}/")
        expect(page.locator("#no-worker")).to_be_visible()
        page.screenshot(path=str(artifacts_dir / f"import-no-worker-{name}.png"), full_page=True)
        page.goto(f"{url}/places/c/{compound.code}/")
        response = page.goto(
            f"{url}/places/c/{tree.compounds[2].code}/", referer=f"{url}/places/c/{compound.code}/"
        )
        assert response is not None and response.status == 404
        expect(page.locator("h1")).to_have_text("找不到这个页面")
        page.screenshot(path=str(artifacts_dir / f"error-404-{name}.png"), full_page=True)
        page.locator("#error-back").click()
        expect(page.locator("h1")).to_have_text(compound.name)
        assert page.evaluate("document.documentElement.scrollWidth") <= width
    # Saving the form unchanged keeps the date (the bug: it was cleared).
    page.set_viewport_size({"width": 1366, "height": 800})
    page.goto(f"{url}/places/c/{compound.code}/edit/")
    page.locator("main form button[type=submit]").click()
    expect(page.locator("h1")).to_have_text(compound.name)
    compound.refresh_from_db()
    assert compound.first_delivered_on == date(2018, 7, 24)

    page.goto(f"{url}/accounts/login/")
    page.context.clear_cookies()
    login(page, live_server, "shuji")
    response = page.goto(f"{url}/places/c/{compound.code}/edit/")
    assert response is not None and response.status == 403
    expect(page.locator("h1")).to_have_text("您的角色不能做这项操作")
    page.screenshot(path=str(artifacts_dir / "error-403-desk.png"), full_page=True)
    page.get_by_role("button", name="English").click()
    expect(page.locator("h1")).to_have_text("Your role cannot do this")
    page.set_viewport_size({"width": 360, "height": 800})
    page.screenshot(path=str(artifacts_dir / "error-403-phone-en.png"), full_page=True)


def test_import_asks_before_writing(page, live_server, artifacts_dir, tmp_path, settings) -> None:  # type: ignore[no-untyped-def]
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    tree = make_tree()
    user_with(Role.COMMUNITY_WORKER, tree.compounds[0].community, username="worker")
    login(page, live_server, "worker")
    code = tree.compounds[0].code
    page.goto(f"{live_server.url}/ledgers/?place={code}")
    with page.expect_download() as download:
        page.locator(f'a[href="/ledgers/homes/export/?place={code}"]').click()
    sheet = tmp_path / "homes.xlsx"
    download.value.save_as(sheet)
    page.locator("#file-homes").set_input_files(str(sheet))
    asked: list[str] = []

    def dismiss(dialog):  # type: ignore[no-untyped-def]
        asked.append(dialog.message)
        dialog.dismiss()

    page.once("dialog", dismiss)
    page.locator("#file-homes").locator("xpath=ancestor::form").locator("button[type=submit]").click()
    page.wait_for_timeout(300)
    assert asked and "不能撤销" in asked[0]
    assert LedgerImport.objects.count() == 0 and "/ledgers/" in page.url
    page.once("dialog", lambda dialog: dialog.accept())
    page.locator("#file-homes").locator("xpath=ancestor::form").locator("button[type=submit]").click()
    expect(page.locator("#import-progress")).to_have_attribute("data-status", "done")
    assert LedgerImport.objects.count() == 1
