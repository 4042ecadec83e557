"""Indicators: a catalogue of figures that apps register, and the values of a place computed from the data.

An app declares its figures (code, Chinese and English label, unit, the place levels they apply to) and a
provider `figures(scope: PlaceScope) -> dict[str, Any]` in its `indicators.py`, and registers both from its
`ready()` (`gongzhi.core.registry.register_figures`). This module names no app: it reads the registry.
Every figure is computed in the database for the place's path prefix, never written into code.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from importlib import import_module
from typing import Any

from gongzhi.core import registry
from gongzhi.core.registry import Figure
from gongzhi.places.models import Compound, Division


@dataclass(frozen=True)
class PlaceScope:
    """The place figures are asked for: a division or a compound, with its materialised path."""

    place: Division | Compound
    # The day asked about (a snapshot taken for a past date); None is now. A provider that keeps dated
    # records (the campaign's updates) answers for that day; the others answer as their data stands.
    as_of: date | None = None

    @property
    def path(self) -> str:
        return self.place.path

    @property
    def is_compound(self) -> bool:
        return isinstance(self.place, Compound)

    @property
    def level(self) -> str:
        return "compound" if self.is_compound else str(getattr(self.place, "level", ""))


def providers() -> list[Callable[[PlaceScope], dict[str, Any]]]:
    found = []
    for target in registry.PROVIDERS:
        module, attr = target.split(":")
        found.append(getattr(import_module(module), attr))
    return found


def catalogue(level: str = "") -> list[Figure]:
    """Every catalogued figure (or those that apply at `level`), in registration order."""
    return [f for f in registry.FIGURES.values() if not level or level in f.levels]


def values(place: Division | Compound, as_of: date | None = None) -> dict[str, Any]:
    """code → value of every figure that applies at the place's level (on `as_of`, see PlaceScope)."""
    scope = PlaceScope(place, as_of)
    found: dict[str, Any] = {}
    for provider in providers():
        found.update(provider(scope))
    return {f.code: found[f.code] for f in catalogue(scope.level) if f.code in found}


def indicators(place: Division | Compound) -> dict[str, Any]:
    """The API's answer: the place, each value under its code, and `figures` with the catalogue entries."""
    scope = PlaceScope(place)
    result: dict[str, Any] = {
        "place": {
            "kind": "compound" if scope.is_compound else "division",
            "code": place.code,
            "name": place.name,
            "level": scope.level,
        }
    }
    found = values(place)
    result.update(found)
    result["figures"] = [
        {**registry.FIGURES[code].as_dict(), "value": value} for code, value in found.items()
    ]
    return result


@dataclass(frozen=True)
class Card:
    """One figure as a start page shows it: label in the user's language, the value, where it drills down."""

    code: str
    label: str
    value: Any
    text: str
    unit: str
    url: str


def drill_url(figure: Figure, code: str) -> str:
    """The URL a figure's card leads to for the place `code` (see Figure.drill)."""
    if not figure.drill:
        return ""
    from django.urls import reverse

    name, _, query = figure.drill.partition("?")
    if query:
        return f"{reverse(name)}?{query.format(code=code)}"
    return reverse(name, args=[code])


def cards(place: Division | Compound, codes: list[str]) -> list[Card]:
    """The figures `codes` of a place, computed now by the registered providers (a fixed number of queries
    whatever the place's size), as cards for a start page."""
    from django.utils.translation import get_language

    english = (get_language() or "").startswith("en")
    found = values(place)
    out = []
    for code in codes:
        if code not in found:
            continue
        figure, value = registry.FIGURES[code], found[code]
        ratio = figure.unit in ("比例", "%")
        text = f"{value * 100:.2f}".rstrip("0").rstrip(".") + "%" if ratio else f"{value:,}"
        label = figure.label_en if english else figure.label_zh
        unit = "" if ratio or english else figure.unit
        out.append(Card(code, label, value, text, unit, drill_url(figure, place.code)))
    return out
