"""Reads of the trading app, already scoped by the caller: lists, a listing's page, figures by town and year."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db.models import Case, F, IntegerField, QuerySet, Sum, Value, When
from django.db.models.functions import ExtractYear, Greatest

from gongzhi.trading.models import Listing, Status

DONE = (Status.AWARDED, Status.SETTLED)


def income_expr() -> Any:
    """rules.collective_income in SQL: the whole price where there was no income before, else above reserve."""
    return Case(
        When(previous_income_yuan=0, then=F("price_yuan")),
        default=Greatest(F("price_yuan") - F("reserve_yuan"), Value(0)),
        output_field=IntegerField(),
    )


def traded(path: str) -> QuerySet[Listing]:
    return Listing.objects.filter(path__under=path, status__in=DONE)


def totals(qs: QuerySet[Listing]) -> dict[str, int]:
    """Turnover and the collectives' income of the deals in `qs` (one query)."""
    agg = qs.filter(status__in=DONE).aggregate(turnover=Sum("price_yuan"), income=Sum(income_expr()))
    return {"turnover": int(agg["turnover"] or 0), "income": int(agg["income"] or 0)}


@dataclass(frozen=True)
class TownYear:
    town: str
    year: int
    deals: int
    turnover: int
    income: int


def by_town_and_year(qs: QuerySet[Listing]) -> list[TownYear]:
    """Turnover and the collectives' income per town and year of closing (one grouped query)."""
    rows = (
        qs.filter(status__in=DONE)
        .annotate(year=ExtractYear("closed_on"))
        .values("village__parent__name", "year")
        .annotate(n=Sum(Value(1)), turnover=Sum("price_yuan"), income=Sum(income_expr()))
        .order_by("village__parent__path", "year")
    )
    return [
        TownYear(r["village__parent__name"], r["year"], r["n"], int(r["turnover"]), int(r["income"]))
        for r in rows
    ]


def status_counts(qs: QuerySet[Listing]) -> dict[str, int]:
    out: dict[str, int] = defaultdict(int)
    for row in qs.values("status").annotate(n=Sum(Value(1))):
        out[row["status"]] = row["n"]
    return dict(out)


def seller_name(village_name: str) -> str:
    """The village's collective economic organisation as a certificate names it (郭家疃村委会 → 郭家疃村股份经济合作社)."""
    base = (
        village_name.removesuffix("村民委员会")
        .removesuffix("村委会")
        .removesuffix("居委会")
        .removesuffix("村")
    )
    return f"{base}村股份经济合作社"
