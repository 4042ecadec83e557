"""Reads of places for pages and the API: each costs a fixed number of queries whatever the data size."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet

from gongzhi.accounts.access import scope_q, scoped
from gongzhi.core.pickers import LIMIT, name_match
from gongzhi.core.pinyin import search_terms
from gongzhi.places.models import Building, Compound, Division, Home, Level
from gongzhi.places.services import ancestor_codes


def breadcrumb(path: str, user: Any = None) -> list[Division]:
    """The divisions above (and including) a path, top first, in one query.

    Each carries `visible`: whether the user may open it (the crumb is a link only then).
    """
    from gongzhi.accounts.access import can

    codes = ancestor_codes(path)
    by_code = {
        d.code: d for d in Division.objects.filter(code__in=codes).only("code", "name", "level", "path")
    }
    crumbs = [by_code[c] for c in codes if c in by_code]
    for d in crumbs:
        d.visible = user is None or can(user, "place.view", d)  # type: ignore[attr-defined]
    return crumbs


def child_divisions(division: Division) -> QuerySet[Division]:
    return Division.objects.filter(parent=division).order_by("code")


def community_compounds(division: Division) -> QuerySet[Compound]:
    return Compound.objects.filter(community=division).order_by("code")


def compound_buildings(compound: Compound) -> QuerySet[Building]:
    return Building.objects.filter(compound=compound).order_by("seq")


def building_homes(building: Building) -> QuerySet[Home]:
    return (
        Home.objects.filter(building=building)
        .prefetch_related("ownerships__person")
        .order_by("unit_no", "floor", "room")
    )


def top_places(user: Any) -> tuple[list[Division], list[Compound], list[Building]]:
    """The highest places the user may see, to start the browser from."""
    from gongzhi.accounts.access import actor_of

    actor = actor_of(user)
    if actor.is_superuser:
        return list(Division.objects.filter(level=Level.CITY)), [], []
    paths = actor.paths("place.view")
    divisions = list(Division.objects.filter(path__in=paths))
    compounds = list(Compound.objects.filter(path__in=paths))
    buildings = list(Building.objects.filter(path__in=paths).select_related("compound"))
    return divisions, compounds, buildings


@dataclass(frozen=True)
class SearchResults:
    divisions: list[Division]
    compounds: list[Compound]


def search(user: Any, query: str, limit: int = 20) -> SearchResults:
    """Find divisions and compounds by their characters, their pinyin, or the initials of their pinyin."""
    q = query.strip()
    if not q:
        return SearchResults([], [])
    key = search_terms(q)
    match = Q(name__contains=q)
    if key.isascii():
        match |= Q(pinyin__startswith=key) | Q(initials__startswith=key) | Q(pinyin__contains=key)
    divisions = list(
        Division.objects.filter(match, scope_q(user)).exclude(level=Level.PROVINCE).order_by("code")[:limit]
    )
    compounds = list(
        Compound.objects.filter(match, scope_q(user))
        .select_related("community")
        .order_by("initials", "code")[:limit]
    )
    return SearchResults(divisions, compounds)


def resolve_place(user: Any, value: str, compound_id: str = "") -> Division | Compound:
    """A place named by a division code, a compound id or a compound code, within the user's scope, else 404.

    Division codes win when a value could be both (only "37" and "3702" can collide with compound ids);
    `compound_id` names a compound unambiguously. With neither, the user's single top place.
    """
    from django.http import Http404

    from gongzhi.accounts.access import get_or_404

    value, compound_id = (value or "").strip(), (compound_id or "").strip()
    if compound_id:
        if not compound_id.isdigit():
            raise Http404("unknown compound")
        return get_or_404(user, Compound.objects.all(), pk=int(compound_id))
    if not value:
        divisions, compounds, _buildings = top_places(user)
        if len(divisions) + len(compounds) != 1:
            raise Http404("place is required")
        return (divisions or compounds)[0]
    if not value.isdigit():
        raise Http404("unknown place")
    if Division.objects.filter(code=value).exists():
        return get_or_404(user, Division.objects.all(), code=value)
    if len(value) == 15:
        return get_or_404(user, Compound.objects.all(), code=value)
    return get_or_404(user, Compound.objects.all(), pk=int(value))


def compound_picks(user: Any, text: str, action: str, limit: int = LIMIT) -> list[dict[str, Any]]:
    """Rows for a compound picker: the user's compounds where `action` is allowed that `text` finds, with the
    code and community (two 和平小区 in two communities look different). One query."""
    rows = (
        scoped(user, Compound.objects.filter(name_match(text)), action)
        .select_related("community")
        .order_by("initials", "code")[:limit]
    )
    return [{"id": c.pk, "label": c.name, "detail": f"{c.code} · {c.community.name}"} for c in rows]
