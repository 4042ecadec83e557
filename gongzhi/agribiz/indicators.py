"""Registry figures for the indicator catalogue: counts of the cooperatives and family farms under a place."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q

from gongzhi.agribiz.models import CoopProfile, FamilyFarm, Grade
from gongzhi.core.registry import Figure
from gongzhi.insights.batch import Batch, batched

LEVELS = frozenset({"province", "city", "district", "subdistrict", "village", "community"})
GRADED = (Grade.NATIONAL, Grade.PROVINCIAL, Grade.CITY)
_EN = {Grade.NATIONAL: "national", Grade.PROVINCIAL: "provincial", Grade.CITY: "city"}

FIGURES = [
    Figure(
        "cooperatives",
        "农民专业合作社",
        "Farmers' cooperatives",
        "家",
        LEVELS,
        drill="agribiz:coops?place={code}",
    ),
    Figure("family_farms", "家庭农场", "Family farms", "家", LEVELS, drill="agribiz:farms?place={code}"),
    *(
        Figure(
            f"cooperatives_{g.value}",
            f"{g.label}合作社",
            f"Cooperatives, {_EN[g]} demonstration",
            "家",
            LEVELS,
        )
        for g in GRADED
    ),
    *(
        Figure(
            f"family_farms_{g.value}",
            f"{g.label}家庭农场",
            f"Family farms, {_EN[g]} demonstration",
            "家",
            LEVELS,
        )
        for g in GRADED
    ),
]


def _counts() -> dict[str, Any]:
    return {"n": Count("pk"), **{g.value: Count("pk", filter=Q(grade=g.value)) for g in GRADED}}


@batched
def figures(batch: Batch) -> dict[str, dict[str, Any]]:
    """One grouped query per registry and path length, whatever the number of places."""
    out: dict[str, dict[str, Any]] = {p: {} for p in batch.paths}
    if batch.wants("cooperatives", *(f"cooperatives_{g.value}" for g in GRADED)):
        coops = CoopProfile.objects.filter(organisation__ended_on__isnull=True)
        for path, row in batch.grouped(coops, **_counts()).items():
            out[path]["cooperatives"] = row["n"]
            out[path].update({f"cooperatives_{g.value}": row[g.value] for g in GRADED})
    if batch.wants("family_farms", *(f"family_farms_{g.value}" for g in GRADED)):
        farms = FamilyFarm.objects.filter(ended=False)
        for path, row in batch.grouped(farms, **_counts()).items():
            out[path]["family_farms"] = row["n"]
            out[path].update({f"family_farms_{g.value}": row[g.value] for g in GRADED})
    return out
