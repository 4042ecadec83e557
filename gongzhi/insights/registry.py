"""Indicators: each app contributes its figures for a place through one registry.

An app adds a module `gongzhi/<app>/indicators.py` defining `figures(scope: PlaceScope) -> dict[str, Any]`
and lists it in PROVIDERS below. Every figure is computed in the database for the place's path prefix.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from importlib import import_module
from typing import Any

from gongzhi.places.models import Compound, Division

PROVIDERS = [
    "gongzhi.places.indicators",
    "gongzhi.party.indicators",
    "gongzhi.affairs.indicators",
]


@dataclass(frozen=True)
class PlaceScope:
    """The place figures are asked for: a division or a compound, with its materialised path."""

    place: Division | Compound

    @property
    def path(self) -> str:
        return self.place.path

    @property
    def is_compound(self) -> bool:
        return isinstance(self.place, Compound)


def providers() -> list[Callable[[PlaceScope], dict[str, Any]]]:
    return [import_module(name).figures for name in PROVIDERS]


def indicators(place: Division | Compound) -> dict[str, Any]:
    scope = PlaceScope(place)
    result: dict[str, Any] = {
        "place": {
            "kind": "compound" if scope.is_compound else "division",
            "code": place.code,
            "name": place.name,
            "level": "compound" if scope.is_compound else getattr(place, "level", ""),
        }
    }
    for provider in providers():
        result.update(provider(scope))
    return result
