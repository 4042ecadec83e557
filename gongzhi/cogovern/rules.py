"""Owners' assemblies and committees: the rules of law as pure functions (no ORM), each citing its article.

Sources (the domain notes, docs/cogovern.md):
- 《青岛市物业管理条例》(2021) 第二十一条: the first owners' assembly must be called when ANY ONE holds —
  delivered exclusive area ≥ 50% of the total; delivered owners ≥ 50%; or two years since the first
  delivery AND delivered owners ≥ 25%.
- 同条例 第二十二、二十三条: owners holding 5% of the area or of the headcount may apply; the subdistrict forms
  a preparatory group (筹备组) within 30 days: ≥ 7 members, odd, at least half owners, the community party
  organisation among them. 第二十四条: the first assembly meets within 60 days of the group, extendable by 30.
- 同条例 第三十五条: the committee has ≥ 3 members, an odd number; a term of at most 5 years.
  第三十八条: a meeting needs more than half of the members present; a decision more than half of ALL members.
  第四十一至四十三条: the re-electing assembly must be held by 60 days before the term ends, otherwise the
  assembly extends the term or a 换届小组 takes over; records are handed over within 10 days. Filing (备案)
  within 30 days of the election.
- 《物业管理条例》(国务院) 第十条: with one owner only, or few owners who unanimously decide not to form an
  assembly, the owners perform its duties together — the compound needs no committee.
- 《民法典》第二百零二条: a period counted in years ends on the corresponding day; without one, at month end.

Shandong's regulation (2021) and the 2009 national guide differ (≥ 5 members, 2/3 present, 90 days lead);
so size, quorum and lead time are `CommitteeRules`, chosen by the GONGZHI_COMMITTEE_RULES setting, and a
committee below 5 draws a warning under any of them.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction

from django.db import models
from django.utils.translation import gettext_lazy as _

SRC_TRIGGER = "《青岛市物业管理条例》第二十一条"
SRC_PREP = "《青岛市物业管理条例》第二十二、二十三条"
SRC_FIRST = "《青岛市物业管理条例》第二十四条"
SRC_SIZE = "《青岛市物业管理条例》第三十五条"
SRC_MEETING = "《青岛市物业管理条例》第三十八条"
SRC_REELECT = "《青岛市物业管理条例》第四十一至四十三条"
SRC_EXEMPT = "《物业管理条例》第十条"


@dataclass(frozen=True)
class CommitteeRules:
    """The values that differ between Qingdao, Shandong and the national guide."""

    name: str
    min_members: int = 3
    warn_below: int = 5
    max_term_years: int = 5
    quorum: Fraction = Fraction(1, 2)
    quorum_inclusive: bool = False  # 过半数 is strictly more than; 三分之二以上 includes two thirds
    reelect_lead_days: int = 60
    filing_days: int = 30
    handover_days: int = 10
    prep_group_days: int = 30
    prep_group_min: int = 7
    first_assembly_days: int = 60
    first_assembly_extension_days: int = 30


QINGDAO = CommitteeRules(name="青岛市物业管理条例（2021）")
SHANDONG = CommitteeRules(
    name="山东省物业管理条例（2021）",
    min_members=5,
    quorum=Fraction(2, 3),
    quorum_inclusive=True,
    reelect_lead_days=90,
)
RULE_SETS = {"qingdao": QINGDAO, "shandong": SHANDONG}


def add_years(day: date, years: int) -> date:
    """The corresponding day `years` later, or the month's last day when there is none (民法典 第二百零二条)."""
    last = calendar.monthrange(day.year + years, day.month)[1]
    return day.replace(year=day.year + years, day=min(day.day, last))


# -- 第二十一条: when the first assembly must be called ----------------------------------------------------


class Trigger(models.TextChoices):
    AREA = "area", _("已交付专有部分面积达到建筑物总面积50%")
    OWNERS = "owners", _("已交付业主人数达到业主总人数50%")
    TIME = "time", _("首套交付满两年且已交付业主人数达到25%")


@dataclass(frozen=True)
class FirstAssembly:
    """Whether the first assembly must be called on `on`, why, and — when only time is missing — from when."""

    required: bool
    trigger: str = ""  # a Trigger value
    from_day: date | None = None  # the day the obligation starts (or will start, for the time trigger)

    @property
    def reason(self) -> str:
        return str(Trigger(self.trigger).label) if self.trigger else ""


def first_assembly(
    *,
    total_area: Decimal,
    delivered_area: Decimal,
    owners_total: int,
    owners_delivered: int,
    first_delivered_on: date | None,
    on: date,
) -> FirstAssembly:
    """第二十一条: any one of three triggers; boundaries are inclusive ("达到"), compared exactly."""
    if total_area > 0 and delivered_area * 2 >= total_area:
        return FirstAssembly(True, Trigger.AREA)
    if owners_total > 0 and owners_delivered * 2 >= owners_total:
        return FirstAssembly(True, Trigger.OWNERS)
    if first_delivered_on is not None and owners_total > 0 and owners_delivered * 4 >= owners_total:
        start = add_years(first_delivered_on, 2)
        return FirstAssembly(start <= on, Trigger.TIME, start)
    return FirstAssembly(False)


def required_from(
    *,
    total_area: Decimal,
    delivered_area: Decimal,
    owners_total: int,
    owners_delivered: int,
    first_delivered_on: date | None,
) -> date | None:
    """The first day 第二十一条 requires the first assembly under this delivery data — `first_assembly` asked
    about the earliest day: `date.min` when a share already triggers it (any day), the second anniversary of
    the first delivery when only time is missing, None when no day does. So `first_assembly(on=d).required`
    equals `required_from is not None and required_from <= d` for every d, and a stored date lets the
    figures count required compounds in SQL (tests/test_required_from.py)."""
    fa = first_assembly(
        total_area=total_area,
        delivered_area=delivered_area,
        owners_total=owners_total,
        owners_delivered=owners_delivered,
        first_delivered_on=first_delivered_on,
        on=date.min,
    )
    return date.min if fa.required else fa.from_day


def may_apply(
    *, owners_applying: int, owners_total: int, area_applying: Decimal, total_area: Decimal
) -> bool:
    """第二十二条: owners holding 5% of the exclusive area or 5% of the owners may apply."""
    by_owners = owners_total > 0 and owners_applying * 20 >= owners_total
    by_area = total_area > 0 and area_applying * 20 >= total_area
    return by_owners or by_area


# -- 第二十二至二十四条: the preparatory group and the first assembly ------------------------------------------


def prep_group_problems(
    *, members: int, owners: int, party_org_included: bool, rules: CommitteeRules = QINGDAO
) -> list[str]:
    """第二十三条: ≥ 7, odd, at least half owners, the community party organisation among them."""
    problems = []
    if members < rules.prep_group_min:
        problems.append(f"筹备组应不少于 {rules.prep_group_min} 人（{SRC_PREP}）")
    if members % 2 == 0:
        problems.append(f"筹备组人数应为单数（{SRC_PREP}）")
    if owners * 2 < members:
        problems.append(f"筹备组中业主代表应不少于一半（{SRC_PREP}）")
    if not party_org_included:
        problems.append(f"筹备组应有社区党组织代表（{SRC_PREP}）")
    return problems


def prep_group_due(applied_on: date, rules: CommitteeRules = QINGDAO) -> date:
    """第二十二条: the subdistrict forms the group within 30 days of the application."""
    return applied_on + timedelta(days=rules.prep_group_days)


def first_assembly_due(
    prep_formed_on: date, *, extended: bool = False, rules: CommitteeRules = QINGDAO
) -> date:
    """第二十四条: the first assembly meets within 60 days of the group's forming, extendable once by 30."""
    days = rules.first_assembly_days + (rules.first_assembly_extension_days if extended else 0)
    return prep_formed_on + timedelta(days=days)


# -- 第三十五条: the committee -----------------------------------------------------------------------------


def committee_size_problems(members: int, rules: CommitteeRules = QINGDAO) -> tuple[list[str], list[str]]:
    """(errors, warnings) for a committee of `members`: ≥ minimum and odd; a warning below 5."""
    errors, warnings = [], []
    if members < rules.min_members:
        errors.append(f"业主委员会应不少于 {rules.min_members} 人（{rules.name}）")
    if members % 2 == 0:
        errors.append(f"业主委员会人数应为单数（{SRC_SIZE}）")
    if not errors and members < rules.warn_below:
        warnings.append(f"委员少于 {rules.warn_below} 人：山东省条例和全国指导规则要求 5 人以上")
    return errors, warnings


def latest_term_end(term_start: date, rules: CommitteeRules = QINGDAO) -> date:
    """第三十五条: a term of at most five years — it ends by the day before the fifth anniversary."""
    return add_years(term_start, rules.max_term_years) - timedelta(days=1)


def term_problems(term_start: date, term_end: date, rules: CommitteeRules = QINGDAO) -> list[str]:
    if term_end < term_start:
        return ["任期结束日期早于开始日期"]
    if term_end > latest_term_end(term_start, rules):
        return [f"任期不得超过 {rules.max_term_years} 年（{SRC_SIZE}）"]
    return []


# -- 第三十八条: meetings ----------------------------------------------------------------------------------


def _over(part: int, whole: int, share: Fraction, inclusive: bool) -> bool:
    if whole <= 0:
        return False
    value = Fraction(part, whole)
    return value >= share if inclusive else value > share


def meeting_quorate(present: int, members: int, rules: CommitteeRules = QINGDAO) -> bool:
    """第三十八条: more than half of the members present (Shandong: two thirds or more)."""
    return _over(present, members, rules.quorum, rules.quorum_inclusive)


def decision_passes(agree: int, members: int) -> bool:
    """第三十八条: a decision needs more than half of ALL members, not of those present."""
    return members > 0 and agree * 2 > members


def meeting_problems(
    *, present: int, members: int, votes: list[tuple[int, int]], rules: CommitteeRules = QINGDAO
) -> list[str]:
    """Why a meeting cannot be recorded as deciding: too few present (第三十八条), or a decision's votes for
    and against adding up to more than the members present."""
    problems = []
    if not 0 < present <= members:
        problems.append("出席人数应在 1 至委员总数之间")
    elif not meeting_quorate(present, members, rules):
        problems.append(f"出席委员未达法定人数，会议不能作出决定（{SRC_MEETING}）")
    for n, (agree, against) in enumerate(votes, start=1):
        if agree < 0 or against < 0 or agree + against > present:
            problems.append(f"第 {n} 项决定：同意与反对票合计不能超过出席人数")
    return problems


# -- 第四十一至四十三条 and filing: deadlines --------------------------------------------------------------------


def reelection_due(term_end: date, rules: CommitteeRules = QINGDAO) -> date:
    """The re-electing assembly must be held by this day (60 days before the term ends; Shandong 90)."""
    return term_end - timedelta(days=rules.reelect_lead_days)


def filing_due(elected_on: date, rules: CommitteeRules = QINGDAO) -> date:
    """Filing (备案) within 30 days of the election."""
    return elected_on + timedelta(days=rules.filing_days)


def handover_due(new_term_start: date, rules: CommitteeRules = QINGDAO) -> date:
    """第四十三条: the outgoing committee hands over its records within 10 days."""
    return new_term_start + timedelta(days=rules.handover_days)


def transition_group_problems(
    *,
    term_end: date,
    term_extended_to: date | None,
    reelection_held_on: date | None,
    formed_on: date,
    rules: CommitteeRules = QINGDAO,
) -> list[str]:
    """第四十一条: a 换届小组 takes over only when the re-electing assembly was not held by 60 days (Shandong
    90) before the term ends and the assembly did not extend the term; it is formed after that deadline."""
    due = reelection_due(term_extended_to or term_end, rules)
    if reelection_held_on is not None and reelection_held_on <= due:
        return [f"换届业主大会已按期召开，不需成立换届小组（{SRC_REELECT}）"]
    if formed_on <= due:
        return [f"换届业主大会的期限 {due} 尚未届满，不能成立换届小组（{SRC_REELECT}）"]
    return []


def transition_handover_due(formed_on: date, rules: CommitteeRules = QINGDAO) -> date:
    """第四十三条: the outgoing committee hands its records to the 换届小组 within 10 days of its forming."""
    return formed_on + timedelta(days=rules.handover_days)


# -- Status of a compound ------------------------------------------------------------------------------------


class Status(models.TextChoices):
    NOT_REQUIRED = "not_required", _("无需成立")
    REQUIRED = "required", _("应建未建")
    PREPARING = "preparing", _("筹备中")
    FORMED = "formed", _("已成立")
    EXPIRED = "expired", _("任期届满")


def committee_status(
    *, required: bool, preparing: bool, has_committee: bool, term_end: date | None, on: date
) -> str:
    """One status per compound; a committee whose term ended (and was not extended) is `expired`."""
    if has_committee:
        return Status.EXPIRED if term_end is not None and term_end < on else Status.FORMED
    if preparing:
        return Status.PREPARING
    return Status.REQUIRED if required else Status.NOT_REQUIRED


class Step(models.TextChoices):
    START = "start", _("应召开首次业主大会，尚未启动")
    PREP = "prep", _("筹备组逾期未成立")
    FIRST = "first", _("首次业主大会逾期未召开")
    FILING = "filing", _("选举后逾期未备案")
    REELECT = "reelect", _("换届业主大会逾期未召开")
    HANDOVER = "handover", _("换届后逾期未移交资料")
    TRANSITION_HANDOVER = "transition_handover", _("逾期未向换届小组移交资料")


@dataclass(frozen=True)
class CaseDates:
    """The dates recorded for one compound's assembly and committee (None: not yet)."""

    required: bool = False
    applied_on: date | None = None
    prep_formed_on: date | None = None
    first_assembly_extended: bool = False
    elected_on: date | None = None
    filed_on: date | None = None
    term_end: date | None = None
    term_extended_to: date | None = None
    reelection_held_on: date | None = None
    handed_over_on: date | None = None
    previous_committee: bool = False
    transition_formed_on: date | None = None
    transition_handed_over_on: date | None = None


def overdue_steps(d: CaseDates, on: date, rules: CommitteeRules = QINGDAO) -> list[tuple[str, date | None]]:
    """Every step overdue on `on`, with the day it was due (None for a start never made)."""
    late: list[tuple[str, date | None]] = []
    if d.elected_on is None:
        if d.required and d.applied_on is None and d.prep_formed_on is None:
            late.append((Step.START, None))
        if d.applied_on and d.prep_formed_on is None and prep_group_due(d.applied_on, rules) < on:
            late.append((Step.PREP, prep_group_due(d.applied_on, rules)))
        if d.prep_formed_on:
            due = first_assembly_due(d.prep_formed_on, extended=d.first_assembly_extended, rules=rules)
            if due < on:
                late.append((Step.FIRST, due))
        return late
    if d.filed_on is None and filing_due(d.elected_on, rules) < on:
        late.append((Step.FILING, filing_due(d.elected_on, rules)))
    end = d.term_extended_to or d.term_end
    if end is not None and d.reelection_held_on is None and reelection_due(end, rules) < on:
        late.append((Step.REELECT, reelection_due(end, rules)))
    if d.previous_committee and d.handed_over_on is None and handover_due(d.elected_on, rules) < on:
        late.append((Step.HANDOVER, handover_due(d.elected_on, rules)))
    if d.transition_formed_on and d.transition_handed_over_on is None:
        due = transition_handover_due(d.transition_formed_on, rules)
        if due < on:
            late.append((Step.TRANSITION_HANDOVER, due))
    return late
