"""Bulk variants of the places services, for ledger imports: the same rules, counters and history.

Each checks the actor's right once per building, validates every row with gongzhi.places.rules (the same
functions the single-row services call), inserts the rows and their history rows in bulk, and moves the
counters of buildings, compounds and divisions in the same transaction.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _
from simple_history.utils import bulk_update_with_history

from gongzhi.accounts.access import authorize
from gongzhi.accounts.roles import Action
from gongzhi.core.actors import history_user, reason_of, stamp
from gongzhi.core.bulk import insert_rows
from gongzhi.core.writes import insert_history, take_ids
from gongzhi.places.models import Building, Compound, Division, Home
from gongzhi.places.rules import building_shape_problem, home_problem
from gongzhi.places.services import add_counts, compounds_refresh_figures, division_deltas

HOME_FIELDS = ("id", "building", "compound", "unit_no", "room", "floor", "area", "delivered", "path")


@dataclass(frozen=True)
class NewHome:
    building: Building
    unit_no: int
    room: str
    area: Decimal
    floor: int | None = None
    delivered: bool = True


def _authorize_buildings(actor: Any, buildings: list[Building]) -> None:
    seen: set[int] = set()
    for b in buildings:
        if b.pk not in seen:
            seen.add(b.pk)
            authorize(actor, Action.PLACE_EDIT, b)


@dataclass(frozen=True)
class NewBuilding:
    compound: Compound
    number: str
    units: int = 1
    floors: int = 1
    has_elevator: bool = False


BUILDING_FIELDS = ("id", "compound", "seq", "number", "units", "floors", "has_elevator", "path")


@transaction.atomic
def buildings_create_bulk(
    *, actor: Any, buildings: Sequence[NewBuilding], reason: str = ""
) -> list[Building]:
    """Create buildings (with history rows), numbered after each compound's last; counters move."""
    if not buildings:
        return []
    compounds = {b.compound.pk: b.compound for b in buildings}
    for compound in compounds.values():
        authorize(actor, Action.PLACE_EDIT, compound)
    for b in buildings:
        problem = building_shape_problem(b.units, b.floors)
        if problem:
            raise ValidationError(f"{b.number}：{problem}")
    # Lock the compounds so two imports numbering buildings at once get different sequence numbers.
    list(Compound.objects.select_for_update().filter(pk__in=list(compounds)).values_list("pk"))
    last = dict(
        Building.objects.filter(compound_id__in=list(compounds))
        .values_list("compound_id")
        .annotate(m=Max("seq"))
        .order_by()
    )
    made = []
    for pk, b in zip(take_ids(Building, len(buildings)), buildings, strict=True):
        seq = last[b.compound.pk] = (last.get(b.compound.pk) or 0) + 1
        made.append(
            Building(
                pk=pk,
                compound=b.compound,
                seq=seq,
                number=b.number,
                units=b.units,
                floors=b.floors,
                has_elevator=b.has_elevator,
                path=f"{b.compound.path}b{seq}/",
            )
        )
    rows = [(x.pk, x.compound_id, x.seq, x.number, x.units, x.floors, x.has_elevator, x.path) for x in made]
    insert_rows(Building, (*BUILDING_FIELDS, "homes_count"), [(*row, 0) for row in rows])
    insert_history(Building, BUILDING_FIELDS, rows, actor=actor, reason=reason)
    per_compound: dict[int, int] = defaultdict(int)
    for x in made:
        per_compound[x.compound_id] += 1
    add_counts(Compound, "buildings_count", per_compound)
    add_counts(
        Division,
        "buildings_count",
        division_deltas({compounds[cid].path: n for cid, n in per_compound.items()}),
        key="code",
    )
    return made


@transaction.atomic
def homes_create_bulk(*, actor: Any, homes: Sequence[NewHome], reason: str = "") -> list[int]:
    """Create homes (with history rows); returns their primary keys in the order given."""
    _authorize_buildings(actor, [h.building for h in homes])
    for h in homes:
        problem = home_problem(area=h.area, unit_no=h.unit_no, units=h.building.units)
        if problem:
            raise ValidationError(
                _("%(building)s %(unit)s 单元 %(room)s：%(problem)s")
                % {"building": h.building.number, "unit": h.unit_no, "room": h.room, "problem": problem}
            )
    ids = take_ids(Home, len(homes))
    rows = [
        (
            pk,
            h.building.pk,
            h.building.compound_id,
            h.unit_no,
            h.room,
            h.floor,
            h.area,
            h.delivered,
            h.building.path,
        )
        for pk, h in zip(ids, homes, strict=True)
    ]
    insert_rows(Home, HOME_FIELDS, rows)
    insert_history(Home, HOME_FIELDS, rows, actor=actor, reason=reason)
    per_building: dict[int, int] = defaultdict(int)
    per_path: dict[str, int] = defaultdict(int)
    for h in homes:
        per_building[h.building.pk] += 1
        per_path[h.building.path] += 1
    add_counts(Building, "homes_count", per_building)
    add_counts(Division, "homes_count", division_deltas(per_path), key="code")
    compounds_refresh_figures(compound_ids={h.building.compound_id for h in homes})
    return ids


@transaction.atomic
def homes_update_bulk(*, actor: Any, changes: Sequence[tuple[Home, dict[str, Any]]], reason: str = "") -> int:
    """Change floor, area or delivered of existing homes (`home.building` must be loaded or cheap)."""
    allowed = {"floor", "area", "delivered"}
    homes = []
    for home, fields in changes:
        if set(fields) - allowed:
            raise ValidationError(_("不能修改 %(fields)s") % {"fields": sorted(set(fields) - allowed)})
        authorize(actor, Action.PLACE_EDIT, home)
        problem = home_problem(area=fields.get("area", home.area))
        if problem:
            raise ValidationError(problem)
        for key, value in fields.items():
            setattr(home, key, value)
        homes.append(home)
    if homes:
        bulk_update_with_history(
            homes,
            Home,
            sorted(allowed),
            batch_size=2000,
            default_user=history_user(actor),
            default_change_reason=reason_of(actor, reason),
        )
        compounds_refresh_figures(compound_ids={h.compound_id for h in homes})
    return len(homes)


@transaction.atomic
def buildings_resize_bulk(*, actor: Any, sizes: dict[Building, tuple[int, int]], reason: str = "") -> int:
    """Grow buildings to (units, floors) when a ledger names a unit or floor beyond their size."""
    for building, (units, floors) in sizes.items():
        authorize(actor, Action.PLACE_EDIT, building)
        problem = building_shape_problem(units, floors)
        if problem:
            raise ValidationError(f"{building.number}：{problem}")
        building.units, building.floors = units, floors
        stamp(building, actor, reason)
        building.save(update_fields=["units", "floors"])
    return len(sizes)
