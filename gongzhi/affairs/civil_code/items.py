"""The nine matters of 民法典 第二百七十八条 第一款, the opinions, and the thresholds (第二款, 第一千二百五十九条).

Pure functions, no ORM; the sources are cited beside each rule (see gongzhi.affairs.civil_code).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from enum import IntEnum, StrEnum
from fractions import Fraction
from typing import Any

from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy, gettext_noop

# --------------------------------------------------------------------------------------------------------
# 民法典 第二百七十八条 第一款: the nine matters
# --------------------------------------------------------------------------------------------------------

_NUMERALS = ("一", "二", "三", "四", "五", "六", "七", "八", "九")

_ITEM_LABELS = {
    1: gettext_noop("制定和修改业主大会议事规则"),
    2: gettext_noop("制定和修改管理规约"),
    3: gettext_noop("选举业主委员会或者更换业主委员会成员"),
    4: gettext_noop("选聘和解聘物业服务企业或者其他管理人"),
    5: gettext_noop("使用建筑物及其附属设施的维修资金"),
    6: gettext_noop("筹集建筑物及其附属设施的维修资金"),
    7: gettext_noop("改建、重建建筑物及其附属设施"),
    8: gettext_noop("改变共有部分的用途或者利用共有部分从事经营活动"),
    9: gettext_noop("有关共有和共同管理权利的其他重大事项"),
}


class Item(IntEnum):
    """The matters of 民法典 第二百七十八条 第一款 (一)–(九); the item decides the approval threshold."""

    RULES_OF_PROCEDURE = 1
    MANAGEMENT_STATUTE = 2
    COMMITTEE_ELECTION = 3
    PROPERTY_MANAGER = 4
    FUND_USE = 5
    FUND_RAISING = 6
    RECONSTRUCTION = 7
    COMMON_PARTS_USE = 8
    OTHER_MAJOR = 9

    @property
    def numeral(self) -> str:
        """The item number as the statute writes it, e.g. "（七）"."""
        return f"（{_NUMERALS[self.value - 1]}）"

    @property
    def ordinal(self) -> str:
        """ "第七项" style, for reasons."""
        return f"第{_NUMERALS[self.value - 1]}项"

    @property
    def label(self) -> str:
        """The statute's wording of the item."""
        return _ITEM_LABELS[self.value]

    @property
    def title(self) -> str:
        """Numeral and wording together, for pages and reports."""
        return f"{self.numeral}{self.label}"

    @property
    def display_title(self) -> Any:
        """`title` in the user's language, for pages (records and reasons keep the statute's Chinese)."""
        return format_lazy("{}{}", self.numeral, gettext_lazy(_ITEM_LABELS[self.value]))

    @property
    def special(self) -> bool:
        """Items (六)(七)(八) need 3/4 approval (第二百七十八条 第二款)."""
        return self.value in (6, 7, 8)

    @classmethod
    def choices(cls) -> list[tuple[int, str]]:
        """(value, label) pairs for a Django ``choices=`` argument."""
        return [(item.value, item.display_title) for item in cls]


class Opinion(StrEnum):
    """A ballot's opinion. Abstention is participation without agreement (第二百七十八条 第二款). An
    invalid ballot (废票: unreadable, two boxes ticked, unsigned) never agrees; whether it takes part is
    the rules of procedure's choice (``tally(invalid_participates=...)``)."""

    AGREE = "agree"
    AGAINST = "against"
    ABSTAIN = "abstain"
    INVALID = "invalid"

    @property
    def label(self) -> str:
        return {"agree": "同意", "against": "反对", "abstain": "弃权", "invalid": "废票"}[self.value]

    @classmethod
    def from_label(cls, text: str) -> Opinion:
        """同意 / 反对 / 弃权 → Opinion; ``ValueError`` for anything else."""
        for opinion in cls:
            if opinion.label == text:
                return opinion
        raise ValueError(f"unknown opinion {text!r}")


# --------------------------------------------------------------------------------------------------------
# Thresholds and 民法典 第一千二百五十九条
# --------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Threshold:
    """A share that must be reached.

    ``inclusive`` is True for "以上" (≥: 民法典 第一千二百五十九条 says 以上 includes the number itself) and
    False for "过半数" / "超过" (strictly more).
    """

    fraction: Fraction
    inclusive: bool

    def __post_init__(self) -> None:
        if not 0 < self.fraction <= 1:
            raise ValueError("a threshold is a share between 0 (exclusive) and 1")

    def met(self, part: int | Decimal | Fraction, whole: int | Decimal | Fraction) -> bool:
        """Whether ``part / whole`` reaches the threshold, compared exactly; never met when whole is 0."""
        if whole <= 0:
            return False
        ratio = Fraction(part) / Fraction(whole)
        return ratio >= self.fraction if self.inclusive else ratio > self.fraction

    @property
    def code(self) -> str:
        """Short code: "3/4", "2/3" (inclusive) or ">1/2" (strict)."""
        text = f"{self.fraction.numerator}/{self.fraction.denominator}"
        return text if self.inclusive else f">{text}"

    @property
    def symbol(self) -> str:
        """For reasons: "≥ 3/4" or "> 1/2"."""
        op = "≥" if self.inclusive else ">"
        return f"{op} {self.fraction.numerator}/{self.fraction.denominator}"

    @property
    def wording(self) -> str:
        """The statute's words, shortened: "3/4以上" or "过半数"."""
        if not self.inclusive and self.fraction == Fraction(1, 2):
            return "过半数"
        suffix = "以上" if self.inclusive else "（不含本数）"
        return f"{self.fraction.numerator}/{self.fraction.denominator}{suffix}"

    def at_least_as_strict_as(self, other: Threshold) -> bool:
        """True when every share meeting ``self`` also meets ``other``."""
        if self.fraction != other.fraction:
            return self.fraction > other.fraction
        return other.inclusive or not self.inclusive


TWO_THIRDS = Threshold(Fraction(2, 3), inclusive=True)
THREE_QUARTERS = Threshold(Fraction(3, 4), inclusive=True)
MORE_THAN_HALF = Threshold(Fraction(1, 2), inclusive=False)


def participation_threshold() -> Threshold:
    """民法典 第二百七十八条 第二款: owners with 2/3 以上 of the exclusive area and 2/3 以上 of the headcount
    must take part, for every item."""
    return TWO_THIRDS


def approval_floor(items: Iterable[Item | int]) -> Threshold:
    """The strictest statutory approval among ``items``: a rule set used for any of them may be no laxer
    (民法典 第二百七十八条 第二款 is the floor a local rule may raise, never lower)."""
    floors = [threshold_for(i) for i in items] or [MORE_THAN_HALF]
    strictest = floors[0]
    for t in floors[1:]:
        if t.at_least_as_strict_as(strictest):
            strictest = t
    return strictest


def threshold_for(item: Item | int) -> Threshold:
    """民法典 第二百七十八条 第二款: items (六)(七)(八) need 3/4 以上 of the participating area and headcount;
    the others 过半数 (strictly more than half) of each."""
    return THREE_QUARTERS if Item(item).special else MORE_THAN_HALF
