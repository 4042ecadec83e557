"""Affairs figures for /api/v1/indicators/: three aggregate queries over the place's path prefix."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q

from gongzhi.affairs.models import Matter, Meeting, MeetingKind, Status, Vote, VoteStatus
from gongzhi.core.paths import under
from gongzhi.core.registry import Figure
from gongzhi.insights.registry import PlaceScope

MATTERS = "affairs:matters?place={code}"  # the matters list of the place (drill-down)

FIGURES = [
    Figure("matters_total", "自治事务数", "Matters raised", "件", drill=MATTERS),
    Figure("matters_resolved", "已办结事务数", "Matters resolved", "件", drill=f"{MATTERS}&status=resolved"),
    Figure("votes_held", "已结束表决数", "Votes closed", "次", drill=MATTERS),
    Figure("votes_passed", "通过表决数", "Votes passed", "次", drill=MATTERS),
    Figure("briefing_sessions", "吹风会次数", "Briefing sessions held", "次", drill=MATTERS),
]


def figures(scope: PlaceScope) -> dict[str, Any]:
    where = under(scope.path)
    matters = Matter.objects.filter(where).aggregate(
        total=Count("id"), resolved=Count("id", filter=Q(status=Status.RESOLVED))
    )
    votes = Vote.objects.filter(where, status=VoteStatus.CLOSED).aggregate(
        held=Count("id"), passed=Count("id", filter=Q(passed=True))
    )
    briefings = Meeting.objects.filter(where, kind=MeetingKind.BRIEFING).count()
    return {
        "matters_total": matters["total"],
        "matters_resolved": matters["resolved"],
        "votes_held": votes["held"],
        "votes_passed": votes["passed"],
        "briefing_sessions": briefings,
    }
