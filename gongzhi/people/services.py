"""Writes to persons, ownership and residence."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db import transaction

from gongzhi.core.pinyin import pinyin_keys
from gongzhi.people.identity import clean_id_number
from gongzhi.people.models import Ownership, Person, PersonKind, Residence
from gongzhi.people.paths import refresh_paths
from gongzhi.places.models import Home
from gongzhi.places.services import compound_refresh_figures


@transaction.atomic
def person_create(
    *, name: str, id_number: str | None = None, phone: str = "", kind: str = PersonKind.INDIVIDUAL
) -> Person:
    """A person; the ID number, when given, must pass its GB 11643 check character."""
    cleaned = clean_id_number(id_number) if id_number else None
    py, ini = pinyin_keys(name)
    return Person.objects.create(
        kind=kind, name=name.strip(), id_number=cleaned, phone=phone, pinyin=py, initials=ini
    )


@transaction.atomic
def ownership_add(
    *, home: Home, person: Person, share: Decimal = Decimal("1"), since: date | None = None
) -> Ownership:
    ownership = Ownership.objects.create(
        home=home, person=person, share=share, since=since, compound_id_cache=home.compound_id
    )
    compound_refresh_figures(compound_id=home.compound_id)
    refresh_paths([person.pk])
    return ownership


@transaction.atomic
def residence_add(*, home: Home, person: Person, relation: str = Residence.Relation.OWNER) -> Residence:
    residence = Residence.objects.create(home=home, person=person, relation=relation)
    refresh_paths([person.pk])
    return residence
