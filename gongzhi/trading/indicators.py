"""Trading figures for the indicator catalogue, summed in the database over the deals under the place."""

from __future__ import annotations

from typing import Any

from django.db.models import Sum

from gongzhi.core.registry import Figure
from gongzhi.insights.batch import Batch, batched
from gongzhi.trading.selectors import income_expr, traded

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


@batched
def figures(batch: Batch) -> dict[str, dict[str, Any]]:
    """Every place asked about at once: one grouped query (the income rule in SQL, selectors.income_expr)."""
    rows = batch.grouped(traded(""), turnover=Sum("price_yuan"), income=Sum(income_expr()))
    return {
        path: {
            "trading_turnover_yuan": int(row["turnover"]),
            "trading_collective_income_yuan": int(row["income"]),
        }
        for path, row in rows.items()
    }
