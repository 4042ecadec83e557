"""Reads for owners who vote online: who an account votes as, why it cannot yet, and how staff find an owner.

An owner votes online when staff who checked their identity linked their login to their ``Person`` (a
``Voter``) and the register (``Ownership``) names that person as the current owner of a delivered home in
the vote's scope (司法解释 第九条: an undelivered home counts for its developer). ``voting_status`` says
which of these is missing, in words the owner understands. Phones and ID numbers are matched exactly
through ORM filters (never LIKE: the people app may store them encrypted).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from gongzhi.accounts.access import scope_q
from gongzhi.accounts.roles import Action
from gongzhi.affairs.models import Ballot, BallotChange, Matter, Scope, Vote, Voter, VoteStatus
from gongzhi.people.masking import mask_id_number, mask_phone
from gongzhi.people.models import Ownership, Person, PersonKind
from gongzhi.places.models import Home

ID_NUMBER = re.compile(r"^\d{17}[\dXx]$")
PHONE = re.compile(r"^1\d{10}$")
ADDRESS = re.compile(r"(\d+)\D+(\d+)\D+(\d+)|^(\d{3,4})$")


def _current(on: date) -> Q:
    return Q(until__isnull=True) | Q(until__gt=on)


@dataclass
class OwnedHome:
    ownership: Ownership
    home: Home
    reason: str  # why this home gives no vote; "" when it does


@dataclass
class VotingStatus:
    """An account's standing as an online voter: the linked person, their homes and what is missing."""

    voter: Voter | None
    person: Person | None
    homes: list[OwnedHome] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)

    @property
    def may_vote(self) -> bool:
        return any(not h.reason for h in self.homes)


def home_reason(home: Home, person: Person) -> str:
    """Why owning this home gives the person no vote (司法解释 第九条), or "" when it does."""
    if not home.delivered and person.kind != PersonKind.DEVELOPER:
        return _("房屋尚未交付：按司法解释第九条计入建设单位，交付后才能表决")
    return ""


def voting_status(user: Any, on: date | None = None) -> VotingStatus:
    """The account's voter link, the homes the register gives its person, and why it cannot vote (2 queries)."""
    on = on or timezone.localdate()
    voter = Voter.objects.filter(user_id=getattr(user, "pk", None) or 0).select_related("person").first()
    if voter is None:
        return VotingStatus(
            None,
            None,
            reasons=[_("您的账号尚未与业主身份关联：请带身份证和房产证明到社区核验，由工作人员关联")],
        )
    person = voter.person
    owned = [
        OwnedHome(o, o.home, home_reason(o.home, person))
        for o in Ownership.objects.filter(_current(on), person=person)
        .select_related("home__building", "home__compound")
        .order_by("home__compound__name", "home__building__number", "home__unit_no", "home__room")
    ]
    reasons = []
    if not owned:
        reasons.append(_("业主名册上没有您名下的房屋：产权登记变更后请联系社区更新名册"))
    elif not any(not h.reason for h in owned):
        reasons.append(_("您名下的房屋都尚未交付，暂不能表决"))
    return VotingStatus(voter, person, owned, reasons)


def in_scope(vote: Vote, home: Home) -> bool:
    if home.compound_id != vote.compound_id:
        return False
    if vote.scope == Scope.COMPOUND:
        return True
    if home.building_id != vote.building_id:
        return False
    return vote.scope == Scope.BUILDING or home.unit_no == vote.unit_no


def open_votes_for(status: VotingStatus) -> list[Vote]:
    """Open votes whose scope holds a home that gives the person a vote (1 query)."""
    homes = [h.home for h in status.homes if not h.reason]
    if not homes:
        return []
    votes = Vote.objects.filter(
        status=VoteStatus.OPEN, compound_id__in={h.compound_id for h in homes}
    ).select_related("matter", "compound", "building")
    return [v for v in votes if any(in_scope(v, h) for h in homes)]


def ballots_of(person: Person) -> tuple[list[Ballot], list[BallotChange]]:
    """The person's ballots (as owner or as co-owner who cast) and every change of them (2 queries)."""
    mine = Q(owner=person, caster__isnull=True) | Q(caster=person)
    ballots = list(
        Ballot.objects.filter(mine).select_related("vote__matter").order_by("-cast_at", "-id")[:100]
    )
    changes = list(BallotChange.objects.filter(mine).select_related("vote").order_by("-at", "-id")[:200])
    return ballots, changes


def matters_raised_by(user: Any) -> list[Matter]:
    return list(
        Matter.objects.filter(raised_by_id=getattr(user, "pk", None) or 0).order_by("-raised_at")[:50]
    )


@dataclass
class Candidate:
    """A person staff may link: their current homes in the staff's scope and the account already linked."""

    person: Person
    homes: list[Home]
    voter: Voter | None

    @property
    def phone_masked(self) -> str:
        return mask_phone(self.person.phone)

    @property
    def id_masked(self) -> str:
        return mask_id_number(self.person.id_number)


def find_owners(
    user: Any, query: str, *, compound_id: int | None = None, on: date | None = None, limit: int = 20
) -> list[Candidate]:
    """Owners in the user's ``person.edit`` scope found by exact ID number, exact phone, address
    (楼栋-单元-房号, or a room number: within ``compound_id`` when given) or name (3 queries)."""
    on = on or timezone.localdate()
    query = query.strip()[:50]
    if not query:
        return []
    owned = Ownership.objects.filter(_current(on)).filter(scope_q(user, Action.PERSON_EDIT, "home__path"))
    address = ADDRESS.search(query)
    if ID_NUMBER.match(query):
        owned = owned.filter(person__id_number=query.upper())
    elif PHONE.match(query):
        owned = owned.filter(person__phone=query)
    elif address:
        building, unit, room = address.group(1), address.group(2), address.group(3) or address.group(4)
        owned = owned.filter(home__room=room)
        if compound_id is not None:
            owned = owned.filter(home__compound_id=compound_id)
        if unit:
            owned = owned.filter(home__unit_no=int(unit))
        if building:
            owned = owned.filter(
                Q(home__building__number=building)
                | Q(home__building__number__in=[f"{building}{s}" for s in ("号楼", "栋", "号", "楼")])
            )
    else:
        owned = owned.filter(person__name__contains=query)
    rows = list(
        owned.select_related("person", "home__building", "home__compound").order_by("person_id")[:200]
    )
    people: dict[int, Candidate] = {}
    for row in rows:
        candidate = people.setdefault(row.person_id, Candidate(row.person, [], None))
        candidate.homes.append(row.home)
    chosen = list(people.values())[:limit]
    voters = {
        v.person_id: v
        for v in Voter.objects.filter(person_id__in=[c.person.pk for c in chosen]).select_related("user")
    }
    for candidate in chosen:
        candidate.voter = voters.get(candidate.person.pk)
    return chosen


def home_owners(home: Home, on: date | None = None) -> list[Candidate]:
    """The home's current owners on the register and their linked accounts (2 queries)."""
    on = on or timezone.localdate()
    rows = list(
        Ownership.objects.filter(_current(on), home=home)
        .select_related("person")
        .order_by("-share", "person_id")
    )
    voters = {
        v.person_id: v
        for v in Voter.objects.filter(person_id__in=[r.person_id for r in rows]).select_related("user")
    }
    return [Candidate(r.person, [home], voters.get(r.person_id)) for r in rows]
