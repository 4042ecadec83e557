"""Reads of the centre under a place's path: one aggregate query each, shared by pages, figures and the demo."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import Avg, Count, Q, Sum
from django.utils import timezone

from gongzhi.centre.models import Agreement, Enterprise, Lease, Platform, Project, ServiceRequest, Space
from gongzhi.centre.rules import rate


def _today(on: date | None) -> date:
    return on or timezone.localdate()


def occupancy(path: str, on: date | None = None) -> dict[str, Any]:
    """Area of rooms and area let on `on` (a lease covering that day), and their ratio (0–1)."""
    day = _today(on)
    total = Space.objects.filter(path__under=path).aggregate(a=Sum("area"))["a"] or 0
    let = (
        Lease.objects.filter(path__under=path, starts_on__lte=day, ends_on__gte=day).aggregate(a=Sum("area"))[
            "a"
        ]
        or 0
    )
    return {"area": total, "let": let, "rate": round(float(let) / float(total), 4) if total else 0.0}


def vacant_spaces(path: str, on: date | None = None) -> Any:
    day = _today(on)
    return Space.objects.filter(path__under=path).exclude(
        leases__starts_on__lte=day, leases__ends_on__gte=day
    )


def funnels(path: str) -> dict[int | None, list[dict[str, Any]]]:
    """Per platform id (and None for all): projects that reached each stage (a StageStep of it) and those
    now at it, per stage in order — two GROUP BY queries whatever the number of projects."""
    from gongzhi.centre.models import Stage, StageStep

    reached = StageStep.objects.filter(project__path__under=path).values_list(
        "project__platform_id", "stage_id"
    )
    now = Project.objects.filter(path__under=path).values_list("platform_id", "stage_id")
    counts: dict[tuple[str, int | None, int], int] = {}
    for key, rows in (("reached", reached.annotate(n=Count("id"))), ("current", now.annotate(n=Count("id")))):
        for platform, stage, n in rows:
            counts[(key, platform, stage)] = counts.get((key, platform, stage), 0) + n
            counts[(key, None, stage)] = counts.get((key, None, stage), 0) + n
    stages = list(Stage.objects.order_by("position"))
    platforms = {p for _, p, _ in counts} | {None}
    return {
        p: [
            {
                "stage": s,
                "reached": counts.get(("reached", p, s.pk), 0),
                "current": counts.get(("current", p, s.pk), 0),
            }
            for s in stages
        ]
        for p in platforms
    }


def funnel(path: str, platform: Platform | None = None) -> list[dict[str, Any]]:
    """One platform's funnel (or all platforms'), see funnels."""
    found = funnels(path)
    key = platform.pk if platform is not None else None
    return found.get(key) or [{**row, "reached": 0, "current": 0} for row in found[None]]


def projects_by_party(path: str) -> dict[str, dict[str, int]]:
    """Per part, per party: the sum of shares over projects (in project-percent units), one GROUP BY."""
    from gongzhi.centre.models import Credit

    out: dict[str, dict[str, int]] = {}
    rows = (
        Credit.objects.filter(project__path__under=path).values_list("part", "party").annotate(s=Sum("share"))
    )
    for part, party, share in rows:
        out.setdefault(part, {})[party] = share
    return out


def overdue_projects(path: str, on: date | None = None) -> Any:
    return Project.objects.filter(
        path__under=path, next_action_on__lt=_today(on), enterprise__isnull=True
    ).select_related("platform", "stage")


def agreement_figures(path: str) -> dict[str, int]:
    return Agreement.objects.filter(path__under=path).aggregate(
        signed=Count("id"),
        landed=Count("id", filter=Q(project__enterprise__leases__isnull=False), distinct=True),
    )


def service_figures(path: str) -> dict[str, Any]:
    qs = ServiceRequest.objects.filter(path__under=path)
    from django.db.models import F

    agg = qs.aggregate(
        n=Count("id"),
        answered=Count("id", filter=Q(answered_on__isnull=False)),
        on_time=Count("id", filter=Q(answered_on__isnull=False, answered_on__lte=F("due_on"))),
        rating=Avg("rating"),
        finance=Sum("amount_yuan", filter=Q(item__category="finance")),
    )
    return {
        "requests": agg["n"],
        "on_time_rate": rate(agg["on_time"], agg["answered"]),
        "rating": round(float(agg["rating"]), 2) if agg["rating"] is not None else 0.0,
        "finance_yuan": int(agg["finance"] or 0),
    }


def overdue_requests(path: str, on: date | None = None) -> Any:
    return ServiceRequest.objects.filter(
        path__under=path, status="open", due_on__lt=_today(on)
    ).select_related("item", "enterprise")


def enterprises_settled(path: str) -> int:
    return Enterprise.objects.filter(path__under=path, settled_on__isnull=False).count()


def enterprise_page(centre_id: int, *, after: int = 0, size: int = 50, **filters: Any) -> list[Enterprise]:
    """One page of a centre's enterprise list by keyset (id > after): read along the (centre, platform, kind,
    id) or (centre, industry, id) index, not an OFFSET scan nor a sort of every row under the path."""
    qs = Enterprise.objects.filter(centre_id=centre_id, id__gt=after, **filters).select_related(
        "industry", "platform"
    )
    return list(qs.order_by("id")[:size])
