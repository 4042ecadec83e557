"""Reads of persons and ownership, shared by pages and the API."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from gongzhi.people.models import AccessLog, Ownership, Person


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
