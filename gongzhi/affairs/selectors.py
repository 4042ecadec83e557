"""Reads for pages, the API, closing and the demo: scoped to the actor, a fixed number of queries each.

The electorate of a vote is read here (vote_homes) and counted by civil_code: who counts as the owner of a
home follows 司法解释 第九条 — one home one person (co-owners of a home name one representative: the
largest share, then the earliest recorded person), a person with several homes once, and every home held
by a developer (建设单位), or not yet delivered, as that developer's one person (civil_code.Developer).
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import cache
from typing import Any

from django.db import connection
from django.db.models import Count, FilteredRelation, Prefetch, Q, QuerySet
from django.utils import timezone

from gongzhi.accounts.access import scope_q
from gongzhi.accounts.roles import Action
from gongzhi.affairs import civil_code
from gongzhi.affairs.models import (
    Attachment,
    Ballot,
    Matter,
    MatterEvent,
    Meeting,
    Notice,
    NoticeItem,
    RegisterEntry,
    RegisterObjection,
    Scope,
    Vote,
    Voter,
    VoteRuleSet,
)
from gongzhi.core.prepared import fetch, instance
from gongzhi.people.models import Ownership, Person, PersonKind
from gongzhi.places.models import Home

# ---------------------------------------------------------------------------------------------------------
# Matters
# ---------------------------------------------------------------------------------------------------------


def matters_visible(user: Any) -> QuerySet[Matter]:
    return Matter.objects.filter(scope_q(user, Action.PLACE_VIEW))


def matter_list(
    user: Any, *, status: str = "", category: str = "", query: str = "", place_path: str = ""
) -> QuerySet[Matter]:
    """Matters the user may see, newest activity first, with what a list row shows (no per-row query)."""
    qs = matters_visible(user).select_related("category", "compound", "building")
    if status == "open":
        qs = qs.exclude(status__in=["resolved", "shelved"])
    elif status:
        qs = qs.filter(status=status)
    if category:
        qs = qs.filter(category__code=category)
    if query:
        qs = qs.filter(Q(title__contains=query) | Q(compound__name__contains=query))
    if place_path:
        qs = qs.filter(path__under=place_path)
    return qs.order_by("-updated_at", "-id")


@dataclass
class MatterPage:
    matter: Matter
    events: list[MatterEvent]
    meetings: list[Meeting]
    votes: list[Any]
    attachments: list[Attachment]


def matter_page(matter: Matter) -> MatterPage:
    """Everything the matter page shows, in four queries after the matter itself."""
    events = list(MatterEvent.objects.filter(matter=matter).order_by("at", "id"))
    meetings = list(Meeting.objects.filter(matters=matter).order_by("held_at", "id"))
    votes = list(
        Vote.objects.filter(matter=matter)
        .select_related("building", "rule_set")
        .annotate(ballots_count=Count("ballots"))
        .order_by("opened_at", "id")
    )
    attachments = list(Attachment.objects.filter(matter=matter).order_by("uploaded_at", "id"))
    return MatterPage(matter, events, meetings, votes, attachments)


def matter_state(matter: Matter, votes: Iterable[Vote] | None = None) -> Any:
    """The workflow's view of a matter (see workflow.MatterState)."""
    from gongzhi.affairs.workflow import MatterState

    votes = (
        list(votes)
        if votes is not None
        else list(Vote.objects.filter(matter=matter).order_by("opened_at", "id"))
    )
    open_vote = any(v.is_open for v in votes)
    closed = [v for v in votes if not v.is_open]
    passed = bool(closed and closed[-1].passed)
    return MatterState(
        status=matter.status,
        needs_vote=matter.needs_vote,
        vote_open=open_vote,
        vote_passed=passed,
        emergency=matter.emergency_at is not None,
    )


# ---------------------------------------------------------------------------------------------------------
# Votes and their electorate
# ---------------------------------------------------------------------------------------------------------


def votes_visible(user: Any) -> QuerySet[Vote]:
    return Vote.objects.filter(scope_q(user, Action.PLACE_VIEW))


def scope_filters(scope: str, compound_id: int, building_id: int | None, unit_no: int | None) -> tuple[Q, Q]:
    """(filter on Home, filter on Ownership) for a vote's scope: compound, building or unit."""
    if scope == Scope.COMPOUND:
        return Q(compound_id=compound_id), Q(compound_id_cache=compound_id)
    if scope == Scope.BUILDING:
        return Q(building_id=building_id), Q(home__building_id=building_id)
    return (
        Q(building_id=building_id, unit_no=unit_no),
        Q(home__building_id=building_id, home__unit_no=unit_no),
    )


def _current(on: date) -> Q:
    return Q(until__isnull=True) | Q(until__gt=on)


@dataclass(frozen=True)
class ScopeHome:
    """A home in a vote's scope with the person its headcount goes to (None: no owner recorded).

    ``developer`` is True for a home a developer (建设单位) holds; ``developer_id`` names the developer an
    unsold or undelivered home counts for (司法解释 第九条), None when the register names none."""

    home_id: int
    area: Decimal
    owner_id: int | None
    developer: bool
    delivered: bool = True
    developer_id: int | None = None


def vote_homes(vote: Vote | Matter, on: date | None = None) -> list[ScopeHome]:
    """The homes in the vote's scope and their counted owner, in one query (homes LEFT JOIN their
    current ownerships): largest share first, then the lowest person id — one person per home.

    An undelivered home counts for its developer (司法解释 第九条): the developer on the home's record,
    else the one developer holding homes in its building, else in the scope, else in the compound (one
    more query, only then); none or several: an unnamed developer, still one person."""
    on = on or timezone.localdate()
    home_q, _own_q = scope_filters(vote.scope, vote.compound_id, vote.building_id, vote.unit_no)
    rows = (
        Home.objects.filter(home_q)
        .annotate(
            current=FilteredRelation(
                "ownerships", condition=Q(ownerships__until__isnull=True) | Q(ownerships__until__gt=on)
            )
        )
        .order_by("id", "-current__share", "current__person_id")
        .values_list("id", "area", "delivered", "building_id", "current__person_id", "current__person__kind")
    )
    found: dict[int, tuple[Decimal, bool, int, int | None, int | None]] = {}
    by_building: dict[int, set[int]] = {}
    for home_id, area, delivered, building_id, person_id, kind in rows:
        is_dev = person_id is not None and kind == PersonKind.DEVELOPER
        if is_dev:
            by_building.setdefault(building_id, set()).add(person_id)
        if home_id not in found:
            found[home_id] = (area, delivered, building_id, person_id, person_id if is_dev else None)
        elif is_dev and found[home_id][4] is None:  # the developer still on an undelivered home's record
            area0, delivered0, building0, owner0, _none = found[home_id]
            found[home_id] = (area0, delivered0, building0, owner0, person_id)
    in_scope = set().union(*by_building.values()) if by_building else set()
    compound_devs: set[int] | None = None
    result: list[ScopeHome] = []
    for home_id, (area, delivered, building_id, person_id, dev_id) in found.items():
        held = dev_id is not None and dev_id == person_id
        if not delivered and dev_id is None:
            for candidates in (by_building.get(building_id, set()), in_scope):
                if len(candidates) == 1:
                    dev_id = next(iter(candidates))
                    break
            else:
                if compound_devs is None:
                    compound_devs = set(
                        Ownership.objects.filter(_current(on))
                        .filter(compound_id_cache=vote.compound_id, person__kind=PersonKind.DEVELOPER)
                        .values_list("person_id", flat=True)
                        .distinct()
                    )
                if len(compound_devs) == 1:
                    dev_id = next(iter(compound_devs))
        result.append(ScopeHome(home_id, area, person_id, held, delivered, dev_id))
    return result


def notice_of(matter: Matter) -> Notice | None:
    """The matter's latest notice with its items (and how often each was voted) and objections (3 queries),
    or None."""
    items = NoticeItem.objects.annotate(votes_count=Count("votes"))
    return (
        Notice.objects.filter(matter=matter)
        .prefetch_related(
            Prefetch("items", items), Prefetch("objections", RegisterObjection.objects.select_related("home"))
        )
        .first()
    )


def register_rows(notice: Notice) -> list[RegisterEntry]:
    """The published register: each home and its counted owner, in address order (one query)."""
    return list(
        RegisterEntry.objects.filter(notice=notice)
        .select_related("home__building", "owner")
        .order_by("home__building__seq", "home__unit_no", "home__floor", "home__room")
    )


def register_holds(vote: Vote) -> bool:
    """Whether the vote is counted on its published register (青岛市物业管理条例第二十四条): when it was
    opened on an item of a notice, and its rule set keeps the register through changes of ownership
    (the default)."""
    if vote.notice_item_id is None:
        return False
    return vote.rule_set.register_holds if vote.rule_set_id and vote.rule_set else True


def register_homes(vote: Vote) -> list[ScopeHome]:
    """The homes and counted owners of the register published with the vote's notice (one query)."""
    rows = RegisterEntry.objects.filter(notice__items=vote.notice_item_id).values_list(
        "home_id", "area", "owner_id", "developer", "delivered", "developer_id_counted"
    )
    return [ScopeHome(*row) for row in rows]


def counted_homes(vote: Vote, on: date | None = None) -> list[ScopeHome]:
    """The electorate's homes: the published register when it holds, else the register of ``on``."""
    return register_homes(vote) if register_holds(vote) else vote_homes(vote, on)


def register_owner_for(vote: Vote, person_id: int) -> int | None:
    """Under the published register, the counted owner a person votes as: themself when the register names
    them for a home (even if they sold it since); None when it does not."""
    found = RegisterEntry.objects.filter(notice__items=vote.notice_item_id, owner_id=person_id).exists()
    return person_id if found else None


def owner_key(owner_id: int, developers: set[int]) -> Hashable:
    """The electorate's key for a ballot's owner: each developer is its own person (司法解释 第九条)."""
    return civil_code.Developer(owner_id) if owner_id in developers else owner_id


def electorate_of(homes: list[ScopeHome]) -> tuple[civil_code.Electorate, set[int]]:
    """The civil_code electorate of the homes, and the person ids that count as a developer."""
    developers = {h.developer_id for h in homes if h.developer_id is not None}
    electorate = civil_code.count_electorate(
        civil_code.Home(h.home_id, h.area, h.owner_id, h.developer, h.developer_id, h.delivered)
        for h in homes
    )
    return electorate, developers


def vote_ballot_rows(vote: Vote) -> list[tuple[int, int | None, str]]:
    """Every ballot kept: (counted owner, co-owner who cast it or None, opinion)."""
    return list(Ballot.objects.filter(vote=vote).values_list("owner_id", "caster_id", "opinion").order_by())


def resolve_co_owners(
    rows: Iterable[tuple[int, int | None, str]], rule: str = civil_code.CoOwnerRule.REPRESENTATIVE
) -> tuple[dict[int, civil_code.Opinion], list[int]]:
    """One opinion per counted owner from all ballots kept (civil_code.co_owners_opinion), and the owners
    whose co-owners disagree."""
    own: dict[int, civil_code.Opinion] = {}
    others: dict[int, list[civil_code.Opinion]] = {}
    for owner_id, caster_id, opinion in rows:
        value = civil_code.Opinion(opinion)
        if caster_id is None:
            own[owner_id] = value
        else:
            others.setdefault(owner_id, []).append(value)
    opinions: dict[int, civil_code.Opinion] = {}
    conflicts: list[int] = []
    for owner_id in own.keys() | others.keys():
        home = civil_code.co_owners_opinion(own.get(owner_id), others.get(owner_id, []), rule)
        if home.conflict:
            conflicts.append(owner_id)
        if home.opinion is not None:
            opinions[owner_id] = home.opinion
    return opinions, sorted(conflicts)


def vote_opinions(vote: Vote) -> list[tuple[int, str]]:
    """The opinion each counted owner's vote carries, co-owners' ballots resolved by the vote's rule."""
    rule = (
        vote.rule_set.co_owner_rule
        if vote.rule_set_id and vote.rule_set
        else civil_code.CoOwnerRule.REPRESENTATIVE
    )
    opinions, _conflicts = resolve_co_owners(vote_ballot_rows(vote), rule)
    return [(owner_id, opinion.value) for owner_id, opinion in opinions.items()]


def ballot_owner_for(vote: Vote, person_id: int, on: date | None = None) -> int | None:
    """The person whose ballot ``person_id`` casts in this vote: themself when they are the counted owner of
    a home in scope, else the representative of a home they co-own; None when they own nothing in scope
    that is delivered (司法解释 第九条: an undelivered home counts for its developer). One query: every
    cast asks it (the homes are a subquery of the owners' rows), written as SQL because the ORM spent more
    CPU building it than the database spent answering (bench/bench_cast_cost.py)."""
    on = on or timezone.localdate()
    own, home = Ownership._meta.db_table, Home._meta.db_table
    person = Person._meta.db_table
    params: list[int | None]
    if vote.scope == Scope.COMPOUND:
        where, params = "o2.compound_id_cache = %s", [vote.compound_id]
    elif vote.scope == Scope.BUILDING:
        where, params = "h.building_id = %s", [vote.building_id]
    else:
        where, params = "h.building_id = %s AND h.unit_no = %s", [vote.building_id, vote.unit_no]
    # The buyer of an undelivered home does not vote yet: it counts for the developer (第九条).
    sql = (
        f"SELECT o.home_id, o.person_id, o.share FROM {own} o "
        "WHERE (o.until IS NULL OR o.until > %s) AND o.home_id IN ("
        f"SELECT o2.home_id FROM {own} o2 JOIN {home} h ON h.id = o2.home_id "
        f"JOIN {person} p ON p.id = o2.person_id "
        f"WHERE o2.person_id = %s AND (o2.until IS NULL OR o2.until > %s) AND {where} "
        "AND (h.delivered OR p.kind = %s))"
    )
    found = fetch(sql, [on, person_id, on, *params, PersonKind.DEVELOPER])  # prepared on PostgreSQL
    rows = [(h, p, Decimal(str(share))) for h, p, share in found]
    best: dict[int, tuple[Decimal, int]] = {}
    for home_id, pid, share in rows:
        cur = best.get(home_id)
        if cur is None or (share, -pid) > (cur[0], -cur[1]):
            best[home_id] = (share, pid)
    if not best:
        return None
    representatives = {pid for _share, pid in best.values()}
    if person_id in representatives:
        return person_id
    return min(representatives)


def voter_of(user: Any) -> Voter | None:
    """The owner a login votes for (Voter, with the person), read once per request: the cast page and the
    cast service both ask, and the answer is kept on the user object."""
    if not getattr(user, "pk", None):
        return None
    if not hasattr(user, "_gongzhi_voter"):
        user._gongzhi_voter = Voter.objects.filter(user_id=user.pk).select_related("person").first()
    return user._gongzhi_voter  # type: ignore[no-any-return]


@cache
def _vote_for_cast_sql() -> tuple[str, tuple[list[Any], ...]]:
    """vote_for_cast's statement and the fields of its four parts, built once (every cast runs it)."""
    from gongzhi.accounts.models import RoleAssignment

    vote_fields = list(Vote._meta.concrete_fields)
    rule_fields = list(VoteRuleSet._meta.concrete_fields)
    voter_fields = list(Voter._meta.concrete_fields)
    person_fields = [f for f in Person._meta.concrete_fields if f.name in ("id", "kind", "name")]
    q = connection.ops.quote_name
    columns = ", ".join(
        [f"v.{q(f.column)}" for f in vote_fields]
        + [f"r.{q(f.column)}" for f in rule_fields]
        + [f"vt.{q(f.column)}" for f in voter_fields]
        + [f"p.{q(f.column)}" for f in person_fields]
    )
    sql = (
        f"SELECT {columns}, (SELECT COALESCE(json_agg(json_build_array(g.role, g.path)), '[]'::json) "
        f"FROM {q(RoleAssignment._meta.db_table)} g WHERE g.user_id = %s) "
        f"FROM {q(Vote._meta.db_table)} v "
        f"LEFT JOIN {q(VoteRuleSet._meta.db_table)} r ON r.id = v.rule_set_id "
        f"LEFT JOIN {q(Voter._meta.db_table)} vt ON vt.user_id = %s "
        f"LEFT JOIN {q(Person._meta.db_table)} p ON p.id = vt.person_id "
        "WHERE v.id = %s"
    )
    return sql, (vote_fields, rule_fields, voter_fields, person_fields)


def vote_for_cast(user: Any, pk: int) -> Vote | None:
    """The vote an owner casts in, with its rule set; the login's grants (gongzhi.accounts.access) and its
    voter link (voter_of, the person's kind and name only) are kept on the user. On PostgreSQL in one
    statement, where the ORM took three (and spent more CPU building them than PostgreSQL answering
    them): every cast of a crowded vote comes through here (bench/bench_cast_cost.py). None: no such
    vote. Whether the user may see the vote is the caller's check (access.require)."""
    from gongzhi.accounts.access import remember_grants

    if connection.vendor != "postgresql" or not getattr(user, "pk", None):
        return Vote.objects.select_related("rule_set").filter(pk=pk).first()
    if not 0 < pk < 2**63:
        return None
    sql, take = _vote_for_cast_sql()
    rows = fetch(sql, [user.pk, user.pk, pk])  # a prepared statement (gongzhi.core.prepared)
    if not rows:
        return None
    values = list(rows[0])
    parts = []
    for fields in take:
        parts.append(values[: len(fields)])
        values = values[len(fields) :]
    vote_fields, rule_fields, voter_fields, person_fields = take
    vote = instance(Vote, vote_fields, parts[0])
    rule_set = instance(VoteRuleSet, rule_fields, parts[1]) if vote.rule_set_id else None
    Vote._meta.get_field("rule_set").set_cached_value(vote, rule_set)  # as select_related keeps it
    remember_grants(user, [(role, path) for role, path in values[0]])
    voter = None
    if parts[2][0] is not None:
        voter = instance(Voter, voter_fields, parts[2])
        Voter._meta.get_field("person").set_cached_value(voter, instance(Person, person_fields, parts[3]))
    user._gongzhi_voter = voter
    return vote  # type: ignore[no-any-return]


def owns_undelivered_in_scope(vote: Vote, person_id: int, on: date) -> bool:
    """Whether the person bought a home in scope that is not delivered yet (why they cannot vote)."""
    _home_q, own_q = scope_filters(vote.scope, vote.compound_id, vote.building_id, vote.unit_no)
    return (
        Ownership.objects.filter(own_q, person_id=person_id, home__delivered=False)
        .filter(_current(on))
        .exists()
    )


@dataclass
class VotePage:
    vote: Vote
    ballots: list[Ballot]
    counts: dict[str, int]
    ballots_total: int


def vote_page(vote: Vote, *, limit: int = 200, offset: int = 0) -> VotePage:
    """A vote's ballots (a page of them, names joined) and the counts by opinion: three queries."""
    ballots = list(
        Ballot.objects.filter(vote=vote)
        .select_related("owner", "caster")
        .order_by("owner__pinyin", "owner_id", "caster_id")[offset : offset + limit]
    )
    counts = {
        row["opinion"]: row["n"]
        for row in Ballot.objects.filter(vote=vote).values("opinion").annotate(n=Count("id")).order_by()
    }
    return VotePage(vote, ballots, counts, sum(counts.values()))


def vote_with_related() -> QuerySet[Vote]:
    return Vote.objects.select_related("matter", "matter__category", "compound", "building", "rule_set")


def rule_sets_for(category_id: int) -> list[civil_code.RuleSet]:
    return [rs.as_rule_set() for rs in VoteRuleSet.objects.filter(category_id=category_id)]


def rule_set_record_in_force(category_id: int, on: date, scope: str | None = None) -> VoteRuleSet | None:
    """The rule-set record of a category in force on a day, for ``scope`` when there is one
    (civil_code.rule_set_in_force decides)."""
    records = list(VoteRuleSet.objects.filter(category_id=category_id))
    found = civil_code.rule_set_in_force([r.as_rule_set() for r in records], on, scope)
    if found is None:
        return None
    return next(r for r in records if r.code == found.code)


def party_organisation_names(compound_ids: Iterable[int]) -> dict[int, str]:
    """The compound party organisation leading each compound's matters (gongzhi.party), one query."""
    from gongzhi.organisations.models import Coverage
    from gongzhi.party.models import PARTY_KINDS

    rows = (
        Coverage.objects.current()
        .filter(compound_id__in=list(compound_ids), organisation__kind__in=PARTY_KINDS)
        .order_by("compound_id", "organisation_id")
        .values_list("compound_id", "organisation__name")
    )
    names: dict[int, str] = {}
    for compound_id, name in rows:
        names.setdefault(compound_id, name)
    return names


def meetings_of(matter: Matter) -> QuerySet[Meeting]:
    return Meeting.objects.filter(matters=matter).prefetch_related(Prefetch("matters"))


def person_section(user: Any, person_id: int) -> list[Any]:
    """The person page's "matters raised": matters raised from a login linked to the person (Voter), in the
    viewer's scope. One query."""
    from django.urls import reverse
    from django.utils.translation import gettext_lazy as _

    from gongzhi.affairs.models import Voter
    from gongzhi.core.registry import PersonSection, SectionRow

    users = Voter.objects.filter(person_id=person_id).values("user_id")
    matters = (
        Matter.objects.filter(scope_q(user, Action.PLACE_VIEW), raised_by__in=users)
        .select_related("compound")
        .order_by("-raised_at")[:50]
    )
    rows = [
        SectionRow(
            m.title,
            reverse("affairs:matter", args=[m.pk]),
            f"{m.compound.name} · {m.get_status_display()} · {m.raised_at:%Y-%m-%d}",
        )
        for m in matters
    ]
    return [PersonSection(_("提出的事务"), rows, _("没有以本人账号提出的事务"), order=30)]
