"""People shown on place pages: masked unless the role needs them, each unmasked view logged."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from gongzhi.accounts.access import can
from gongzhi.accounts.roles import Action
from gongzhi.people.masking import mask_id_number, mask_name, mask_phone
from gongzhi.people.models import AccessLog, Person
from gongzhi.people.selectors import persons_of_home
from gongzhi.places.models import Home


@dataclass(frozen=True)
class PersonRow:
    name: str
    id_number: str
    phone: str
    kind: str


def people_rows(user: Any, home: Home, *, unmask: bool = False) -> tuple[list[PersonRow], list[PersonRow]]:
    """Owners and residents of a home, masked unless `unmask` was asked for and the role allows it."""
    owners, residents = persons_of_home(home.pk)
    unmask = unmask and can(user, Action.PERSON_UNMASK, home)
    owner_list, resident_list = list(owners), list(residents)
    if unmask and (owner_list or resident_list):
        seen = {p.pk: p for p in owner_list + resident_list}
        AccessLog.objects.bulk_create(
            [
                AccessLog(user_id=user.pk, person=p, fields="id_number,phone", purpose="home page")
                for p in seen.values()
            ]
        )
    return [row(p, unmask) for p in owner_list], [row(p, unmask) for p in resident_list]


def row(p: Person, unmask: bool) -> PersonRow:
    if unmask:
        return PersonRow(p.name, p.id_number or "", p.phone, p.get_kind_display())
    return PersonRow(
        mask_name(p.name), mask_id_number(p.id_number), mask_phone(p.phone), p.get_kind_display()
    )
