"""The chain's figures for /api/v1/indicators/: one aggregate over the per-compound counters, grouped by place.

The counters (CompoundPartyStats) are kept by gongzhi.party.services, so the cost is one indexed range scan
over at most one row per compound under the place, whatever the number of members.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, Sum

from gongzhi.core.registry import Figure
from gongzhi.insights.batch import Batch, batched
from gongzhi.party.models import CompoundPartyStats
from gongzhi.party.rules import coverage
from gongzhi.places.models import Compound, Division

DASHBOARD = "party:dashboard"  # drill-downs of the start page cards
MEMBERS = "party:members?place={code}"

FIGURES = [
    Figure(
        "compounds_qualifying",
        "应建党组织小区数",
        "Compounds that qualify for a party organisation",
        "个",
        drill=DASHBOARD,
    ),
    Figure(
        "compounds_with_party_org",
        "已建党组织小区数",
        "Qualifying compounds with their own organisation",
        "个",
        drill=DASHBOARD,
    ),
    Figure(
        "compounds_covered",
        "党组织覆盖小区数",
        "Compounds covered by a party organisation",
        "个",
        drill=DASHBOARD,
    ),
    Figure("party_org_coverage", "党组织覆盖率", "Party organisation coverage", "比例", drill=DASHBOARD),
    Figure("building_party_groups", "楼栋党小组数", "Building party groups", "个", drill=DASHBOARD),
    Figure("central_households", "中心户数", "Central households", "户", drill=DASHBOARD),
    Figure("homes_linked", "中心户联系户数", "Homes linked to a central household", "户", drill=DASHBOARD),
    Figure("party_members", "党员数", "Party members", "人", drill=MEMBERS),
    Figure("party_members_full", "正式党员数", "Full party members", "人", drill=MEMBERS),
    Figure("party_members_probationary", "预备党员数", "Probationary party members", "人", drill=MEMBERS),
]


@batched
def figures(batch: Batch) -> dict[str, dict[str, Any]]:
    """One grouped aggregate for every place asked about. The counters keep no dates: a past snapshot
    holds the values of the day it was taken."""
    groups = batch.grouped(
        CompoundPartyStats.objects.all(),
        qualifying=Count("pk", filter=Q(qualifies=True)),
        with_org=Count("pk", filter=Q(qualifies=True, has_own_org=True)),
        covered=Count("pk", filter=Q(covered=True)),
        groups=Sum("building_groups", default=0),
        households=Sum("central_households", default=0),
        linked=Sum("homes_linked", default=0),
        members=Sum("members", default=0),
        full=Sum("full_members", default=0),
        probationary=Sum("probationary_members", default=0),
    )
    return {place.path: _figures(place, groups[place.path]) for place in batch.places}


def _figures(place: Division | Compound, agg: dict[str, Any]) -> dict[str, Any]:
    total = 1 if isinstance(place, Compound) else place.compounds_count
    return {
        "compounds_qualifying": agg["qualifying"],
        "compounds_with_party_org": agg["with_org"],
        "compounds_covered": agg["covered"],
        "party_org_coverage": round(float(coverage(agg["covered"], total)), 4),
        "building_party_groups": agg["groups"],
        "central_households": agg["households"],
        "homes_linked": agg["linked"],
        "party_members": agg["members"],
        "party_members_full": agg["full"],
        "party_members_probationary": agg["probationary"],
    }
