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
    approval_floor,
    participation_threshold,
    threshold_for,
)
from gongzhi.affairs.civil_code.reasons import Reason, met, reason
from gongzhi.affairs.civil_code.tally import (
    TallyResult,
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
    scope: str = "compound"
    invalid_participates: bool = True
    co_owner_rule: str = "representative"

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
        scope="unit",
    ),
)

SCOPE_LABELS = {"compound": "全小区", "building": "楼栋", "unit": "单元"}


def scope_fault(rule_set: RuleSet, vote_scope: str) -> str | None:
    """Why a vote over ``vote_scope`` may not use the rule set, or None.

    A rule set's thresholds are counted within the scope it was made for (Qingdao's elevator votes:
    within the unit, 民法典 第二百七十八条 as applied there); applied over another scope they would count
    other owners, so opening such a vote is refused rather than computed over the wrong electorate."""
    if rule_set.scope == vote_scope:
        return None
    want = SCOPE_LABELS.get(rule_set.scope, rule_set.scope)
    got = SCOPE_LABELS.get(vote_scope, vote_scope)
    return (
        f"「{rule_set.name}」只适用于以{want}为范围的表决，本事项的表决范围是{got}："
        f"请把事项的范围改为{want}，或为{got}范围另定规则"
    )


def laxness_faults(rule_set: RuleSet, items: Iterable[Item | int]) -> list[str]:
    """Where a rule set is laxer than the Civil Code for the items it may be used for (empty: none).

    民法典 第二百七十八条 第二款 is the floor: participation 2/3 以上 of area and heads, approval 3/4 以上 for
    items (六)(七)(八) and 过半数 for the others. A local rule may be stricter, never laxer."""
    matters = [Item(i) for i in items]
    faults = []
    if not rule_set.participation.at_least_as_strict_as(participation_threshold()):
        faults.append(
            f"参与表决门槛 {rule_set.participation.wording} 低于民法典第二百七十八条第二款的"
            f"{participation_threshold().wording}"
        )
    floor = approval_floor(matters)
    if not rule_set.approval.at_least_as_strict_as(floor):
        which = (
            "、".join(
                i.numeral for i in matters if not rule_set.approval.at_least_as_strict_as(threshold_for(i))
            )
            or "各"
        )
        faults.append(
            f"同意门槛 {rule_set.approval.wording} 低于民法典第二百七十八条第二款对第一款{which}项要求的"
            f"{floor.wording}"
        )
    return faults


def rule_set_in_force(rule_sets: Iterable[RuleSet], on: date, scope: str | None = None) -> RuleSet | None:
    """The rule set in force on ``on`` (of ``scope`` when one is, else any), or None. Two in force on one
    day for one scope is a data error: ``ValueError``, because a vote must never depend on which of them
    happens to come first."""
    found = [rs for rs in rule_sets if rs.in_force_on(on)]
    if scope is not None and any(rs.scope == scope for rs in found):
        found = [rs for rs in found if rs.scope == scope]
    if len(found) > 1:
        codes = ", ".join(rs.code for rs in found)
        raise ValueError(f"several rule sets in force on {on.isoformat()}: {codes}")
    return found[0] if found else None


@dataclass(frozen=True)
class ConditionsResult:
    """Whether a rule set's conditions beyond the count are met, with a reason (a code) for each."""

    met: bool
    reasons: tuple[Reason, ...]


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
    reasons: list[Reason] = []
    ok = True
    if rule_set.requires_signatures:
        reasons.append(reason("r.signatures", complete="complete" if signatures_complete else "incomplete"))
        ok = ok and signatures_complete
    days_required = rule_set.notice_days
    if days_required > 0:
        if notice_from is None:
            reasons.append(reason("r.notice_none", days=days_required))
            ok = False
        elif notice_until is None:
            reasons.append(reason("r.notice_open", start=notice_from.isoformat(), days=days_required))
            ok = False
        else:
            days = (notice_until - notice_from).days
            enough = days >= days_required
            reasons.append(
                reason(
                    "r.notice",
                    start=notice_from.isoformat(),
                    end=notice_until.isoformat(),
                    n=max(days, 0),
                    days=days_required,
                    met=met(enough),
                )
            )
            ok = ok and enough
    if rule_set.requires_no_objection:
        if unresolved_objections < 0:
            raise ValueError("unresolved_objections cannot be negative")
        clear = unresolved_objections == 0
        reasons.append(
            reason("r.no_objections") if clear else reason("r.objections", n=unresolved_objections)
        )
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
    def reasons(self) -> tuple[Reason, ...]:
        head = reason("r.rule_set", name=self.rule_set.name, code=self.rule_set.code)
        verdict = reason("r.overall", verdict="passed" if self.passed else "failed")
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
        electorate,
        opinions,
        item,
        participation=rule_set.participation,
        approval=rule_set.approval,
        invalid_participates=rule_set.invalid_participates,
    )
    conditions = evaluate_conditions(
        rule_set,
        signatures_complete=signatures_complete,
        notice_from=notice_from,
        notice_until=notice_until,
        unresolved_objections=unresolved_objections,
    )
    return RuleSetOutcome(rule_set=rule_set, tally=result, conditions=conditions)
