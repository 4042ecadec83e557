"""A person's place: the longest path above every home they own or live in, stored on the row.

Listing "persons under 市南区" through ownerships and residences is an OR over two outer joins that no index
serves. With the path on the person, it is one index range (`path` under the grant) plus the few persons whose
homes straddle the grant (their path is an ancestor of it), each checked exactly. A path of "?" (UNKNOWN) means "not yet
computed" (new rows get it from the column's default): such rows are checked exactly too, so a writer that forgets to refresh is slow, never wrong.

Writers of ownerships and residences call `refresh_paths(person_ids)` in their transaction; bulk loads call
it once with no ids at the end.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import connection
from django.db.models import Exists, OuterRef, Q, QuerySet

from gongzhi.core.pagination import bytewise, under_bytewise
from gongzhi.core.paths import collapse, under_any
from gongzhi.people.models import Ownership, Person, Residence

UNKNOWN = "?"


def common_path(paths: Iterable[str]) -> str:
    """The longest place path above all of `paths` ("" when they share none)."""
    items = list(paths)
    if not items:
        return ""
    lo, hi = min(items), max(items)  # the prefix common to all is the one common to the extremes
    if lo == hi:
        return lo
    n = 0
    while n < min(len(lo), len(hi)) and lo[n] == hi[n]:
        n += 1
    return lo[: lo.rfind("/", 0, n) + 1]


def ancestors(path: str) -> list[str]:
    """Strict ancestors of a place path: "3702/370202/" → ["3702/"]."""
    cut = [i + 1 for i, ch in enumerate(path[:-1]) if ch == "/"]
    return [path[:i] for i in cut]


_LOHI = """
    SELECT p.id, p.path, a.lo, a.hi FROM people_person p LEFT JOIN (
        SELECT person_id, MIN(path{c}) AS lo, MAX(path{c}) AS hi FROM (
            SELECT o.person_id, h.path FROM people_ownership o JOIN places_home h ON h.id = o.home_id {wo}
            UNION ALL
            SELECT r.person_id, h.path FROM people_residence r JOIN places_home h ON h.id = r.home_id {wr}
        ) u GROUP BY person_id
    ) a ON a.person_id = p.id {wp}
"""


def refresh_paths(person_ids: Iterable[int] | None = None) -> int:
    """Recompute the path of these persons (all when None) in SQL; returns how many rows changed.

    Only the lowest and highest home path of each person are read: their common prefix is everyone's.
    """
    ids = None if person_ids is None else sorted(set(person_ids))
    if ids == []:
        return 0
    c = ' COLLATE "C"' if connection.vendor == "postgresql" else ""
    changed: list[tuple[str, int]] = []
    with connection.cursor() as cursor:
        for start in range(0, len(ids), 500) if ids is not None else [0]:
            chunk = ids[start : start + 500] if ids is not None else []
            if ids is None:
                cursor.execute(_LOHI.format(c=c, wo="", wr="", wp=""))
            else:
                marks = ", ".join(["%s"] * len(chunk))
                cursor.execute(
                    _LOHI.format(
                        c=c,
                        wo=f"WHERE o.person_id IN ({marks})",
                        wr=f"WHERE r.person_id IN ({marks})",
                        wp=f"WHERE p.id IN ({marks})",
                    ),
                    [*chunk, *chunk, *chunk],
                )
            while batch := cursor.fetchmany(50_000):
                for pk, current, lo, hi in batch:
                    wanted = common_path([lo, hi]) if lo is not None else ""
                    if current != wanted:
                        changed.append((wanted, pk))
        for start in range(0, len(changed), 50_000):
            cursor.executemany(
                "UPDATE people_person SET path = %s WHERE id = %s", changed[start : start + 50_000]
            )
    return len(changed)


def refresh_unknown() -> int:
    """Compute the paths still UNKNOWN (rows written by bulk loads); one pass over all when they are many."""
    ids = list(Person.objects.filter(path=UNKNOWN).values_list("pk", flat=True))
    if not ids:
        return 0
    return refresh_paths(None if len(ids) * 10 > Person.objects.count() else ids)


def has_home_under(paths: list[str]) -> Q:
    """Exact test (per person) that some owned or lived-in home lies under one of `paths`."""
    owns = Ownership.objects.filter(under_any(paths, "home__path"), person_id=OuterRef("pk"))
    lives = Residence.objects.filter(under_any(paths, "home__path"), person_id=OuterRef("pk"))
    return Q(Exists(owns)) | Q(Exists(lives))


def visible_parts(grants: list[str] | None) -> list[QuerySet[Person]]:
    """Persons under any of `grants` (None: everyone) as querysets that each use the path index.

    One range per grant, and one exact check of the persons whose path is an ancestor of a grant or unknown.
    """
    if grants is None:
        return [Person.objects.all()]
    kept = collapse(grants)
    parts: list[QuerySet[Person]] = [under_bytewise(Person.objects.all(), g) for g in kept]
    above = sorted({a for g in kept for a in ancestors(g)})
    straddling = Person.objects.alias(_p=bytewise("path")).filter(_p__in=[*above, UNKNOWN])
    parts.append(straddling.filter(has_home_under(kept)))
    return parts


def visible_q(grants: list[str] | None) -> Q:
    """The same set as one filter, for single-row lookups."""
    if grants is None:
        return Q()
    kept = collapse(grants)
    q = Q(pk__in=[])
    for g in kept:
        q |= Q(path__under=g)
    above = sorted({a for g in kept for a in ancestors(g)})
    return q | (Q(path__in=[*above, UNKNOWN]) & has_home_under(kept))
