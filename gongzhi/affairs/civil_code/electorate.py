"""The electorate: which area and which owners count (司法解释 第八条、第九条).

Pure functions, no ORM; the sources are cited beside each rule (see gongzhi.affairs.civil_code).
"""

from __future__ import annotations

import decimal
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from types import MappingProxyType
from typing import NamedTuple

# --------------------------------------------------------------------------------------------------------
# The electorate: 司法解释 第八条、第九条
# --------------------------------------------------------------------------------------------------------


class _Developer:
    """The single person that all of the developer's unsold or undelivered homes count as (第九条)."""

    _instance: _Developer | None = None

    def __new__(cls) -> _Developer:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "DEVELOPER"

    def __reduce__(self) -> str:
        return "DEVELOPER"


DEVELOPER = _Developer()
"""Owner key under which the developer's unsold/undelivered homes are counted; cast its ballot under it."""


@dataclass(frozen=True)
class UnknownOwner:
    """Owner key for a home with no recorded owner: one exclusive part, one person (第九条) who, with no
    one to cast for it, cannot vote. Counting it keeps the denominator honest rather than easing a pass."""

    home: Hashable


class Home(NamedTuple):
    """One exclusive part (专有部分) in the scope of a vote.

    ``area`` is the area 司法解释 第八条 names: registered, else surveyed, else contract area; choosing
    among them is the caller's job. ``owner`` is one key per home (for co-owned homes, the one person the
    owners name). ``developer_held`` marks a home the developer has not sold or not yet delivered.
    """

    key: Hashable
    area: Decimal
    owner: Hashable | None
    developer_held: bool = False


@dataclass(frozen=True)
class Electorate:
    """Who may vote and with what weight: totals and each owner's area."""

    homes: int
    area_total: Decimal
    area_by_owner: Mapping[Hashable, Decimal] = field(hash=False)

    @property
    def owners_total(self) -> int:
        return len(self.area_by_owner)


def _exact_context() -> decimal.Context:
    """A context in which Decimal sums are exact: any rounding raises instead of passing silently."""
    ctx = decimal.Context(prec=200)
    ctx.traps[decimal.Inexact] = True
    ctx.traps[decimal.Rounded] = True
    return ctx


def count_electorate(homes: Iterable[Home | tuple[Hashable, Decimal, Hashable | None, bool]]) -> Electorate:
    """Count the owners and areas of the homes in scope.

    司法解释 第九条: 业主人数 is counted by exclusive parts, one part one person; the developer's unsold or
    undelivered parts count as one person together; a buyer with several parts counts as one person.
    第八条: the building's total area is the sum of the exclusive areas.

    Raises ``ValueError`` for a home listed twice or an area that is not a positive number, and
    ``TypeError`` for a float area (a float cannot carry an exact area).
    """
    ctx = _exact_context()
    seen: set[Hashable] = set()
    area_by_owner: dict[Hashable, Decimal] = {}
    total = Decimal(0)
    count = 0
    for raw in homes:
        home = raw if isinstance(raw, Home) else Home(*raw)
        if home.key in seen:
            raise ValueError(f"home {home.key!r} listed twice")
        seen.add(home.key)
        area = home.area
        if isinstance(area, bool) or not isinstance(area, Decimal | int):
            raise TypeError(f"area of home {home.key!r} must be a Decimal, not {type(area).__name__}")
        area = Decimal(area)
        if not area.is_finite() or area <= 0:
            raise ValueError(f"area of home {home.key!r} must be positive, got {area}")
        if home.developer_held:
            owner: Hashable = DEVELOPER
        elif home.owner is None:
            owner = UnknownOwner(home.key)
        else:
            owner = home.owner
        area_by_owner[owner] = ctx.add(area_by_owner.get(owner, Decimal(0)), area)
        total = ctx.add(total, area)
        count += 1
    return Electorate(homes=count, area_total=total, area_by_owner=MappingProxyType(area_by_owner))
