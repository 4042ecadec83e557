"""Figures for many places in one call: what a batched provider receives, and the grouped aggregate it uses.

A page showing a place and its children (the 驾驶舱, a division's start page) asks every provider once for
all of them. A provider aggregates its rows grouped by the path prefix of each place asked about
(`Batch.grouped`): one query per distinct path length — one for siblings, two with their parent — whatever
the number of children. Providers registered the old way (one place per call) are adapted by
gongzhi.insights.registry, so they keep working, at one call per place.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any, overload

from django.db.models import Count, QuerySet, Sum
from django.db.models.functions import Substr

from gongzhi.core.paths import under
from gongzhi.places.models import Compound, Division


@dataclass(frozen=True)
class PlaceScope:
    """The place figures are asked for: a division or a compound, with its materialised path."""

    place: Division | Compound
    # The day asked about (a snapshot taken for a past date); None is now. A provider that keeps dated
    # records (the campaign's updates) answers for that day; the others answer as their data stands.
    as_of: date | None = None

    @property
    def path(self) -> str:
        return self.place.path

    @property
    def is_compound(self) -> bool:
        return isinstance(self.place, Compound)

    @property
    def level(self) -> str:
        return "compound" if self.is_compound else str(getattr(self.place, "level", ""))


class Batched:
    """A batched provider: given a Batch, {place path: {code: value}}. Called with one PlaceScope (as
    old-style callers do) it answers that place's {code: value}."""

    batched = True

    def __init__(self, fn: Callable[[Batch], dict[str, dict[str, Any]]], stored: bool = True) -> None:
        self.fn = fn
        # Whether its answers are kept in the store (gongzhi.insights.store): False for a provider that
        # runs no query (counters on the place), where reading the store would cost more than computing.
        self.stored = stored
        self.__module__ = fn.__module__
        self.__doc__ = fn.__doc__

    @overload
    def __call__(self, asked: Batch) -> dict[str, dict[str, Any]]: ...

    @overload
    def __call__(self, asked: PlaceScope) -> dict[str, Any]: ...

    def __call__(self, asked: Batch | PlaceScope) -> Any:
        if isinstance(asked, Batch):
            return self.fn(asked)
        return self.fn(Batch((asked.place,), asked.as_of))[asked.path]


@overload
def batched(fn: Callable[[Batch], dict[str, dict[str, Any]]], *, stored: bool = True) -> Batched: ...


@overload
def batched(
    fn: None = None, *, stored: bool = True
) -> Callable[[Callable[[Batch], dict[str, dict[str, Any]]]], Batched]: ...


def batched(fn: Any = None, *, stored: bool = True) -> Any:
    """Mark a provider as batched (see Batched): `@batched`, or `@batched(stored=False)` for one whose
    answers are not worth storing (it runs no query)."""
    if fn is None:
        return lambda f: Batched(f, stored)
    return Batched(fn, stored)


def is_batched(fn: Callable[..., Any]) -> bool:
    return bool(getattr(fn, "batched", False))


@dataclass(frozen=True)
class Batch:
    """The places asked about (distinct paths), the day (None: now) and the figures wanted (None: all)."""

    places: tuple[Division | Compound, ...]
    as_of: date | None = None
    codes: frozenset[str] | None = None

    def wants(self, *codes: str) -> bool:
        """Whether any of `codes` is asked for: a provider skips the queries of figures nobody shows."""
        return self.codes is None or any(c in self.codes for c in codes)

    @property
    def paths(self) -> list[str]:
        return [p.path for p in self.places]

    def grouped(self, qs: QuerySet[Any], field: str = "path", **aggregates: Any) -> dict[str, dict[str, Any]]:
        """place path → the aggregates over the rows of `qs` under it (0 for a place with no rows).

        Places of one path length are siblings or cousins: the rows under their longest common prefix
        are grouped by the first `length` characters of their path, one query per distinct length. A page's
        batch — a place and its children — is counted in one query when every aggregate adds up (counts and
        sums without DISTINCT): grouped by the children's length, each group is added to every place asked
        about whose path it starts with (`_nested`)."""
        empty = dict.fromkeys(aggregates, 0)
        out: dict[str, dict[str, Any]] = {p: dict(empty) for p in self.paths}
        by_length: dict[int, set[str]] = defaultdict(set)
        for p in self.paths:
            by_length[len(p)].add(p)
        if len(by_length) > 1 and self._nested(by_length) and all(map(_adds_up, aggregates.values())):
            longest = max(by_length)
            for row in self._groups(qs, field, longest, self.paths, aggregates):
                prefix = row.pop("_prefix")
                for length, paths in by_length.items():
                    if prefix[:length] in paths:
                        mine = out[prefix[:length]]
                        for k, v in row.items():
                            mine[k] += 0 if v is None else v
            return out
        for length, paths in by_length.items():
            for row in self._groups(qs, field, length, paths, aggregates):
                prefix = row.pop("_prefix")
                if prefix in paths:
                    out[prefix] = {k: (0 if v is None else v) for k, v in row.items()}
        return out

    @staticmethod
    def _groups(
        qs: QuerySet[Any], field: str, length: int, paths: Iterable[str], aggregates: dict[str, Any]
    ) -> QuerySet[Any]:
        return (
            qs.filter(under(common_prefix(paths), field))
            .annotate(_prefix=Substr(field, 1, length))
            .values("_prefix")
            .order_by()
            .annotate(**aggregates)
        )

    @staticmethod
    def _nested(by_length: dict[int, set[str]]) -> bool:
        """Whether the longest paths are children of one place asked about (a page's place and its children,
        or a chain above it): then grouping by their length yields about as many groups as that place has
        children, never one per row of a wide subtree."""
        longest = by_length[max(by_length)]
        parents = {p[: p.rstrip("/").rfind("/") + 1] for p in longest}
        if len(parents) != 1:
            return False
        parent = parents.pop()
        return parent in by_length.get(len(parent), set())

    def assign(self, items: Iterable[Any], path_of: Any = None) -> dict[str, list[Any]]:
        """place path → the items (rows loaded once for all places) lying under it, by their path."""
        get = path_of or (lambda item: item.path)
        lengths = sorted({len(p) for p in self.paths})
        wanted = set(self.paths)
        out: dict[str, list[Any]] = {p: [] for p in self.paths}
        for item in items:
            path = get(item)
            for length in lengths:
                if path[:length] in wanted:
                    out[path[:length]].append(item)
        return out

    def root(self) -> str:
        """The one path every place asked about lies under: load rows under it once, then `assign` them."""
        return common_prefix(self.paths)


def _adds_up(aggregate: Any) -> bool:
    """A count or sum without DISTINCT: its value over a place is the sum of its values over the place's
    parts (a DISTINCT count is not — one organisation covering two districts is one in the city)."""
    return isinstance(aggregate, Count | Sum) and not getattr(aggregate, "distinct", False)


def common_prefix(paths: Iterable[str]) -> str:
    """The longest path (ending in "/") that every one of `paths` lies under; "" when none."""
    common: list[str] = []
    for parts in zip(*(p.rstrip("/").split("/") for p in paths), strict=False):
        if len(set(parts)) != 1:
            break
        common.append(parts[0])
    return "/".join(common) + "/" if common else ""
