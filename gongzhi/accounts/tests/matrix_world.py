"""Sample objects for the generated permission matrix: one of each kind inside the demo roles' places
(the first compound of 云霄路社区) and one outside them (a compound of 市北区), built through the services.

FILLERS says, per URL name, how to fill a URL's parameters (and query string) from these objects. A URL that
takes parameters and has no filler makes the matrix fail by name: add a line here when you add such a URL.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from gongzhi.accounts.models import RoleAssignment
from gongzhi.accounts.roles import ROLE_LEVEL, Role
from gongzhi.affairs import services as affairs
from gongzhi.affairs.models import Attachment, Ballot, Matter, MatterCategory, MeetingKind, Origin, Vote
from gongzhi.affairs.seeds import ensure_seeded
from gongzhi.ledgers.models import LedgerImport
from gongzhi.party import services as party
from gongzhi.party.models import MemberStatus, OrgKind
from gongzhi.people.models import Person
from gongzhi.places.models import Building, Compound, Division, Home
from gongzhi.tests.factories import PersonFactory, Tree, make_tree, user_with
from gongzhi.tests.matrix import Filler, Sample

# Where each demo user's role is granted (as gongzhi/demo/users.py does): the chain above the first compound.
ROLE_PLACE = ROLE_LEVEL


@dataclass
class Side:
    """One of each object in one compound (and the divisions above it)."""

    community: Division
    compound: Compound
    building: Building
    home: Home
    person: Person
    matter: Matter
    vote: Vote
    ballot: Ballot
    attachment: Attachment
    meeting: Any
    organisation: Any
    member: Any
    group: Any
    household: Any
    setting: Any
    user: User
    assignment: RoleAssignment
    job: LedgerImport
    notice: Any = None


@dataclass
class World:
    tree: Tree
    inside: Side
    outside: Side
    users: dict[str, User]

    def side(self, inside: bool) -> Side:
        return self.inside if inside else self.outside


def _side(tree: Tree, compound: Compound, tag: str) -> Side:
    # A real user acts: services check their rights (one actor, issue 7 item 5). TODO(h1): the party services
    # below take `actor=` too once the chain is rebuilt on organisations.
    actor = user_with(Role.DISTRICT_ADMIN, tree.d(compound.code[:6]), username=f"matrix_actor_{tag}")
    building = compound.buildings.order_by("seq").first()
    assert building is not None
    homes = list(building.homes.order_by("pk"))
    person = Person.objects.filter(ownerships__home=homes[0]).get()
    category = MatterCategory.objects.get(code="fund_use")
    matter = affairs.matter_raise(
        actor=actor, compound=compound, title=f"矩阵事项{tag}", category=category, item=5
    )
    affairs.matter_advance(matter=matter, actor=actor, to="consultation")
    meeting = affairs.meeting_record(
        matter=matter, actor=actor, kind=MeetingKind.BRIEFING, held_at=matter.raised_at, venue="社区活动室"
    )
    attachment = affairs.attachment_add(
        matter=matter, actor=actor, upload=SimpleUploadedFile("公示.png", b"\x89PNG\r\n\x1a\nxx")
    )
    notice = affairs.notice_post(
        actor=actor,
        matter=matter,
        voting_from=timezone.localdate() - timedelta(days=4),
        text="表决公告",
        items=[affairs.ItemText(f"矩阵表决{tag}", "全文")],
        at=timezone.now() - timedelta(days=20),
    )
    vote = affairs.vote_open(matter=matter, actor=actor, notice_item=notice.items.get())
    ballot = affairs.ballot_cast(
        vote=vote,
        person=person,
        opinion="agree",
        origin=Origin.PROXY,
        actor=actor,
        proxy_name="王小明",
        mandate_file=SimpleUploadedFile("委托书.pdf", b"%PDF-1.4 mandate"),
    )
    members = []
    for i, home in enumerate(homes[:2]):
        member_person = PersonFactory.create(name=f"党员{tag}{i}")
        members.append(
            party.member_register(
                person=member_person,
                status=MemberStatus.FULL,
                compound=compound,
                home=home,
                joined_on=date(2001, 7, 1),
                actor=actor,
            )
        )
    organisation = party.organisation_create(
        kind=OrgKind.BRANCH, name=f"矩阵党支部{tag}", compounds=[compound], actor=actor
    )
    group = party.group_create(
        organisation=organisation, compound=compound, name="第一党小组", buildings=[building], actor=actor
    )
    household = party.central_household_designate(member=members[0], links=[homes[1]], actor=actor)
    setting = party.setting_add(
        key=_setting_key(), value=3, effective_from=date(2020, 1, 1), place=compound.community, actor=actor
    )
    user = user_with(Role.RESIDENT, compound, username=f"matrix_{tag}")
    assignment = RoleAssignment.objects.get(user=user)
    job = LedgerImport.objects.create(ledger="homes", file="none.xlsx", created_by=user)
    return Side(
        compound.community,
        compound,
        building,
        homes[0],
        person,
        matter,
        vote,
        ballot,
        attachment,
        meeting,
        organisation,
        members[0],
        group,
        household,
        setting,
        user,
        assignment,
        job,
        notice,
    )


def _setting_key() -> str:
    from gongzhi.party.models import SettingKey

    return str(next(iter(SettingKey)))


def build_world() -> World:
    ensure_seeded()
    tree = make_tree()
    inside, outside = tree.compounds[0], tree.compounds[-1]
    assert inside.code.startswith("370202001001") and outside.code.startswith("370203")
    building = inside.buildings.order_by("seq").first()
    assert building is not None
    places: dict[str, Division | Compound | Building] = {
        "district": tree.d("370202"),
        "subdistrict": tree.d("370202001"),
        "community": tree.d("370202001001"),
        "compound": inside,
        "building": building,
    }
    users = {
        str(role): user_with(role, places[level], username=str(role)) for role, level in ROLE_PLACE.items()
    }
    world = World(tree, _side(tree, inside, "内"), _side(tree, outside, "外"), users)
    for side in (True, False):
        _campaign_side(world, side)
    reporting_samples(world)
    monitoring_samples(world)
    centre_samples(world)
    trading_samples(world)
    agribiz_samples(world)
    collectives_samples(world)
    return world


def _pk(attr: str) -> Filler:
    def fill(world: World, inside: bool) -> Sample:
        obj = getattr(world.side(inside), attr)
        return Sample({"pk": obj.pk}, obj)

    return fill


def _code(attr: str, **extra: str) -> Filler:
    def fill(world: World, inside: bool) -> Sample:
        obj = getattr(world.side(inside), attr)
        return Sample({"code": obj.code, **extra}, obj)

    return fill


def _query(attr: str, key: str = "place", *, slug: str = "") -> Filler:
    def fill(world: World, inside: bool) -> Sample:
        obj = getattr(world.side(inside), attr)
        return Sample({"slug": slug} if slug else {}, obj, f"{key}={obj.code}")

    return fill


def _person(world: World, inside: bool) -> Sample:
    side = world.side(inside)
    return Sample({"pk": side.person.pk}, side.home)  # a person is placed by the home they own


def _revoke(world: World, inside: bool) -> Sample:
    side = world.side(inside)
    return Sample({"pk": side.user.pk, "role_pk": side.assignment.pk}, side.assignment)


def _user(world: World, inside: bool) -> Sample:
    side = world.side(inside)
    return Sample({"pk": side.user.pk}, side.assignment)


def _own_session(world: World, inside: bool) -> Sample:
    """Another user's signed-in session: ending it is the owner's alone (404 to everyone else)."""
    from gongzhi.accounts.models import UserSession

    user = world.side(inside).user
    session, _ = UserSession.objects.get_or_create(session_key=f"matrix-{user.pk}", defaults={"user": user})
    return Sample({"pk": session.pk}, None)


def _own_token(world: World, inside: bool) -> Sample:
    from gongzhi.accounts.models import ApiToken
    from gongzhi.accounts.services import token_issue

    user = world.side(inside).user
    token = ApiToken.objects.filter(user=user).first() or token_issue(actor=user, user=user)[0]
    return Sample({"pk": token.pk}, None)


def _history(world: World, inside: bool) -> Sample:
    compound = world.side(inside).compound
    return Sample({"model": "places.compound", "pk": compound.pk}, compound)


def _public(world: World, inside: bool) -> Sample:
    vote = world.side(inside).vote
    return Sample({"public_id": vote.public_id}, vote)


def _notice(world: World, inside: bool) -> Sample:
    notice = world.side(inside).notice
    return Sample({"public_id": notice.public_id}, notice)


def _slug(world: World, inside: bool) -> Sample:
    return Sample({"slug": "homes"})


def _cogovern(attr: str) -> Filler:
    """One of each co-governance record per side, built on first use (gongzhi.cogovern.tests.kit)."""

    def fill(world: World, inside: bool) -> Sample:
        from gongzhi.cogovern.tests.kit import build_kit

        key = f"_cogovern_{inside}"
        kit = world.__dict__.get(key)
        # Built inside a test's transaction, so rebuilt when an earlier test's rollback took it away.
        if kit is None or not type(kit.company).objects.filter(pk=kit.company.pk).exists():
            world.__dict__[key] = build_kit(world.side(inside).compound)
        obj = getattr(world.__dict__[key], attr)
        return Sample({"pk": obj.pk}, obj)

    return fill


def _cogovern_apart(builder: str) -> Filler:
    """A co-governance record kept apart from the kit (an assembly case, a map), built on first use."""

    def fill(world: World, inside: bool) -> Sample:
        from gongzhi.cogovern.tests import kit

        key = f"_cogovern_{builder}_{inside}"
        obj = world.__dict__.get(key)
        if obj is None or not type(obj).objects.filter(pk=obj.pk).exists():
            world.__dict__[key] = getattr(kit, builder)(world.side(inside).compound)
        obj = world.__dict__[key]
        return Sample({"pk": obj.pk}, obj)

    return fill


def _score_sheet(world: World, inside: bool) -> Sample:
    """The district's default sheet: no place, so one sample for both sides (VIEW anywhere reads it)."""
    from gongzhi.cogovern.services import default_sheet

    return Sample({"pk": default_sheet().pk}, None)


def _sheet_job(world: World, inside: bool) -> Sample:
    """A paper-ballot sheet's job on the side's vote (its page is the vote managers')."""
    from gongzhi.affairs.models import SheetJob

    vote = world.side(inside).vote
    job, _ = SheetJob.objects.get_or_create(
        vote=vote, defaults={"file": "/nonexistent.xlsx", "status": "done"}
    )
    return Sample({"pk": vote.pk, "job": job.pk}, vote)


def _job(world: World, inside: bool) -> Sample:
    return Sample({"pk": world.side(inside).job.pk}, None)


def _campaign_side(world: World, inside: bool) -> dict[str, Any]:
    """A campaign of the side's district with a target at its compound and a report with evidence (h12)."""
    cache: dict[bool, dict[str, Any]] = world.__dict__.setdefault("campaign", {})
    if inside not in cache:
        from gongzhi.campaign import services as campaign
        from gongzhi.campaign.models import GoalType
        from gongzhi.core.actors import system

        side, actor = world.side(inside), system("matrix")
        district = world.tree.d(side.compound.code[:6])
        c = campaign.campaign_create(
            actor=actor, division=district, name="矩阵行动", first_year=2024, last_year=2026,
            phases=[("组织发动", date(2024, 1, 1), date(2026, 12, 31))], measures=[("健全组织体系", Decimal("1"))],
        )  # fmt: skip
        row = campaign.TargetRow(
            c.phases.get(), c.measures.get(), GoalType.objects.get(code="property_company"), side.compound,
            "矩阵目标", "书记", date(2026, 6, 30),
        )  # fmt: skip
        (target,) = campaign.targets_add(actor=actor, campaign=c, rows=[row])
        update = campaign.target_report(
            actor=actor, target=target, progress=Decimal("0.5"),
            evidence=SimpleUploadedFile("e.pdf", b"%PDF-1.4 x"),
        )  # fmt: skip
        cache[inside] = {"campaign": c, "target": target, "update": update}
    return cache[inside]


def _campaign(attr: str) -> Filler:
    def fill(world: World, inside: bool) -> Sample:
        obj = _campaign_side(world, inside)[attr]
        return Sample({"pk": obj.pk}, obj)

    return fill


FILLERS: dict[str, Filler] = {
    # places
    "places:division": _code("community"),
    "places:compound_add": _code("community"),
    "places:compound": _code("compound"),
    "places:compound_edit": _code("compound"),
    "party:pick_candidates": _code("compound"),
    "places:building_add": _code("compound"),
    "places:building": _pk("building"),
    "places:home_detail": _pk("home"),
    "division-detail": _code("community"),
    "compound-detail": _pk("compound"),
    "building-detail": _pk("building"),
    "home-detail": _pk("home"),
    "person-detail": _person,
    "people:person": _person,
    "indicators": _query("community"),
    # accounts
    "accounts:user_detail": _user,
    "accounts:user_toggle_active": _user,
    "accounts:role_revoke": _revoke,
    "accounts:throttle_clear": _user,
    "accounts:otp_reset": _user,
    "accounts:session_end": _own_session,
    "accounts:token_end": _own_token,
    "history": _history,
    # affairs
    "affairs:matter": _pk("matter"),
    "affairs:matter_advance": _pk("matter"),
    "affairs:matter_note": _pk("matter"),
    "affairs:meeting_new": _pk("matter"),
    "affairs:attachment_new": _pk("matter"),
    "affairs:vote_new": _pk("matter"),
    "affairs:matter_emergency": _pk("matter"),
    "affairs:matter_take": _pk("matter"),
    "affairs:attachment": _pk("attachment"),
    "affairs:mandate": _pk("ballot"),
    "affairs:vote": _pk("vote"),
    "affairs:vote_cast": _pk("vote"),
    "affairs:vote_record": _pk("vote"),
    "affairs:vote_sheet": _pk("vote"),
    "affairs:vote_sheet_job": _sheet_job,
    "affairs:vote_close": _pk("vote"),
    "affairs:vote_publish": _pk("vote"),
    "affairs:vote_public": _public,
    "affairs:home_owners": _pk("home"),
    "affairs:vote_canvass": _pk("vote"),
    "affairs:vote_form": _pk("vote"),
    "affairs:vote_unit": _pk("vote"),
    "affairs:notice_new": _pk("matter"),
    "affairs:objection_new": _pk("matter"),
    "affairs:objection_answer": _pk("matter"),
    "affairs:notice_public": _notice,
    "affairs:vote_chain": _pk("vote"),
    "matter-detail": _pk("matter"),
    "vote-detail": _pk("vote"),
    "meeting-detail": _pk("meeting"),
    # party
    "party:dashboard": _code("community"),
    "party:gaps": _code("community"),
    "party:chain": _code("compound"),
    "party:chain_tree": _code("compound"),
    "party:chain_form": _code("compound", kind="member"),
    "party:household_links": _pk("household"),
    "party:household_remove": _pk("household"),
    "party:group_remove": _pk("group"),
    "party:organisation_remove": _pk("organisation"),
    "party-gaps": _query("community"),
    "party-organisation-detail": _pk("organisation"),
    "party-organisation-seats": _pk("organisation"),
    "party-member-detail": _pk("member"),
    "party-member-transfer": _pk("member"),
    "party-member-make-full": _pk("member"),
    "party-group-detail": _pk("group"),
    "party-household-detail": _pk("household"),
    "party-setting-detail": _pk("setting"),
    # cogovern
    "cogovern:map": _code("community"),
    "cogovern:map_data": _code("community"),
    "cogovern:map_pdf": _code("community"),
    "cogovern:map_mark": _code("community"),
    "cogovern:card": _code("compound"),
    "cogovern:steps": _code("compound"),
    "cogovern:step": _code("compound", step="apply"),
    "cogovern:pick_person": _code("compound", who="owners"),
    "cogovern:overdue": _code("community"),
    "cogovern:redblack": _code("community"),
    "cogovern:company": _cogovern("company"),
    "cogovern-committee-detail": _cogovern("committee"),
    "cogovern-company-detail": _cogovern("company"),
    "cogovern-contract-detail": _cogovern("contract"),
    "cogovern-participant-detail": _cogovern("participant"),
    "cogovern-self-detail": _cogovern("self_committee"),
    "cogovern-evaluation-detail": _cogovern("evaluation"),
    "cogovern-complaint-detail": _cogovern("complaint"),
    "cogovern-listentry-detail": _cogovern("list_entry"),
    "cogovern-meeting-detail": _cogovern("meeting"),
    "cogovern-transition-detail": _cogovern("transition_group"),
    "cogovern-assembly-detail": _cogovern_apart("build_assembly"),
    "cogovern-map-detail": _cogovern_apart("mark_map"),
    "cogovern-scoresheet-detail": _score_sheet,
    # ledgers
    "ledgers:template": _slug,
    "ledgers:export": _query("community", slug="homes"),
    "ledgers:status": _job,
    "ledgers:download": _job,
    # campaign and dashboard (h12)
    "campaign:detail": _campaign("campaign"),
    "campaign:target_new": _campaign("campaign"),
    "campaign:sync": _campaign("campaign"),
    "campaign:target": _campaign("target"),
    "campaign:target_report": _campaign("target"),
    "campaign:evidence": _campaign("update"),
    "dashboard:place": _code("community"),
    "dashboard:snapshot": _code("community"),
    "dashboard:bulletin": _code("community"),
    "dashboard:bulletin_template": _code("community"),
}

# 双报到 (issue 11): its samples are built by its own module, on first use.
from gongzhi.reporting.tests.matrix import FILLERS as _REPORTING  # noqa: E402
from gongzhi.reporting.tests.matrix import build as reporting_samples  # noqa: E402

FILLERS.update(_REPORTING)

# 防止返贫动态监测 (issue 14, h14a): its samples are built by its own module.
from gongzhi.monitoring.tests.matrix import FILLERS as _MONITORING  # noqa: E402
from gongzhi.monitoring.tests.matrix import build as monitoring_samples  # noqa: E402

FILLERS.update(_MONITORING)
# The enterprise-service centre (issue 13): its samples are built by its own module.
from gongzhi.centre.tests.matrix import FILLERS as _CENTRE  # noqa: E402
from gongzhi.centre.tests.matrix import build as centre_samples  # noqa: E402

FILLERS.update(_CENTRE)
# Rural property-rights trading (issue 14): its samples are built by its own module.
from gongzhi.trading.tests.matrix import FILLERS as _TRADING  # noqa: E402
from gongzhi.trading.tests.matrix import build as trading_samples  # noqa: E402

FILLERS.update(_TRADING)
# Cooperatives and family farms (issue 14): its samples are built by its own module.
from gongzhi.agribiz.tests.matrix import FILLERS as _AGRIBIZ  # noqa: E402
from gongzhi.agribiz.tests.matrix import build as agribiz_samples  # noqa: E402

FILLERS.update(_AGRIBIZ)
# Collective 三资 supervision (issue 14): its samples are built by its own module.
from gongzhi.collectives.tests.matrix import FILLERS as _COLLECTIVES  # noqa: E402
from gongzhi.collectives.tests.matrix import build as collectives_samples  # noqa: E402

FILLERS.update(_COLLECTIVES)
