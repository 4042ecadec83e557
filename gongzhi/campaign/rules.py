"""How the campaign is measured: roll-up, completion from a catalogued figure, red/yellow/green.

These are the rules of the 2024–2026 campaign as the district runs it (domain.md §6: 134 targets, three
phases, four measures, "一年打基础，两年促提升，三年见实效"), not articles of law; each is one pure function
so a page, the indicator provider and the bulletin agree.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

ONE = Decimal("1")
ZERO = Decimal("0")
AT_RISK_DAYS = 60  # an open target due within two months …
AT_RISK_BEHIND = Decimal("0.2")  # … or more than 20 points behind a straight line from start to deadline
MONTH_RED_SHARE = Decimal("0.10")  # a month is red when a tenth of its targets are overdue
MONTH_YELLOW_SHARE = Decimal("0.20")  # yellow when a fifth are overdue or at risk


def weighted_mean(items: Iterable[tuple[Decimal | None, Decimal]]) -> Decimal | None:
    """The weighted mean of (value, weight) pairs; a pair without a value is left out, not counted as zero.

    None when nothing has a value (or every weight is zero): "no figure" stays distinguishable from 0 %.
    """
    total = weights = ZERO
    for value, weight in items:
        if value is None or weight <= 0:
            continue
        total += Decimal(value) * weight
        weights += weight
    if weights == 0:
        return None
    return (total / weights).quantize(Decimal("0.0001"))


def figure_progress(value: object, threshold: Decimal) -> Decimal | None:
    """Progress towards `figure ≥ threshold` (capped at 1); None when the figure has no value at the place."""
    if value is None:
        return None
    try:
        got = Decimal(str(value))
    except ArithmeticError:
        return None
    if threshold <= 0:
        return ONE if got >= threshold else ZERO
    return min(ONE, max(ZERO, got / threshold)).quantize(Decimal("0.0001"))


def goal_met(value: object, threshold: Decimal) -> bool:
    return figure_progress(value, threshold) == ONE


def expected_progress(start: date, deadline: date, on: date) -> Decimal:
    """Where a target would stand on `on` if worked evenly from `start` to its deadline."""
    if on <= start:
        return ZERO
    if on >= deadline:
        return ONE
    return (Decimal((on - start).days) / Decimal((deadline - start).days)).quantize(Decimal("0.0001"))


class Light:
    GREEN = "green"
    YELLOW = "yellow"
    RED = "red"


@dataclass(frozen=True)
class TargetState:
    """A target as it stood on a day: what the lists and the monthly status are computed from."""

    start: date
    deadline: date
    done_on: date | None
    progress: Decimal | None


def light(state: TargetState, on: date) -> str:
    """Red: overdue (deadline passed, not done). Yellow: at risk. Green: done, or on course."""
    if state.done_on is not None and state.done_on <= on:
        return Light.GREEN
    if state.deadline < on:
        return Light.RED
    progress = state.progress or ZERO
    if (state.deadline - on).days <= AT_RISK_DAYS and progress < ONE:
        return Light.YELLOW
    if expected_progress(state.start, state.deadline, on) - progress > AT_RISK_BEHIND:
        return Light.YELLOW
    return Light.GREEN


def month_light(lights: Iterable[str]) -> str:
    """One colour for a month from its targets' lights (shares MONTH_RED_SHARE and MONTH_YELLOW_SHARE)."""
    seen = list(lights)
    if not seen:
        return Light.GREEN
    red = Decimal(seen.count(Light.RED)) / len(seen)
    yellow = Decimal(seen.count(Light.YELLOW)) / len(seen)
    if red >= MONTH_RED_SHARE:
        return Light.RED
    if red + yellow >= MONTH_YELLOW_SHARE:
        return Light.YELLOW
    return Light.GREEN
