"""Writes to users and role assignments.

Each service takes `actor` (a user, or gongzhi.core.actors.system(...) for commands and the demo) and checks
the users.manage right itself: over the place of a grant, or over every place the target user holds a role
at (accounts.selectors.fully_managed). Grants keep their history (django-simple-history).
"""

from __future__ import annotations

import secrets
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.db import transaction

from gongzhi.accounts.access import authorize
from gongzhi.accounts.models import RoleAssignment
from gongzhi.accounts.roles import Action, Role
from gongzhi.accounts.selectors import fully_managed, outranks
from gongzhi.core.actors import stamp
from gongzhi.places.models import Building, Compound, Division


def _manage(actor: Any, user: User) -> None:
    authorize(actor, Action.USERS_MANAGE)
    if not fully_managed(actor, user):
        raise PermissionDenied


@transaction.atomic
def role_grant(*, actor: Any, user: User, role: str, place: Division | Compound | Building) -> RoleAssignment:
    """Give `user` the `role` at `place` (idempotent). Nobody re-roles an account that outranks them."""
    authorize(actor, Action.USERS_MANAGE, place)
    if not outranks(actor, user):
        raise PermissionDenied
    existing = RoleAssignment.objects.filter(user=user, role=role, path=place.path).first()
    if existing is not None:
        return existing
    assignment = RoleAssignment(user=user, role=role, path=place.path)
    if isinstance(place, Division):
        assignment.division = place
    elif isinstance(place, Compound):
        assignment.compound = place
    else:
        assignment.building = place
    stamp(assignment, actor)
    assignment.save(force_insert=True)
    return assignment


@transaction.atomic
def user_create(
    *, actor: Any, username: str, password: str, full_name: str = "", is_staff: bool = False
) -> User:
    authorize(actor, Action.USERS_MANAGE)
    if is_staff and not outranks(actor, User(is_staff=True)):
        raise PermissionDenied
    user = User(username=username, first_name=full_name, is_staff=is_staff)
    user.set_password(password)
    user.save()
    return user


@transaction.atomic
def role_revoke(*, actor: Any, assignment: RoleAssignment) -> None:
    """Withdraw a grant. A grant has no end date, so it goes; its history keeps who held it and who revoked."""
    authorize(actor, Action.USERS_MANAGE, assignment.place)
    if not outranks(actor, assignment.user):
        raise PermissionDenied
    stamp(assignment, actor)
    assignment.delete()


@transaction.atomic
def user_set_active(*, actor: Any, user: User, active: bool) -> User:
    _manage(actor, user)
    user.is_active = active
    user.save(update_fields=["is_active"])
    return user


@transaction.atomic
def user_set_password(*, actor: Any, user: User, password: str) -> User:
    _manage(actor, user)
    user.set_password(password)
    user.save(update_fields=["password"])
    return user


def _initial_password() -> str:
    """Ten characters without look-alikes (0/O, 1/l): read out once over the counter, changed at first use."""
    alphabet = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKMNPQRSTUVWXYZ23456789"
    return "".join(secrets.choice(alphabet) for _ in range(10))


@transaction.atomic
def resident_login_create(*, actor: Any, compound: Compound, full_name: str, stem: str) -> tuple[User, str]:
    """A resident's login at ``compound`` for an owner whose identity staff checked: the account, and its
    initial password (shown once, never stored in clear).

    Staff who keep the register (``person.edit`` at the compound) may do this without ``users.manage``: the
    account holds only the resident role there, the lowest of all."""
    authorize(actor, Action.PERSON_EDIT, compound)
    username, n = stem, 1
    while User.objects.filter(username=username).exists():
        n += 1
        username = f"{stem}-{n}"
    password = _initial_password()
    user = User(username=username, first_name=full_name[:150])
    user.set_password(password)
    user.save()
    assignment = RoleAssignment(user=user, role=Role.RESIDENT, path=compound.path, compound=compound)
    stamp(assignment, actor)
    assignment.save(force_insert=True)
    return user, password
