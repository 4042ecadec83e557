"""Writes to persons, ownership, residence and the personal-data access log.

Every service takes `actor` (a user or gongzhi.core.actors.system(...)), checks the right itself and stamps
the history row. Rules are gongzhi.people.rules; bulk variants for imports are gongzhi.people.bulk.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from gongzhi.accounts.access import authorize
from gongzhi.accounts.roles import Action
from gongzhi.core.actors import history_user, stamp
from gongzhi.core.pinyin import pinyin_keys
from gongzhi.people.identity import clean_id_number
from gongzhi.people.masking import may_unmask
from gongzhi.people.models import AccessLog, Ownership, Person, PersonKind, Residence
from gongzhi.people.paths import refresh_paths
from gongzhi.people.rules import name_problem, phone_problem, share_problem
from gongzhi.places.models import Home
from gongzhi.places.services import compound_refresh_figures


def _refuse(problem: str) -> None:
    if problem:
        raise ValidationError(problem)


@transaction.atomic
def person_create(
    *,
    actor: Any,
    name: str,
    id_number: str | None = None,
    phone: str = "",
    kind: str = PersonKind.INDIVIDUAL,
) -> Person:
    """A person; the ID number, when given, must pass its GB 11643 check character."""
    authorize(actor, Action.PERSON_EDIT)
    _refuse(name_problem(name) or phone_problem(phone))
    cleaned = clean_id_number(id_number) if id_number else None
    py, ini = pinyin_keys(name)
    person = Person(kind=kind, name=name.strip(), id_number=cleaned, phone=phone, pinyin=py, initials=ini)
    stamp(person, actor)
    person.save(force_insert=True)
    return person


@transaction.atomic
def ownership_add(
    *,
    actor: Any,
    home: Home,
    person: Person,
    share: Decimal = Decimal("1"),
    since: date | None = None,
) -> Ownership:
    authorize(actor, Action.PERSON_EDIT, home)
    _refuse(share_problem(share))
    ownership = Ownership(
        home=home, person=person, share=share, since=since, compound_id_cache=home.compound_id
    )
    stamp(ownership, actor)
    ownership.save(force_insert=True)
    compound_refresh_figures(compound_id=home.compound_id)
    refresh_paths([person.pk])
    return ownership


@transaction.atomic
def residence_add(
    *, actor: Any, home: Home, person: Person, relation: str = Residence.Relation.OWNER
) -> Residence:
    authorize(actor, Action.PERSON_EDIT, home)
    residence = Residence(home=home, person=person, relation=relation)
    stamp(residence, actor)
    residence.save(force_insert=True)
    refresh_paths([person.pk])
    return residence


@transaction.atomic
def access_log_write(
    *,
    actor: Any,
    persons: Iterable[Person],
    paths: Iterable[str],
    purpose: str,
    fields: str = "id_number,phone",
) -> int:
    """Record that `actor` saw these persons unmasked (PIPL art. 51): one row per person, who/what/why.

    Refuses unless the one unmask rule (gongzhi.people.masking.may_unmask) allows it at `paths`, so a
    page cannot show what it has not logged.
    """
    user = history_user(actor)
    if user is None or not may_unmask(actor, paths):
        raise PermissionDenied
    unique = {p.pk: p for p in persons}
    AccessLog.objects.bulk_create(
        [AccessLog(user=user, person=p, fields=fields, purpose=purpose[:100]) for p in unique.values()]
    )
    return len(unique)
