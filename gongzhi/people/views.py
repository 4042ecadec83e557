"""People pages: the person search and the person page, and the people shown on place pages — masked unless
the role needs them, each unmasked view logged."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from gongzhi.accounts.access import require
from gongzhi.accounts.roles import Action
from gongzhi.core.pickers import MAX_QUERY, picker_response
from gongzhi.core.registry import SELF, STAFF, Rule, person_of_user, person_sections, requires
from gongzhi.people import mydata, selectors
from gongzhi.people.masking import mask_id_number, mask_name, mask_phone, may_unmask
from gongzhi.people.models import Person, Residence
from gongzhi.people.selectors import persons_of_home
from gongzhi.people.services import access_log_write
from gongzhi.places.models import Home


@dataclass(frozen=True)
class PersonRow:
    name: str
    id_number: str
    phone: str
    kind: str
    pk: int = 0
    relation: str = ""  # for a resident: owner, family member, tenant (Residence.Relation)


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
    relation = getattr(p, "relation", "") or ""
    label = Residence.Relation(relation).label if relation in Residence.Relation.values else ""
    if unmask:
        return PersonRow(p.name, p.id_number or "", p.phone, p.get_kind_display(), p.pk, str(label))
    return PersonRow(
        mask_name(p.name),
        mask_id_number(p.id_number),
        mask_phone(p.phone),
        p.get_kind_display(),
        p.pk,
        str(label),
    )


# --- Person search and the person page ------------------------------------------------------------------------


@dataclass(frozen=True)
class Found:
    person: Person
    name: str
    phone: str
    born: str
    home: str


@login_required
@requires(Action.PERSON_VIEW, methods=("GET", "POST"))
@require_http_methods(["GET", "POST"])
def person_search(request: HttpRequest) -> HttpResponse:
    """Find a person by name, pinyin, exact phone or ID number, or address, where the user may see people.

    The form is POSTed: a phone or ID number typed into it must not land in URLs, histories and server logs.
    """
    require(request.user, Action.PERSON_VIEW, None)
    text, by = request.POST.get("q", "").strip(), request.POST.get("by", "")
    error = ""
    if len(text) > MAX_QUERY or any(ord(c) < 32 for c in text):
        error, text = _("搜索内容过长或含有无效字符（最多 %(n)d 个字）") % {"n": MAX_QUERY}, ""
    found = selectors.person_search(request.user, text, "address" if by == "address" else "")
    homes = selectors.first_homes([p.pk for p in found])
    rows = [
        Found(
            p, mask_name(p.name), mask_phone(p.phone), selectors.birth_year(p.id_number), homes.get(p.pk, "")
        )
        for p in found
    ]
    context = {"q": text, "by": by, "rows": rows, "error": error, "searched": bool(text)}
    return render(request, "people/search.html", context, status=400 if error else 200)


@login_required
def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A person: homes owned and lived in, household, and what the other apps know (party, matters).
    Masked unless the one unmask rule allows it and the user asked (then logged first)."""
    person = selectors.visible_persons(request.user).filter(pk=pk).first()
    if person is None:
        raise Http404  # outside the user's places, or no person.view: existence is personal data
    paths = selectors.person_paths(person.pk)
    may = may_unmask(request.user, paths)
    unmask = may and request.GET.get("unmask") == "1"
    profile = selectors.person_profile(request.user, person)
    if unmask:
        others = [other for other, _relation, _home in profile.household]
        access_log_write(actor=request.user, persons=[person, *others], paths=paths, purpose="person page")
    context = {
        "person": person,
        "shown": row(person, unmask),
        "born": selectors.birth_year(person.id_number),
        "profile": profile,
        "household": [
            (other, other.name if unmask else mask_name(other.name), relation, home)
            for other, relation, home in profile.household
        ],
        "sections": person_sections(request.user, person.pk, STAFF),
        "may_unmask": may,
        "unmasked": unmask,
    }
    return render(request, "people/person.html", context)


person_detail.required_action = Rule(Action.PERSON_VIEW, conceal=True)  # type: ignore[attr-defined]


@login_required
@requires(Action.PERSON_VIEW)
def pick_persons(request: HttpRequest) -> HttpResponse:
    """A person picker's search over everyone the user may see (pickers narrowed to a compound live in the
    app that owns the form, e.g. party:pick_candidates)."""
    require(request.user, Action.PERSON_VIEW, None)
    visible = selectors.visible_persons(request.user)
    return picker_response(
        request, lambda text: selectors.person_picks(selectors.search_persons(visible, text))
    )


@login_required
def my_data(request: HttpRequest) -> HttpResponse:
    """A resident's own page: what the platform holds about them and who saw it in full (PIPL art. 44-45).

    The person is the one the login is linked to (register_person_of_user: online voting's verified owners);
    each app lists its own rows about them (register_person_section, shown to SELF). No person linked: the page says so.
    """
    person_id = person_of_user(request.user)
    context: dict[str, Any] = {"linked": person_id is not None}
    if person_id is not None:
        context["sections"] = person_sections(request.user, person_id, SELF)
        context["accesses"] = mydata.access_rows(person_id)
    return render(request, "people/my_data.html", context)
