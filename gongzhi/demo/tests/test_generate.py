"""The demo generator is deterministic for a seed, and its places are consistent."""

from __future__ import annotations

import hashlib

import pytest
from django.db import transaction
from shapely.geometry import shape

from gongzhi.demo.generate import DistrictProfile, Generator
from gongzhi.people.models import Ownership, Person
from gongzhi.places.models import Building, Compound, Division, Home
from gongzhi.places.services import places_recount
from gongzhi.tests.factories import SYSTEM, load_divisions

SMALL = DistrictProfile(compounds=12, buildings_mean=3.0, shinan_like=True)


def digest() -> str:
    h = hashlib.sha256()
    querysets = [
        Compound.objects.order_by("code").values_list("code", "name", "management_type", "outline"),
        Home.objects.order_by("path", "unit_no", "room").values_list(
            "path", "unit_no", "room", "area", "delivered"
        ),
        # ID numbers are encrypted at rest (random nonces): order the plaintext in Python.
        sorted(Person.objects.values_list("name", "id_number", "phone"), key=lambda r: (r[1] or "", r[0])),
    ]
    for qs in querysets:
        for row in qs:
            h.update(repr(row).encode())
    return h.hexdigest()


def build(seed: int) -> str:
    sid = transaction.savepoint()
    Generator(seed).build_district(Division.objects.get(code="370202"), SMALL)
    places_recount(actor=SYSTEM)
    result = digest()
    transaction.savepoint_rollback(sid)
    return result


@pytest.mark.django_db
def test_same_seed_same_district_other_seed_other_district():
    load_divisions()
    first, again, other = build(7), build(7), build(8)
    assert first == again
    assert first != other


@pytest.mark.django_db
def test_generated_places_are_consistent():
    load_divisions()
    Generator(3).build_district(Division.objects.get(code="370202"), SMALL)
    places_recount(actor=SYSTEM)
    shinan = Division.objects.get(code="370202")
    assert shinan.compounds_count == 12 == Compound.objects.count()
    assert shinan.homes_count == Home.objects.count() > 0
    assert shinan.buildings_count == Building.objects.count()
    # Every home has an owner; the developer owns exactly the undelivered ones.
    assert not Home.objects.filter(ownerships__isnull=True).exists()
    dev_homes = set(Ownership.objects.filter(person__kind="developer").values_list("home_id", flat=True))
    assert dev_homes == set(Home.objects.filter(delivered=False).values_list("id", flat=True))
    # Outlines are valid and never overlap.
    shapes = [shape(c.outline) for c in Compound.objects.all()]
    assert all(s.is_valid for s in shapes)
    for i, a in enumerate(shapes):
        for b in shapes[i + 1 :]:
            assert a.intersection(b).area == 0
    # ID numbers carry a valid check character.
    from gongzhi.people.identity import clean_id_number

    for number in Person.objects.exclude(id_number=None).values_list("id_number", flat=True)[:200]:
        assert number is not None and clean_id_number(number) == number
