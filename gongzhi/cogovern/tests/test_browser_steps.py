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


def test_record_a_meeting_at_360_px(page, live_server, artifacts_dir):  # type: ignore[no-untyped-def]
    """The meeting form on a phone: tick who came, one decision, confirm; the history shows it passed."""
    from datetime import timedelta

    from gongzhi.cogovern import rules, services
    from gongzhi.cogovern.models import CommitteeMeeting
    from gongzhi.cogovern.tests.kit import ACTOR
    from gongzhi.tests.factories import PersonFactory

    tree = make_tree()
    compound = tree.compounds[0]
    user_with(Role.COMMUNITY_WORKER, compound.community, username="worker")
    start = timezone.localdate() - timedelta(days=30)
    people = [PersonFactory.create().pk for _ in range(3)]
    services.committee_elect(
        actor=ACTOR,
        compound=compound,
        elected_on=start,
        term_start=start,
        term_end=rules.latest_term_end(start),
        seats=[(people[0], "chair"), (people[1], "member"), (people[2], "member")],
    )
    page.set_viewport_size({"width": 360, "height": 800})
    login(page, live_server, "worker")
    page.goto(f"{live_server.url}/cogovern/c/{compound.code}/steps/")
    form = page.locator('[data-gz-step="meeting"]')
    form.locator("input[type=date]").fill(timezone.localdate().isoformat())
    boxes = form.locator("input[type=checkbox][name='meeting-present']")
    boxes.nth(0).check()
    boxes.nth(1).check()
    form.locator("input[name='meeting-subject_0']").fill("续聘物业")
    form.locator("input[name='meeting-for_0']").fill("2")
    form.locator("input[name='meeting-against_0']").fill("0")
    form.locator("input[name='meeting-confirm']").check()
    page.once("dialog", lambda d: d.accept())
    form.get_by_role("button", name="保存").click()
    expect(page.get_by_text("已记录会议：出席 2 / 3 人，1 项决定通过")).to_be_visible()
    expect(page.locator("[data-gz-meetings]")).to_contain_text("续聘物业")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, width
    page.screenshot(path=str(artifacts_dir / "cogovern-meeting-360.png"), full_page=True)
    assert CommitteeMeeting.objects.get().decisions.get().passed
