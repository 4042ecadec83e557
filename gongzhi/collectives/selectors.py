"""Reads of collective "三资" supervision, already scoped by the caller's querysets: lists, a village's
disclosure for a quarter, and the town rating (the criteria read from the catalogue, rated by the rules)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import Q, QuerySet, Sum

from gongzhi.collectives import rules
from gongzhi.collectives.models import Collective, Contract, Criterion, Decision, Entry, Grade, GradeFloor
from gongzhi.insights.registry import values_many
from gongzhi.places.models import Division, Level

OWN_FIGURES = ("towns_exemplary", "towns_excellent", "towns_strengthening")


def expiring_q(today: date) -> Q:
    return Q(ends_on__gte=today, ends_on__lte=today + timedelta(days=rules.EXPIRY_DAYS))


def current_q(today: date) -> Q:
    return Q(starts_on__lte=today, ends_on__gte=today)


def warned(qs: QuerySet[Contract], show: str, today: date) -> QuerySet[Contract]:
    """The contracts a supervision list shows: expiring within 90 days, out of range, or lacking a decision."""
    if show == "range":
        return qs.filter(out_of_range=True, ends_on__gte=today).order_by("path", "ends_on")
    if show == "unapproved":
        return qs.filter(unapproved=True, ends_on__gte=today).order_by("path", "ends_on")
    return qs.filter(expiring_q(today)).order_by("ends_on", "id")


# -- the disclosure list (公开栏) ------------------------------------------------------------------------


def quarter_of(day: date) -> str:
    return f"{day.year}Q{(day.month - 1) // 3 + 1}"


def quarter_bounds(text: str) -> tuple[date, date] | None:
    """'2026Q3' → (1 Jul, 30 Sep); None for anything else."""
    if len(text) != 6 or text[4] != "Q" or not text[:4].isdigit() or text[5] not in "1234":
        return None
    year, q = int(text[:4]), int(text[5])
    if not 2000 <= year <= 2100:
        return None
    start = date(year, 3 * q - 2, 1)
    end = date(year + (q == 4), 1 if q == 4 else 3 * q + 1, 1) - timedelta(days=1)
    return start, end


def previous_quarters(today: date, n: int = 8) -> list[str]:
    out, day = [], today
    for _ in range(n):
        out.append(quarter_of(day))
        day = date(day.year, (day.month - 1) // 3 * 3 + 1, 1) - timedelta(days=1)
    return out


@dataclass(frozen=True)
class Disclosure:
    quarter: str
    start: date
    end: date
    income: int
    spending: int
    entries: list[Entry]
    contracts: list[Contract]
    decisions: list[Decision]


def disclosure(path: str, quarter: str) -> Disclosure | None:
    """What the village's 公开栏 shows for a quarter: its fund entries and totals, the contracts in force,
    and the decisions with a step in the quarter (4 queries)."""
    bounds = quarter_bounds(quarter)
    if bounds is None:
        return None
    start, end = bounds
    entries = list(
        Entry.objects.filter(path=path, on__gte=start, on__lte=end)
        .select_related("account")
        .order_by("on", "id")
    )
    income = sum(e.amount_yuan for e in entries if e.direction == Entry.Direction.INCOME)
    spending = sum(e.amount_yuan for e in entries if e.direction == Entry.Direction.SPENDING)
    contracts = list(
        Contract.objects.filter(path=path, starts_on__lte=end, ends_on__gte=start)
        .select_related("asset", "resource")
        .order_by("ends_on", "id")
    )
    decisions = list(
        Decision.objects.filter(path=path, steps__on__gte=start, steps__on__lte=end)
        .distinct()
        .prefetch_related("steps")
        .order_by("opened_on", "id")
    )
    return Disclosure(quarter, start, end, income, spending, entries, contracts, decisions)


# -- the town rating -----------------------------------------------------------------------------------


def as_rule(c: Criterion) -> rules.Rule:
    return rules.Rule(c.figure, c.weight, c.higher_better, c.full_at, c.half_at)


def rating_rules() -> list[rules.Rule]:
    return [as_rule(c) for c in Criterion.objects.exclude(figure__in=OWN_FIGURES)]


def floors() -> dict[str, Decimal]:
    return {g: Decimal(s) for g, s in GradeFloor.objects.values_list("grade", "min_score")}


@dataclass(frozen=True)
class Rated:
    town: Division
    values: dict[str, Any]
    score: Decimal
    grade: str

    @property
    def grade_label(self) -> str:
        return str(Grade(self.grade).label)


def rated_towns(root: str, as_of: date | None = None) -> list[Rated]:
    """Every rated town under `root` (or `root` itself) that holds a village collective, with the criteria's
    figures, its score and grade: the towns and the collectives' paths in two queries, the figures through
    the catalogue in one batch, the settings in two. A place without collectives (a city district's 街道)
    is not rated, and costs no more than those two queries."""
    held = list(
        Collective.objects.filter(path__under=root, ended_on__isnull=True).values_list("path", flat=True)
    )
    if not held:
        return []
    towns = [
        t
        for t in Division.objects.filter(level=Level.SUBDISTRICT, path__under=root).order_by("code")
        if rules.is_rated_town(t.name) and any(h.startswith(t.path) for h in held)
    ]
    if not towns:
        return []
    criteria = rating_rules()
    bars = floors()
    values = values_many(towns, as_of=as_of, codes=[r.figure for r in criteria]) if criteria else {}
    out = []
    for t in towns:
        mine = values.get(t.path, {})
        score = rules.town_score(criteria, mine)
        out.append(Rated(t, mine, score, rules.town_grade(score, bars)))
    return out


def grade_counts(rated: Sequence[Rated], paths: Sequence[str]) -> dict[str, dict[str, int]]:
    """place path → {grade: number of rated towns under it}."""
    out = {p: {g: 0 for g in Grade.values} for p in paths}
    for r in rated:
        for p in paths:
            if r.town.path.startswith(p):
                out[p][r.grade] += 1
    return out


def totals(path: str) -> dict[str, int]:
    """A village's (or any place's) asset value, contracts and fund totals, in two queries."""
    from gongzhi.collectives.models import Asset

    assets = Asset.objects.filter(path__under=path).aggregate(v=Sum("value_yuan"))["v"] or 0
    money = Entry.objects.filter(path__under=path).aggregate(
        i=Sum("amount_yuan", filter=Q(direction="income")),
        s=Sum("amount_yuan", filter=Q(direction="spending")),
    )
    return {"assets": int(assets), "income": int(money["i"] or 0), "spending": int(money["s"] or 0)}


def account_totals(account: Any) -> dict[str, int]:
    """One account's income and spending to date (one query)."""
    money = Entry.objects.filter(account=account).aggregate(
        i=Sum("amount_yuan", filter=Q(direction="income")),
        s=Sum("amount_yuan", filter=Q(direction="spending")),
    )
    income, spending = int(money["i"] or 0), int(money["s"] or 0)
    return {"income": income, "spending": spending, "balance": income - spending}
