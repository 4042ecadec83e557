"""Bulk variants of the people services, for ledger imports: same rules, counters and history.

Keys are taken up front (gongzhi.core.writes.take_ids) so ownerships can refer to new persons without
reading them back; history rows are inserted in bulk naming the actor.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone

from gongzhi.accounts.access import At, authorize
from gongzhi.accounts.roles import Action
from gongzhi.core.bulk import insert_rows, seal_rows
from gongzhi.core.pinyin import pinyin_keys
from gongzhi.core.writes import insert_history, take_ids
from gongzhi.people.models import Ownership, Person, PersonKind
from gongzhi.people.paths import refresh_paths
from gongzhi.people.rules import name_problem, phone_problem, share_problem
from gongzhi.places.services import compounds_refresh_figures

PERSON_FIELDS = ("id", "kind", "name", "id_number", "phone", "pinyin", "initials", "created_at")
OWNERSHIP_FIELDS = ("id", "home", "person", "compound_id_cache", "share")


@dataclass(frozen=True)
class NewPerson:
    name: str
    id_number: str | None = None  # already checked (gongzhi.people.identity.clean_id_number)
    phone: str = ""


@dataclass(frozen=True)
class NewOwnership:
    home_id: int
    home_path: str
    compound_id: int
    person_id: int
    share: Decimal = Decimal("1")


@transaction.atomic
def persons_create_bulk(*, actor: Any, persons: Sequence[NewPerson], reason: str = "") -> list[int]:
    """Create persons (with history rows); returns their keys in the order given."""
    authorize(actor, Action.PERSON_EDIT)
    return persons_record_bulk(actor=actor, persons=persons, reason=reason)


@transaction.atomic
def persons_record_bulk(*, actor: Any, persons: Sequence[NewPerson], reason: str) -> list[int]:
    """Create persons as part of a registry's own write, under the registry's permission, which the calling
    service has already checked for every place written (docs/decisions.md, "persons recorded by a
    registry"): a monitored household's members (`monitoring.visit`), as the forms record them one by one.
    Same rules, history rows naming the actor; it opens no person page. Never called from a view."""
    for p in persons:
        problem = name_problem(p.name) or phone_problem(p.phone)
        if problem:
            raise ValidationError(f"{p.name}：{problem}")
    ids = take_ids(Person, len(persons))
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    rows = []
    for pk, p in zip(ids, persons, strict=True):
        py, ini = pinyin_keys(p.name)
        rows.append(
            (pk, PersonKind.INDIVIDUAL.value, p.name.strip(), p.id_number or None, p.phone, py, ini, now)
        )
    sealed = seal_rows(Person, PERSON_FIELDS, rows)  # encrypted once for the person and its history row
    insert_rows(Person, PERSON_FIELDS, sealed)
    insert_history(Person, PERSON_FIELDS, sealed, actor=actor, reason=reason)
    return ids


@transaction.atomic
def ownerships_create_bulk(*, actor: Any, ownerships: Sequence[NewOwnership], reason: str = "") -> list[int]:
    """Create ownerships (with history rows) and refresh the owner figures of the compounds touched."""
    checked: set[str] = set()
    for o in ownerships:
        if o.home_path not in checked:
            checked.add(o.home_path)
            authorize(actor, Action.PERSON_EDIT, At(o.home_path))
        problem = share_problem(o.share)
        if problem:
            raise ValidationError(problem)
    ids = take_ids(Ownership, len(ownerships))
    rows = [
        (pk, o.home_id, o.person_id, o.compound_id, o.share) for pk, o in zip(ids, ownerships, strict=True)
    ]
    insert_rows(Ownership, OWNERSHIP_FIELDS, rows)
    insert_history(Ownership, OWNERSHIP_FIELDS, rows, actor=actor, reason=reason)
    compounds_refresh_figures(compound_ids={o.compound_id for o in ownerships})
    refresh_paths(o.person_id for o in ownerships)  # the persons list places people by their homes
    return ids


@transaction.atomic
def persons_set_phone_bulk(*, actor: Any, phones: dict[int, str], reason: str = "") -> int:
    """Correct persons' phone numbers (with history rows)."""
    authorize(actor, Action.PERSON_EDIT)
    for phone in phones.values():
        problem = phone_problem(phone)
        if problem:
            raise ValidationError(problem)
    persons = list(Person.objects.filter(pk__in=list(phones)))
    for p in persons:
        p.phone = phones[p.pk]
    Person.objects.bulk_update(persons, ["phone"], batch_size=2000)
    insert_history(
        Person,
        PERSON_FIELDS,
        ((p.pk, p.kind, p.name, p.id_number, p.phone, p.pinyin, p.initials, p.created_at) for p in persons),
        actor=actor,
        reason=reason,
        kind="~",
    )
    return len(persons)
