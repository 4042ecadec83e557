"""Reads of the campaign: roll-up, lists and monthly status, each in a fixed number of queries."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import Q, QuerySet

from gongzhi.campaign import rules
from gongzhi.campaign.models import Campaign, Measure, Phase, Status, Target, Update
from gongzhi.core.paths import under


def campaigns_visible(where: Q) -> QuerySet[Campaign]:
    """Campaigns with a target the filter `where` (the user's scope: access.scope_q) lets through."""
    ids = Target.objects.filter(where).values("campaign_id")
    return Campaign.objects.filter(pk__in=ids).select_related("division")


def targets(campaign: Campaign, where: Q | None = None) -> QuerySet[Target]:
    """The campaign's targets, within `where` (a scope filter on the target's path) when given."""
    qs = Target.objects.filter(campaign=campaign).select_related(
        "phase", "measure", "goal_type", "compound", "community"
    )
    return qs.filter(where) if where is not None else qs


@dataclass
class Part:
    """A measure or phase (or the campaign) with its weighted progress and the targets counted."""

    obj: Any
    weight: Decimal
    progress: Decimal | None
    targets: int = 0
    done: int = 0
    measures: list[Part] = field(default_factory=list)


@dataclass
class Rollup:
    progress: Decimal | None
    measures: list[Part]
    phases: list[Part]
    targets: int
    done: int


def _by_measure(rows: list[Target], measures: list[Measure]) -> list[Part]:
    grouped: dict[int, list[Target]] = defaultdict(list)
    for t in rows:
        grouped[t.measure_id].append(t)
    parts = []
    for m in measures:
        mine = grouped.get(m.pk, [])
        parts.append(
            Part(
                m,
                m.weight,
                rules.weighted_mean((t.progress, t.weight) for t in mine),
                len(mine),
                sum(1 for t in mine if t.status == Status.DONE),
            )
        )
    return parts


def rollup_of(rows: list[Target], measures: list[Measure], phases: list[Phase]) -> Rollup:
    """targets → measures (target weights) → phases and campaign (measure weights); a part with no figure is
    left out of the mean above it, never counted as zero."""
    by_phase: dict[int, list[Target]] = defaultdict(list)
    for t in rows:
        by_phase[t.phase_id].append(t)
    measure_parts = _by_measure(rows, measures)
    phase_parts = []
    for p in phases:
        inner = _by_measure(by_phase.get(p.pk, []), measures)
        mine = by_phase.get(p.pk, [])
        phase_parts.append(
            Part(
                p,
                Decimal(len(mine)),
                rules.weighted_mean((m.progress, m.weight) for m in inner),
                len(mine),
                sum(1 for t in mine if t.status == Status.DONE),
                inner,
            )
        )
    return Rollup(
        rules.weighted_mean((m.progress, m.weight) for m in measure_parts),
        measure_parts,
        phase_parts,
        len(rows),
        sum(1 for t in rows if t.status == Status.DONE),
    )


def rollup(campaign: Campaign, where: Q | None = None) -> Rollup:
    """The campaign's roll-up, or the part of it within `where` (3 queries)."""
    return rollup_of(
        list(targets(campaign, where)), list(campaign.measures.all()), list(campaign.phases.all())
    )


def target_lights(campaign: Campaign, rows: list[Target], on: date) -> dict[int, str]:
    """Each target's light on `on`; its straight line runs from its phase's start to its deadline."""
    return {
        t.pk: rules.light(rules.TargetState(t.phase.starts_on, t.deadline, t.done_on, t.progress), on)
        for t in rows
    }


def overdue_and_at_risk(campaign: Campaign, where: Q | None, on: date) -> tuple[list[Target], list[Target]]:
    rows = list(targets(campaign, where).exclude(status=Status.DONE))
    lights = target_lights(campaign, rows, on)
    return (
        [t for t in rows if lights[t.pk] == rules.Light.RED],
        [t for t in rows if lights[t.pk] == rules.Light.YELLOW],
    )


def month_ends(first: date, last: date) -> list[date]:
    """The last day of every month from `first`'s month to `last`'s (the last one is `last` itself)."""
    found = []
    y, m = first.year, first.month
    while (y, m) <= (last.year, last.month):
        nxt = date(y + (m == 12), m % 12 + 1, 1)
        found.append(min(nxt - timedelta(days=1), last))
        y, m = nxt.year, nxt.month
    return found


def states_on(rows: list[Target], updates: list[Update], on: date) -> dict[int, tuple[Decimal | None, bool]]:
    """Each target's (progress, done) as it stood on `on`, from the dated updates."""
    last: dict[int, Decimal] = {}
    for u in updates:  # ordered by date
        if u.on <= on:
            last[u.target_id] = u.progress
    return {t.pk: (last.get(t.pk), t.done_on is not None and t.done_on <= on) for t in rows}


def monthly(campaign: Campaign, where: Q | None, today: date) -> list[dict[str, Any]]:
    """Red/yellow/green for every month of the campaign so far, with the counts behind each colour."""
    rows = list(targets(campaign, where))
    updates = list(Update.objects.filter(target__in=[t.pk for t in rows]).order_by("on", "id"))
    start = min((t.phase.starts_on for t in rows), default=date(campaign.first_year, 1, 1))
    end = min(today, date(campaign.last_year, 12, 31))
    months = []
    for on in month_ends(start, end) if start <= end else []:
        states = states_on(rows, updates, on)
        lights = [
            rules.light(rules.TargetState(t.phase.starts_on, t.deadline, t.done_on, states[t.pk][0]), on)
            for t in rows
        ]
        months.append(
            {
                "month": on.strftime("%Y-%m"),
                "light": rules.month_light(lights),
                "green": lights.count(rules.Light.GREEN),
                "yellow": lights.count(rules.Light.YELLOW),
                "red": lights.count(rules.Light.RED),
            }
        )
    return months


def figures_under(path: str, as_of: date | None = None) -> dict[str, Any]:
    """campaign_targets, campaign_targets_done and campaign_progress for every target under `path`,
    as they stood on `as_of` (from the dated updates) or now (see targets_as_of and figures_of)."""
    return figures_of(targets_as_of(path, as_of))


def targets_as_of(path: str, as_of: date | None = None) -> list[Target]:
    """Every target under `path` (two queries), its progress and status as they stood on `as_of`."""
    rows = list(
        Target.objects.filter(under(path))
        .select_related("measure")
        .only("pk", "campaign_id", "measure", "phase_id", "weight", "progress", "status", "done_on", "path")
    )
    if as_of is not None and rows:
        updates = list(
            Update.objects.filter(under(path)).only("target_id", "on", "progress").order_by("on", "id")
        )
        states = states_on(rows, updates, as_of)
        for t in rows:
            t.progress, done = states[t.pk]
            t.status = Status.DONE if done else Status.OPEN
    return rows


def figures_of(rows: list[Target]) -> dict[str, Any]:
    """The three figures of some targets. Progress rolls up like the campaign page: per campaign,
    targets → measures by weight; several campaigns are averaged by their target counts."""
    by_campaign: dict[int, list[Target]] = defaultdict(list)
    for t in rows:
        by_campaign[t.campaign_id].append(t)
    parts = []
    for mine in by_campaign.values():
        # A measure with no target here would be left out of the mean anyway: the targets' own suffice.
        measures = sorted({t.measure_id: t.measure for t in mine}.values(), key=lambda m: m.seq)
        r = rollup_of(mine, measures, [])
        parts.append((r.progress, Decimal(len(mine))))
    progress = rules.weighted_mean(parts)
    return {
        "campaign_targets": len(rows),
        "campaign_targets_done": sum(1 for t in rows if t.status == Status.DONE),
        "campaign_progress": None if progress is None else float(progress),
    }
