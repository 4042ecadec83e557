"""The building party-group leader walks their navigation in Chromium: every link shown answers below 400.

The role holds a building; above it they see the compound (view only), its party chain and compound-wide
matters (accounts/access.py, ABOVE_A_BUILDING), and raise a matter in the compound.
"""

from __future__ import annotations

from datetime import date
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from gongzhi.accounts.roles import Role
from gongzhi.affairs import services as affairs
from gongzhi.affairs.models import MatterCategory, Scope
from gongzhi.affairs.seeds import ensure_seeded
from gongzhi.party import services as party
from gongzhi.party.models import MemberStatus, OrgKind
from gongzhi.tests.browser import login
from gongzhi.tests.factories import SYSTEM, PersonFactory, make_compound, make_tree, user_with

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Links that leave the pages being walked: log-out and language are forms, the API is another tool.
SKIP = ("/accounts/logout", "/i18n/", "/api/", "/static/", "/admin/")


def world():  # type: ignore[no-untyped-def]
    tree = make_tree()
    ensure_seeded()
    compound, (mine, theirs), homes = make_compound(tree.compounds[0].community, "海逸花园", buildings=2)
    member = party.member_register(
        person=PersonFactory.create(name="楼长甲"),
        status=MemberStatus.FULL,
        compound=compound,
        home=homes[0],
        joined_on=date(2001, 7, 1),
        actor=SYSTEM,
    )
    organisation = party.organisation_create(
        kind=OrgKind.BRANCH, name="海逸花园党支部", compounds=[compound], actor=SYSTEM
    )
    party.group_create(
        organisation=organisation, compound=compound, name="一号楼党小组", buildings=[mine], actor=SYSTEM
    )
    category = MatterCategory.objects.order_by("pk").first()
    assert category is not None and member
    affairs.matter_raise(actor=SYSTEM, compound=compound, title="小区大门维修", category=category)
    affairs.matter_raise(
        actor=SYSTEM,
        compound=compound,
        title="别楼外墙",
        category=category,
        scope=Scope.BUILDING,
        building=theirs,
    )
    user_with(Role.BUILDING_LEADER, mine, username="louzhang")
    return compound, mine


def links(page, origin: str) -> set[str]:  # type: ignore[no-untyped-def]
    hrefs = page.eval_on_selector_all("main a[href], nav a[href]", "els => els.map(e => e.href)")
    found = set()
    for href in hrefs:
        parts = urlsplit(href)
        if f"{parts.scheme}://{parts.netloc}" != origin or parts.path.startswith(SKIP):
            continue
        found.add(parts.path + (f"?{parts.query}" if parts.query else ""))
    return found


def test_building_leader_walks_every_link_shown(page, live_server, artifacts_dir) -> None:  # type: ignore[no-untyped-def]
    compound, mine = world()
    login(page, live_server, "louzhang")
    origin = live_server.url
    start = urlsplit(page.url).path
    assert start == f"/places/b/{mine.pk}/"
    seen: dict[str, int] = {}
    todo = [start]
    while todo and len(seen) < 60:  # two clicks deep from the start page covers the role's navigation
        path = todo.pop(0)
        if path in seen:
            continue
        response = page.goto(origin + path)
        assert response is not None
        seen[path] = response.status
        if response.status < 400 and path.count("/") <= 6:
            todo.extend(sorted(links(page, origin) - seen.keys()))
    broken = {p: s for p, s in seen.items() if s >= 400}
    assert not broken, broken
    for must in (f"/places/c/{compound.code}/", f"/party/c/{compound.code}/", "/affairs/", "/affairs/new/"):
        assert must in seen, sorted(seen)

    page.goto(f"{origin}/affairs/")
    expect(page.get_by_text("小区大门维修")).to_be_visible()
    expect(page.get_by_text("别楼外墙")).to_have_count(0)
    page.goto(f"{origin}/affairs/new/")
    expect(page.locator("main")).to_contain_text("海逸花园")
    for width, name in ((1366, "desk"), (360, "phone")):
        page.set_viewport_size({"width": width, "height": 900})
        for label, path in (
            ("building", f"/places/b/{mine.pk}/"),
            ("compound", f"/places/c/{compound.code}/"),
            ("chain", f"/party/c/{compound.code}/"),
        ):
            page.goto(origin + path)
            page.screenshot(path=str(artifacts_dir / f"building-leader-{label}-{name}.png"), full_page=True)
        if width == 360:
            assert page.evaluate("document.documentElement.scrollWidth") <= 360
