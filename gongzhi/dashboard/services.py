"""Writes of the dashboard: snapshots of the catalogue, and the bulletin templates a district edits."""

from __future__ import annotations

import time
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from gongzhi.accounts.access import At, authorize
from gongzhi.core.actors import reason_of, stamp
from gongzhi.core.paths import under
from gongzhi.core.registry import FIGURES
from gongzhi.dashboard.models import BulletinTemplate, Snapshot, SnapshotRun
from gongzhi.dashboard.sandbox import compile_body
from gongzhi.places.models import Division

MANAGE = "bulletin.manage"


def as_number(value: Any) -> float | None:
    """What a snapshot stores: a number, or None for "no figure" (never 0 in its place)."""
    if value is None:
        return None
    if isinstance(value, bool):
        return float(value)
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


@transaction.atomic
def snapshots_take(*, actor: Any, on: date | None = None, path: str = "") -> SnapshotRun:
    """Snapshot every catalogued figure for every division (under `path`), dated `on` (today by default).

    Taking it again the same day replaces that day's rows (one row per day, division and figure; a unique
    constraint guarantees it). Every provider is asked once for all the divisions, with `as_of=on`: a
    figure whose data is dated (Figure.dated) is computed as it stood that day; any other figure can only
    be computed as it stands now, so for a past day its row says so (`measured_on` = the day it was taken)."""
    from gongzhi.insights.registry import values_many

    on = on or timezone.localdate()
    divisions = list(Division.objects.filter(under(path)) if path else Division.objects.all())
    authorize(actor, MANAGE, At(path))  # the whole city ("" ) only for a system actor or a superuser
    started = time.monotonic()
    today = timezone.localdate()
    as_of = None if on >= today else on
    rows = []
    # Fresh stored answers are read, the rest computed; nothing is stored from inside this long transaction,
    # whose row locks would hold every page storing the same places until the snapshot ends.
    found = values_many(divisions, as_of, stored="read")
    for division in divisions:
        for code, value in found[division.path].items():
            undated = as_of is not None and not FIGURES[code].dated
            rows.append(
                Snapshot(
                    taken_on=on,
                    place_code=division.code,
                    path=division.path,
                    code=code,
                    value=as_number(value),
                    measured_on=today if undated else None,
                )
            )
    Snapshot.objects.filter(taken_on=on, place_code__in=[d.code for d in divisions]).delete()
    Snapshot.objects.bulk_create(rows, batch_size=2000)
    return SnapshotRun.objects.create(
        taken_on=on,
        taken_at=timezone.now(),
        actor=reason_of(actor) or str(actor),
        path=path,
        divisions=len(divisions),
        rows=len(rows),
        seconds=round(time.monotonic() - started, 3),
    )


def _check_codes(codes: list[str], field: str) -> None:
    unknown = [c for c in codes if c not in FIGURES]
    if unknown:
        raise ValidationError({field: f"指标目录中没有：{'、'.join(unknown)}"})


@transaction.atomic
def bulletin_template_save(
    *, actor: Any, division: Division, title: str, body: str, table_figures: list[str], chart_figure: str
) -> BulletinTemplate:
    """Save the district's bulletin template after compiling it in the sandbox (bad templates: a clear
    message, nothing written)."""
    authorize(actor, MANAGE, division)
    compile_body(body)
    if not table_figures:
        raise ValidationError({"table_figures": "请至少选择一个表格指标"})
    _check_codes(table_figures, "table_figures")
    _check_codes([chart_figure], "chart_figure")
    template = BulletinTemplate.objects.filter(division=division).first() or BulletinTemplate(
        division=division
    )
    template.title, template.body = title[:100], body
    template.table_figures, template.chart_figure = ",".join(table_figures), chart_figure
    template.path = division.path
    stamp(template, actor, "简报模板").save()
    return template
