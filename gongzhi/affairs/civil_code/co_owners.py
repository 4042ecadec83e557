"""Co-owners of one home who cast different opinions: which one the home's single vote carries.

Pure functions, no ORM. 司法解释 第九条 counts one exclusive part as one person, so a home has one opinion;
who speaks for co-owners is theirs to agree (民法典 第三百零一条: 共有人 act as they agreed), and a vote's
rules of procedure name it. What a count must never do is let the last ballot written win.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from django.utils.translation import gettext_lazy, gettext_noop

from gongzhi.affairs.civil_code.items import Opinion

_LABELS = {
    "representative": gettext_noop("以登记的代表人意见为准；代表人未表决而共有人意见不一致的，解决前不计"),
    "unanimous": gettext_noop("共有人意见一致才计入；不一致的，解决前不计"),
}


class CoOwnerRule(StrEnum):
    """How a home's co-owners' differing opinions are counted (a rule-set setting)."""

    REPRESENTATIVE = "representative"
    """The named representative's opinion (the register's: largest share, then the earliest recorded);
    without it, the co-owners' common opinion; co-owners who differ: none until resolved."""
    UNANIMOUS = "unanimous"
    """Only an opinion all co-owners who cast share counts; any difference: none until resolved."""

    @property
    def label(self) -> str:
        return _LABELS[self.value]

    @property
    def display_label(self) -> Any:
        """`label` in the reader's language (a vote's reasons name the rule applied)."""
        return gettext_lazy(_LABELS[self.value])


@dataclass(frozen=True)
class HomeOpinion:
    """The opinion a home's one vote carries (None: not counted) and whether its co-owners disagree."""

    opinion: Opinion | None
    conflict: bool


def co_owners_opinion(
    representative: Opinion | None,
    co_owners: Iterable[Opinion],
    rule: CoOwnerRule | str = CoOwnerRule.REPRESENTATIVE,
) -> HomeOpinion:
    """The home's opinion from its representative's ballot (None: not cast) and the other co-owners'.

    Every ballot is kept by the caller; this only says which one counts. A conflict is flagged whenever
    the opinions cast differ, whether or not one of them still counts under ``rule``.
    """
    rule = CoOwnerRule(rule)
    cast = [o for o in co_owners]
    if representative is not None:
        cast.append(representative)
    if not cast:
        return HomeOpinion(None, False)
    conflict = len(set(cast)) > 1
    if not conflict:
        return HomeOpinion(cast[0], False)
    if rule == CoOwnerRule.REPRESENTATIVE and representative is not None:
        return HomeOpinion(representative, True)
    return HomeOpinion(None, True)
