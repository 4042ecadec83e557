"""防止返贫动态监测 figures for /api/v1/indicators/, computed from the rows under the place's path.

`monitored_households`: households with a case under watch (identified and monitored, in elimination, or
kept under protection), and by category; `cases_open`: cases in identification, monitoring or elimination;
`cases_eliminated`: cases whose risk was eliminated; `visits_overdue`: cases under watch whose next visit is
past due; `assistance_measures`: measures recorded.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q
from django.utils import timezone

from gongzhi.core.registry import Figure
from gongzhi.insights.batch import Batch, batched
from gongzhi.monitoring.models import Case, CaseStatus, Category, Measure
from gongzhi.monitoring.selectors import OPEN, overdue_cases

WATCHED = (CaseStatus.MONITORED, CaseStatus.ELIMINATING, CaseStatus.PROTECTED)

FIGURES = [
    Figure("monitored_households", "监测户数", "Households under monitoring", "户"),
    Figure("monitored_unstable", "脱贫不稳定户", "Households at risk after leaving poverty", "户"),
    Figure("monitored_edge", "边缘易致贫户", "Households on the edge of poverty", "户"),
    Figure("monitored_sudden", "突发严重困难户", "Households in sudden severe hardship", "户"),
    Figure("cases_open", "在办监测对象", "Open monitoring cases", "个"),
    Figure("cases_eliminated", "已消除风险", "Cases with the risk eliminated", "个"),
    Figure("visits_overdue", "逾期未走访", "Households overdue for a visit", "户"),
    Figure("assistance_measures", "帮扶措施", "Assistance measures", "项"),
]


@batched
def figures(batch: Batch) -> dict[str, dict[str, Any]]:
    """Every place asked about at once: one grouped query per figure family, whatever the number of places."""
    today = timezone.localdate()
    cases = Case.objects.all()
    watched: dict[str, Any] = {
        c: Count("household", distinct=True, filter=Q(status__in=WATCHED, category=c))
        for c in Category.values
    }
    counts = batch.grouped(
        cases,
        monitored=Count("household", distinct=True, filter=Q(status__in=WATCHED)),
        open=Count("pk", filter=Q(status__in=OPEN)),
        eliminated=Count("pk", filter=Q(status=CaseStatus.ELIMINATED)),
        **watched,
    )
    overdue = batch.grouped(overdue_cases(cases, today), n=Count("pk"))
    measures = batch.grouped(Measure.objects.all(), n=Count("pk"))
    return {
        path: {
            "monitored_households": row["monitored"],
            "monitored_unstable": row[Category.UNSTABLE],
            "monitored_edge": row[Category.EDGE],
            "monitored_sudden": row[Category.SUDDEN],
            "cases_open": row["open"],
            "cases_eliminated": row["eliminated"],
            "visits_overdue": overdue[path]["n"],
            "assistance_measures": measures[path]["n"],
        }
        for path, row in counts.items()
    }
