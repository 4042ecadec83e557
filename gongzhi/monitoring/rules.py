"""Rules of 防止返贫动态监测 as pure functions.

Sources: 中央农办 农业农村部 国家乡村振兴局《关于健全防止返贫动态监测和帮扶机制的指导意见》(2021): 监测对象
by 农户申报、干部走访排查、部门筛查预警; 识别 by 村级民主评议、乡镇审核、县级确定, each publicised (公示);
风险消除 when 收入持续稳定超过监测范围 for at least half a year and 两不愁三保障及饮水安全 secure, by the same
village → town → county procedure; 对无劳动能力的监测对象 no elimination: they stay under 兜底保障.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.utils.translation import gettext as _

STEPS = ("village", "town", "county")
STABLE_MONTHS = 6


def add_months(day: date, months: int) -> date:
    """The same day `months` later; the month's last day when it is shorter (31 Aug + 6 → 28/29 Feb)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def stable_since(checks: Iterable[tuple[date, Decimal]], line: dict[int, Decimal]) -> date | None:
    """The first check of the unbroken run of income checks above the line that ends with the latest check.

    `checks` are (date, annualised per-capita income); `line` maps a year to that year's monitoring line.
    "Above" is strictly greater: income equal to the line is still inside the monitoring range. A year with
    no line set counts as not above (nothing is assumed). None when the latest check is not above.
    """
    since: date | None = None
    for on, income in sorted(checks):
        limit = line.get(on.year)
        above = limit is not None and income > limit
        since = (since or on) if above else None
    return since


def income_stable(since: date | None, today: date) -> bool:
    """Income has stayed above the line for at least six months: today is on or after since + 6 months."""
    return since is not None and today >= add_months(since, STABLE_MONTHS)


@dataclass(frozen=True)
class Check:
    code: str
    label: str
    passed: bool


def elimination_checklist(
    *,
    since: date | None,
    today: date,
    education: bool,
    medical: bool,
    housing: bool,
    water: bool,
    has_labour: bool,
) -> list[Check]:
    """The risk-elimination checklist shown on a case; elimination only when every item passes."""
    return [
        Check("income", _("收入持续稳定超过监测线满6个月"), income_stable(since, today)),
        Check("education", _("义务教育有保障"), education),
        Check("medical", _("基本医疗有保障"), medical),
        Check("housing", _("住房安全有保障"), housing),
        Check("water", _("饮水安全有保障"), water),
        Check("labour", _("家庭有劳动能力（无劳动能力的继续纳入保障）"), has_labour),
    ]


def may_eliminate(checklist: Sequence[Check]) -> bool:
    return all(c.passed for c in checklist)


def notice_ends(decided_on: date, days: int) -> date:
    """The last day of the 公示 after a decision: it runs the `days` days after the decision day."""
    return decided_on + timedelta(days=days)


def next_step(done: Sequence[str]) -> str | None:
    """The step due after the approved steps `done` (in order), None when all three are done."""
    for i, step in enumerate(STEPS):
        if i >= len(done):
            return step
        if done[i] != step:
            raise ValueError(f"环节顺序错误：{done}")
    return None


def step_refusal(step: str, done: Sequence[tuple[str, date, int]], today: date) -> str | None:
    """Why `step` may not be decided today, or None. `done`: approved steps so far as (step, on, notice days).

    A step waits for the previous one, and for its 公示 to have ended: a decision is possible from the day
    after the notice's last day.
    """
    due = next_step([s for s, _on, _days in done])
    if due is None:
        return _("三个环节均已完成")
    if step != due:
        names = dict(zip(STEPS, (_("村级评议"), _("镇级审核"), _("县级确定")), strict=True))
        return _("当前应进行的环节是「%(step)s」") % {"step": names[due]}
    if done:
        _s, on, days = done[-1]
        if today <= notice_ends(on, days):
            return _("上一环节公示期至 %(day)s 结束，结束后方可办理") % {
                "day": notice_ends(on, days).isoformat()
            }
    return None


def visit_overdue(next_due: date | None, opened_on: date, today: date, first_visit_days: int) -> bool:
    """A household under monitoring is overdue when its next visit date has passed, or, never visited,
    when `first_visit_days` have passed since its case was opened."""
    if next_due is None:
        return today > opened_on + timedelta(days=first_visit_days)
    return today > next_due


def stalled(last_move: date, today: date, days: int) -> bool:
    """A case in a procedure (identification or elimination) is stalled after `days` without a decision,
    counted from its last decision's 公示 end (or its opening)."""
    return today > last_move + timedelta(days=days)
