"""Affairs figures for /api/v1/indicators/: three aggregate queries grouped by the places asked about."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import Count, Q
from django.utils import timezone

from gongzhi.affairs.models import Matter, Meeting, MeetingKind, Status, Vote, VoteStatus
from gongzhi.core.registry import Figure
from gongzhi.insights.batch import Batch, batched

MATTERS = "affairs:matters?place={code}"  # the matters list of the place (drill-down)

FIGURES = [
    Figure("matters_total", "自治事务数", "Matters raised", "件", drill=MATTERS, dated=True),
    Figure(
        "matters_resolved",
        "已办结事务数",
        "Matters resolved",
        "件",
        drill=f"{MATTERS}&status=resolved",
        dated=True,
    ),
    Figure("votes_held", "已结束表决数", "Votes closed", "次", drill=MATTERS, dated=True),
    Figure("votes_passed", "通过表决数", "Votes passed", "次", drill=MATTERS, dated=True),
    Figure("briefing_sessions", "吹风会次数", "Briefing sessions held", "次", drill=MATTERS, dated=True),
]


@batched
def figures(batch: Batch) -> dict[str, dict[str, Any]]:
    """Three grouped aggregates for every place asked about. Every row is dated (raised, resolved, closed,
    held), so a past day counts what stood on that day."""
    end = _end_of(batch.as_of)
    out: dict[str, dict[str, Any]] = {p: {} for p in batch.paths}
    if batch.wants("matters_total", "matters_resolved"):
        matters = Matter.objects.all() if end is None else Matter.objects.filter(raised_at__lt=end)
        resolved = Q(status=Status.RESOLVED) if end is None else Q(resolved_at__lt=end)
        for path, agg in batch.grouped(
            matters, total=Count("id"), resolved=Count("id", filter=resolved)
        ).items():
            out[path].update(matters_total=agg["total"], matters_resolved=agg["resolved"])
    if batch.wants("votes_held", "votes_passed"):
        votes = Vote.objects.filter(status=VoteStatus.CLOSED)
        if end is not None:
            votes = votes.filter(closed_at__lt=end)
        held = batch.grouped(votes, held=Count("id"), passed=Count("id", filter=Q(passed=True)))
        for path, agg in held.items():
            out[path].update(votes_held=agg["held"], votes_passed=agg["passed"])
    if batch.wants("briefing_sessions"):
        meetings = Meeting.objects.filter(kind=MeetingKind.BRIEFING)
        if end is not None:
            meetings = meetings.filter(held_at__lt=end)
        for path, agg in batch.grouped(meetings, n=Count("id")).items():
            out[path]["briefing_sessions"] = agg["n"]
    return out


def _end_of(day: date | None) -> datetime | None:
    """The first instant after `day` in the project's time zone (None: now, no bound)."""
    if day is None:
        return None
    return timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min))
