"""The electorate: which area and which owners count (司法解释 第八条、第九条).

Pure functions, no ORM; the sources are cited beside each rule (see gongzhi.affairs.civil_code).
"""

from __future__ import annotations

import decimal
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from types import MappingProxyType
from typing import Any, NamedTuple

# --------------------------------------------------------------------------------------------------------
# The electorate: 司法解释 第八条、第九条
# --------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Developer:
    """Owner key of one developer (建设单位): all its unsold, and sold but undelivered, homes count as one
    person (司法解释 第九条), and each developer of an area is its own person. ``who`` names the developer
    (e.g. its person id); None is a developer the register does not name."""

    who: Hashable = None

    def __repr__(self) -> str:
        return "DEVELOPER" if self.who is None else f"Developer({self.who!r})"


DEVELOPER = Developer()
"""The developer the register does not name (the sheet's "建设单位" rows, a home not delivered with no
developer on record)."""


@dataclass(frozen=True)
class UnknownOwner:
    """Owner key for a home with no recorded owner: one exclusive part, one person (第九条) who, with no
    one to cast for it, cannot vote. Counting it keeps the denominator honest rather than easing a pass."""

    home: Hashable


class Home(NamedTuple):
    """One exclusive part (专有部分) in the scope of a vote.

    ``area`` is the area 司法解释 第八条 names: registered, else surveyed, else contract area; choosing
    among them is the caller's job. ``owner`` is one key per home (for co-owned homes, the one person the
    owners name). ``developer_held`` marks a home the developer still holds (unsold); ``delivered`` is
    False for a home not yet handed over, sold or not; ``developer`` names whose (None: not on record).
    """

    key: Hashable
    area: Decimal
    owner: Hashable | None
    developer_held: bool = False
    developer: Hashable = None
    delivered: bool = True


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


def counted_owner(home: Home) -> Hashable:
    """The person a home's headcount and area go to (司法解释 第九条).

    "建设单位尚未出售和虽已出售但尚未交付的部分，按照一人计算": a home the developer holds, or one not yet
    delivered even though a buyer is recorded, counts for its developer (one person per developer); the
    buyer of an undelivered home is not yet an owner who votes. A home with no recorded owner is one person
    no one can vote for (UnknownOwner).
    """
    if home.developer_held or not home.delivered:
        return Developer(home.developer)
    if home.owner is None:
        return UnknownOwner(home.key)
    return home.owner


def count_electorate(homes: Iterable[Home | tuple[Any, ...]]) -> Electorate:
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
        owner = counted_owner(home)
        area_by_owner[owner] = ctx.add(area_by_owner.get(owner, Decimal(0)), area)
        total = ctx.add(total, area)
        count += 1
    return Electorate(homes=count, area_total=total, area_by_owner=MappingProxyType(area_by_owner))


def same_name_assumptions(owners: Iterable[tuple[str, str]]) -> dict[str, int]:
    """Names that stand on several homes with no ID number, and how many homes: {name: homes}.

    司法解释 第九条 counts a buyer of several parts as one person, but only the register or an ID number
    says that two rows of "张伟" are one buyer and not two. Where neither does, counting them as one owner is
    an assumption that the result must state (or a strict count must refuse), never a silent guess.
    ``owners`` is one (name, ID number or "") per home.
    """
    counts: dict[str, int] = {}
    for name, id_number in owners:
        if name and not id_number:
            counts[name] = counts.get(name, 0) + 1
    return {name: n for name, n in counts.items() if n > 1}
