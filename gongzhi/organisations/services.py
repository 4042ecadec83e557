"""Every write to the organisations core: keyword-only, `actor` first, one transaction, history kept.

The permission asked is the kind's own edit action (declared with the kind); the actor must hold it on
every place the organisation covers. Nothing is deleted: organisations end, seats and coverage end.
Kind-specific rules (a joint branch's size, a committee's term) live in the app that owns the kind, which
calls these services after its own validators.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from gongzhi.accounts.access import At, authorize
from gongzhi.core.actors import history_user, stamp
from gongzhi.core.pinyin import pinyin_keys
from gongzhi.organisations.kinds import KINDS
from gongzhi.organisations.models import Coverage, Organisation, Seat
from gongzhi.people.models import Person
from gongzhi.places.models import Building, Compound, Division

Place = Division | Compound | Building
OrgT = TypeVar("OrgT", bound=Organisation)


def common_path(paths: Iterable[str]) -> str:
    """The deepest path above all of `paths` (segment-wise): where a body covering them is browsed."""
    split = [p.rstrip("/").split("/") for p in paths]
    if not split:
        return ""
    common: list[str] = []
    for parts in zip(*split, strict=False):
        if all(p == parts[0] for p in parts):
            common.append(parts[0])
        else:
            break
    return "/".join(common) + "/" if common else ""


def edit_action(kind: str) -> str:
    known = KINDS.get(kind)
    if known is None or not known.edit_action:
        raise ValueError(f"unknown organisation kind {kind!r}")
    return known.edit_action


def check(actor: Any, kind: str, paths: Iterable[str]) -> None:
    """The actor may edit organisations of `kind` at every one of `paths` (None is refused)."""
    action = edit_action(kind)
    for path in set(paths):
        authorize(actor, action, At(path))


def coverage_for(organisation: Organisation, place: Place, since: date | None = None) -> Coverage:
    """An unsaved Coverage row of `place` (its path copied)."""
    field = {Division: "division", Compound: "compound", Building: "building"}[type(place)]
    return Coverage(organisation=organisation, path=place.path, since=since, **{field: place})


def _place_key(c: Coverage) -> tuple[str, int]:
    if c.compound_id is not None:
        return ("compound", c.compound_id)
    if c.building_id is not None:
        return ("building", c.building_id)
    return ("division", c.division_id or 0)


def _key(place: Place) -> tuple[str, int]:
    return ({Division: "division", Compound: "compound", Building: "building"}[type(place)], place.pk)


@transaction.atomic
def organisation_create(
    *,
    actor: Any,
    kind: str,
    code: str,
    name: str,
    places: Sequence[Place],
    founded_on: date | None = None,
    parent: Organisation | None = None,
    model: type[OrgT] = Organisation,  # type: ignore[assignment]
    reason: str = "",
) -> OrgT:
    """A new organisation of `kind` covering `places` from its founding date."""
    if not name.strip():
        raise ValidationError("请填写名称")
    if not places:
        raise ValidationError("请选择覆盖范围")
    check(actor, kind, (p.path for p in places))
    if Organisation.objects.filter(code=code).exists():
        raise ValidationError(f"组织编码 {code} 已被使用")
    py, ini = pinyin_keys(name.strip())
    org = model(
        kind=kind,
        code=code,
        name=name.strip(),
        founded_on=founded_on,
        parent=parent,
        path=common_path(p.path for p in places),
        pinyin=py,
        initials=ini,
    )
    stamp(org, actor, reason)
    org.save()
    _create_coverages(actor, [coverage_for(org, p, founded_on) for p in places], reason)
    return org


def _create_coverages(actor: Any, rows: list[Coverage], reason: str = "") -> None:
    if rows:
        bulk_create_with_history(
            rows, Coverage, default_user=history_user(actor), default_change_reason=reason or str(actor)[:100]
        )


@transaction.atomic
def organisation_update(
    *,
    actor: Any,
    organisation: OrgT,
    name: str | None = None,
    kind: str | None = None,
    founded_on: date | None = None,
    parent: Organisation | None = None,
    reason: str = "",
) -> OrgT:
    """Rename, re-date or re-kind an organisation (within the same app)."""
    check(actor, organisation.kind, organisation.scope_paths())
    if kind is not None and kind != organisation.kind:
        if KINDS.get(kind) is None or KINDS[kind].app != KINDS[organisation.kind].app:
            raise ValidationError("组织类型不能改为其他模块的类型")
        organisation.kind = kind
    if name is not None:
        if not name.strip():
            raise ValidationError("请填写名称")
        organisation.name = name.strip()
        organisation.pinyin, organisation.initials = pinyin_keys(organisation.name)
    if founded_on is not None:
        organisation.founded_on = founded_on
    if parent is not None:
        organisation.parent = parent
    stamp(organisation, actor, reason)
    organisation.save()
    return organisation


@transaction.atomic
def organisation_end(*, actor: Any, organisation: OrgT, on: date | None = None, reason: str = "") -> OrgT:
    """End an organisation on `on` (today): its seats and coverage end with it; the rows stay."""
    check(actor, organisation.kind, organisation.scope_paths())
    if organisation.ended_on is not None:
        raise ValidationError("该组织已撤销")
    day = on or timezone.localdate()
    if organisation.founded_on and day < organisation.founded_on:
        raise ValidationError("撤销日期早于成立日期")
    if organisation.children.active(day).exists():  # type: ignore[attr-defined]
        raise ValidationError("请先撤销其下属组织")
    organisation.ended_on = day
    stamp(organisation, actor, reason)
    organisation.save()
    _end(actor, list(Seat.objects.current().filter(organisation=organisation)), day, reason)
    _end(actor, list(Coverage.objects.current().filter(organisation=organisation)), day, reason)
    return organisation


def _end(actor: Any, rows: list[Any], day: date, reason: str = "") -> None:
    if not rows:
        return
    for r in rows:
        r.until = day
    bulk_update_with_history(
        rows,
        type(rows[0]),
        ["until"],
        default_user=history_user(actor),
        default_change_reason=reason or str(actor)[:100],
    )


@transaction.atomic
def coverage_set(
    *,
    actor: Any,
    organisation: Organisation,
    places: Sequence[Place],
    on: date | None = None,
    reason: str = "",
) -> Organisation:
    """Cover exactly `places` from `on`: coverage no longer wanted ends, new coverage starts; path follows."""
    if not places:
        raise ValidationError("请选择覆盖范围")
    current = list(Coverage.objects.current().filter(organisation=organisation))
    check(actor, organisation.kind, [c.path for c in current] + [p.path for p in places])
    wanted = {_key(p): p for p in places}
    have = {_place_key(c): c for c in current}
    _end(actor, [c for k, c in have.items() if k not in wanted], on or timezone.localdate(), reason)
    _create_coverages(
        actor, [coverage_for(organisation, p, on) for k, p in wanted.items() if k not in have], reason
    )
    path = common_path(p.path for p in places)
    if path != organisation.path:
        organisation.path = path
        stamp(organisation, actor, reason)
        organisation.save(update_fields=["path"])
    return organisation


@transaction.atomic
def seat_set(
    *,
    actor: Any,
    organisation: Organisation,
    person: Person,
    role: str,
    since: date | None = None,
    reason: str = "",
) -> Seat:
    """`person` holds `role` from `since`; a different role they held here ends (one seat per person)."""
    check(actor, organisation.kind, organisation.scope_paths())
    if organisation.ended_on is not None:
        raise ValidationError("该组织已撤销")
    seat = Seat.objects.current().filter(organisation=organisation, person=person).first()
    if seat is not None and seat.role == role:
        return seat
    if seat is not None:
        _end(actor, [seat], since or timezone.localdate(), reason)
    new = Seat(organisation=organisation, person=person, role=role, since=since)
    stamp(new, actor, reason)
    new.save()
    return new


@transaction.atomic
def seat_end(*, actor: Any, seat: Seat, on: date | None = None, reason: str = "") -> Seat:
    check(actor, seat.organisation.kind, seat.organisation.scope_paths())
    if seat.until is not None:
        raise ValidationError("该职务已结束")
    _end(actor, [seat], on or timezone.localdate(), reason)
    return seat


@transaction.atomic
def seats_replace(
    *,
    actor: Any,
    organisation: Organisation,
    seats: Sequence[tuple[int, str]],
    on: date | None = None,
    reason: str = "",
) -> bool:
    """Make the current seats exactly `seats` ((person_id, role) pairs); returns whether anything changed."""
    check(actor, organisation.kind, organisation.scope_paths())
    current = list(Seat.objects.current().filter(organisation=organisation))
    have = {(s.person_id, s.role): s for s in current}
    want = set(seats)
    gone = [s for k, s in have.items() if k not in want]
    new = [
        Seat(organisation=organisation, person_id=p, role=r, since=on) for p, r in sorted(want - set(have))
    ]
    _end(actor, gone, on or timezone.localdate(), reason)
    if new:
        bulk_create_with_history(
            new, Seat, default_user=history_user(actor), default_change_reason=reason or str(actor)[:100]
        )
    return bool(gone or new)


# -- bulk, for imports and the demo --------------------------------------------------------------------


@dataclass
class NewOrganisation:
    """One organisation to create in bulk: the unsaved row, its places and its (person_id, role) seats."""

    organisation: Organisation
    places: list[Place]
    seats: list[tuple[int, str]]


@transaction.atomic
def organisations_bulk_create(*, actor: Any, rows: Sequence[NewOrganisation], reason: str = "") -> int:
    """Create many organisations with their coverage and seats: a few queries, history for every row."""
    if not rows:
        return 0
    for kind in {r.organisation.kind for r in rows}:
        check(actor, kind, (p.path for r in rows if r.organisation.kind == kind for p in r.places))
    user, why = history_user(actor), reason or str(actor)[:100]
    model = type(rows[0].organisation)
    for r in rows:
        o = r.organisation
        o.path = o.path or common_path(p.path for p in r.places)
        if not o.pinyin:
            o.pinyin, o.initials = pinyin_keys(o.name)
    created = bulk_create_with_history(
        [r.organisation for r in rows], model, default_user=user, default_change_reason=why
    )
    if any(o.pk is None for o in created):  # databases that return no ids (none we use today)
        ids = dict(Organisation.objects.filter(code__in=[o.code for o in created]).values_list("code", "pk"))
        for o in created:
            o.pk = ids[o.code]
    coverages = [
        coverage_for(o, p, o.founded_on) for o, r in zip(created, rows, strict=True) for p in r.places
    ]
    seats = [
        Seat(organisation=o, person_id=p, role=role, since=None)
        for o, r in zip(created, rows, strict=True)
        for p, role in r.seats
    ]
    _create_coverages(actor, coverages, reason)
    if seats:
        bulk_create_with_history(seats, Seat, default_user=user, default_change_reason=why)
    return len(created)
