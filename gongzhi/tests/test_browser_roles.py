"""Every role can do its job (issue 9), in Debian's Chromium: each of the nine demo roles logs in, walks
every link of its navigation (none answers 4xx/5xx), does its main task, and its start page is saved at desk
and phone width (1366 and 360 px) for a person to look at.

Background jobs run with django-tasks' immediate backend here: the job runs as soon as it is enqueued, as a
running worker would pick it up (the worker process itself is `make demo`'s, tested by the ledgers app).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from gongzhi.accounts.roles import PERMISSIONS, Role, granted_roles
from gongzhi.affairs import services as affairs
from gongzhi.affairs.models import Ballot, Matter, Vote
from gongzhi.affairs.tests.helpers import category, make_estate, matter_at_consultation
from gongzhi.centre.tests.helpers import make_centre
from gongzhi.conftest import CHROMIUM
from gongzhi.ledgers.models import ImportStatus, LedgerImport
from gongzhi.party.models import PartyMember
from gongzhi.party.tests.helpers import fill
from gongzhi.tests.browser import login
from gongzhi.tests.factories import SYSTEM, credit_code, make_tree, user_with

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="Debian's chromium is not installed"),
]


@pytest.fixture
def immediate_tasks(settings):  # type: ignore[no-untyped-def]
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def world(role: str) -> dict[str, Any]:
    """The demo's shape in small: the roles' places as gongzhi/demo/users.py grants them, and a compound of
    32 homes (more candidates than a plain select lists, so the member picker searches)."""
    tree = make_tree()
    community = tree.d("370202001001")
    estate = make_estate(community, "金湖花园", floors=8)
    fill(estate.compound, full=3)
    places: dict[str, Any] = {
        Role.DISTRICT_ADMIN: tree.d("370202"),
        Role.SUBDISTRICT_STAFF: tree.d("370202001"),
        Role.COMMUNITY_WORKER: community,
        Role.BUILDING_LEADER: estate.building,
        Role.SYSTEM_ADMIN: tree.d("370202"),
        Role.SECURITY_ADMIN: tree.d("370202"),
        Role.AUDIT_ADMIN: tree.d("370202"),
        Role.AUDIT_READER: tree.d("370202"),
        # 防止返贫动态监测 (issue 14, h14a): the matrix world's district, subdistrict and community stand for
        # the county, the town and the village.
        Role.COUNTY_BUREAU: tree.d("370202"),
        Role.TOWN_STAFF: tree.d("370202001"),
        Role.VILLAGE_CADRE: community,
        Role.ASSISTANCE_OFFICER: community,
        Role.HOUSEHOLD: community,
        Role.INVESTMENT_BUREAU: tree.d("370202"),
        **{r: community for r in CENTRE_PARTIES},
        Role.ENTERPRISE_CONTACT: community,
    }
    place = places.get(role, estate.compound)
    user = user_with(role, place, username=f"u-{role}", first_name=str(Role(role).label))
    found = {"tree": tree, "estate": estate, "user": user}
    if role in (Role.INVESTMENT_BUREAU, Role.ENTERPRISE_CONTACT, *CENTRE_PARTIES):
        found["centre"] = centre_world(community, user if role == Role.ENTERPRISE_CONTACT else None)
    return found


CENTRE_PARTIES = (Role.BUILDING_OWNER, Role.OPERATOR, Role.INCUBATOR, Role.PLATFORM_STAFF)


def centre_world(community: Any, contact: Any) -> Any:
    """The enterprise-service centre under the community, with one enterprise whose contact is `contact`."""
    from gongzhi.centre import services as centre
    from gongzhi.centre.models import Industry

    made = make_centre(community)
    firm = centre.enterprise_register(
        actor=SYSTEM,
        centre=made.centre,
        name="青岛启明科技有限公司",
        credit_code=credit_code(7),
        industry=Industry.objects.get(code="I"),
        kind="innovative",
    )
    if contact is not None:
        firm.contacts.add(contact)
    return made


def walk_navigation(page: Any, base: str) -> list[str]:
    """Open every link of the navigation bar; each must answer below 400."""
    page.goto(f"{base}/")
    hrefs = page.eval_on_selector_all(
        "#gz-nav a.nav-link, #gz-nav a.dropdown-item", "els => els.map(e => e.getAttribute('href'))"
    )
    assert hrefs
    for href in hrefs:
        response = page.goto(f"{base}{href}")
        assert response is not None and response.status < 400, (href, response and response.status)
    return hrefs


def shots_dir() -> Path:
    """Where the start pages are saved to be looked at: GONGZHI_SHOTS, else test-artifacts/roles/."""
    path = Path(
        os.environ.get("GONGZHI_SHOTS", "")
        or Path(__file__).resolve().parents[2] / "test-artifacts" / "roles"
    )
    path.mkdir(parents=True, exist_ok=True)
    return path


def start_page_shots(page: Any, base: str, role: str) -> None:
    shots = shots_dir()
    for width in (1366, 360):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(f"{base}/")
        page.wait_for_load_state("networkidle")
        assert page.evaluate("document.documentElement.scrollWidth") <= width, (role, width)
        page.screenshot(path=str(shots / f"start-{role}-{width}.png"), full_page=True)
    # On the phone the menus fold into a list under the toggler, each group opening in place.
    page.locator(".navbar-toggler").click()
    groups = page.locator("#gz-nav .dropdown-toggle")
    if groups.count():
        groups.first.click()
        expect(page.locator("#gz-nav .dropdown-menu.show a.dropdown-item").first).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360, role
    page.screenshot(path=str(shots / f"nav-{role}-360.png"), full_page=True)
    page.set_viewport_size({"width": 1366, "height": 900})


@pytest.mark.parametrize("role", granted_roles())
def test_role_walks_its_navigation_and_does_its_job(  # type: ignore[no-untyped-def]
    role, page, live_server, immediate_tasks, tmp_path
) -> None:
    w = world(role)
    user = w["user"]
    base = live_server.url
    page.on("dialog", lambda dialog: dialog.accept())  # the confirmations before irreversible actions
    login(page, live_server, user.username)
    hrefs = walk_navigation(page, base)
    # The API documentation only for those who use it: ledger importers and user managers.
    assert ("/api/v1/docs/" in hrefs) is bool({"ledger.import", "users.manage"} & PERMISSIONS[role])
    start_page_shots(page, base, role)
    TASKS[role](page, base, w, tmp_path)


# --- the main task of each role ------------------------------------------------------------------------------


def staff_import_a_ledger(page: Any, base: str, w: dict[str, Any], tmp_path: Path) -> None:
    """Staff: take the compound's homes ledger and import it back; the job runs and reports done."""
    code = w["estate"].compound.code
    data = page.request.get(f"{base}/ledgers/homes/export/?place={code}").body()
    sheet = tmp_path / "房屋业主台账.xlsx"
    sheet.write_bytes(data)
    page.goto(f"{base}/ledgers/?place={code}")
    page.set_input_files("#file-homes", str(sheet))
    page.locator("#file-homes").locator("xpath=ancestor::form").locator("button[type=submit]").click()
    expect(page.locator("#import-progress")).to_have_attribute("data-status", "done")
    assert LedgerImport.objects.get().status == ImportStatus.DONE
    # And the person search finds an owner of the compound by name.
    owner = w["estate"].owners[0]
    page.goto(f"{base}/people/")
    page.fill("main input[name=q]", owner.name)
    page.locator("main form button[type=submit]").click()
    page.locator(f'a[href="/people/{owner.pk}/"]').first.click()
    expect(page.locator("h1")).to_contain_text(owner.name[0])


def secretary_edits_the_chain(page: Any, base: str, w: dict[str, Any], tmp_path: Path) -> None:
    """Secretary: register a resident as a party member through the searchable picker."""
    estate = w["estate"]
    candidate = next(o for o in estate.owners if not PartyMember.objects.filter(person=o).exists())
    page.goto(f"{base}/party/c/{estate.compound.code}/")
    page.get_by_role("button", name="登记党员").click()
    page.locator("#party-form .ts-control").click()
    page.keyboard.type(candidate.name)
    expect(page.locator(".ts-dropdown .option").first).to_contain_text(candidate.name)
    page.screenshot(path=str(shots_dir() / "secretary-picker.png"), full_page=True)
    page.locator(".ts-dropdown .option").first.click()
    page.select_option("#party-form select[name=status]", "full")
    page.locator("#party-form button[type=submit]").click()
    expect(page.locator("#gz-saved")).to_contain_text("已保存")
    assert PartyMember.objects.filter(person=candidate).exists()


def leader_sees_building_and_raises(page: Any, base: str, w: dict[str, Any], tmp_path: Path) -> None:
    """Group leader: the building page opens from the start page, then a matter is raised."""
    estate = w["estate"]
    page.goto(f"{base}/")
    expect(page.locator("h1")).to_contain_text(estate.building.number)
    raise_matter(page, base, estate, "2号单元楼道灯不亮")


def raise_matter(page: Any, base: str, estate: Any, title: str) -> None:
    page.goto(f"{base}/affairs/new/")
    page.select_option("#id_compound", str(estate.compound.pk))
    page.fill("#id_title", title)
    page.select_option("#id_category", index=1)
    page.locator("main button[type=submit].btn-danger").click()
    expect(page.locator("#matter-title")).to_have_text(title)
    assert Matter.objects.filter(title=title).exists()


def committee_runs_a_vote(page: Any, base: str, w: dict[str, Any], tmp_path: Path) -> None:
    """Owners' committee: open the owners' vote on a matter at consultation."""
    matter = matter_at_consultation(w["estate"])
    page.goto(f"{base}/affairs/m/{matter.pk}/")
    page.get_by_role("button", name="开始表决").click()
    expect(page.locator("#vote-status")).to_be_visible()
    assert Vote.objects.filter(matter=matter).exists()


def property_takes_a_matter(page: Any, base: str, w: dict[str, Any], tmp_path: Path) -> None:
    """Property staff: find a matter of the compound, take it on (its own step on the timeline), and raise
    one of their own."""
    estate = w["estate"]
    led = affairs.matter_raise(
        actor=SYSTEM,
        compound=estate.compound,
        title="电梯年检",
        category=category("elevator"),
        responsible="property",
    )
    page.goto(f"{base}/affairs/?compound={estate.compound.code}")
    page.get_by_role("link", name="电梯年检").click()
    expect(page.locator("#matter-title")).to_have_text(led.title)
    page.fill("#take textarea[name=note]", "已约检测机构，下周二上门")
    page.get_by_role("button", name="承接本事项").click()
    expect(page.locator(".alert-success")).to_contain_text("已承接本事项")
    expect(page.locator("#timeline")).to_contain_text("承接本事项：已约检测机构")
    expect(page.locator("#take")).to_have_count(0)
    page.screenshot(path=str(shots_dir() / "property-took-a-matter.png"), full_page=True)
    led.refresh_from_db()
    assert led.taken_by == w["user"] and led.taken_at is not None
    raise_matter(page, base, estate, "小区东门道闸维修")


def member_reads_the_chain(page: Any, base: str, w: dict[str, Any], tmp_path: Path) -> None:
    """Party member: the compound's chain opens from 党组织."""
    page.goto(f"{base}/party/")
    expect(page.locator("h1")).to_contain_text(w["estate"].compound.name)


def resident_votes_on_the_phone(page: Any, base: str, w: dict[str, Any], tmp_path: Path) -> None:
    """Resident: vote on a 360 px phone screen, as the owner the account is linked to."""
    estate, user = w["estate"], w["user"]
    affairs.voter_link(user=user, person=estate.owners[0], actor=SYSTEM)
    vote = affairs.vote_open(matter=matter_at_consultation(estate), actor=SYSTEM)
    page.set_viewport_size({"width": 360, "height": 800})
    page.goto(f"{base}/")
    page.goto(f"{base}/affairs/v/{vote.pk}/")
    page.locator("#own-ballot input[type=radio]").first.check()
    page.locator("#own-ballot button[type=submit]").click()
    expect(page.locator(".alert-success")).to_contain_text("您的表决意见已记录")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.screenshot(path=str(shots_dir() / "resident-voted-360.png"), full_page=True)
    assert Ballot.objects.filter(vote=vote).count() == 1


def system_admin_manages_users(page: Any, base: str, w: dict[str, Any], tmp_path: Path) -> None:
    """System administrator: the accounts of the district, and a new one started."""
    page.goto(f"{base}/accounts/users/")
    expect(page.locator("h1")).to_have_text("用户管理")
    page.goto(f"{base}/accounts/users/new/")
    expect(page.locator("form input[name=username]")).to_be_visible()


def security_admin_reviews_accounts(page: Any, base: str, w: dict[str, Any], tmp_path: Path) -> None:
    """Security administrator: the accounts' log-in delays and second factors."""
    page.goto(f"{base}/accounts/security/accounts/")
    expect(page.locator("h1")).to_have_text("账号安全")


def auditor_reads_the_log_in_log(page: Any, base: str, w: dict[str, Any], tmp_path: Path) -> None:
    """Audit roles: the log-in log, which shows their own log-in a moment ago."""
    page.goto(f"{base}/accounts/audit/logins/")
    expect(page.locator("h1")).to_have_text("登录日志")
    expect(page.locator("main")).to_contain_text(w["user"].username)


# --- 防止返贫动态监测 (issue 14, h14a) ------------------------------------------------------------------------


def _monitoring_case(w: dict[str, Any], identified: bool = False) -> Any:
    """A household of the community with a case raised by a visit 30 days ago (identified if asked)."""
    from datetime import timedelta

    from django.utils import timezone

    from gongzhi.monitoring import services as mon
    from gongzhi.people.identity import with_check_character

    community = w["tree"].d("370202001001")
    for step, days in (("village", 5), ("town", 5), ("county", 7)):
        mon.notice_period_set(actor=SYSTEM, step=step, days=days)
    household = mon.household_register(
        actor=SYSTEM,
        village=community,
        number="R0001",
        members=[mon.MemberRow("农户甲", with_check_character("37028319700101001"), "户主")],
        account=w["user"] if w["user"].roles.filter(role=Role.HOUSEHOLD).exists() else None,
    )
    day = timezone.localdate() - timedelta(days=30)
    mon.visit_record(
        actor=SYSTEM,
        household=household,
        visited_on=day,
        findings="务工收入中断",
        next_due=day + timedelta(days=60),
        secure={},
        raise_category="edge",
    )
    case = household.cases.get()
    if identified:
        for i, step in enumerate(("village", "town", "county")):
            mon.case_decide(
                actor=SYSTEM, case=case, step=step, approved=True, on=day + timedelta(days=1 + 8 * i)
            )
    return case


def county_reads_the_cases(page: Any, base: str, w: dict[str, Any], tmp_path: Path) -> None:
    """County bureau: the county's cases, then the department warning lists page."""
    case = _monitoring_case(w)
    page.goto(f"{base}/monitoring/")
    expect(page.locator("#case-table")).to_contain_text(case.household.number)
    page.goto(f"{base}/monitoring/warnings/")
    expect(page.locator("h1")).to_contain_text("部门预警名单")


def town_checks_a_case(page: Any, base: str, w: dict[str, Any], tmp_path: Path) -> None:
    """Town staff: the town check of a case the village reviewed 20 days ago."""
    from datetime import timedelta

    from django.utils import timezone

    from gongzhi.monitoring import services as mon

    case = _monitoring_case(w)
    mon.case_decide(
        actor=SYSTEM, case=case, step="village", approved=True, on=timezone.localdate() - timedelta(days=20)
    )
    page.goto(f"{base}/monitoring/cases/{case.pk}/")
    page.locator(".decide-form").filter(has_text="镇级审核").locator("button[value='1']").click()
    expect(page.locator("#timeline")).to_contain_text("镇级审核：通过")


def cadre_records_a_visit(page: Any, base: str, w: dict[str, Any], tmp_path: Path) -> None:
    """Village cadre or assistance officer: a visit to a household under monitoring."""
    case = _monitoring_case(w, identified=True)
    page.goto(f"{base}/monitoring/households/{case.household_id}/visit/")
    page.fill("#findings", "回访：公益岗位已落实")
    page.click("#visit-form button[type=submit]")
    expect(page.locator(".alert-success")).to_contain_text("走访记录已保存")


def household_sees_its_case(page: Any, base: str, w: dict[str, Any], tmp_path: Path) -> None:
    """Household: its own case on a 360 px phone screen."""
    _monitoring_case(w)
    page.set_viewport_size({"width": 360, "height": 800})
    page.goto(f"{base}/monitoring/mine/")
    expect(page.locator(".own-case")).to_contain_text("边缘易致贫户")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


MONITORING_TASKS = {
    Role.COUNTY_BUREAU: county_reads_the_cases,
    Role.TOWN_STAFF: town_checks_a_case,
    Role.VILLAGE_CADRE: cadre_records_a_visit,
    Role.ASSISTANCE_OFFICER: cadre_records_a_visit,
    Role.HOUSEHOLD: household_sees_its_case,
}


def centre_staff_open_the_centre(page: Any, base: str, w: dict[str, Any], tmp_path: Path) -> None:
    """Investment bureau, building owner, operator, incubator, platform staff: the centre's overview opens
    from 服务中心 with its funnel, and its enterprise list shows the enterprise."""
    page.goto(f"{base}/centre/")
    expect(page.locator("h1")).to_contain_text(w["centre"].centre.name)
    expect(page.locator("#funnel")).to_contain_text("线索")
    page.goto(f"{base}/centre/{w['centre'].centre.pk}/enterprises/")
    expect(page.locator("#enterprises")).to_contain_text("青岛启明科技有限公司")


def contact_files_a_request(page: Any, base: str, w: dict[str, Any], tmp_path: Path) -> None:
    """Enterprise contact: file a request for its enterprise; it is routed to the item's handler."""
    from gongzhi.centre.models import ServiceRequest

    page.goto(f"{base}/centre/requests/")
    form = page.locator("main form[id^=file-]").first
    form.locator("select[name=item]").select_option(index=1)
    form.locator("input[name=detail]").fill("咨询研发费用加计扣除")
    form.locator("button[type=submit]").click()
    expect(page.locator(".alert-success")).to_contain_text("诉求已提交")
    assert ServiceRequest.objects.filter(detail="咨询研发费用加计扣除").exists()


TASKS = {
    Role.DISTRICT_ADMIN: staff_import_a_ledger,
    Role.SUBDISTRICT_STAFF: staff_import_a_ledger,
    Role.COMMUNITY_WORKER: staff_import_a_ledger,
    Role.PARTY_SECRETARY: secretary_edits_the_chain,
    Role.BUILDING_LEADER: leader_sees_building_and_raises,
    Role.COMMITTEE_MEMBER: committee_runs_a_vote,
    Role.PROPERTY_STAFF: property_takes_a_matter,
    Role.PARTY_MEMBER: member_reads_the_chain,
    Role.RESIDENT: resident_votes_on_the_phone,
    Role.SYSTEM_ADMIN: system_admin_manages_users,
    Role.SECURITY_ADMIN: security_admin_reviews_accounts,
    Role.AUDIT_ADMIN: auditor_reads_the_log_in_log,
    Role.AUDIT_READER: auditor_reads_the_log_in_log,
    **MONITORING_TASKS,
    Role.INVESTMENT_BUREAU: centre_staff_open_the_centre,
    Role.BUILDING_OWNER: centre_staff_open_the_centre,
    Role.OPERATOR: centre_staff_open_the_centre,
    Role.INCUBATOR: centre_staff_open_the_centre,
    Role.PLATFORM_STAFF: centre_staff_open_the_centre,
    Role.ENTERPRISE_CONTACT: contact_files_a_request,
}


# --- rural property-rights trading (平度市, issue 14, h14b): the bidder's task, and the exchange's task for
# the rural roles where no other rural app has given them one (setdefault: another app's task comes first).


def _pingdu_listing(w: dict[str, Any], role: str) -> Any:
    """平度市's towns and villages, the user's role granted there too, and a listing open for bidding."""
    from gongzhi.accounts.services import role_grant
    from gongzhi.tests.factories import DIVISIONS, load_divisions
    from gongzhi.trading.tests.kit import PINGDU, make_listing

    d = load_divisions(DIVISIONS + PINGDU)
    places: dict[str, Any] = {Role.VILLAGE_CADRE: d["370283001203"], Role.TOWN_STAFF: d["370283001"]}
    place = places.get(role, d["370283"])
    role_grant(actor=SYSTEM, user=w["user"], role=role, place=place)
    return d, make_listing(d["370283001203"], title="郭家疃村东机动地经营权")


def bidder_bids_on_a_listing(page: Any, base: str, w: dict[str, Any], tmp_path: Path) -> None:
    """Bidder: with the deposit paid, bid one step above the reserve; the bid and the deposit are on its page."""
    from gongzhi.trading import services as trading
    from gongzhi.trading.models import Bid
    from gongzhi.trading.tests.kit import pay

    d, listing = _pingdu_listing(w, Role.BIDDER)
    bidder = trading.bidder_register(
        actor=SYSTEM, name="青禾种植专业合作社", place=d["370283"], user=w["user"]
    )
    pay(listing, bidder)
    page.goto(f"{base}/trading/")
    page.get_by_role("link", name=listing.code).click()
    expect(page.locator("[data-next]")).to_have_text("100,000")
    page.fill("#amount", "100000")
    page.get_by_role("button", name="出价").click()
    expect(page.locator(".alert-success")).to_contain_text("出价成功")
    expect(page.locator("[data-price]")).to_have_text("100,000")
    page.goto(f"{base}/trading/mine/")
    expect(page.locator("main")).to_contain_text(listing.title)
    expect(page.locator("main")).to_contain_text("领先")
    assert Bid.objects.filter(listing=listing, bidder=bidder).count() == 1


def exchange_closes_an_auction(page: Any, base: str, w: dict[str, Any], tmp_path: Path) -> None:
    """County bureau or town staff: close a listing's bidding; the highest bidder is awarded."""
    from gongzhi.trading import services as trading
    from gongzhi.trading.models import Listing, Status
    from gongzhi.trading.tests.kit import pay

    d, listing = _pingdu_listing(w, w["user"].roles.first().role)
    buyer = user_with(Role.BIDDER, d["370283"])
    bidder = trading.bidder_register(actor=SYSTEM, name="平度市禾丰家庭农场", place=d["370283"], user=buyer)
    pay(listing, bidder)
    trading.bid_place(actor=buyer, listing_id=listing.pk, bidder=bidder, amount_yuan=100_000)
    page.goto(f"{base}/trading/{listing.pk}/")
    page.get_by_role("button", name="结束竞价").click()
    expect(page.locator(".alert-success")).to_contain_text("竞价已结束")
    expect(page.locator("[data-status]")).to_have_text("已成交")
    assert Listing.objects.get(pk=listing.pk).status == Status.AWARDED


def cadre_reads_the_village_listing(page: Any, base: str, w: dict[str, Any], tmp_path: Path) -> None:
    """Village cadre: the village's listing and its bids, without the exchange's buttons."""
    _d, listing = _pingdu_listing(w, Role.VILLAGE_CADRE)
    page.goto(f"{base}/trading/")
    page.get_by_role("link", name=listing.code).click()
    expect(page.locator("h1")).to_contain_text(listing.title)
    expect(page.get_by_role("button", name="结束竞价")).to_have_count(0)


for _role, _task in {
    Role.BIDDER: bidder_bids_on_a_listing,
    Role.COUNTY_BUREAU: exchange_closes_an_auction,
    Role.TOWN_STAFF: exchange_closes_an_auction,
    Role.VILLAGE_CADRE: cadre_reads_the_village_listing,
}.items():
    TASKS.setdefault(_role, _task)
