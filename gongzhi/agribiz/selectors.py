"""Reads of the registry, on querysets the caller has already scoped: filters, keyset pages, a place's
towns, the reports' state, the comparison across the districts of the city."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any, TypeVar

from django.db.models import Exists, Model, OuterRef, QuerySet

from gongzhi.agribiz import rules
from gongzhi.agribiz.models import CoopProfile, CoopReport, FamilyFarm, FarmReport, Grade, Product
from gongzhi.insights.registry import values_many
from gongzhi.places.models import Division, Level

PAGE = 50
M = TypeVar("M", bound=Model)


@dataclass(frozen=True)
class Filters:
    place: Division | None
    product: Product | None
    grade: str
    missing: bool  # no report on `report_year` although it is due

    @property
    def query(self) -> str:
        parts = [
            f"place={self.place.code}" if self.place else "",
            f"product={self.product.code}" if self.product else "",
            f"grade={self.grade}" if self.grade else "",
            "missing=1" if self.missing else "",
        ]
        return "&".join(p for p in parts if p)


def report_year(today: date) -> int:
    """The latest year whose report is already due (the year before last until 30 June, then last year)."""
    year = today.year - 1
    return year if today > rules.report_due(year) else year - 1


def read_filters(params: Mapping[str, str]) -> Filters:
    """The list's filters from a query string; unknown or malformed values are ignored, never an error."""
    code = params.get("place", "")[:12]
    place = Division.objects.filter(code=code).first() if code.isdigit() else None
    pcode = params.get("product", "")[:16]
    product = Product.objects.filter(code=pcode).first() if pcode.isalnum() else None
    grade = params.get("grade", "")
    return Filters(
        place, product, grade if grade in Grade.values and grade else "", params.get("missing") == "1"
    )


def filtered(qs: QuerySet[M], f: Filters, reports: Any, owner: str, year: int) -> QuerySet[M]:
    if f.place is not None:
        qs = qs.filter(path__under=f.place.path)
    if f.product is not None:
        qs = qs.filter(products=f.product)
    if f.grade:
        qs = qs.filter(grade=f.grade)
    if f.missing:
        filed = reports.objects.filter(**{owner: OuterRef("pk")}, year=year)
        qs = qs.filter(~Exists(filed))
    return qs


def coops(qs: QuerySet[CoopProfile], f: Filters, year: int) -> QuerySet[CoopProfile]:
    return filtered(qs.filter(organisation__ended_on__isnull=True), f, CoopReport, "coop", year)


def farms(qs: QuerySet[FamilyFarm], f: Filters, year: int) -> QuerySet[FamilyFarm]:
    return filtered(qs.filter(ended=False), f, FarmReport, "farm", year)


def keyset_page(qs: QuerySet[M], after: str) -> tuple[list[M], int | None]:
    """One page in key order after `after` (an id; anything else starts at the beginning) and the next key."""
    start = int(after) if after.isdigit() and len(after) < 12 else 0
    rows = list(qs.filter(pk__gt=start).order_by("pk")[: PAGE + 1])
    more = len(rows) > PAGE
    rows = rows[:PAGE]
    return rows, (rows[-1].pk if more else None)


def reported(model: Any, owner: str, ids: list[int], year: int) -> set[int]:
    """Which of `ids` filed their report on `year` (one query for the page)."""
    rows = model.objects.filter(**{f"{owner}_id__in": ids}, year=year).values_list(f"{owner}_id", flat=True)
    return set(rows)


@dataclass(frozen=True)
class Row:
    place: Division
    cooperatives: int
    family_farms: int
    graded: dict[str, int]


def counts_for(places: list[Division]) -> list[Row]:
    """The registry's figures for each place, through the catalogue (every provider asked once)."""
    codes = [
        "cooperatives",
        "family_farms",
        *(f"cooperatives_{g}" for g in ("national", "provincial", "city")),
    ]
    values = values_many(places, codes=codes)
    return [
        Row(
            p,
            int(values[p.path].get("cooperatives", 0)),
            int(values[p.path].get("family_farms", 0)),
            {g: int(values[p.path].get(f"cooperatives_{g}", 0)) for g in ("national", "provincial", "city")},
        )
        for p in places
    ]


def city_districts(code: str = "3702") -> list[Division]:
    """The districts and county-level cities of 青岛市 (or another city by code)."""
    return list(Division.objects.filter(parent__code=code, level=Level.DISTRICT).order_by("code"))


def children(place: Division) -> list[Division]:
    return list(Division.objects.filter(parent=place).order_by("code"))


def products() -> list[Product]:
    return list(Product.objects.all())


def grades() -> list[tuple[str, Any]]:
    return [(v, label) for v, label in Grade.choices if v]
