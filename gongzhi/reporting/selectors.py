"""Reads for the 双报到 pages, the card and the API: scoped by the caller, a fixed number of queries each."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum

from gongzhi.accounts.access import scoped
from gongzhi.party.models import PartyMember
from gongzhi.people.models import Person
from gongzhi.reporting import rules
from gongzhi.reporting.models import (
    VIEW,
    ContactPoint,
    Match,
    MatchStatus,
    Need,
    Notice,
    Project,
    RecordStatus,
    Report,
    Resource,
    ServicePost,
    ServiceRecord,
    Unit,
)


def units(user: Any) -> QuerySet[Unit]:
    """Active units the user may see (placed by what they cover), with contact points and members counted."""
    return (
        scoped(user, Unit.objects.active(), VIEW)
        .annotate(
            n_points=Count("coverages__contact_point", filter=Q(coverages__until=None), distinct=True),
            n_members=Count("reported_members", filter=Q(reported_members__ended_on=None), distinct=True),
        )
        .order_by("code")
    )


@dataclass
class UnitPage:
    unit: Unit
    points: list[ContactPoint]
    members: list[Report]
    hours: dict[int, Decimal]  # report id → confirmed hours this year
    projects: list[Project]
    resources: list[Resource]


def unit_page(unit: Unit, year: int) -> UnitPage:
    """What a unit adopted and what its members did: five queries whatever the unit's size."""
    points = list(
        ContactPoint.objects.filter(coverage__organisation=unit, coverage__until=None)
        .select_related("coverage__compound", "responsible__person")
        .order_by("path")
    )
    members = list(
        Report.objects.filter(unit=unit, ended_on=None)
        .select_related("person", "compound")
        .order_by("path", "id")
    )
    hours = dict(
        ServiceRecord.objects.filter(unit=unit, status=RecordStatus.CONFIRMED, served_on__year=year)
        .values("report_id")
        .annotate(h=Sum("hours"))
        .values_list("report_id", "h")
    )
    projects = list(Project.objects.filter(unit=unit).select_related("compound").order_by("-adopted_on"))
    resources = list(Resource.objects.filter(unit=unit).order_by("kind", "id"))
    return UnitPage(unit, points, members, hours, projects, resources)


@dataclass
class CardRow:
    name: str
    compound: str
    reported_on: date
    skills: str
    times: int
    quarter_hours: Decimal
    year_hours: Decimal


def card(unit: Unit, year: int, quarter: int) -> list[CardRow]:
    """The quarterly service card of a unit (季度服务记实卡): each member who reported, what they served.

    Members count when their report was current at some day of the quarter (a member who moved appears
    once per report); hours are confirmed records up to the quarter's end.
    """
    start, end = rules.quarter_range(year, quarter)
    reports = list(
        Report.objects.filter(unit=unit, reported_on__lte=end)
        .filter(Q(ended_on=None) | Q(ended_on__gte=start))
        .select_related("person", "compound")
        .prefetch_related("skills")
        .order_by("path", "id")
    )
    q_hours: dict[int, Decimal] = defaultdict(Decimal)
    y_hours: dict[int, Decimal] = defaultdict(Decimal)
    times: dict[int, int] = defaultdict(int)
    for rid, served, h in ServiceRecord.objects.filter(
        report__in=[r.pk for r in reports],
        status=RecordStatus.CONFIRMED,
        served_on__gte=date(year, 1, 1),
        served_on__lte=end,
    ).values_list("report_id", "served_on", "hours"):
        y_hours[rid] += h
        if served >= start:
            q_hours[rid] += h
            times[rid] += 1
    return [
        CardRow(
            r.person.name,
            r.compound.name,
            r.reported_on,
            "、".join(s.name for s in r.skills.all()),
            times[r.pk],
            q_hours[r.pk],
            y_hours[r.pk],
        )
        for r in reports
    ]


def min_hours(path: str, year: int) -> int:
    """The yearly hours setting in force for a place: the nearest place's latest record, else the default."""
    from gongzhi.reporting.models import HoursSetting

    for s in HoursSetting.objects.filter(from_year__lte=year).order_by("-path", "-from_year"):
        if path.startswith(s.path):
            return s.min_hours
    return rules.DEFAULT_MIN_HOURS


@dataclass
class Shortfall:
    name: str
    compound: str
    workplace: str
    hours: Decimal
    finding: str


def shortfall(path: str, year: int) -> tuple[int, list[Shortfall]]:
    """Year-end review: in-service party members under `path` who did not report, or served fewer hours than
    the setting (rules.review). Three queries."""
    need = min_hours(path, year)
    start, end = date(year, 1, 1), date(year, 12, 31)
    reported = {
        pid: r
        for pid, r in (
            (r.person_id, r)
            for r in Report.objects.filter(path__under=path, reported_on__lte=end)
            .filter(Q(ended_on=None) | Q(ended_on__gte=start))
            .select_related("person", "compound")
            .order_by("reported_on")
        )
    }
    hours: dict[int, Decimal] = defaultdict(Decimal)
    for pid, h in (
        ServiceRecord.objects.filter(
            report__person_id__in=list(reported), status=RecordStatus.CONFIRMED, served_on__year=year
        )
        .values("report__person_id")
        .annotate(h=Sum("hours"))
        .values_list("report__person_id", "h")
    ):
        hours[pid] = h
    out = []
    in_service = list(
        PartyMember.objects.filter(path__under=path, in_service=True).select_related("person", "compound")
    )
    for m in in_service:
        finding = rules.review(m.person_id in reported, hours[m.person_id], need)
        if finding:
            out.append(Shortfall(m.person.name, m.compound.name, m.workplace, hours[m.person_id], finding))
    listed = {m.person_id for m in in_service}
    for pid, r in reported.items():  # reported members the party register does not list as in service here
        finding = rules.review(True, hours[pid], need)
        if pid not in listed and finding:
            out.append(Shortfall(r.person.name, r.compound.name, r.workplace, hours[pid], finding))
    return need, out


def needs(user: Any, status: str = "") -> QuerySet[Need]:
    qs = scoped(user, Need.objects.all(), VIEW).select_related("compound").prefetch_related("skills")
    if status:
        qs = qs.filter(status=status)
    return qs.annotate(
        accepted=Sum("matches__hours", filter=Q(matches__status=MatchStatus.ACCEPTED), default=0),
        proposed=Count("matches", filter=Q(matches__status=MatchStatus.PROPOSED)),
    )


def need_matches(need: Need) -> list[Match]:
    return list(
        need.matches.exclude(status=MatchStatus.WITHDRAWN)
        .select_related("report__person", "report__compound")
        .order_by("status", "-score", "id")
    )


@dataclass
class MyPage:
    report: Report | None
    history: list[Report]
    proposals: list[Match]
    accepted: list[Match]
    notices: list[Notice]
    records: list[ServiceRecord]
    year_hours: Decimal


def my_page(person: Person, year: int) -> MyPage:
    """A member's phone page: their report (and earlier ones), proposals, notices, records."""
    reports = list(
        Report.objects.filter(person=person)
        .select_related("compound", "unit")
        .order_by("-reported_on", "-id")
    )
    current = next((r for r in reports if r.ended_on is None), None)
    ids = [r.pk for r in reports]
    matches = list(
        Match.objects.filter(report_id__in=ids, status__in=[MatchStatus.PROPOSED, MatchStatus.ACCEPTED])
        .select_related("need__compound")
        .order_by("-proposed_at")
    )
    notices = list(
        Notice.objects.filter(report_id__in=ids).select_related("need").order_by("-created_at")[:10]
    )
    records = list(ServiceRecord.objects.filter(report_id__in=ids).order_by("-served_on", "-id")[:20])
    total = ServiceRecord.objects.filter(
        report_id__in=ids, status=RecordStatus.CONFIRMED, served_on__year=year
    ).aggregate(h=Sum("hours"))["h"]
    return MyPage(
        current,
        [r for r in reports if r.ended_on is not None],
        [m for m in matches if m.status == MatchStatus.PROPOSED],
        [m for m in matches if m.status == MatchStatus.ACCEPTED],
        notices,
        records,
        total or Decimal(0),
    )


def records(user: Any, status: str = "") -> QuerySet[ServiceRecord]:
    qs = scoped(user, ServiceRecord.objects.all(), VIEW).select_related(
        "report__person", "report__compound", "unit"
    )
    return qs.filter(status=status) if status else qs


def _ancestors(path: str) -> list[str]:
    """`path` and every path above it (`37/3702/` → `37/`, `37/3702/`)."""
    parts = [p for p in path.split("/") if p]
    return ["/".join(parts[: i + 1]) + "/" for i in range(len(parts))]


def posts_over(path: str) -> QuerySet[ServicePost]:
    """Service posts published to `path` (at it or above it) or under it, each with its claim count. One query."""
    return (
        ServicePost.objects.filter(Q(path__in=_ancestors(path)) | Q(path__under=path))
        .annotate(claimed=Count("claims"))
        .order_by("path", "id")
    )


def hours_settings(path: str) -> QuerySet[Any]:
    """The hours settings in force at `path` (at it or above) and those set under it. One query."""
    from gongzhi.reporting.models import HoursSetting

    return HoursSetting.objects.filter(Q(path__in=["", *_ancestors(path)]) | Q(path__under=path)).order_by(
        "path", "-from_year"
    )
