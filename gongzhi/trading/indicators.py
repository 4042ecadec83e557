"""Trading figures for the indicator catalogue, summed in the database over the deals under the place."""

from __future__ import annotations

from typing import Any

from gongzhi.core.registry import Figure
from gongzhi.insights.registry import PlaceScope
from gongzhi.trading.selectors import totals, traded

LEVELS = frozenset({"province", "city", "district", "subdistrict", "village"})

FIGURES = [
    Figure(
        "trading_turnover_yuan", "农村产权交易成交额", "Rural property-rights trading turnover", "元", LEVELS
    ),
    Figure(
        "trading_collective_income_yuan",
        "产权交易带来的集体增收",
        "Collective income brought by property-rights trading",
        "元",
        LEVELS,
    ),
]


def figures(scope: PlaceScope) -> dict[str, Any]:
    t = totals(traded(scope.path))
    return {"trading_turnover_yuan": t["turnover"], "trading_collective_income_yuan": t["income"]}
