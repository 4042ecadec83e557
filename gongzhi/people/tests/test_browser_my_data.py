"""A resident's "my data" page in a real browser: their record, homes, ballots and who looked, under the CSP."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from gongzhi.accounts.roles import Role
from gongzhi.affairs.services.votes import voter_link
from gongzhi.people.models import Person
from gongzhi.people.services import access_log_write
from gongzhi.places.models import Home
from gongzhi.tests.browser import login
from gongzhi.tests.factories import SYSTEM, UserFactory, make_tree, user_with

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_resident_sees_own_data_and_the_offices_that_looked(page, live_server, artifacts_dir):
    tree = make_tree()
    compound = tree.compounds[0]
    home = Home.objects.filter(compound=compound).order_by("pk").first()
    assert home is not None
    person = Person.objects.get(ownerships__home=home)
    Person.objects.filter(pk=person.pk).update(id_number="11010519491231002X")
    resident = UserFactory.create(username="owner")
    voter_link(user=resident, person=person, actor=SYSTEM)
    worker = user_with(Role.COMMUNITY_WORKER, compound.community, username="worker")
    access_log_write(actor=worker, persons=[person], paths=[home.path], purpose="home page")
    violations: list[str] = []
    page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)

    login(page, live_server, "owner")
    page.click(f"text={resident.username}")  # the name in the navigation bar opens the page
    page.wait_for_load_state("networkidle")
    assert page.url.endswith("/me/my-data/")
    expect(page.locator("h1")).to_have_text("我的信息")
    record = page.locator("[data-gz-mydata=section]").first
    expect(record).to_contain_text(person.name)
    expect(record).to_contain_text("110105********002X")
    expect(page.locator("body")).not_to_contain_text("11010519491231002X")
    expect(page.locator("[data-gz-mydata=section]", has_text="产权房屋")).to_contain_text(compound.name)
    accesses = page.locator("[data-gz-mydata=accesses]")
    expect(accesses).to_contain_text(f"社区工作者 · {compound.community.name}")
    expect(accesses).to_contain_text("房屋页面查看")
    expect(accesses).not_to_contain_text("worker")
    response = page.goto(f"{live_server.url}/me/my-data/")
    assert response is not None and "no-store" in response.headers["cache-control"]
    assert violations == []
    page.screenshot(path=str(artifacts_dir / "my-data.png"), full_page=True)
