"""Materialised paths: every place stores the chain of its ancestors, so "everything under X" is one
indexed prefix query (`path LIKE 'X%'`), whatever the depth.

Division paths are the chain of national division codes ("3702/370202/370202001/"); a compound appends
its own code, a building `b<seq>`. Homes store their building's path.
"""

from __future__ import annotations

from django.db.models import Q


def under(path: str, field: str = "path") -> Q:
    """Rows whose materialised path lies under `path` (inclusive); see gongzhi.core.lookups.Under."""
    return Q(**{f"{field}__under": path})


def under_any(paths: list[str], field: str = "path") -> Q:
    """Rows under any of `paths`; an empty list matches nothing."""
    q = Q(pk__in=[])
    for p in collapse(paths):
        q |= under(p, field)
    return q


def collapse(paths: list[str]) -> list[str]:
    """Drop paths already covered by a shorter one, so scope filters stay short."""
    kept: list[str] = []
    for p in sorted(set(paths), key=len):
        if not any(p.startswith(k) for k in kept):
            kept.append(p)
    return kept


def is_under(path: str, paths: list[str]) -> bool:
    return any(path.startswith(p) for p in paths)
