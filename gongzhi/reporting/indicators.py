"""双报到 figures for /api/v1/indicators/: counts and sums over rows placed by path, one query each.

`reporting_units`: active units that reported at or under the place (they cover the district, or a compound
under it); `units_with_contact_points`: those with a current contact point (compound) under it;
`reported_members`: current reports of in-service members living under it; `open_needs` / `matched_needs`:
needs still open / with at least one member who accepted; `service_hours`: confirmed hours served this year.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, Sum
from django.utils import timezone

from gongzhi.core.registry import Figure
from gongzhi.insights.batch import Batch, batched
from gongzhi.organisations.models import Coverage
from gongzhi.reporting.models import (
    ContactPoint,
    Match,
    MatchStatus,
    Need,
    NeedStatus,
    RecordStatus,
    Report,
    ServiceRecord,
    Unit,
)

FIGURES = [
    Figure("reporting_units", "报到单位数", "Units that reported to the community", "个"),
    Figure("units_with_contact_points", "设立联系点的单位数", "Units with contact points in compounds", "个"),
    Figure("reported_members", "报到在职党员数", "In-service party members who reported", "人", dated=True),
    Figure("open_needs", "待认领需求数", "Open needs", "个"),
    Figure("matched_needs", "已对接需求数", "Needs with a member who accepted", "个"),
    Figure("service_hours", "本年服务时长", "Hours served this year (confirmed)", "小时", dated=True),
]


@batched
def figures(batch: Batch) -> dict[str, dict[str, Any]]:
    """One grouped query per figure group for every place asked about. Reports (reported_on, ended_on)
    and service records (served_on) are dated: a past day counts what stood then; units and needs are
    counted as they stand (a past snapshot holds them as on the day it was taken)."""
    out: dict[str, dict[str, Any]] = {p: {} for p in batch.paths}
    day = batch.as_of
    units = Unit.objects.active().values("pk")
    if batch.wants("reporting_units"):
        covering = Coverage.objects.current().filter(organisation__in=units)
        for path, agg in batch.grouped(covering, n=Count("organisation", distinct=True)).items():
            out[path]["reporting_units"] = agg["n"]
    if batch.wants("units_with_contact_points"):
        points = ContactPoint.objects.filter(coverage__until=None, coverage__organisation__in=units)
        for path, agg in batch.grouped(points, n=Count("coverage__organisation", distinct=True)).items():
            out[path]["units_with_contact_points"] = agg["n"]
    if batch.wants("reported_members"):
        reports = Report.objects.filter(ended_on=None)
        if day is not None:
            reports = Report.objects.filter(reported_on__lte=day).filter(
                Q(ended_on=None) | Q(ended_on__gt=day)
            )
        for path, agg in batch.grouped(reports, n=Count("id")).items():
            out[path]["reported_members"] = agg["n"]
    if batch.wants("open_needs", "matched_needs"):
        accepted = Match.objects.filter(need=OuterRef("pk"), status=MatchStatus.ACCEPTED)
        needs = Need.objects.annotate(accepted=Exists(accepted))
        counts = batch.grouped(
            needs,
            open=Count("id", filter=Q(status=NeedStatus.OPEN)),
            matched=Count("id", filter=Q(accepted=True)),
        )
        for path, agg in counts.items():
            out[path].update(open_needs=agg["open"], matched_needs=agg["matched"])
    if batch.wants("service_hours"):
        on = day or timezone.localdate()
        served = ServiceRecord.objects.filter(
            status=RecordStatus.CONFIRMED, served_on__year=on.year, served_on__lte=on
        )
        for path, agg in batch.grouped(served, h=Sum("hours")).items():
            out[path]["service_hours"] = float(agg["h"] or 0)
    return out
