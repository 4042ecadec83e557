"""A community worker goes from a compound's card to its committee steps and records the owners' application."""

from __future__ import annotations

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from gongzhi.accounts.roles import Role
from gongzhi.cogovern.models import AssemblyCase
from gongzhi.tests.browser import login
from gongzhi.tests.factories import make_tree, user_with

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_card_to_steps_and_record_the_application(page, live_server, artifacts_dir):  # type: ignore[no-untyped-def]
    tree = make_tree()
    compound = tree.compounds[0]
    user_with(Role.COMMUNITY_WORKER, compound.community, username="worker")
    login(page, live_server, "worker")
    page.goto(f"{live_server.url}/cogovern/c/{compound.code}/")
    page.get_by_role("link", name="业主大会和业委会").click()
    expect(page).to_have_url(f"{live_server.url}/cogovern/c/{compound.code}/steps/")
    form = page.locator('[data-gz-step="apply"]')
    form.locator("input[type=date]").fill(timezone.localdate().isoformat())
    form.get_by_role("button", name="保存").click()
    expect(page.get_by_text("已记录业主申请")).to_be_visible()
    expect(page.locator("[data-gz-status]")).to_have_attribute("data-gz-status", "preparing")
    expect(page.locator('[data-gz-step="apply"]')).to_have_count(0)  # done: the step is no longer offered
    page.screenshot(path=str(artifacts_dir / "cogovern-steps.png"), full_page=True)
    assert AssemblyCase.objects.get(compound=compound).applied_on == timezone.localdate()
