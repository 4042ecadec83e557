"""双报到 figures for /api/v1/indicators/: counts and sums over rows placed by path, one query each.

`reporting_units`: active units that reported at or under the place (they cover the district, or a compound
under it); `units_with_contact_points`: those with a current contact point (compound) under it;
`reported_members`: current reports of in-service members living under it; `open_needs` / `matched_needs`:
needs still open / with at least one member who accepted; `service_hours`: confirmed hours served this year.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef, Sum
from django.utils import timezone

from gongzhi.core.paths import under
from gongzhi.core.registry import Figure
from gongzhi.insights.registry import PlaceScope
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
    Figure("reported_members", "报到在职党员数", "In-service party members who reported", "人"),
    Figure("open_needs", "待认领需求数", "Open needs", "个"),
    Figure("matched_needs", "已对接需求数", "Needs with a member who accepted", "个"),
    Figure("service_hours", "本年服务时长", "Hours served this year (confirmed)", "小时"),
]


def figures(scope: PlaceScope) -> dict[str, Any]:
    path = scope.path
    units = Unit.objects.active()
    covering = Coverage.objects.current().filter(under(path)).values("organisation_id")
    with_points = ContactPoint.objects.filter(under(path), coverage__until=None).values(
        "coverage__organisation_id"
    )
    year = timezone.localdate().year
    hours = ServiceRecord.objects.filter(
        under(path), status=RecordStatus.CONFIRMED, served_on__year=year
    ).aggregate(h=Sum("hours"))["h"]
    accepted = Match.objects.filter(need=OuterRef("pk"), status=MatchStatus.ACCEPTED)
    return {
        "reporting_units": units.filter(pk__in=covering).count(),
        "units_with_contact_points": units.filter(pk__in=with_points).count(),
        "reported_members": Report.objects.filter(under(path), ended_on=None).count(),
        "open_needs": Need.objects.filter(under(path), status=NeedStatus.OPEN).count(),
        "matched_needs": Need.objects.filter(under(path)).filter(Exists(accepted)).count(),
        "service_hours": float(hours or 0),
    }
