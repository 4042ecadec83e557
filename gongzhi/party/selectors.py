"""Reads of the chain shared by pages, the API and ledgers: scoped, each a fixed number of queries."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db.models import (
    Count,
    Prefetch,
    Q,
    QuerySet,
    Sum,
)
from django.db.models.functions import Coalesce, Substr

from gongzhi.accounts.access import actor_of, scope_q, scoped
from gongzhi.accounts.roles import Action
from gongzhi.core.pagination import after, keyed
from gongzhi.core.paths import under
from gongzhi.core.pinyin import search_terms
from gongzhi.organisations.models import Coverage, Seat
from gongzhi.party import rules
from gongzhi.party.models import (
    PARTY_KINDS,
    BuildingGroup,
    CentralHousehold,
    CompoundPartyStats,
    HouseholdLink,
    OrgKind,
    PartyMember,
    PartyOrganisation,
    SeatTitle,
)
from gongzhi.party.settings_store import thresholds
from gongzhi.people.models import Ownership, Person, Residence
from gongzhi.places.models import Building, Compound, Division, Level

# -- dashboard ----------------------------------------------------------------------------------------


@dataclass
class Row:
    """One bar of a breakdown: a child place and its figures."""

    code: str
    name: str
    compounds: int
    qualifying: int = 0
    with_org: int = 0
    covered: int = 0
    groups: int = 0
    households: int = 0
    members: int = 0

    @property
    def coverage(self) -> float:
        return float(rules.coverage(self.covered, self.compounds))

    @property
    def coverage_text(self) -> str:
        return f"{self.coverage * 100:.1f}%"


def breakdown(places: list[Division], within: str) -> list[Row]:
    """Figures for divisions of one level under `within`, in one grouped query.

    Divisions of one level have codes of one length, so their paths have one length and a compound's
    counters group by the prefix of that length.
    """
    rows = {p.path: Row(p.code, p.name, p.compounds_count) for p in places}
    if not places:
        return []
    length = len(places[0].path)
    grouped = (
        CompoundPartyStats.objects.filter(under(within))
        .annotate(key=Substr("path", 1, length))
        .values("key")
        .annotate(
            qualifying=Count("pk", filter=Q(qualifies=True)),
            with_org=Count("pk", filter=Q(qualifies=True, has_own_org=True)),
            covered=Count("pk", filter=Q(covered=True)),
            groups=Sum("building_groups"),
            households=Sum("central_households"),
            members=Sum("members"),
        )
        .order_by()
    )
    for g in grouped:
        row = rows.get(g["key"])
        if row is None:
            continue
        for name in ("qualifying", "with_org", "covered", "groups", "households", "members"):
            setattr(row, name, g[name] or 0)
    return list(rows.values())


def dashboard_levels(place: Division) -> list[tuple[str, list[Division]]]:
    """The breakdowns a place's dashboard shows: its children, and their children for a district or city."""
    children = list(Division.objects.filter(parent=place).order_by("code"))
    levels = [(place.level, children)]
    if place.level in (Level.CITY, Level.DISTRICT) and children:
        grand = list(Division.objects.filter(parent__parent=place).order_by("code"))
        levels.append(("grand", grand))
    return levels


def compound_rows(community: Division) -> list[tuple[Compound, CompoundPartyStats | None]]:
    compounds = list(
        Compound.objects.filter(community=community).select_related("party_stats").order_by("code")
    )
    return [(c, getattr(c, "party_stats", None)) for c in compounds]


# -- the chain of a compound --------------------------------------------------------------------------


@dataclass
class GroupNode:
    group: BuildingGroup
    households: list[CentralHousehold]


@dataclass
class OrgNode:
    organisation: PartyOrganisation
    groups: list[GroupNode]


@dataclass
class Chain:
    compound: Compound
    organisations: list[PartyOrganisation]
    groups: list[BuildingGroup]
    households: list[CentralHousehold]

    def groups_of(self, org: PartyOrganisation) -> list[BuildingGroup]:
        return [g for g in self.groups if g.organisation_id == org.pk]

    def households_of(self, group: BuildingGroup | None) -> list[CentralHousehold]:
        gid = group.pk if group else None
        return [h for h in self.households if h.group_id == gid]

    @property
    def tree(self) -> list[OrgNode]:
        """Organisations with their groups and each group's households, nested once here (a template
        filtering every household for every group costs groups × households at a large compound)."""
        by_group: dict[int | None, list[CentralHousehold]] = defaultdict(list)
        for h in self.households:
            by_group[h.group_id].append(h)
        by_org: dict[int, list[GroupNode]] = defaultdict(list)
        for g in self.groups:
            by_org[g.organisation_id].append(GroupNode(g, by_group[g.pk]))
        return [OrgNode(org, by_org[org.pk]) for org in self.organisations]

    @property
    def loose_households(self) -> list[CentralHousehold]:
        """Central households in no building party group."""
        return [h for h in self.households if h.group_id is None]


def chain(compound: Compound) -> Chain:
    """Organisation → groups → central households → linked homes (active organisations), in six queries;
    the members are the members list's (keyset pages), loaded when the page asks."""
    orgs = list(
        PartyOrganisation.objects.active()
        .covering(compound.path)
        .prefetch_related(*organisation_prefetches())
        .order_by("kind", "code")
    )
    groups = list(
        BuildingGroup.objects.filter(compound=compound)
        .select_related("leader__person")
        .prefetch_related("buildings")
        .order_by("name")
    )
    households = list(
        CentralHousehold.objects.filter(compound=compound)
        .select_related("member__person", "home__building")
        .order_by("home__building__seq", "home__unit_no", "home__room")
    )
    # Linked homes as labels ("unit-room"), read in one query: hundreds of them at a large compound.
    labels: dict[int, list[str]] = defaultdict(list)
    for hid, unit, room in (
        HouseholdLink.objects.filter(household__compound=compound)
        .order_by("household_id", "pk")
        .values_list("household_id", "home__unit_no", "home__room")
    ):
        labels[hid].append(f"{unit}-{room}")
    for h in households:
        h.link_labels = labels[h.pk]  # type: ignore[attr-defined]
    return Chain(compound, orgs, groups, households)


# -- lists --------------------------------------------------------------------------------------------


# The order lists of members walk: by place (a member's path is its home's), then id, compared bytewise
# (gongzhi.core.pagination); pages continue after the last row's key, never by OFFSET. SQLite's index on
# path serves it (it carries the id); PostgreSQL has (path COLLATE "C", id) (migration party 0004).
MEMBER_KEY = ("path", "id")


def members(user: Any, place_path: str = "", q: str = "", **filters: Any) -> QuerySet[PartyMember]:
    """Members the user may see under a place, filtered, keyed and ordered by MEMBER_KEY; `q` matches
    name, pinyin or its initials."""
    qs = PartyMember.objects.filter(scope_q(user, Action.PARTY_VIEW))
    if place_path:
        qs = qs.filter(under(place_path))
    for key in ("status", "in_service", "compound", "organisation"):
        if filters.get(key) not in (None, ""):
            qs = qs.filter(**{key: filters[key]})
    if q.strip():
        key = search_terms(q)
        match = Q(person__name__contains=q.strip())
        if key.isascii():
            match |= Q(person__pinyin__startswith=key) | Q(person__initials__startswith=key)
        qs = qs.filter(match)
    return keyed(qs.select_related("person", "compound", "home__building", "organisation"), MEMBER_KEY)


def after_member(qs: QuerySet[PartyMember], path: str, pk: int) -> QuerySet[PartyMember]:
    """The rows of `qs` (keyed) after the member (path, pk) in MEMBER_KEY order."""
    return qs.filter(after(MEMBER_KEY, [path, pk]))


def members_total(user: Any, place_path: str = "", status: str = "") -> int | None:
    """How many members the user sees under a place, from the per-compound counters (one indexed sum,
    whatever the scope); None when the counters cannot say (a grant below a compound)."""
    actor = actor_of(user)
    if not actor.is_superuser and any(_below_compound(p) for p in actor.paths(Action.PARTY_VIEW)):
        return None
    if place_path and _below_compound(place_path):
        return None
    column = {"full": "full_members", "probationary": "probationary_members"}.get(status, "members")
    qs = CompoundPartyStats.objects.filter(scope_q(user, Action.PARTY_VIEW))
    if place_path:
        qs = qs.filter(under(place_path))
    return int(qs.aggregate(n=Coalesce(Sum(column), 0))["n"])


def _below_compound(path: str) -> bool:
    """A building's path ends in its `b<seq>` segment (gongzhi.core.paths)."""
    return path.rstrip("/").rsplit("/", 1)[-1].startswith("b")


def organisations(
    user: Any, place_path: str = "", q: str = "", kind: str = ""
) -> QuerySet[PartyOrganisation]:
    """Active organisations the user may see (by what they cover) that cover a place under `place_path`."""
    active = PartyOrganisation.objects.active()
    qs = scoped(user, active.covering(place_path) if place_path else active, Action.PARTY_VIEW)
    if kind:
        qs = qs.filter(kind=kind)
    if q.strip():
        key = search_terms(q)
        match = Q(name__contains=q.strip())
        if key.isascii():
            match |= Q(pinyin__contains=key) | Q(initials__startswith=key)
        qs = qs.filter(match)
    return qs.prefetch_related(*organisation_prefetches()).order_by("code")


def count_members(orgs: list[PartyOrganisation]) -> list[PartyOrganisation]:
    """Set `n_members` on one page of organisations, in one grouped query (an annotation would count
    the members of every matching organisation before the page is cut)."""
    counts = dict(
        PartyMember.objects.filter(organisation__in=[o.pk for o in orgs])
        .values("organisation_id")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("organisation_id", "n")
    )
    for o in orgs:
        o.n_members = counts.get(o.pk, 0)  # type: ignore[attr-defined]
    return orgs


def organisation_prefetches() -> list[Prefetch]:
    """Current coverage (with compounds) and seats (with persons): what lists and the chain show."""
    return [
        Prefetch(
            "coverages",
            queryset=Coverage.objects.current().select_related("compound").order_by("compound__code"),
        ),
        Prefetch("seats", queryset=Seat.objects.current().select_related("person").order_by("pk")),
    ]


# -- gaps ---------------------------------------------------------------------------------------------


def gaps(place: Division | Compound) -> list[rules.Gap]:
    """What the rules say is missing under a place, from a fixed number of grouped queries."""
    path = place.path
    th = thresholds(path)
    # Plain rows, not model instances: at city level these are ten thousand compounds and organisations.
    stats = list(
        CompoundPartyStats.objects.filter(under(path))
        .order_by("compound__code")
        .values_list(
            "compound_id",
            "compound__code",
            "compound__name",
            "counted_members",
            "members",
            "qualifies",
        )
    )
    # The counters' maxima say which compounds have a crowded building without a group or a household
    # over the limit; only those are looked into (at city level a handful of the ten thousand).
    tops = CompoundPartyStats.objects.filter(under(path))
    crowded_in = tops.filter(top_ungrouped_building__gte=th.building_group_min_members).values("pk")
    over_in = tops.filter(top_household_links__gt=th.household_max_links).values("pk")
    covers: dict[int, dict[str, str]] = defaultdict(dict)
    party_cover = Coverage.objects.current().filter(organisation__kind__in=PARTY_KINDS)
    for cid, code, kind in party_cover.filter(path__under=path, compound__isnull=False).values_list(
        "compound_id", "organisation__code", "organisation__kind"
    ):
        covers[cid]["joint" if kind == OrgKind.JOINT else "own"] = code
    # Compounds without a counters row have no members and no organisation.
    missing = (
        Compound.objects.filter(under(path))
        .exclude(party_stats__isnull=False)
        .order_by("code")
        .values_list("pk", "code", "name")
    )
    compound_facts = [
        rules.CompoundFacts(
            cid, code, name, counted, members, covers[cid].get("own", ""), covers[cid].get("joint", "")
        )
        for cid, code, name, counted, members, _q in stats
    ] + [rules.CompoundFacts(pk, code, name, 0, 0) for pk, code, name in missing]
    qualifying_names = {cid: name for cid, _code, name, _c, _m, qualifies in stats if qualifies}

    # An organisation's compounds and seats are read for the organisations at this place in two plain
    # queries and counted here (correlated subqueries per organisation cost more at a large district);
    # all its compounds count, not only those under this place.
    org_ids = party_cover.filter(path__under=path).values("organisation_id")
    orgs = list(
        PartyOrganisation.objects.filter(pk__in=org_ids)
        .order_by("code")
        .values_list("pk", "code", "name", "kind")
    )
    n_compounds: dict[int, int] = defaultdict(int)
    joint_qualifying: dict[int, list[str]] = defaultdict(list)
    for oid, cid, kind in party_cover.filter(organisation__in=org_ids).values_list(
        "organisation_id", "compound_id", "organisation__kind"
    ):
        n_compounds[oid] += 1
        if kind == OrgKind.JOINT and cid in qualifying_names:
            joint_qualifying[oid].append(qualifying_names[cid])
    n_seats: dict[int, int] = defaultdict(int)
    with_secretary: set[int] = set()
    for oid, role in (
        Seat.objects.current().filter(organisation__in=org_ids).values_list("organisation_id", "role")
    ):
        n_seats[oid] += 1
        if role == SeatTitle.SECRETARY:
            with_secretary.add(oid)
    per_org: dict[int, list[int]] = defaultdict(lambda: [0, 0, 0])
    # Grouped by the raw columns, in the order of the covering index (organisation, status, relation):
    # a streaming aggregate, no sort; the rule folds the few relation values here.
    for oid, status, relation, n in (
        PartyMember.objects.filter(organisation__in=org_ids)
        .values("organisation_id", "status", "relation_elsewhere")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("organisation_id", "status", "relation_elsewhere", "n")
    ):
        m = per_org[oid]
        m[0] += n
        m[1] += n if status == rules.FULL else 0
        m[2] += n if rules.counts_toward_branch(status, relation) else 0
    org_facts = [
        rules.OrgFacts(
            code,
            name,
            kind,
            n_compounds[pk],
            per_org[pk][0],
            per_org[pk][1],
            per_org[pk][2],
            pk in with_secretary,
            n_seats[pk],
            tuple(joint_qualifying.get(pk, [])),
        )
        for pk, code, name, kind in orgs
    ]

    # Buildings with enough resident members: counted on the members table alone; names only for the few
    # that have no group (the gaps).
    crowded = dict(
        PartyMember.objects.filter(compound_id__in=crowded_in, building__isnull=False)
        .values("building_id")
        .annotate(n=Count("pk"))
        .filter(n__gte=th.building_group_min_members)
        .order_by()
        .values_list("building_id", "n")
    )
    with_group = set(
        BuildingGroup.buildings.through.objects.filter(building__compound_id__in=crowded_in).values_list(
            "building_id", flat=True
        )
    )
    lacking = [b for b in crowded if b not in with_group]
    building_facts = [
        rules.BuildingFacts(pk, code, f"{name} {number}", crowded[pk], False)
        for pk, number, code, name in Building.objects.filter(pk__in=lacking)
        .order_by("compound__code", "seq")
        .values_list("pk", "number", "compound__code", "compound__name")
    ]
    over = dict(
        HouseholdLink.objects.filter(household__compound_id__in=over_in)
        .values("household_id")
        .annotate(n=Count("pk"))
        .filter(n__gt=th.household_max_links)
        .order_by()
        .values_list("household_id", "n")
    )
    household_facts = [
        rules.HouseholdFacts(h.pk, h.compound.code, f"{h.compound.name} {h.member.person.name}", over[h.pk])
        for h in CentralHousehold.objects.filter(pk__in=list(over)).select_related(
            "member__person", "compound"
        )
    ]
    return rules.gaps(compound_facts, org_facts, building_facts, household_facts, th)


def member_candidates(compound: Compound) -> QuerySet[Person]:
    """Who may be registered as a party member of `compound`: individuals living or owning there, not yet
    members. Subqueries on indexed columns, not an OR across two joins (that scans every person in the city)."""
    residents = Residence.objects.filter(home__compound=compound).values("person_id")
    owners = Ownership.objects.filter(compound_id_cache=compound.pk).values("person_id")
    return Person.objects.filter(
        Q(pk__in=residents) | Q(pk__in=owners), kind="individual", party_member__isnull=True
    ).order_by("pinyin")


def person_section(user: Any, person_id: int) -> list[Any]:
    """The person page's party membership: status, organisation, group, central household — shown to who
    may see the party chain of the member's compound (party.view). One query."""
    from django.urls import reverse
    from django.utils.translation import gettext_lazy as _

    from gongzhi.core.registry import PersonSection, SectionRow

    member = (
        PartyMember.objects.filter(scope_q(user, Action.PARTY_VIEW), person_id=person_id)
        .select_related("compound", "organisation", "group", "home__building", "central_household")
        .first()
    )
    if member is None:
        return [PersonSection(_("党员"), [], _("不是登记在册的居住地党员，或不在您可查看的范围"), order=20)]
    chain = reverse("party:chain", args=[member.compound.code])
    rows = [
        SectionRow(f"{member.get_status_display()} · {member.compound.name}", chain),
        SectionRow(
            str(_("组织关系")),
            "",
            member.organisation.name if member.organisation else member.relation_elsewhere or "—",
        ),
    ]
    if member.group:
        rows.append(SectionRow(str(_("楼栋党小组")), "", member.group.name))
    if hasattr(member, "central_household"):
        rows.append(SectionRow(str(_("党员中心户")), "", member.home.label if member.home else ""))
    return [PersonSection(_("党员"), rows, order=20)]
