"""Collective "三资" figures for the indicator catalogue, computed from the rows under each place's path.

`collective_assets_yuan`: the book value of collectives' assets; `collective_contracts_expiring_90d` (cogovern owns `contracts_expiring_90d` for property contracts): contracts ending
within 90 days; `contracts_out_of_range_pct` / `contracts_unapproved_pct`: the share of contracts in force
with a term or price outside the settings / lacking the decision a major matter needs;
`collective_income_avg_yuan`: fund income of the last 365 days per collective. `towns_exemplary`,
`towns_excellent`, `towns_strengthening`: the rated towns under the place by grade — the rating rule
(rules.town_score over the Criterion rows) applied to the catalogue figures the criteria name.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.db.models import Count, Q, Sum
from django.utils import timezone

from gongzhi.collectives import selectors
from gongzhi.collectives.models import Asset, Collective, Contract, Entry
from gongzhi.core.registry import Figure
from gongzhi.insights.batch import Batch, batched

ALL = frozenset({"province", "city", "district", "subdistrict", "village"})
ABOVE_TOWN = frozenset({"province", "city", "district", "subdistrict"})

FIGURES = [
    Figure("collective_assets_yuan", "村集体资产总额", "Village collectives' assets", "元", ALL),
    Figure(
        "collective_contracts_expiring_90d",
        "90天内到期的集体合同",
        "Collective contracts ending within 90 days",
        "份",
        ALL,
    ),
    Figure(
        "contracts_out_of_range_pct",
        "期限或价格超出规定的合同占比",
        "Contracts with a term or price outside the settings",
        "%",
        ALL,
    ),
    Figure(
        "contracts_unapproved_pct",
        "未经民主决策的重大合同占比",
        "Major contracts without a completed decision",
        "%",
        ALL,
    ),
    Figure(
        "collective_income_avg_yuan",
        "村均集体收入（近一年）",
        "Collective income per village (last 12 months)",
        "元",
        ALL,
    ),
    Figure("towns_exemplary", "示范镇街", "Towns rated exemplary", "个", ABOVE_TOWN),
    Figure("towns_excellent", "创优镇街", "Towns rated excellent", "个", ABOVE_TOWN),
    Figure("towns_strengthening", "强基镇街", "Towns rated strengthening", "个", ABOVE_TOWN),
]


def _pct(part: int, whole: int) -> float:
    return round(part * 100 / whole, 1) if whole else 0.0


@batched
def figures(batch: Batch) -> dict[str, dict[str, Any]]:
    """Every place at once: one grouped query per family; the rating one batch of the criteria's figures."""
    today = batch.as_of or timezone.localdate()
    out: dict[str, dict[str, Any]] = {p: {} for p in batch.paths}
    if batch.wants("collective_assets_yuan"):
        for p, row in batch.grouped(Asset.objects.all(), v=Sum("value_yuan")).items():
            out[p]["collective_assets_yuan"] = int(row["v"])
    if batch.wants(
        "collective_contracts_expiring_90d", "contracts_out_of_range_pct", "contracts_unapproved_pct"
    ):
        rows = batch.grouped(
            Contract.objects.filter(ends_on__gte=today),
            soon=Count("id", filter=selectors.expiring_q(today)),
            now=Count("id", filter=selectors.current_q(today)),
            wide=Count("id", filter=selectors.current_q(today) & Q(out_of_range=True)),
            bare=Count("id", filter=selectors.current_q(today) & Q(unapproved=True)),
        )
        for p, row in rows.items():
            out[p]["collective_contracts_expiring_90d"] = int(row["soon"])
            out[p]["contracts_out_of_range_pct"] = _pct(row["wide"], row["now"])
            out[p]["contracts_unapproved_pct"] = _pct(row["bare"], row["now"])
    if batch.wants("collective_income_avg_yuan"):
        income = batch.grouped(
            Entry.objects.filter(
                direction=Entry.Direction.INCOME, on__gt=today - timedelta(days=365), on__lte=today
            ),
            v=Sum("amount_yuan"),
        )
        count = batch.grouped(Collective.objects.filter(ended_on__isnull=True), n=Count("id"))
        for p in batch.paths:
            n = count[p]["n"]
            out[p]["collective_income_avg_yuan"] = int(income[p]["v"]) // n if n else 0
    if batch.wants(*selectors.OWN_FIGURES):
        rated = selectors.rated_towns(batch.root(), batch.as_of)
        for p, counts in selectors.grade_counts(rated, batch.paths).items():
            for grade, n in counts.items():
                out[p][f"towns_{grade}"] = n
    return out
