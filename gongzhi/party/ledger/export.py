"""The party ledger's export: the four sheets, streamed, of what the user may export under a place."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from typing import Any

from django.db.models import QuerySet

from gongzhi.accounts.access import scope_q, scoped
from gongzhi.accounts.roles import Action
from gongzhi.ledgers.base import SheetSpec
from gongzhi.organisations.models import Coverage, Seat
from gongzhi.party.ledger.sheets import (
    GROUPS,
    HOUSEHOLDS,
    KIND_LABEL,
    MEMBERS,
    ORGS,
    STATUS_LABEL,
    TITLE_LABEL,
    chunks,
)
from gongzhi.party.models import (
    BuildingGroup,
    CentralHousehold,
    HouseholdLink,
    PartyMember,
    PartyOrganisation,
    SeatTitle,
)
from gongzhi.people.services import UnmaskedExportLog


def export(place_path: str, user: Any) -> Iterator[tuple[SheetSpec, Iterable[list[Any]]]]:
    yield MEMBERS, member_rows(place_path, user)
    yield ORGS, org_rows(place_path, user)
    yield GROUPS, group_rows(place_path, user)
    yield HOUSEHOLDS, household_rows(place_path, user)


def member_rows(place_path: str, user: Any) -> Iterator[list[Any]]:
    """Members with their full ID numbers (the sheet's key): each exported member is logged in the personal
    data access log before their row is released (gongzhi.people.services.UnmaskedExportLog)."""
    qs = PartyMember.objects.filter(path__under=place_path)
    if user is not None:
        qs = qs.filter(scope_q(user, Action.LEDGER_EXPORT))
    log = (
        UnmaskedExportLog(user, "party ledger export", fields="id_number", rule_checked=True)
        if user is not None
        else None
    )
    pending: list[list[Any]] = []
    for *row, person_id, path in (
        qs.order_by("compound__code", "pk")
        .values_list(
            "person__id_number",
            "person__name",
            "status",
            "joined_on",
            "full_on",
            "compound__code",
            "home__building__number",
            "home__unit_no",
            "home__room",
            "in_service",
            "workplace",
            "organisation__code",
            "relation_elsewhere",
            "group__name",
            "person_id",
            "path",
        )
        .iterator(chunk_size=5000)
    ):
        r: list[Any] = list(row)
        r[2] = STATUS_LABEL[r[2]]
        r[9] = "是" if r[9] else "否"
        if log is not None and r[0]:
            log.add(person_id, path)
        pending.append(r)
        if len(pending) >= 2000:
            if log is not None:
                log.flush()
            yield from pending
            pending = []
    if log is not None:
        log.flush()
    yield from pending


def org_rows(place_path: str, user: Any) -> Iterator[list[Any]]:
    """Active organisations covering a place under `place_path` (each once, whatever it covers)."""
    qs: QuerySet[PartyOrganisation] = PartyOrganisation.objects.active().covering(place_path)
    if user is not None:
        qs = scoped(user, qs, Action.LEDGER_EXPORT)
    ids = list(qs.order_by("code").values_list("pk", flat=True))
    covers: dict[int, list[str]] = defaultdict(list)
    seats: dict[int, list[tuple[str, str]]] = defaultdict(list)
    secretaries: dict[int, str] = {}
    for part in chunks(ids):
        for oid, code in (
            Coverage.objects.current()
            .filter(organisation_id__in=part, compound__isnull=False)
            .order_by("compound__code")
            .values_list("organisation_id", "compound__code")
        ):
            covers[oid].append(code)
        held = Seat.objects.current().filter(organisation_id__in=part)
        # ID numbers are encrypted at rest: the database cannot order by them, Python orders the plaintext.
        for oid, role, number in sorted(
            held.values_list("organisation_id", "role", "person__id_number"), key=lambda s: s[2] or ""
        ):
            if role == SeatTitle.SECRETARY:
                secretaries[oid] = number or ""
            else:
                seats[oid].append((role, number or ""))
    for part in chunks(ids):
        for oid, code, name, kind, founded in (
            PartyOrganisation.objects.filter(pk__in=part)
            .order_by("code")
            .values_list("pk", "code", "name", "kind", "founded_on")
        ):
            yield [
                code,
                name,
                KIND_LABEL[kind],
                "；".join(covers[oid]),
                founded,
                secretaries.get(oid, ""),
                "；".join(f"{TITLE_LABEL[t]}:{n}" for t, n in seats[oid]),
            ]


def group_rows(place_path: str, user: Any) -> Iterator[list[Any]]:
    qs = BuildingGroup.objects.filter(compound__path__under=place_path)
    if user is not None:
        qs = qs.filter(scope_q(user, Action.LEDGER_EXPORT, "compound__path"))
    numbers: dict[int, list[str]] = defaultdict(list)
    for gid, number in (
        BuildingGroup.buildings.through.objects.filter(buildinggroup__in=qs.values("pk"))
        .order_by("building__seq")
        .values_list("buildinggroup_id", "building__number")
    ):
        numbers[gid].append(number)
    for gid, code, name, org, leader in qs.order_by("compound__code", "name").values_list(
        "pk", "compound__code", "name", "organisation__code", "leader__person__id_number"
    ):
        yield [code, name, org, "；".join(numbers[gid]), leader or ""]


def household_rows(place_path: str, user: Any) -> Iterator[list[Any]]:
    qs = CentralHousehold.objects.filter(path__under=place_path)
    if user is not None:
        qs = qs.filter(scope_q(user, Action.LEDGER_EXPORT))
    links = (
        HouseholdLink.objects.filter(household__in=qs.values("pk"))
        .order_by("household_id", "home__building__seq", "home__unit_no", "home__room")
        .values_list("household_id", "home__building__number", "home__unit_no", "home__room")
        .iterator(chunk_size=5000)
    )
    pending = next(links, None)
    for hid, number, name, designated in (
        qs.order_by("pk")
        .values_list("pk", "member__person__id_number", "member__person__name", "designated_on")
        .iterator(chunk_size=5000)
    ):
        labels = []
        while pending is not None and pending[0] <= hid:
            if pending[0] == hid:
                labels.append(f"{pending[1]}-{pending[2]}-{pending[3]}")
            pending = next(links, None)
        yield [number, name, designated, "；".join(labels)]
