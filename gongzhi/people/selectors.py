"""Reads of persons and ownership, shared by pages and the API."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.utils.translation import gettext as _

from gongzhi.accounts.access import actor_of, scope_q
from gongzhi.accounts.roles import Action
from gongzhi.core.pickers import LIMIT, name_match
from gongzhi.people.masking import mask_phone
from gongzhi.people.models import AccessLog, Ownership, Person, Residence
from gongzhi.people.paths import visible_q
from gongzhi.places.models import Home


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
    relation = Residence.objects.filter(home_id=home_id, person_id=OuterRef("pk")).values("relation")[:1]
    residents = (
        Person.objects.filter(residences__home_id=home_id)
        .annotate(relation=Subquery(relation))
        .order_by("name")
    )
    return owners, residents


def person_paths(person_id: int) -> list[str]:
    """The paths of the homes a person owns or lives in: where the unmask rule looks (masking.may_unmask)."""
    return list(
        Home.objects.filter(Q(ownerships__person_id=person_id) | Q(residences__person_id=person_id))
        .values_list("path", flat=True)
        .distinct()
    )


def viewer_label(user: Any, paths: Iterable[str]) -> str:
    """The role and unit under which `user` may unmask at `paths` ("社区工作者 · 云霄路社区").

    What a person's "my data" page shows for each access: the office that looked, not the staff member's
    name (their name is personal data too, and the person's question is which office and why; the
    security administrator sees the user in the access log itself).
    """
    from gongzhi.accounts.models import RoleAssignment
    from gongzhi.accounts.roles import PERMISSIONS, Action, Role

    if getattr(user, "is_superuser", False):
        return str(_("平台管理员"))
    roles = [r for r, actions in PERMISSIONS.items() if Action.PERSON_UNMASK in actions]
    wanted = list(paths)
    grants = RoleAssignment.objects.filter(user=user, role__in=roles).select_related(
        "division", "compound", "building"
    )
    for g in sorted(grants, key=lambda g: -len(g.path)):
        if is_under_any(wanted, g.path):
            place = g.building or g.compound or g.division
            return f"{Role(g.role).label} · {place}"
    return ""


def is_under_any(paths: Iterable[str], prefix: str) -> bool:
    return any(p.startswith(prefix) for p in paths)


def access_log_of(person_id: int, limit: int = 200) -> QuerySet[AccessLog]:
    """Who looked at a person's full ID number or phone, newest first (for their "my data" page)."""
    return AccessLog.objects.filter(person_id=person_id).order_by("-at")[:limit]


# --- Finding persons: pickers and the person search ----------------------------------------------------------

PHONE = re.compile(r"1\d{10}")
ID_NUMBER = re.compile(r"\d{17}[\dX]|\d{15}")


def visible_persons(user: Any) -> QuerySet[Person]:
    """Persons whose homes lie where the user holds person.view (the one scope rule, gongzhi.people.paths)."""
    actor = actor_of(user)
    return Person.objects.filter(visible_q(None if actor.is_superuser else actor.paths(Action.PERSON_VIEW)))


def person_match(text: str) -> Q:
    """What a typed text finds: a mobile number or an ID number exactly (never a LIKE on those columns, which
    are encrypted at rest), anything else by name, pinyin or initials."""
    key = text.replace(" ", "").upper()
    if PHONE.fullmatch(key):
        return Q(phone=key)
    if ID_NUMBER.fullmatch(key):
        return Q(id_number=key)
    return name_match(text)


def birth_year(id_number: str | None) -> str:
    """The year of birth an 18-digit ID number carries (GB 11643: digits 7–10), "" when there is none."""
    if id_number and len(id_number) == 18 and id_number[6:10].isdigit():
        return id_number[6:10]
    return ""


def first_homes(person_ids: list[int]) -> dict[int, str]:
    """One home per person ("八大关小区 3号楼 1单元 201"): where they live, else what they own. Two queries."""
    homes: dict[int, str] = {}
    fields = ("person_id", "home__compound__name", "home__building__number", "home__unit_no", "home__room")
    for model in (Residence, Ownership):
        rows = model.objects.filter(person_id__in=person_ids).order_by("person_id", "pk").values_list(*fields)
        for pid, compound, building, unit, room in rows:
            homes.setdefault(pid, f"{compound} {building} {unit}-{room}")
    return homes


def person_picks(persons: list[Person]) -> list[dict[str, Any]]:
    """Rows for a person picker: the name, and what tells two 张伟 apart (masked phone, home, birth year)."""
    homes = first_homes([p.pk for p in persons])
    rows = []
    for p in persons:
        year = birth_year(p.id_number)
        parts = [mask_phone(p.phone), homes.get(p.pk, ""), _("%(y)s年生") % {"y": year} if year else ""]
        rows.append({"id": p.pk, "label": p.name, "detail": " · ".join(x for x in parts if x)})
    return rows


def search_persons(queryset: QuerySet[Person], text: str, limit: int = LIMIT) -> list[Person]:
    """At most `limit` persons of `queryset` that `text` finds, by pinyin order."""
    return list(queryset.filter(person_match(text)).order_by("pinyin", "pk")[:limit])


ADDRESS = re.compile(
    r"^(?P<compound>[^\d\s-]+)\s*(?:(?P<building>\d+)号?楼)?\s*"
    r"(?:(?P<unit>\d+)\s*[-单元]+\s*)?(?P<room>\d+)?$"
)


def address_match(text: str) -> Q | None:
    """Persons owning or living at an address typed as "云霄花园 1号楼 1-101" (compound, then optionally the
    building number, unit and room); None when the text is not of that shape."""
    m = ADDRESS.match(text.strip())
    if not m or not m["compound"].strip():
        return None
    homes = Q(home__compound__name__contains=m["compound"].strip())
    if m["building"]:
        homes &= Q(home__building__number__in=[m["building"], f"{m['building']}号楼"])
    if m["unit"]:
        homes &= Q(home__unit_no=int(m["unit"][:4]))
    if m["room"]:
        homes &= Q(home__room=m["room"])
    residents = Residence.objects.filter(homes).values("person_id")
    owners = Ownership.objects.filter(homes).values("person_id")
    return Q(pk__in=residents) | Q(pk__in=owners)


def person_search(user: Any, text: str, by: str = "", limit: int = 50) -> list[Person]:
    """The person search page: by name / pinyin / exact phone or ID number, or `by="address"`; scoped to where
    the user holds person.view. Three queries whatever the district's size (persons, their homes)."""
    match = address_match(text) if by == "address" else person_match(text)
    if not text or match is None:
        return []
    return list(visible_persons(user).filter(match).order_by("pinyin", "pk")[:limit])


@dataclass(frozen=True)
class HomeLink:
    home: Home
    relation: str  # "业主" (with the share when not whole), or the residence relation


@dataclass(frozen=True)
class Profile:
    owned: list[HomeLink]
    lived: list[HomeLink]
    household: list[tuple[Person, str, Home]]  # others living in the homes the person lives in


def person_profile(user: Any, person: Person) -> Profile:
    """Homes owned and lived in (those in the viewer's scope) and the household living with the person.
    Three queries."""
    in_scope = scope_q(user, Action.PERSON_VIEW, "home__path")
    related = ("home__building", "home__compound")
    owned = [
        HomeLink(o.home, str(_("业主")) if o.share == 1 else _("业主（份额 %(s)s）") % {"s": f"{o.share:g}"})
        for o in Ownership.objects.filter(in_scope, person=person)
        .select_related(*related)
        .order_by("home_id")
    ]
    residences = list(
        Residence.objects.filter(in_scope, person=person).select_related(*related).order_by("home_id")
    )
    lived = [HomeLink(r.home, r.get_relation_display()) for r in residences]
    household = [
        (r.person, r.get_relation_display(), r.home)
        for r in Residence.objects.filter(home_id__in=[r.home_id for r in residences])
        .exclude(person=person)
        .select_related("person", *related)
        .order_by("home_id", "person__pinyin")
    ]
    return Profile(owned, lived, household)
