"""Owner votes as the law counts them: pure functions, no ORM.

Sources, cited beside each rule below:

- 《中华人民共和国民法典》第二百七十八条 (matters the owners decide jointly, and the thresholds);
- 民法典 第一千二百五十九条 ("以上" includes the number itself; "超过" does not; "过半数" is strictly
  more than half);
- 民法典 第二百零一条 (a period counted in days starts on the day after the event);
- 《最高人民法院关于审理建筑物区分所有权纠纷案件适用法律若干问题的解释》第八条 (which area counts) and
  第九条 (how owners are counted).

All arithmetic is exact: areas are ``Decimal`` summed without rounding, ratios are compared as integers or
``fractions.Fraction``. A float never decides a vote.
"""

from __future__ import annotations

import decimal
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import IntEnum, StrEnum
from fractions import Fraction
from types import MappingProxyType
from typing import NamedTuple, TypeVar

__all__ = [
    "DEFAULT_RULE_SETS",
    "DEVELOPER",
    "MORE_THAN_HALF",
    "THREE_QUARTERS",
    "TWO_THIRDS",
    "ConditionsResult",
    "Electorate",
    "Home",
    "Item",
    "Opinion",
    "RuleSet",
    "RuleSetOutcome",
    "TallyResult",
    "Threshold",
    "UnknownOwner",
    "count_electorate",
    "decide_under_rule_set",
    "evaluate_conditions",
    "format_area",
    "participation_threshold",
    "rule_set_in_force",
    "tally",
    "threshold_for",
]

OwnerKeyT = TypeVar("OwnerKeyT", bound=Hashable)

# --------------------------------------------------------------------------------------------------------
# 民法典 第二百七十八条 第一款: the nine matters
# --------------------------------------------------------------------------------------------------------

_NUMERALS = ("一", "二", "三", "四", "五", "六", "七", "八", "九")

_ITEM_LABELS = {
    1: "制定和修改业主大会议事规则",
    2: "制定和修改建筑物及其附属设施的管理规约",
    3: "选举业主委员会或者更换业主委员会成员",
    4: "选聘和解聘物业服务企业或者其他管理人",
    5: "使用建筑物及其附属设施的维修资金",
    6: "筹集建筑物及其附属设施的维修资金",
    7: "改建、重建建筑物及其附属设施",
    8: "改变共有部分的用途或者利用共有部分从事经营活动",
    9: "有关共有和共同管理权利的其他重大事项",
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
    def special(self) -> bool:
        """Items (六)(七)(八) need 3/4 approval (第二百七十八条 第二款)."""
        return self.value in (6, 7, 8)

    @classmethod
    def choices(cls) -> list[tuple[int, str]]:
        """(value, label) pairs for a Django ``choices=`` argument."""
        return [(item.value, item.title) for item in cls]


class Opinion(StrEnum):
    """A ballot's opinion. Abstention is participation without agreement (第二百七十八条 第二款)."""

    AGREE = "agree"
    AGAINST = "against"
    ABSTAIN = "abstain"

    @property
    def label(self) -> str:
        return {"agree": "同意", "against": "反对", "abstain": "弃权"}[self.value]

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


def threshold_for(item: Item | int) -> Threshold:
    """民法典 第二百七十八条 第二款: items (六)(七)(八) need 3/4 以上 of the participating area and headcount;
    the others 过半数 (strictly more than half) of each."""
    return THREE_QUARTERS if Item(item).special else MORE_THAN_HALF


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


# --------------------------------------------------------------------------------------------------------
# The tally: 民法典 第二百七十八条 第二款
# --------------------------------------------------------------------------------------------------------


def format_area(area: Decimal) -> str:
    """Two decimals, as areas are registered (e.g. "1234.50"); display only, never for deciding."""
    return f"{area.quantize(Decimal('0.01'), rounding=decimal.ROUND_HALF_UP, context=_wide()):f}"


def _wide() -> decimal.Context:
    return decimal.Context(prec=200)


def _share(part: int | Decimal, whole: int | Decimal) -> str:
    """ "823/1000（≈82.30%）": the exact reduced fraction, and a rounded percentage to read it by."""
    ratio = Fraction(part) / Fraction(whole)
    percent = Decimal(ratio.numerator * 100) / Decimal(ratio.denominator)
    percent = percent.quantize(Decimal("0.01"), rounding=decimal.ROUND_HALF_UP)
    exact = f"{ratio.numerator}/{ratio.denominator}" if ratio.denominator != 1 else str(ratio.numerator)
    return f"{exact}（≈{percent}%）"


def _verdict(ok: bool) -> str:
    return "满足" if ok else "不满足"


@dataclass(frozen=True)
class TallyResult:
    """Every figure of a closed vote and why it passed or failed.

    ``as_json_dict`` gives the public figures with areas as two-decimal strings.
    """

    item: Item
    homes: int
    owners_total: int
    area_total: Decimal
    owners_voted: int
    area_voted: Decimal
    owners_agree: int
    area_agree: Decimal
    owners_against: int
    area_against: Decimal
    owners_abstain: int
    area_abstain: Decimal
    participation_met: bool
    approval_met: bool
    passed: bool
    threshold: str
    participation: str
    reasons: tuple[str, ...]

    def as_json_dict(self) -> dict[str, object]:
        """The figures the issue fixes for ``tally_ballots --json`` (areas as "1234.50")."""
        return {
            "homes": self.homes,
            "owners_total": self.owners_total,
            "area_total": format_area(self.area_total),
            "owners_voted": self.owners_voted,
            "area_voted": format_area(self.area_voted),
            "owners_agree": self.owners_agree,
            "area_agree": format_area(self.area_agree),
            "participation_met": self.participation_met,
            "approval_met": self.approval_met,
            "passed": self.passed,
            "threshold": self.threshold,
            "reasons": list(self.reasons),
        }


def _as_opinion(value: Opinion | str) -> Opinion:
    if isinstance(value, Opinion):
        return value
    try:
        return Opinion(value)
    except ValueError:
        return Opinion.from_label(value)


def tally(
    electorate: Electorate,
    opinions: Mapping[OwnerKeyT, Opinion | str | None],
    item: Item | int,
    *,
    participation: Threshold | None = None,
    approval: Threshold | None = None,
) -> TallyResult:
    """Count a vote on ``item`` of 民法典 第二百七十八条.

    第二百七十八条 第二款: owners holding 2/3 以上 of the exclusive area AND 2/3 以上 of the headcount
    take part; items (六)–(八) pass with 3/4 以上 of the participating area AND participating headcount
    agreeing, the others with 过半数 of each. 第一千二百五十九条: 以上 includes the number itself, so
    exactly 2/3 and exactly 3/4 suffice; 过半数 does not, so exactly 1/2 fails. Abstentions take part but
    do not agree.

    ``opinions`` maps owner keys (as in the electorate; ``DEVELOPER`` for the developer) to an Opinion,
    its value or its Chinese label; a missing key or ``None`` is an owner who did not vote. A key outside
    the electorate raises ``ValueError``: a ballot from someone who is not an owner in scope must not be
    counted, nor silently dropped.

    ``participation`` / ``approval`` let a local rule set (e.g. unit-scope elevator votes) apply stricter
    thresholds; one laxer than the statute raises ``ValueError``, since the Civil Code is the floor.
    """
    item = Item(item)
    statutory_approval = threshold_for(item)
    participation = participation or participation_threshold()
    approval = approval or statutory_approval
    if not participation.at_least_as_strict_as(participation_threshold()):
        raise ValueError(f"participation {participation.code} is laxer than the Civil Code's 2/3")
    if not approval.at_least_as_strict_as(statutory_approval):
        raise ValueError(f"approval {approval.code} is laxer than the Civil Code's {statutory_approval.code}")

    area_by_owner = electorate.area_by_owner
    ctx = _exact_context()
    heads = {Opinion.AGREE: 0, Opinion.AGAINST: 0, Opinion.ABSTAIN: 0}
    areas = {Opinion.AGREE: Decimal(0), Opinion.AGAINST: Decimal(0), Opinion.ABSTAIN: Decimal(0)}
    for owner, raw in opinions.items():
        if raw is None:
            continue
        area = area_by_owner.get(owner)
        if area is None:
            raise ValueError(f"ballot from {owner!r}, who is not an owner in the scope of this vote")
        opinion = _as_opinion(raw)
        heads[opinion] += 1
        areas[opinion] = ctx.add(areas[opinion], area)

    owners_total = electorate.owners_total
    area_total = electorate.area_total
    owners_voted = sum(heads.values())
    area_voted = ctx.add(ctx.add(areas[Opinion.AGREE], areas[Opinion.AGAINST]), areas[Opinion.ABSTAIN])
    owners_agree = heads[Opinion.AGREE]
    area_agree = areas[Opinion.AGREE]

    reasons: list[str] = []
    law = "民法典第二百七十八条第二款"
    if owners_total == 0 or area_total == 0:
        reasons.append(
            f"表决范围内没有专有部分（业主人数为 0、总面积为 0），无从计算比例，不能形成决定（{law}）"
        )
        participation_met = approval_met = False
    else:
        area_part_ok = participation.met(area_voted, area_total)
        heads_part_ok = participation.met(owners_voted, owners_total)
        participation_met = area_part_ok and heads_part_ok
        reasons.append(
            f"参与表决专有部分面积 {format_area(area_voted)}㎡ / 总面积 {format_area(area_total)}㎡ = "
            f"{_share(area_voted, area_total)}，要求 {participation.symbol}（{participation.wording}）："
            f"{_verdict(area_part_ok)}"
        )
        reasons.append(
            f"参与表决业主 {owners_voted} 人 / 业主总人数 {owners_total} 人 = "
            f"{_share(owners_voted, owners_total)}，要求 {participation.symbol}（{participation.wording}）："
            f"{_verdict(heads_part_ok)}"
        )
        if owners_voted == 0 or area_voted == 0:
            reasons.append("无人参与表决，同意比例无从计算，不能形成决定")
            approval_met = False
        else:
            area_ok = approval.met(area_agree, area_voted)
            heads_ok = approval.met(owners_agree, owners_voted)
            approval_met = area_ok and heads_ok
            reasons.append(
                f"同意的专有部分面积 {format_area(area_agree)}㎡ / "
                f"参与表决面积 {format_area(area_voted)}㎡ = "
                f"{_share(area_agree, area_voted)}，要求 {approval.symbol}（{approval.wording}）："
                f"{_verdict(area_ok)}"
            )
            reasons.append(
                f"同意业主 {owners_agree} 人 / 参与表决业主 {owners_voted} 人 = "
                f"{_share(owners_agree, owners_voted)}，要求 {approval.symbol}（{approval.wording}）："
                f"{_verdict(heads_ok)}"
            )
        if heads[Opinion.ABSTAIN]:
            reasons.append(f"弃权 {heads[Opinion.ABSTAIN]} 人计入参与表决，但不计入同意")

    passed = participation_met and approval_met
    rule = f"{item.ordinal}，参与表决者{approval.wording}同意"
    if passed:
        reasons.append(f"结论：通过（{law}，{rule}）")
    else:
        missing = []
        if not participation_met:
            missing.append("参与表决的面积和人数未同时达到要求")
        if not approval_met:
            missing.append("同意的面积和人数未同时达到要求")
        reasons.append(f"结论：未通过——{'；'.join(missing)}（{law}，{rule}）")

    return TallyResult(
        item=item,
        homes=electorate.homes,
        owners_total=owners_total,
        area_total=area_total,
        owners_voted=owners_voted,
        area_voted=area_voted,
        owners_agree=owners_agree,
        area_agree=area_agree,
        owners_against=heads[Opinion.AGAINST],
        area_against=areas[Opinion.AGAINST],
        owners_abstain=heads[Opinion.ABSTAIN],
        area_abstain=areas[Opinion.ABSTAIN],
        participation_met=participation_met,
        approval_met=approval_met,
        passed=passed,
        threshold=approval.code,
        participation=participation.code,
        reasons=tuple(reasons),
    )


# --------------------------------------------------------------------------------------------------------
# Versioned local rule sets (elevators at unit scope, Qingdao practice since 2021)
# --------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RuleSet:
    """A dated set of local rules for a kind of vote; seeds a database model that administrators edit.

    ``effective_to`` is the last day in force (inclusive) or None while in force. Thresholds may be
    stricter than the Civil Code, never laxer (``tally`` enforces it).
    """

    code: str
    name: str
    effective_from: date
    effective_to: date | None
    participation: Threshold
    approval: Threshold
    notice_days: int
    requires_signatures: bool
    requires_no_objection: bool

    def in_force_on(self, day: date) -> bool:
        return self.effective_from <= day and (self.effective_to is None or day <= self.effective_to)


DEFAULT_RULE_SETS: tuple[RuleSet, ...] = (
    RuleSet(
        code="qingdao-elevator-unit-2021",
        name="青岛市既有住宅加装电梯（以单元为表决范围）",
        # The Civil Code's thresholds apply from 2021-01-01; Qingdao counts them within the unit.
        effective_from=date(2021, 1, 1),
        effective_to=None,
        participation=TWO_THIRDS,
        approval=THREE_QUARTERS,
        notice_days=15,
        requires_signatures=True,
        requires_no_objection=True,
    ),
)


def rule_set_in_force(rule_sets: Iterable[RuleSet], on: date) -> RuleSet | None:
    """The rule set in force on ``on``, or None. Two in force on one day is a data error: ``ValueError``,
    because a vote must never depend on which of them happens to come first."""
    found = [rs for rs in rule_sets if rs.in_force_on(on)]
    if len(found) > 1:
        codes = ", ".join(rs.code for rs in found)
        raise ValueError(f"several rule sets in force on {on.isoformat()}: {codes}")
    return found[0] if found else None


@dataclass(frozen=True)
class ConditionsResult:
    """Whether a rule set's conditions beyond the count are met, with a Chinese reason for each."""

    met: bool
    reasons: tuple[str, ...]


def evaluate_conditions(
    rule_set: RuleSet,
    *,
    signatures_complete: bool,
    notice_from: date | None,
    notice_until: date | None,
    unresolved_objections: int,
) -> ConditionsResult:
    """Check the rule set's extra conditions.

    - written signatures (书面签字) of the participating owners, when required;
    - a public notice of at least ``notice_days`` days: posted on ``notice_from`` and kept up to and
      including ``notice_until``. 民法典 第二百零一条: a period in days starts the day after the posting, so
      the notice lasted ``(notice_until - notice_from).days`` days; "不少于" includes the number itself;
    - no unresolved objection from directly affected owners (e.g. low floors losing light), when required.
    """
    reasons: list[str] = []
    ok = True
    if rule_set.requires_signatures:
        reasons.append(f"参与表决业主书面签字：{'齐全' if signatures_complete else '不齐全'}")
        ok = ok and signatures_complete
    if rule_set.notice_days > 0:
        if notice_from is None:
            reasons.append(f"公示：未公示（要求不少于 {rule_set.notice_days} 日）")
            ok = False
        elif notice_until is None:
            reasons.append(
                f"公示：{notice_from.isoformat()} 起公示，尚未结束（要求不少于 {rule_set.notice_days} 日）"
            )
            ok = False
        else:
            days = (notice_until - notice_from).days
            enough = days >= rule_set.notice_days
            reasons.append(
                f"公示：{notice_from.isoformat()} 至 {notice_until.isoformat()}，计 {max(days, 0)} 日"
                f"（自公示次日起算，民法典第二百零一条；要求不少于 {rule_set.notice_days} 日）："
                f"{_verdict(enough)}"
            )
            ok = ok and enough
    if rule_set.requires_no_objection:
        if unresolved_objections < 0:
            raise ValueError("unresolved_objections cannot be negative")
        clear = unresolved_objections == 0
        detail = "无" if clear else f"{unresolved_objections} 件"
        reasons.append(f"直接受影响业主未解决的异议：{detail}：{_verdict(clear)}")
        ok = ok and clear
    return ConditionsResult(met=ok, reasons=tuple(reasons))


@dataclass(frozen=True)
class RuleSetOutcome:
    """A vote counted under a local rule set: the count, the extra conditions, and the overall result."""

    rule_set: RuleSet
    tally: TallyResult
    conditions: ConditionsResult

    @property
    def passed(self) -> bool:
        return self.tally.passed and self.conditions.met

    @property
    def reasons(self) -> tuple[str, ...]:
        head = f"适用规则：{self.rule_set.name}（{self.rule_set.code}）"
        verdict = "结论（含附加条件）：通过" if self.passed else "结论（含附加条件）：未通过"
        return (head, *self.tally.reasons, *self.conditions.reasons, verdict)


def decide_under_rule_set(
    electorate: Electorate,
    opinions: Mapping[OwnerKeyT, Opinion | str | None],
    item: Item | int,
    rule_set: RuleSet,
    *,
    signatures_complete: bool,
    notice_from: date | None,
    notice_until: date | None,
    unresolved_objections: int,
) -> RuleSetOutcome:
    """Tally with the rule set's thresholds (counted within its scope, e.g. the unit) and check its
    conditions; the vote passes only if both do."""
    result = tally(
        electorate, opinions, item, participation=rule_set.participation, approval=rule_set.approval
    )
    conditions = evaluate_conditions(
        rule_set,
        signatures_complete=signatures_complete,
        notice_from=notice_from,
        notice_until=notice_until,
        unresolved_objections=unresolved_objections,
    )
    return RuleSetOutcome(rule_set=rule_set, tally=result, conditions=conditions)
