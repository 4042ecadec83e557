"""Versioned local rule sets (elevators at unit scope, Qingdao practice since 2021) and their conditions.

Pure functions, no ORM; the sources are cited beside each rule (see gongzhi.affairs.civil_code).
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import TypeVar

from gongzhi.affairs.civil_code.electorate import (
    Electorate,
)
from gongzhi.affairs.civil_code.items import (
    THREE_QUARTERS,
    TWO_THIRDS,
    Item,
    Opinion,
    Threshold,
)
from gongzhi.affairs.civil_code.tally import (
    TallyResult,
    _verdict,
    tally,
)

OwnerKeyT = TypeVar("OwnerKeyT", bound=Hashable)


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
