"""Reads of persons and ownership, shared by pages and the API."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet

from gongzhi.people.models import Ownership, Person


def compound_owner_counts(compound_id: int) -> tuple[int, int]:
    """(owners, owners of delivered homes) in one compound, each person counted once."""
    agg = Ownership.objects.filter(compound_id_cache=compound_id).aggregate(
        total=Count("person_id", distinct=True),
        delivered=Count("person_id", distinct=True, filter=Q(home__delivered=True)),
    )
    return agg["total"], agg["delivered"]


def owner_counts_by_compound() -> dict[int, tuple[int, int]]:
    rows = (
        Ownership.objects.values("compound_id_cache")
        .annotate(
            total=Count("person_id", distinct=True),
            delivered=Count("person_id", distinct=True, filter=Q(home__delivered=True)),
        )
        .order_by()
    )
    return {r["compound_id_cache"]: (r["total"], r["delivered"]) for r in rows}


def persons_of_home(home_id: int) -> tuple[QuerySet[Person], QuerySet[Person]]:
    owners = Person.objects.filter(ownerships__home_id=home_id).order_by("name")
    residents = Person.objects.filter(residences__home_id=home_id).order_by("name")
    return owners, residents


def person_paths(person_id: int) -> list[str]:
    """The paths of the homes a person owns or lives in: where the unmask rule looks (masking.may_unmask)."""
    from gongzhi.places.models import Home

    return list(
        Home.objects.filter(Q(ownerships__person_id=person_id) | Q(residences__person_id=person_id))
        .values_list("path", flat=True)
        .distinct()
    )
