"""Reads of the dashboard and the bulletin: live figures of a place and its subdivisions, and history."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db.models import Max

from gongzhi.core.registry import FIGURES, Figure
from gongzhi.dashboard.models import BulletinTemplate, Snapshot
from gongzhi.insights.registry import PlaceScope, catalogue, values, values_many
from gongzhi.places.models import Compound, Division

# Live figures come from the insights store: answers computed once and read back while the data they were
# computed from is unchanged (gongzhi.insights.store; a write anywhere makes them stale, never wrong).
KEEP = "keep"
YEAR_AGO_SLACK = 45  # a snapshot up to this many days before "a year ago" still counts as a year ago


def level_of(place: Division | Compound) -> str:
    return PlaceScope(place).level


def children(place: Division | Compound) -> list[Division | Compound]:
    """The places one step down: subdivisions, or a community's compounds (none under a compound)."""
    if isinstance(place, Compound):
        return []
    subs: list[Division | Compound] = list(Division.objects.filter(parent=place).order_by("code"))
    if subs:
        return subs
    return list(Compound.objects.filter(community=place).order_by("code"))


@dataclass
class Cell:
    figure: Figure
    value: Any
    year_ago: float | None = None


def is_ratio(figure: Figure) -> bool:
    return figure.unit in ("比例", "%")


def history(place_code: str) -> dict[str, list[tuple[date, float | None]]]:
    """code → [(day, value)…] of every snapshot of the place, oldest first (one query)."""
    found: dict[str, list[tuple[date, float | None]]] = defaultdict(list)
    for code, on, value in (
        Snapshot.objects.filter(place_code=place_code)
        .order_by("taken_on")
        .values_list("code", "taken_on", "value")
    ):
        found[code].append((on, value))
    return found


def measured_later(place_code: str) -> list[str]:
    """Labels of the figures some of whose past snapshots hold the value of a later day (the day the
    snapshot was taken: their data keeps no dates, see Snapshot.measured_on), in catalogue order."""
    codes = set(
        Snapshot.objects.filter(place_code=place_code, measured_on__isnull=False)
        .values_list("code", flat=True)
        .distinct()
    )
    return [f.label_zh for f in FIGURES.values() if f.code in codes]


def snapshot_on(place_code: str, on: date, slack: int = 0) -> tuple[date | None, dict[str, float | None]]:
    """The place's latest snapshot on or before `on` (no older than `slack` days when slack is set)."""
    qs = Snapshot.objects.filter(place_code=place_code, taken_on__lte=on)
    if slack:
        qs = qs.filter(taken_on__gte=on - timedelta(days=slack))
    day = qs.aggregate(day=Max("taken_on"))["day"]
    if day is None:
        return None, {}
    return day, dict(
        Snapshot.objects.filter(place_code=place_code, taken_on=day).values_list("code", "value")
    )


def year_ago(place_code: str, on: date) -> tuple[date | None, dict[str, float | None]]:
    try:
        back = on.replace(year=on.year - 1)
    except ValueError:  # 29 February
        back = on - timedelta(days=365)
    return snapshot_on(place_code, back, YEAR_AGO_SLACK)


def figures_of(place: Division | Compound, on: date | None = None) -> tuple[str, date | None, dict[str, Any]]:
    """The place's figures: live (on is None or today) or from the snapshot of that day or before.

    Returns (source, day, code → value): source "live" or "snapshot". A compound has no snapshots; its
    past figures are computed as of the day by the providers that keep dated records.
    """
    if on is None:
        return "live", None, values(place, stored=KEEP)
    if isinstance(place, Division):
        day, found = snapshot_on(place.code, on)
        if day is not None:
            return "snapshot", day, found
    return "live", None, values(place, on)


def cells(
    place: Division | Compound, on: date | None = None, found: dict[str, Any] | None = None
) -> tuple[str, date | None, list[Cell]]:
    """The place's cells, each with its value a year ago; `found`: its live figures, already computed."""
    source, day, found = ("live", None, found) if found is not None else figures_of(place, on)
    _ago_day, ago = year_ago(place.code, on or date.today()) if isinstance(place, Division) else (None, {})
    return (
        source,
        day,
        [Cell(f, found.get(f.code), ago.get(f.code)) for f in catalogue(level_of(place)) if f.code in found],
    )


def live_page(
    place: Division | Compound, kids: list[Any]
) -> tuple[dict[str, Any], list[dict[str, Any]], list[str]]:
    """What the dashboard shows live: the place's figures, a row per child with the child level's codes,
    and those codes — every provider asked once for the place and all its children together."""
    codes = catalogue_codes(level_of(kids[0])) if kids else []
    found = values_many([place, *kids], stored=KEEP)
    return found[place.path], _rows(kids, codes, found), codes


def _rows(kids: list[Any], codes: list[str], found: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    return [
        {
            "place": child,
            "code": child.code,
            "name": child.name,
            "values": [found[child.path].get(c) for c in codes],
        }
        for child in kids
    ]


def breakdown(
    place: Division | Compound, codes: list[str], on: date | None = None, kids: list[Any] | None = None
) -> list[dict[str, Any]]:
    """One row per place one step down with the figures `codes`: live (every provider asked once for all
    the children), or from that day's snapshots (one query for all the children)."""
    kids = children(place) if kids is None else kids
    found = values_many(kids, codes=codes, stored=KEEP) if on is None else _snapshots_of(kids, on, codes)
    return _rows(kids, codes, found)


def _snapshots_of(kids: list[Any], on: date, codes: list[str]) -> dict[str, dict[str, Any]]:
    """path → figures of each child on `on`: its latest snapshot on or before that day (two queries for
    divisions); children without one (compounds have none) are computed as of the day, all at once."""
    divisions = [k for k in kids if isinstance(k, Division)]
    by_code = {k.code: k.path for k in divisions}
    days = dict(
        Snapshot.objects.filter(place_code__in=by_code, taken_on__lte=on)
        .values("place_code")
        .annotate(day=Max("taken_on"))
        .values_list("place_code", "day")
    )
    found: dict[str, dict[str, Any]] = {k.path: {} for k in kids}
    if days:
        rows = Snapshot.objects.filter(
            place_code__in=list(days), taken_on__in=set(days.values()), code__in=codes
        )
        for place_code, day, code, value in rows.values_list("place_code", "taken_on", "code", "value"):
            if days[place_code] == day:
                found[by_code[place_code]][code] = value
    missing = [k for k in kids if not (isinstance(k, Division) and k.code in days)]
    if missing:
        found.update(values_many(missing, on, codes))
    return found


def bulletin_template(place: Division | Compound) -> BulletinTemplate:
    """The template of the nearest district (or division) above the place that has one, else the default."""
    path = place.path
    found = [
        t
        for t in BulletinTemplate.objects.select_related("division")
        if t.division is None or path.startswith(t.path)
    ]
    found.sort(key=lambda t: len(t.path), reverse=True)
    if not found:
        raise LookupError("no bulletin template: run migrations (dashboard 0002 adds the default)")
    return found[0]


def catalogue_codes(level: str) -> list[str]:
    return [f.code for f in catalogue(level)]


def label(code: str) -> str:
    f = FIGURES.get(code)
    return f.label_zh if f else code
