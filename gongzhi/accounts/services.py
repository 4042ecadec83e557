"""Writes to users and role assignments.

Each service takes `actor` (a user, or gongzhi.core.actors.system(...) for commands and the demo) and checks
the users.manage right itself: over the place of a grant, or over every place the target user holds a role
at (accounts.selectors.fully_managed). Grants keep their history (django-simple-history).
"""

from __future__ import annotations

import secrets
from datetime import datetime
from importlib import import_module
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from gongzhi.accounts import duties, tokens
from gongzhi.accounts.access import authorize
from gongzhi.accounts.models import AccountState, ApiToken, RoleAssignment, UserSession
from gongzhi.accounts.roles import Action, Role
from gongzhi.accounts.selectors import fully_managed, outranks
from gongzhi.core.actors import is_system, stamp
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
    if role in duties.OPERATOR_GRANTS and not (is_system(actor) or actor.is_superuser):
        raise PermissionDenied
    existing = RoleAssignment.objects.filter(user=user, role=role, path=place.path).first()
    if existing is not None:
        return existing
    held = set(RoleAssignment.objects.filter(user=user).values_list("role", flat=True))
    conflict = duties.conflict(held, role)
    if conflict:
        raise PermissionDenied(conflict)
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
    stamp(user, actor, "创建账号")
    user.save()
    # Someone else chose this password: the holder changes it at first log-in (outside the demo).
    AccountState.objects.create(user=user, must_change_password=True)
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
    stamp(user, actor, "启用账号" if active else "停用账号")
    user.save(update_fields=["is_active"])
    if not active:
        credentials_revoke(user=user, reason="deactivated")
    return user


@transaction.atomic
def user_set_password(*, actor: Any, user: User, password: str) -> User:
    _manage(actor, user)
    _set_password(actor, user, password, must_change=True, reason="重置密码")
    credentials_revoke(user=user, reason="password_reset")
    return user


def _set_password(actor: Any, user: User, password: str, *, must_change: bool, reason: str) -> None:
    user.set_password(password)
    stamp(user, actor, reason)
    user.save(update_fields=["password"])
    state, _ = AccountState.objects.get_or_create(user=user)
    state.must_change_password = must_change
    state.password_changed_at = timezone.now()
    stamp(state, actor, reason)
    state.save()


@transaction.atomic
def password_change_own(*, actor: Any, password: str, keep_session: str | None = None) -> None:
    """The user changes their own password (validated by the form). Every token and every other session
    ends; the caller keeps `keep_session` alive with update_session_auth_hash."""
    if not getattr(actor, "is_authenticated", False) or not isinstance(actor, User):
        raise PermissionDenied
    _set_password(actor, actor, password, must_change=False, reason="本人修改密码")
    credentials_revoke(user=actor, reason="password_changed", keep_session=keep_session)


# --- Tokens and sessions ----------------------------------------------------------------------------------


@transaction.atomic
def token_issue(*, actor: Any, user: User) -> tuple[ApiToken, str]:
    """A new API token for `user` (the holder, after a log-in). Returns the row and the key, shown once.
    Beyond GONGZHI_TOKENS_PER_USER live tokens, the oldest are revoked."""
    from django.conf import settings

    if getattr(actor, "pk", None) != user.pk:
        raise PermissionDenied
    key = tokens.new_key()
    now = timezone.now()
    token = ApiToken.objects.create(
        user=user, digest=tokens.digest(key), prefix=key[:8], expires_at=now + tokens.ttl()
    )
    live = ApiToken.objects.filter(user=user, revoked_at__isnull=True, expires_at__gt=now).order_by("-pk")
    surplus = list(live.values_list("pk", flat=True)[settings.GONGZHI_TOKENS_PER_USER :])
    ApiToken.objects.filter(pk__in=surplus).update(revoked_at=now, revoked_reason="superseded")
    return token, key


@transaction.atomic
def token_rotate(*, actor: Any, token: ApiToken) -> tuple[ApiToken, str]:
    """Exchange a live token for a new one; the old one stops working at once."""
    if token.user_id != getattr(actor, "pk", None) or token.revoked_at is not None:
        raise PermissionDenied
    token_revoke(actor=actor, token=token, reason="rotated")
    return token_issue(actor=actor, user=token.user)


@transaction.atomic
def token_revoke(*, actor: Any, token: ApiToken, reason: str = "ended_by_user") -> None:
    if token.user_id != getattr(actor, "pk", None):
        raise PermissionDenied
    ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
        revoked_at=timezone.now(), revoked_reason=reason
    )


@transaction.atomic
def session_end(*, actor: Any, session: UserSession, reason: str = "ended_by_user") -> None:
    """End one of the actor's own browser sessions: its stored session is deleted, so the cookie opens
    nothing."""
    if session.user_id != getattr(actor, "pk", None):
        raise PermissionDenied
    _end_sessions(UserSession.objects.filter(pk=session.pk), reason, timezone.now())


def credentials_revoke(*, user: User, reason: str, keep_session: str | None = None) -> None:
    """Revoke every token and end every session of `user` (but `keep_session`): on password change or
    reset, deactivation and lockout. Called inside the caller's transaction."""
    now = timezone.now()
    ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=now, revoked_reason=reason)
    sessions = UserSession.objects.filter(user=user, ended_at__isnull=True)
    if keep_session:
        sessions = sessions.exclude(session_key=keep_session)
    _end_sessions(sessions, reason, now)


def _end_sessions(sessions: Any, reason: str, now: datetime) -> None:
    from django.conf import settings

    store = import_module(settings.SESSION_ENGINE).SessionStore
    keys = list(sessions.values_list("session_key", flat=True))
    for key in keys:
        store(session_key=key).delete()
    UserSession.objects.filter(session_key__in=keys).update(ended_at=now, end_reason=reason)


# --- The security administrator's tools (security.manage) ---------------------------------------------------


def _secure(actor: Any, user: User) -> None:
    """security.manage over every place the target holds a role at, and a rank that allows it."""
    from gongzhi.accounts.access import actor_of
    from gongzhi.core.paths import is_under

    authorize(actor, Action.SECURITY_MANAGE)
    if not outranks(actor, user):
        raise PermissionDenied
    if is_system(actor) or actor_of(actor).is_superuser:
        return
    paths = actor_of(actor).paths(Action.SECURITY_MANAGE)
    roles = list(user.roles.values_list("path", flat=True))
    if not roles or not all(is_under(p, paths) for p in roles):
        raise PermissionDenied


@transaction.atomic
def throttle_clear(*, actor: Any, user: User) -> None:
    """Lift an account's log-in delay (the owner proved who they are some other way)."""
    from gongzhi.accounts.models import AccountThrottle

    _secure(actor, user)
    AccountThrottle.objects.filter(username=user.username).delete()
    _note(actor, user, "解除登录延迟")


@transaction.atomic
def otp_reset(*, actor: Any, user: User) -> None:
    """Remove an account's authenticator (a lost phone): the next log-in sets up a new one. Its sessions and
    tokens end."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    _secure(actor, user)
    TOTPDevice.objects.filter(user=user).delete()
    credentials_revoke(user=user, reason="otp_reset")
    _note(actor, user, "重置两步验证")


def _note(actor: Any, user: User, reason: str) -> None:
    """A history row on the account's security state names who did it and why."""
    state, _ = AccountState.objects.get_or_create(user=user)
    stamp(state, actor, reason)
    state.save()


def _initial_password() -> str:
    """Twelve characters (the minimum length) without look-alikes (0/O, 1/l): read out once over the counter,
    changed at first log-in (``AccountState.must_change_password``)."""
    alphabet = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKMNPQRSTUVWXYZ23456789"
    return "".join(secrets.choice(alphabet) for _ in range(12))


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
    stamp(user, actor, "创建居民账号")
    user.save()
    state = AccountState(user=user, must_change_password=True, password_changed_at=timezone.now())
    stamp(state, actor, "创建居民账号")
    state.save()
    assignment = RoleAssignment(user=user, role=Role.RESIDENT, path=compound.path, compound=compound)
    stamp(assignment, actor)
    assignment.save(force_insert=True)
    return user, password
