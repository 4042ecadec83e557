"""Place figures for /api/v1/indicators/: read from the counters the places carry, so they cost no query."""

from __future__ import annotations

from typing import Any

from gongzhi.core.registry import Figure
from gongzhi.insights.batch import Batch, batched
from gongzhi.places.models import Compound

FIGURES = [
    Figure("compounds_total", "小区数", "Compounds", "个", drill="places:division"),  # 1 at a compound
    Figure("buildings_total", "楼栋数", "Buildings", "栋"),
    Figure("homes_total", "房屋数", "Homes", "户"),
]


@batched(stored=False)  # counters on the place: no query to save
def figures(batch: Batch) -> dict[str, dict[str, Any]]:
    """Counters kept up to date, not dated: a past snapshot holds the count on the day it was taken."""
    return {
        place.path: {
            "compounds_total": 1 if isinstance(place, Compound) else place.compounds_count,
            "buildings_total": place.buildings_count,
            "homes_total": place.homes_count,
        }
        for place in batch.places
    }
