"""Reads of 防止返贫动态监测, already scoped by the caller (gongzhi.accounts.access.scoped) or by path."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.db.models import Max, OuterRef, QuerySet, Subquery
from django.utils.translation import gettext as _

from gongzhi.monitoring import rules
from gongzhi.monitoring.models import (
    Case,
    CaseStatus,
    Decision,
    Household,
    Income,
    Labour,
    MonitoringLine,
    Visit,
)

OPEN = (CaseStatus.IDENTIFYING, CaseStatus.MONITORED, CaseStatus.ELIMINATING)
UNDER_WATCH = (*OPEN, CaseStatus.PROTECTED)


def first_visit_days() -> int:
    """Days after a case opens by which its first visit is due (setting GONGZHI_MONITORING_FIRST_VISIT_DAYS):
    a county's own policy, not the source's figure."""
    return int(settings.GONGZHI_MONITORING_FIRST_VISIT_DAYS)


def stall_days() -> int:
    """Days without a decision after the last 公示 after which a procedure is stalled
    (setting GONGZHI_MONITORING_STALL_DAYS)."""
    return int(settings.GONGZHI_MONITORING_STALL_DAYS)


def lines_for(province: str) -> dict[int, Decimal]:
    return dict(MonitoringLine.objects.filter(province=province).values_list("year", "yuan_per_person"))


def province_of(path: str) -> str:
    return path.split("/", 1)[0]


def checklist_of(case: Case, today: date) -> list[rules.Check]:
    """The elimination checklist of a case from live data: income checks, the latest visit, the members."""
    household = case.household
    checks = list(household.incomes.values_list("measured_on", "yuan_per_person"))
    since = rules.stable_since(checks, lines_for(province_of(household.path)))
    visit = household.visits.order_by("-visited_on", "-pk").first()
    has_labour = household.members.exclude(labour=Labour.NONE).exists()
    return rules.elimination_checklist(
        since=since,
        today=today,
        education=bool(visit and visit.education_secure),
        medical=bool(visit and visit.medical_secure),
        housing=bool(visit and visit.housing_secure),
        water=bool(visit and visit.water_secure),
        has_labour=has_labour,
    )


def with_last_visit(qs: QuerySet[Household]) -> QuerySet[Household]:
    last = Visit.objects.filter(household=OuterRef("pk")).order_by("-visited_on", "-pk")
    return qs.annotate(
        last_visit=Subquery(last.values("visited_on")[:1]), next_due=Subquery(last.values("next_due")[:1])
    )


def overdue_cases(cases: QuerySet[Case], today: date) -> QuerySet[Case]:
    """Cases under watch whose household's next visit has passed (or, never visited, the first visit's)."""
    last = Visit.objects.filter(household=OuterRef("household_id")).order_by("-visited_on", "-pk")
    qs = cases.filter(status__in=UNDER_WATCH).annotate(next_due=Subquery(last.values("next_due")[:1]))
    return qs.filter(next_due__lt=today) | qs.filter(
        next_due=None, opened_on__lt=today - timedelta(days=first_visit_days())
    )


def stalled_cases(cases: QuerySet[Case], today: date) -> QuerySet[Case]:
    """Cases in identification or elimination with no decision for `stall_days()` after the last notice
    ended (or the opening, before any decision). The notice end is decided_on + notice_days
    (rules.notice_ends); it is compared per row in Python over the few candidate rows older than that."""
    days = stall_days()
    qs = cases.filter(status__in=(CaseStatus.IDENTIFYING, CaseStatus.ELIMINATING))
    last = Decision.objects.filter(case=OuterRef("pk")).order_by("-decided_on", "-pk")
    qs = qs.annotate(
        last_on=Subquery(last.values("decided_on")[:1]), last_days=Subquery(last.values("notice_days")[:1])
    )
    return qs.filter(opened_on__lt=today - timedelta(days=days)).exclude(
        last_on__gte=today - timedelta(days=days)
    )


def is_stalled(case: Case, today: date, limit: int) -> bool:
    """`limit`: stall_days(), read once by the caller for all the rows."""
    on = getattr(case, "last_on", None)
    days = getattr(case, "last_days", None) or 0
    start = rules.notice_ends(on, days) if on else case.opened_on
    return rules.stalled(start, today, limit)


@dataclass
class Timeline:
    on: date
    what: str


def case_timeline(case: Case) -> list[Timeline]:
    items = [Timeline(case.opened_on, f"{case.get_channel_display()}：{case.risk}")]
    for d in case.decisions.all():
        verdict = _("通过") if d.approved else _("未通过")
        notice = (
            _("，公示 %(days)d 天至 %(day)s")
            % {"days": d.notice_days, "day": rules.notice_ends(d.decided_on, d.notice_days)}
            if d.approved
            else ""
        )
        items.append(
            Timeline(d.decided_on, f"{d.get_purpose_display()}·{d.get_step_display()}：{verdict}{notice}")
        )
    for v in case.household.visits.all():
        items.append(Timeline(v.visited_on, _("走访：%(findings)s") % {"findings": v.findings[:60]}))
    for m in case.measures.all():
        items.append(
            Timeline(
                m.starts_on,
                _("帮扶措施：%(kind)s（%(officer)s）") % {"kind": m.get_kind_display(), "officer": m.officer},
            )
        )
    if case.eliminated_on:
        items.append(Timeline(case.eliminated_on, _("风险已消除")))
    return sorted(items, key=lambda t: t.on)


def latest_income(household: Household) -> Income | None:
    return household.incomes.order_by("-measured_on").first()


def last_visit_dates(ids: list[int]) -> dict[int, date]:
    rows = Visit.objects.filter(household_id__in=ids).values("household_id").annotate(m=Max("visited_on"))
    return {r["household_id"]: r["m"] for r in rows}


def due_step(case: Case) -> str | None:
    """The step of identification or elimination due next on a case in a procedure, else None."""
    if case.status == CaseStatus.IDENTIFYING:
        purpose = "identify"
    elif case.status == CaseStatus.ELIMINATING:
        purpose = "eliminate"
    else:
        return None
    done = case.decisions.filter(purpose=purpose, approved=True).order_by("decided_on", "pk")
    return rules.next_step(list(done.values_list("step", flat=True)))
