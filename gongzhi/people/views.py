"""People shown on place pages: masked unless the role needs them, each unmasked view logged."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from gongzhi.core.registry import person_of_user, personal_data
from gongzhi.people import mydata
from gongzhi.people.masking import mask_id_number, mask_name, mask_phone, may_unmask
from gongzhi.people.models import Person
from gongzhi.people.selectors import persons_of_home
from gongzhi.people.services import access_log_write
from gongzhi.places.models import Home


@dataclass(frozen=True)
class PersonRow:
    name: str
    id_number: str
    phone: str
    kind: str


def people_rows(user: Any, home: Home, *, unmask: bool = False) -> tuple[list[PersonRow], list[PersonRow]]:
    """Owners and residents of a home, masked unless `unmask` was asked for and the one unmask rule allows
    it (gongzhi.people.masking.may_unmask); an unmasked view is logged by the people service first."""
    owners, residents = persons_of_home(home.pk)
    unmask = unmask and may_unmask(user, (home.path,))
    owner_list, resident_list = list(owners), list(residents)
    if unmask and (owner_list or resident_list):
        access_log_write(
            actor=user, persons=owner_list + resident_list, paths=(home.path,), purpose="home page"
        )
    return [row(p, unmask) for p in owner_list], [row(p, unmask) for p in resident_list]


def row(p: Person, unmask: bool) -> PersonRow:
    if unmask:
        return PersonRow(p.name, p.id_number or "", p.phone, p.get_kind_display())
    return PersonRow(
        mask_name(p.name), mask_id_number(p.id_number), mask_phone(p.phone), p.get_kind_display()
    )


@login_required
def my_data(request: HttpRequest) -> HttpResponse:
    """A resident's own page: what the platform holds about them and who saw it in full (PIPL art. 44-45).

    The person is the one the login is linked to (register_person_of_user: online voting's verified owners);
    each app lists its own rows about them (register_personal_data). No person linked: the page says so.
    """
    person_id = person_of_user(request.user)
    context: dict[str, Any] = {"linked": person_id is not None}
    if person_id is not None:
        context["sections"] = personal_data(person_id)
        context["accesses"] = mydata.access_rows(person_id)
    return render(request, "people/my_data.html", context)
