"""Place figures for /api/v1/indicators/: read from the counters, so they cost one row whatever the size."""

from __future__ import annotations

from typing import Any

from gongzhi.core.registry import Figure
from gongzhi.insights.registry import PlaceScope

FIGURES = [
    Figure("compounds_total", "小区数", "Compounds", "个", drill="places:division"),  # 1 at a compound
    Figure("buildings_total", "楼栋数", "Buildings", "栋"),
    Figure("homes_total", "房屋数", "Homes", "户"),
]


def figures(scope: PlaceScope) -> dict[str, Any]:
    place = scope.place
    return {
        "compounds_total": 1 if scope.is_compound else place.compounds_count,
        "buildings_total": place.buildings_count,
        "homes_total": place.homes_count,
    }
