"""Writes to users and role assignments."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from django.db import transaction

from gongzhi.accounts.models import RoleAssignment
from gongzhi.places.models import Building, Compound, Division


@transaction.atomic
def role_grant(*, user: User, role: str, place: Division | Compound | Building) -> RoleAssignment:
    """Give `user` the `role` at `place` (idempotent)."""
    fields: dict[str, Any] = {"division": None, "compound": None, "building": None}
    if isinstance(place, Division):
        fields["division"] = place
    elif isinstance(place, Compound):
        fields["compound"] = place
    else:
        fields["building"] = place
    assignment, _created = RoleAssignment.objects.get_or_create(
        user=user, role=role, path=place.path, defaults=fields
    )
    return assignment


@transaction.atomic
def user_create(*, username: str, password: str, full_name: str = "", is_staff: bool = False) -> User:
    user = User(username=username, first_name=full_name, is_staff=is_staff)
    user.set_password(password)
    user.save()
    return user


@transaction.atomic
def role_revoke(*, assignment: RoleAssignment) -> None:
    assignment.delete()


@transaction.atomic
def user_set_active(*, user: User, active: bool) -> User:
    user.is_active = active
    user.save(update_fields=["is_active"])
    return user


@transaction.atomic
def user_set_password(*, user: User, password: str) -> User:
    user.set_password(password)
    user.save(update_fields=["password"])
    return user
