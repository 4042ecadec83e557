"""Place figures for /api/v1/indicators/: read from the counters, so they cost one row whatever the size."""

from __future__ import annotations

from typing import Any

from gongzhi.insights.registry import PlaceScope


def figures(scope: PlaceScope) -> dict[str, Any]:
    place = scope.place
    return {
        "compounds_total": 1 if scope.is_compound else place.compounds_count,
        "buildings_total": place.buildings_count,
        "homes_total": place.homes_count,
    }
