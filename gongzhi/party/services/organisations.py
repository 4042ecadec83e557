"""Compound party organisations on the organisations core: the party rules first, then the core services.

A party organisation is an Organisation of a party kind (PartyOrganisation is its proxy); its committee is
its Seats (the secretary holds the 'secretary' seat), the compounds it covers its Coverage. Dissolving ends
it (ended_on) and its seats and coverage; nothing is deleted.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from simple_history.utils import bulk_update_with_history

from gongzhi.core.actors import history_user
from gongzhi.organisations import services as core
from gongzhi.organisations.models import Coverage, Organisation, Seat
from gongzhi.party import rules
from gongzhi.party.models import PARTY_KINDS, OrgKind, PartyMember, PartyOrganisation, SeatTitle
from gongzhi.party.services._base import check, fail
from gongzhi.party.services.counters import stats_refresh
from gongzhi.places.models import Compound

OWN = {OrgKind.BRANCH, OrgKind.GENERAL}


def _check_cover(kind: str, compounds: list[Compound], exclude: PartyOrganisation | None = None) -> None:
    fail(rules.cover_messages(kind, len(compounds)))
    clash = (
        Coverage.objects.current()
        .filter(compound__in=compounds, organisation__kind__in=PARTY_KINDS)
        .select_related("organisation", "compound")
    )
    if exclude is not None:
        clash = clash.exclude(organisation=exclude)
    for cov in clash.order_by("organisation__code", "compound__code"):
        other = cov.organisation
        if (other.kind in OWN) == (kind in OWN):
            names = "、".join(c.compound.name for c in clash if c.organisation_id == other.pk)  # type: ignore[union-attr]
            raise ValidationError(f"{names} 已由 {other.name} 覆盖")


def _next_code(kind: str, compounds: list[Compound]) -> str:
    if kind != OrgKind.JOINT:
        return f"P{compounds[0].code}"
    base = f"PJ{min(c.code for c in compounds)}"
    n = Organisation.objects.filter(code__startswith=base).count()
    return base if n == 0 else f"{base}-{n + 1}"


def covers(organisation: Organisation, compound_id: int) -> bool:
    return Coverage.objects.current().filter(organisation=organisation, compound_id=compound_id).exists()


def covered_ids(organisation: Organisation) -> list[int]:
    return list(
        Coverage.objects.current()
        .filter(organisation=organisation, compound__isnull=False)
        .values_list("compound_id", flat=True)
    )


@transaction.atomic
def organisation_create(
    *,
    actor: Any,
    kind: str,
    name: str,
    compounds: list[Compound],
    founded_on: date | None = None,
    secretary: PartyMember | None = None,
    code: str = "",
) -> PartyOrganisation:
    """A compound party organisation: a branch or general branch of one compound, or a joint branch."""
    compounds = list({c.pk: c for c in compounds}.values())
    for c in compounds:
        check(actor, c)
    _check_cover(kind, compounds)
    org = core.organisation_create(
        actor=actor,
        kind=kind,
        code=code or _next_code(kind, compounds),
        name=name,
        places=compounds,
        founded_on=founded_on,
        model=PartyOrganisation,
    )
    if secretary is not None:
        secretary_set(actor=actor, organisation=org, member=secretary)
    stats_refresh(compound_ids=[c.pk for c in compounds])
    return org


@transaction.atomic
def organisation_update(
    *,
    actor: Any,
    organisation: PartyOrganisation,
    name: str | None = None,
    kind: str | None = None,
    founded_on: date | None = None,
    compounds: list[Compound] | None = None,
) -> PartyOrganisation:
    check(actor, organisation)
    before = covered_ids(organisation)
    new_kind = kind or organisation.kind
    new_compounds = compounds if compounds is not None else list(Compound.objects.filter(pk__in=before))
    _check_cover(new_kind, new_compounds, exclude=organisation)
    core.organisation_update(
        actor=actor, organisation=organisation, name=name, kind=new_kind, founded_on=founded_on
    )
    if compounds is not None:
        core.coverage_set(actor=actor, organisation=organisation, places=new_compounds)
    stats_refresh(compound_ids=before + [c.pk for c in new_compounds])
    return organisation


@transaction.atomic
def organisation_dissolve(*, actor: Any, organisation: PartyOrganisation, on: date | None = None) -> None:
    """撤销: the organisation ends (its seats and coverage with it); members' relations here are released."""
    check(actor, organisation)
    if organisation.groups.exists():
        raise ValidationError("请先撤销其下的楼栋党小组")
    ids = covered_ids(organisation)
    released = list(PartyMember.objects.filter(organisation=organisation))
    for m in released:
        m.organisation = None
    bulk_update_with_history(
        released,
        PartyMember,
        ["organisation"],
        default_user=history_user(actor),
        default_change_reason=f"{organisation.name} 撤销"[:100],
    )
    core.organisation_end(actor=actor, organisation=organisation, on=on)
    stats_refresh(compound_ids=ids)


@transaction.atomic
def secretary_set(*, actor: Any, organisation: PartyOrganisation, member: PartyMember) -> Seat:
    """The secretary's seat; a previous secretary stays on the committee as a member."""
    check(actor, organisation)
    fail(
        rules.seat_messages(
            SeatTitle.SECRETARY, covers(organisation, member.compound_id), member.status == rules.FULL, 0
        )
    )
    for seat in (
        Seat.objects.current()
        .filter(organisation=organisation, role=SeatTitle.SECRETARY)
        .exclude(person_id=member.person_id)
    ):
        core.seat_set(actor=actor, organisation=organisation, person=seat.person, role=SeatTitle.MEMBER)
    return core.seat_set(
        actor=actor, organisation=organisation, person=member.person, role=SeatTitle.SECRETARY
    )


@transaction.atomic
def committee_seat_set(
    *, actor: Any, organisation: PartyOrganisation, member: PartyMember, title: str
) -> Seat:
    if title == SeatTitle.SECRETARY:
        return secretary_set(actor=actor, organisation=organisation, member=member)
    check(actor, organisation)
    others = (
        Seat.objects.current().filter(organisation=organisation).exclude(person_id=member.person_id).count()
    )
    fail(
        rules.seat_messages(
            title, covers(organisation, member.compound_id), member.status == rules.FULL, others
        )
    )
    return core.seat_set(actor=actor, organisation=organisation, person=member.person, role=title)


@transaction.atomic
def committee_seat_remove(*, actor: Any, seat: Seat) -> None:
    check(actor, seat.organisation)
    core.seat_end(actor=actor, seat=seat)
