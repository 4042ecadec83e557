"""Indicators: a catalogue of figures that apps register, and the values of a place computed from the data.

An app declares its figures (code, Chinese and English label, unit, the place levels they apply to) and a
provider in its `indicators.py`, and registers both from its `ready()` (`gongzhi.core.registry.
register_figures`). A provider is batched — `figures(batch: Batch) -> {place path: {code: value}}`,
decorated with `@batched`, answering for many places in a fixed number of queries (gongzhi.insights.batch)
— or old style — `figures(scope: PlaceScope) -> {code: value}` for one place, which `values_many` adapts by
asking it once per place (it works, at a cost growing with the number of places). This module names no
app: it reads the registry. Every figure is computed in the database, never written into code.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from importlib import import_module
from typing import Any

from gongzhi.core import registry
from gongzhi.core.registry import Figure
from gongzhi.insights import store
from gongzhi.insights.batch import Batch, PlaceScope, is_batched
from gongzhi.places.models import Compound, Division

BatchProvider = Callable[[Batch], dict[str, dict[str, Any]]]


def providers() -> list[Callable[[PlaceScope], dict[str, Any]]]:
    """The old-style providers (one place per call); batched ones are reached through `batch_providers`."""
    return [fn for fn in map(_load, registry.PROVIDERS) if not is_batched(fn)]


def _load(target: str) -> Any:
    module, attr = target.split(":")
    return getattr(import_module(module), attr)


def batch_providers(codes: frozenset[str] | None = None) -> list[BatchProvider]:
    """Every provider as a batched one (old-style ones adapted), skipping those computing none of `codes`."""
    found: list[BatchProvider] = []
    for target in registry.PROVIDERS:
        if codes is not None and not (registry.PROVIDER_CODES.get(target, set()) & codes):
            continue
        fn = _load(target)
        found.append(fn if is_batched(fn) else _adapt(fn))
    return found


def _adapt(fn: Callable[[PlaceScope], dict[str, Any]]) -> BatchProvider:
    """The default adapter: an old-style provider asked once per place of the batch."""

    def per_place(batch: Batch) -> dict[str, dict[str, Any]]:
        return {p.path: fn(PlaceScope(p, batch.as_of)) for p in batch.places}

    return per_place


def values_many(
    places: Sequence[Division | Compound],
    as_of: date | None = None,
    codes: Iterable[str] | None = None,
    *,
    stored: str = "",
) -> dict[str, dict[str, Any]]:
    """place path → {code → value} of the figures (`codes`, or all) that apply at each place's level,
    every provider asked once for all the places.

    `stored` (answers for now only; gongzhi.insights.store): "" computes everything live; "read" uses the
    stored answers that are still fresh and computes the rest; "keep" also stores what it computed."""
    wanted = None if codes is None else frozenset(codes)
    unique = tuple({p.path: p for p in places}.values())
    batch = Batch(unique, as_of, wanted)
    found: dict[str, dict[str, Any]] = {p.path: {} for p in unique}
    if unique:
        for answers in _answers(batch, wanted, stored if as_of is None else ""):
            for path, mine in answers.items():
                found[path].update(mine)
    out = {}
    for p in unique:
        mine = found[p.path]
        out[p.path] = {
            f.code: mine[f.code]
            for f in catalogue(PlaceScope(p).level)
            if f.code in mine and (wanted is None or f.code in wanted)
        }
    return out


def _targets(codes: frozenset[str] | None) -> list[str]:
    return [t for t in registry.PROVIDERS if codes is None or registry.PROVIDER_CODES.get(t, set()) & codes]


def _compute(target: str, batch: Batch) -> dict[str, dict[str, Any]]:
    fn = _load(target)
    return (fn if is_batched(fn) else _adapt(fn))(batch)


def _answers(batch: Batch, codes: frozenset[str] | None, stored: str) -> list[dict[str, dict[str, Any]]]:
    targets = _targets(codes)
    if not stored:
        return [_compute(t, batch) for t in targets]
    keep = [t for t in targets if store.stored(_load(t))]
    live = [_compute(t, batch) for t in targets if t not in keep]
    if not keep:
        return live
    return [*live, *store.answer(keep, batch, _compute, write=stored == "keep").values()]


def catalogue(level: str = "") -> list[Figure]:
    """Every catalogued figure (or those that apply at `level`), in registration order."""
    return [f for f in registry.FIGURES.values() if not level or level in f.levels]


def values(
    place: Division | Compound,
    as_of: date | None = None,
    codes: Iterable[str] | None = None,
    *,
    stored: str = "",
) -> dict[str, Any]:
    """code → value of every figure (or of `codes`) that applies at the place's level (on `as_of`)."""
    return values_many([place], as_of, codes, stored=stored)[place.path]


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
    found = values(place, codes=codes)  # only the providers of the figures shown are asked
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
