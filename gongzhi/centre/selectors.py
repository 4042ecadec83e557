"""Reads of the centre under a place's path: one aggregate query each, shared by pages, figures and the demo."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db import connection
from django.db.models import (
    Avg,
    Count,
    DecimalField,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    Sum,
    Value,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce
from django.utils import timezone

from gongzhi.centre.models import (
    Agreement,
    Credit,
    Enterprise,
    Event,
    Guest,
    Lease,
    Part,
    Party,
    Platform,
    Project,
    ServiceRequest,
    Space,
    Stage,
    StageStep,
)
from gongzhi.centre.rules import Need, free_reason, next_action_overdue, rate, space_fit
from gongzhi.centre.selectors_referrals import finance_arranged


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


def _leases_over(start: date, end: date) -> Any:
    """The leases of the outer room sharing a day with [start, end]: one EXISTS, so that the dates are
    those of one lease (an exclude() across the relation may mix two)."""
    return Lease.objects.filter(space=OuterRef("pk"), starts_on__lte=end, ends_on__gte=start)


def vacant_spaces(path: str, on: date | None = None) -> Any:
    day = _today(on)
    return Space.objects.filter(~Exists(_leases_over(day, day)), path__under=path)


def _funnel_counts(path: str) -> dict[tuple[str, int | None, int], int]:
    """("reached" | "days" | "current", platform id or None for all, stage id) → count or sum of days."""
    reached = (  # the steps alone: each keeps its project's platform and path (centre.0008)
        StageStep.objects.filter(path__under=path)
        .values_list("platform_id", "stage_id")
        .annotate(n=Count("*"), d=Sum("days"))
        .order_by()
    )
    now = (
        Project.objects.filter(path__under=path)
        .values_list("platform_id", "stage_id")
        .annotate(n=Count("id"))
    )
    counts: dict[tuple[str, int | None, int], int] = {}

    def add(key: str, platform: int | None, stage: int, n: int) -> None:
        for p in (platform, None):
            counts[(key, p, stage)] = counts.get((key, p, stage), 0) + n

    for platform, stage, n, days in reached:
        add("reached", platform, stage, n)
        add("days", platform, stage, days or 0)
    for platform, stage, n in now.order_by():
        add("current", platform, stage, n)
    return counts


def funnels(path: str) -> dict[int | None, list[dict[str, Any]]]:
    """Per platform id (and None for all): projects that reached each stage (a StageStep of it), the mean
    days they took from the lead to it, and those now at it, per stage in order — two GROUP BY queries
    whatever the number of projects. The overview reads them stored, see `pipeline`."""
    return _funnels_of(_funnel_counts(path), list(Stage.objects.order_by("position")))


def _funnels_of(
    counts: dict[tuple[str, int | None, int], int], stages: list[Stage]
) -> dict[int | None, list[dict[str, Any]]]:
    platforms = {p for _, p, _ in counts} | {None}

    def mean(p: int | None, stage: int) -> float | None:
        n = counts.get(("reached", p, stage), 0)
        return round(counts.get(("days", p, stage), 0) / n, 1) if n else None

    return {
        p: [
            {
                "stage": s,
                "reached": counts.get(("reached", p, s.pk), 0),
                "current": counts.get(("current", p, s.pk), 0),
                "days": mean(p, s.pk),
            }
            for s in stages
        ]
        for p in platforms
    }


def _pipeline_live(path: str) -> dict[str, Any]:
    """The stored figures of a centre's pipeline, counted now: JSON-ready lists (see PipelineSummary)."""
    return {
        "counts": [[k, p, s, n] for (k, p, s), n in _funnel_counts(path).items()],
        "credits": [
            [part, party, share]
            for part, by in projects_by_party(path).items()
            for party, share in by.items()
        ],
        "days": [[party, s, d] for party, by in days_by_party(path).items() for s, d in by.items()],
        "settled": enterprises_settled(path),
    }


def pipeline(centre: Any) -> dict[str, Any]:
    """A centre's funnels (as `funnels`), shares per part and party (as `projects_by_party`), conversion
    days per party (as `days_by_party`) and settled enterprises (as `enterprises_settled`), from PipelineSummary while its version is the one they were computed
    at, else counted live and stored. One query when stored (plus the stages), the live ones otherwise."""
    from gongzhi.centre.models import PipelineSummary

    row = (
        PipelineSummary.objects.filter(centre_id=centre.pk).values_list("version", "computed", "data").first()
    )
    if row is None:
        PipelineSummary.objects.get_or_create(centre_id=centre.pk, defaults={"path": centre.path})
        row = (0, None, {})
    version, computed, data = row
    if computed != version:
        data = _pipeline_live(centre.path)
        # Stored only if no write bumped the version since it was read: the triggers make a concurrent or
        # later write change it, so stored figures are never older than the version they carry.
        PipelineSummary.objects.filter(centre_id=centre.pk, version=version).update(
            computed=version, data=data
        )
    counts = {(k, p, s): n for k, p, s, n in data["counts"]}
    credits: dict[str, dict[str, int]] = {}
    for part, party, share in data["credits"]:
        credits.setdefault(part, {})[party] = share
    days: dict[str, dict[int, float]] = {}
    for party, s, d in data["days"]:
        days.setdefault(party, {})[s] = d
    stages = list(Stage.objects.order_by("position"))
    return {
        "funnels": _funnels_of(counts, stages),
        "by_party": credits,
        "days_by_party": days,
        "settled": data["settled"],
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
        Credit.objects.filter(path__under=path)
        .values_list("part", "party")
        .annotate(s=Sum("share"))
        .order_by()
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
    agg = qs.aggregate(
        n=Count("id"),
        answered=Count("id", filter=Q(answered_on__isnull=False)),
        on_time=Count("id", filter=Q(answered_on__isnull=False, answered_on__lte=F("due_on"))),
        rating=Avg("rating"),
    )
    return {
        "requests": agg["n"],
        "on_time_rate": rate(agg["on_time"], agg["answered"]),
        "rating": round(float(agg["rating"]), 2) if agg["rating"] is not None else 0.0,
        "finance_yuan": finance_arranged(path),  # approved referrals: the one place it is counted
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


CARDS = 25  # cards per column of the board; the column's header counts them all


def board(centre: Any, platform_id: int | None, *, per_stage: int = CARDS) -> list[dict[str, Any]]:
    """The pipeline board of one platform (or all): per stage in order, how many projects stand there and the
    first `per_stage` cards by next-action date (undated last). Whatever the projects: the counts come from
    the stored pipeline figures (`pipeline`: one query while they are current), the cards from one query
    reading at most `per_stage` rows of each stage along centre_proj_board_idx (a UNION ALL of one short
    ordered scan per stage, not a sort of every project)."""
    figures = pipeline(centre)
    stages = [row["stage"] for row in figures["funnels"][None]]
    counts = {row["stage"].pk: row["current"] for row in figures["funnels"].get(platform_id, [])}
    cards: dict[int, list[Project]] = {}
    for p in _cards(centre.pk, platform_id, [s.pk for s in stages if counts.get(s.pk)], per_stage):
        cards.setdefault(p.stage_id, []).append(p)
    today = timezone.localdate()
    return [
        {
            "stage": s,
            "count": counts.get(s.pk, 0),
            "cards": [(p, overdue(p, today)) for p in cards.get(s.pk, [])],
        }
        for s in stages
    ]


def _cards(centre_id: int, platform_id: int | None, stage_ids: list[int], per_stage: int) -> list[Project]:
    """The first `per_stage` projects of each stage by (next action day, undated last; id): one query, the
    ids chosen by a UNION ALL of one LIMITed scan per stage (each read in order from the index on (centre,
    [platform,] stage, next_action_on, id)), the projects then read by id."""
    if not stage_ids:
        return []
    parts: list[str] = []
    params: list[Any] = []
    for stage_id in stage_ids:
        qs = Project.objects.filter(centre_id=centre_id, stage_id=stage_id)
        if platform_id:
            qs = qs.filter(platform_id=platform_id)
        # The undated after the dated: first the dated in order, then (when fewer than per_stage) the undated.
        for dated in (True, False):
            ordered = qs.filter(next_action_on__isnull=not dated).order_by(
                *(["next_action_on", "id"] if dated else ["id"])
            )
            sql, bound = ordered.values("id")[:per_stage].query.sql_with_params()
            parts.append(f"SELECT * FROM ({sql}) AS s{len(parts)}")
            params.extend(bound)
    chosen = RawSQL(" UNION ALL ".join(parts), params)
    rows = list(Project.objects.filter(pk__in=chosen).select_related("platform").order_by())
    rows.sort(key=lambda row: (row.next_action_on is None, row.next_action_on or date.min, row.id))
    out: list[Project] = []
    taken: dict[int, int] = {}
    for row in rows:  # per stage, the dated (in order) then the undated, at most per_stage
        if taken.get(row.stage_id, 0) < per_stage:
            taken[row.stage_id] = taken.get(row.stage_id, 0) + 1
            out.append(row)
    return out


def overdue(project: Project, today: date) -> bool:
    return next_action_overdue(project.next_action_on, today, project.enterprise_id is not None)


MATCHES = 20


def space_matches(centre_id: int, need: Need, *, limit: int = MATCHES) -> list[dict[str, Any]]:
    """The rooms of a centre free over the need's dates (no lease sharing a day with them), ranked by
    rules.space_fit with the reasons; one query (the rooms, their overlapping leases excluded)."""
    until = need.until_on or date.max
    rooms = Space.objects.filter(
        ~Exists(_leases_over(need.from_on, until)),
        centre_id=centre_id,
        area__gte=need.area_min,
        area__lte=need.area_max,
    )
    if need.use:
        rooms = rooms.filter(use=need.use)
    ranked: list[dict[str, Any]] = []
    free = free_reason(need)
    for room in rooms.order_by("floor", "number"):
        fit = space_fit(need, area=room.area, floor=room.floor, use=room.use)
        if fit is not None:
            ranked.append({"space": room, "score": fit[0], "reasons": [*fit[1], free]})
    ranked.sort(key=lambda row: (-row["score"], row["space"].floor, row["space"].number))
    return ranked[:limit]


def days_by_party(path: str) -> dict[str, dict[int, float]]:
    """Per party, per stage id: the mean days from the lead to the stage over the projects the party found
    (a share of the "found" part); one GROUP BY. Per platform, see funnels."""
    finders = Credit.objects.filter(path__under=path, part="found", share__gt=0).values("project_id", "party")
    inner, params = finders.query.sql_with_params()
    # The finders' credits joined to their projects' steps by project id: the projects themselves are not
    # read (the ORM would join them in between). Read along centre_step_days_idx (project, stage, days).
    sql = (
        f"SELECT c.party, s.stage_id, AVG(s.days) FROM ({inner}) c "
        f"JOIN {StageStep._meta.db_table} s ON s.project_id = c.project_id GROUP BY c.party, s.stage_id"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    out: dict[str, dict[int, float]] = {}
    for party, stage, mean in rows:
        out.setdefault(party, {})[stage] = round(float(mean), 1)
    return out


def _count(qs: Any) -> Any:
    """A correlated COUNT of `qs` (already filtered on the outer row) as an annotation, 0 when none."""
    sub = qs.order_by().values("event").annotate(n=Count("id")).values("n")[:1]
    return Coalesce(Subquery(sub, output_field=IntegerField()), 0)


def _landed() -> Any:
    """The agreement's project became an enterprise that holds a lease: signed is not landed."""
    return Exists(Lease.objects.filter(enterprise_id=OuterRef("project__enterprise_id")))


def events(centre_id: int) -> Any:
    """A centre's events, newest first, with their guests (invited, attended) and agreements (signed,
    landed) counted by correlated subqueries: one query whatever the guests."""
    agreements = Agreement.objects.filter(event=OuterRef("pk"))
    guests = Guest.objects.filter(event=OuterRef("pk"))
    return Event.objects.filter(centre_id=centre_id).annotate(
        invited=_count(guests),
        attended=_count(guests.filter(attended=True)),
        signed=_count(agreements),
        landed=_count(agreements.filter(_landed())),
        amount=Coalesce(
            Subquery(
                agreements.order_by().values("event").annotate(s=Sum("amount_yuan")).values("s")[:1],
                output_field=DecimalField(max_digits=18, decimal_places=2),
            ),
            Value(Decimal(0)),
        ),
    )


def event_agreements(event: Event) -> list[dict[str, Any]]:
    """Each agreement of an event with its project's path since: the stages it reached (with their days),
    whether it has landed (a lease) and on which day it moved in. Two queries."""
    rows = (
        Agreement.objects.filter(event=event)
        .select_related("project__stage", "project__platform", "project__enterprise")
        .annotate(landed=_landed())
        .prefetch_related(
            Prefetch(
                "project__steps", queryset=StageStep.objects.select_related("stage").order_by("on", "id")
            )
        )
        .order_by("id")
    )
    out = []
    for a in rows:
        steps = list(a.project.steps.all())
        moved = next((s.on for s in steps if s.stage.requires == Stage.Requires.LEASE), None)
        out.append(
            {
                "agreement": a,
                "steps": steps,
                "landed": a.landed,
                "days_to_land": (moved - event.held_on).days if a.landed and moved else None,
            }
        )
    return out


SOON = 3  # days ahead the reminder list looks


def due_soon(path: str, *, within: int = SOON, on: date | None = None) -> dict[str, list[Any]]:
    """The reminders before a limit: next actions of projects not landed, and the limits of open service
    requests, falling due from today to `within` days ahead (what has passed is on the overdue lists).
    Two queries, at most 20 rows each, nearest first."""
    day = _today(on)
    until = day + timedelta(days=within)
    projects = Project.objects.filter(
        path__under=path, enterprise__isnull=True, next_action_on__gte=day, next_action_on__lte=until
    )
    requests = ServiceRequest.objects.filter(
        path__under=path, status="open", due_on__gte=day, due_on__lte=until
    )
    return {
        "projects": list(projects.select_related("platform").order_by("next_action_on", "id")[:20]),
        "requests": list(requests.select_related("item", "enterprise").order_by("due_on", "id")[:20]),
    }


CREDIT_HISTORY = 50  # rows of a project's credit history shown on its page, newest first


def credit_history(project_id: int, *, limit: int = CREDIT_HISTORY) -> list[dict[str, Any]]:
    """A project's credit rows through time, newest first: each change of one party's share of one part,
    with the share before and after (None when the row was created or deleted), who and why. One query: the
    project's history rows of Credit in order; the share before is the previous row of the same part and party."""
    records = list(
        Credit.history.filter(project_id=project_id)  # type: ignore[attr-defined]
        .select_related("history_user")
        .order_by("history_date", "history_id")
    )
    last: dict[tuple[str, str], int | None] = {}
    rows: list[dict[str, Any]] = []
    for r in records:
        key = (r.part, r.party)
        before = last.get(key)
        after = None if r.history_type == "-" else r.share
        last[key] = after
        rows.append(
            {
                "on": r.history_date,
                "part": str(Part(r.part).label),
                "party": str(Party(r.party).label),
                "before": before,
                "after": after,
                "kind": r.history_type,
                "user": r.history_user,
                "reason": r.history_change_reason or "",
            }
        )
    rows.reverse()
    return rows[:limit]
