"""Every write to places. Counters on ancestors move in the same transaction as the row they count.

Each service takes `actor` (a user, or gongzhi.core.actors.system(...) for commands and the demo), checks
the right itself (gongzhi.accounts.access.authorize) and stamps the history row with the actor. The bulk
variants that ledger imports use are in gongzhi.places.bulk.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import connection, transaction
from django.db.models import Count, F, Max, Model, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce
from simple_history.utils import bulk_create_with_history

from gongzhi.accounts.access import At, authorize
from gongzhi.accounts.roles import Action
from gongzhi.core.actors import history_user, reason_of, stamp
from gongzhi.core.bulk import analyze
from gongzhi.core.pinyin import pinyin_keys
from gongzhi.places.divisions_csv import DivisionRow
from gongzhi.places.geo import validate_outline
from gongzhi.places.models import Building, Compound, Division, Home, Level
from gongzhi.places.rules import building_shape_problem, home_problem


def ancestor_codes(path: str) -> list[str]:
    """Division codes in a materialised path (compound codes and building keys are longer or prefixed)."""
    return [part for part in path.split("/") if part.isdigit() and len(part) <= 12]


@dataclass(frozen=True)
class LoadResult:
    created: int
    updated: int
    unchanged: int


@transaction.atomic
def divisions_load(*, actor: Any, rows: list[DivisionRow]) -> LoadResult:
    """Create or update divisions from checked rows (parents first). A second run changes nothing.

    The national code list is loaded above every grant, so only a superuser or a system actor may.
    """
    authorize(actor, Action.PLACE_EDIT, At(""))
    existing = {d.code: d for d in Division.objects.all()}
    created = updated = unchanged = 0
    for row in rows:
        parent = existing.get(row.parent_code) if row.parent_code else None
        path = (parent.path if parent else "") + row.code + "/"
        py, ini = pinyin_keys(row.name)
        current = existing.get(row.code)
        if current is None:
            current = Division.objects.create(
                code=row.code,
                name=row.name,
                level=row.level,
                parent=parent,
                path=path,
                pinyin=py,
                initials=ini,
            )
            existing[row.code] = current
            created += 1
        elif (current.name, current.level, current.parent_id, current.path) != (
            row.name,
            row.level,
            parent.pk if parent else None,
            path,
        ):
            current.name, current.level, current.parent, current.path = row.name, row.level, parent, path
            current.pinyin, current.initials = py, ini
            current.save()
            updated += 1
        else:
            unchanged += 1
    return LoadResult(created, updated, unchanged)


def next_compound_code(community: Division) -> str:
    last = Compound.objects.filter(community=community).aggregate(m=Max("code"))["m"]
    seq = int(last[-3:]) + 1 if last else 1
    return f"{community.code}{seq:03d}"


@transaction.atomic
def compound_create(
    *,
    actor: Any,
    community: Division,
    name: str,
    address: str = "",
    management_type: str = "professional",
    first_delivered_on: date | None = None,
    outline: dict[str, Any] | None = None,
) -> Compound:
    authorize(actor, Action.PLACE_EDIT, community)
    if community.level not in (Level.COMMUNITY, Level.VILLAGE):
        raise ValueError("a compound belongs to a community or village")
    if outline is not None:
        outline = validate_outline(outline)
    # Lock the community row so two clerks adding compounds at once get different codes.
    Division.objects.select_for_update().filter(pk=community.pk).first()
    code = next_compound_code(community)
    py, ini = pinyin_keys(name)
    compound = Compound(
        code=code,
        name=name,
        address=address,
        community=community,
        management_type=management_type,
        first_delivered_on=first_delivered_on,
        outline=outline,
        path=f"{community.path}{code}/",
        pinyin=py,
        initials=ini,
    )
    stamp(compound, actor)
    compound.save(force_insert=True)
    Division.objects.filter(code__in=ancestor_codes(community.path)).update(
        compounds_count=F("compounds_count") + 1
    )
    return compound


@transaction.atomic
def compound_update(*, actor: Any, compound: Compound, **fields: Any) -> Compound:
    authorize(actor, Action.PLACE_EDIT, compound)
    allowed = {"name", "address", "management_type", "first_delivered_on", "outline"}
    unknown = set(fields) - allowed
    if unknown:
        raise ValueError(f"cannot change {sorted(unknown)}")
    if fields.get("outline") is not None:
        fields["outline"] = validate_outline(fields["outline"])
    if "name" in fields and not str(fields["name"]).strip():
        raise ValueError("a compound needs a name")
    for key, value in fields.items():
        setattr(compound, key, value)
    if "name" in fields:
        compound.pinyin, compound.initials = pinyin_keys(compound.name)
    stamp(compound, actor)
    compound.save()
    return compound


@transaction.atomic
def building_create(
    *,
    actor: Any,
    compound: Compound,
    number: str,
    units: int = 1,
    floors: int = 1,
    has_elevator: bool = False,
) -> Building:
    authorize(actor, Action.PLACE_EDIT, compound)
    Compound.objects.select_for_update().filter(pk=compound.pk).first()
    seq = (Building.objects.filter(compound=compound).aggregate(m=Max("seq"))["m"] or 0) + 1
    building = Building(
        compound=compound,
        seq=seq,
        number=number,
        units=units,
        floors=floors,
        has_elevator=has_elevator,
        path=f"{compound.path}b{seq}/",
    )
    stamp(building, actor)
    building.save(force_insert=True)
    Compound.objects.filter(pk=compound.pk).update(buildings_count=F("buildings_count") + 1)
    Division.objects.filter(code__in=ancestor_codes(compound.path)).update(
        buildings_count=F("buildings_count") + 1
    )
    return building


@transaction.atomic
def home_create(
    *,
    actor: Any,
    building: Building,
    unit_no: int,
    room: str,
    area: Decimal,
    floor: int | None = None,
    delivered: bool = True,
) -> Home:
    authorize(actor, Action.PLACE_EDIT, building)
    problem = home_problem(area=area, unit_no=unit_no, units=building.units)
    if problem:
        raise ValueError(problem)
    home = Home(
        building=building,
        compound_id=building.compound_id,
        unit_no=unit_no,
        room=room,
        floor=floor,
        area=area,
        delivered=delivered,
        path=building.path,
    )
    stamp(home, actor)
    home.save(force_insert=True)
    Building.objects.filter(pk=building.pk).update(homes_count=F("homes_count") + 1)
    compound_refresh_figures(compound_id=building.compound_id)
    Division.objects.filter(code__in=ancestor_codes(building.path)).update(homes_count=F("homes_count") + 1)
    return home


def compounds_refresh_figures(*, compound_ids: Iterable[int]) -> None:
    """`compound_refresh_figures` for many compounds in a few grouped queries (bulk services use it)."""
    from gongzhi.people.models import Ownership

    ids = sorted(set(compound_ids))
    if not ids:
        return
    homes = {
        row["compound_id"]: row
        for row in Home.objects.filter(compound_id__in=ids)
        .values("compound_id")
        .annotate(
            total=Coalesce(Sum("area"), Decimal("0")),
            delivered=Coalesce(Sum("area", filter=Q(delivered=True)), Decimal("0")),
            n=Count("id"),
        )
        .order_by()
    }
    owners = {
        row["compound_id_cache"]: row
        for row in Ownership.objects.filter(compound_id_cache__in=ids)
        .values("compound_id_cache")
        .annotate(
            total=Count("person_id", distinct=True),
            delivered=Count("person_id", distinct=True, filter=Q(home__delivered=True)),
        )
        .order_by()
    }
    rows = []
    for cid in ids:
        h, o = homes.get(cid, {}), owners.get(cid, {})
        total, delivered = h.get("total", Decimal("0")), h.get("delivered", Decimal("0"))
        rows.append((total, delivered, h.get("n", 0), o.get("total", 0), o.get("delivered", 0), cid))
    qn = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.executemany(
            f"UPDATE {qn(Compound._meta.db_table)} SET total_area = %s, delivered_area = %s, homes_count = %s, "
            "owners_total = %s, owners_delivered = %s WHERE id = %s",
            rows,
        )


def add_counts(model: type[Model], column: str, deltas: dict[Any, int], key: str = "id") -> None:
    """Move a counter of many rows at once: `column += delta` where `key` = each key (one executemany)."""
    if not deltas:
        return
    table, qn = model._meta.db_table, connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.executemany(
            f"UPDATE {qn(table)} SET {qn(column)} = {qn(column)} + %s WHERE {qn(key)} = %s",
            [(n, k) for k, n in deltas.items()],
        )


def division_deltas(per_path: dict[str, int]) -> dict[str, int]:
    """Counts per place path → counts per ancestor division code (for add_counts on Division.code)."""
    out: dict[str, int] = defaultdict(int)
    for path, n in per_path.items():
        for code in ancestor_codes(path):
            out[code] += n
    return dict(out)


def compound_refresh_figures(*, compound_id: int) -> None:
    """Recompute a compound's area and owner figures from its homes (the owners' assembly rules use them)."""
    from gongzhi.people.selectors import compound_owner_counts

    agg = Home.objects.filter(compound_id=compound_id).aggregate(
        total=Coalesce(Sum("area"), Decimal("0")),
        delivered=Coalesce(Sum("area", filter=Q(delivered=True)), Decimal("0")),
        n=Count("id"),
    )
    owners_total, owners_delivered = compound_owner_counts(compound_id)
    Compound.objects.filter(pk=compound_id).update(
        total_area=agg["total"],
        delivered_area=agg["delivered"],
        homes_count=agg["n"],
        owners_total=owners_total,
        owners_delivered=owners_delivered,
    )


@transaction.atomic
def places_recount(*, actor: Any) -> None:
    """Rebuild every counter from the rows (after bulk loads); a handful of grouped queries.

    Counters are derived figures outside the history, so this writes no history rows.
    """
    authorize(actor, Action.PLACE_EDIT, At(""))
    per_building = (
        Home.objects.filter(building_id=OuterRef("pk"))
        .order_by()
        .values("building_id")
        .annotate(n=Count("id"))
    )
    Building.objects.update(homes_count=Coalesce(Subquery(per_building.values("n")), 0))
    c_stats = {
        row["compound_id"]: row
        for row in Home.objects.values("compound_id")
        .annotate(
            n=Count("id"),
            total=Sum("area"),
            delivered=Coalesce(Sum("area", filter=Q(delivered=True)), Decimal("0")),
        )
        .order_by()
    }
    c_buildings = dict(Building.objects.values_list("compound_id").annotate(n=Count("id")).order_by())
    from gongzhi.people.selectors import owner_counts_by_compound

    owners = owner_counts_by_compound()
    compounds = list(Compound.objects.only("id", "path"))
    for c in compounds:
        stats = c_stats.get(c.pk, {})
        c.homes_count = stats.get("n", 0)
        c.total_area = stats.get("total") or Decimal("0")
        c.delivered_area = stats.get("delivered") or Decimal("0")
        c.buildings_count = c_buildings.get(c.pk, 0)
        c.compounds_count = 0
        c.owners_total, c.owners_delivered = owners.get(c.pk, (0, 0))
    Compound.objects.bulk_update(
        compounds,
        [
            "homes_count",
            "total_area",
            "delivered_area",
            "buildings_count",
            "owners_total",
            "owners_delivered",
        ],
        batch_size=2000,
    )
    totals: dict[str, list[int]] = {}
    for c in compounds:
        for code in ancestor_codes(c.path):
            t = totals.setdefault(code, [0, 0, 0])
            t[0] += 1
            t[1] += c.buildings_count
            t[2] += c.homes_count
    divisions = list(Division.objects.only("id", "code"))
    for d in divisions:
        d.compounds_count, d.buildings_count, d.homes_count = totals.get(d.code, [0, 0, 0])
    Division.objects.bulk_update(
        divisions, ["compounds_count", "buildings_count", "homes_count"], batch_size=2000
    )
    analyze(Division, Compound, Building, Home)


@transaction.atomic
def building_create_with_homes(
    *,
    actor: Any,
    compound: Compound,
    number: str,
    units: int,
    floors: int,
    per_floor: int,
    area: Decimal,
    has_elevator: bool = False,
) -> Building:
    """A building and its homes numbered as Qingdao buildings usually are (floor + door: 301, 302 …).

    Areas start equal; clerks correct individual homes afterwards or import the real ones from a ledger.
    """
    problem = building_shape_problem(units, floors, per_floor) or home_problem(area=area)
    if problem:
        raise ValueError(problem)
    building = building_create(
        actor=actor, compound=compound, number=number, units=units, floors=floors, has_elevator=has_elevator
    )
    homes = [
        Home(
            building=building,
            compound_id=compound.pk,
            unit_no=u,
            room=f"{f}{k:02d}",
            floor=f,
            area=area,
            delivered=True,
            path=building.path,
        )
        for u in range(1, units + 1)
        for f in range(1, floors + 1)
        for k in range(1, per_floor + 1)
    ]
    bulk_create_with_history(
        homes, Home, batch_size=2000, default_user=history_user(actor), default_change_reason=reason_of(actor)
    )
    n = len(homes)
    Building.objects.filter(pk=building.pk).update(homes_count=n)
    Division.objects.filter(code__in=ancestor_codes(compound.path)).update(homes_count=F("homes_count") + n)
    compound_refresh_figures(compound_id=compound.pk)
    building.homes_count = n
    return building
