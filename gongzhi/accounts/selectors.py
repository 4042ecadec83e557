"""Reads of users for the user-management pages, scoped to the manager's places."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from django.db.models import Prefetch, Q, QuerySet

from gongzhi.accounts.access import actor_of, scope_q
from gongzhi.accounts.models import RoleAssignment
from gongzhi.accounts.rank import may_change_account
from gongzhi.accounts.roles import Action
from gongzhi.core.actors import is_system
from gongzhi.core.paths import is_under
from gongzhi.places.models import Building, Compound, Division


def managed_users(manager: Any, query: str = "") -> QuerySet[User]:
    """Users holding at least one role inside the manager's places."""
    ids = RoleAssignment.objects.filter(scope_q(manager, Action.USERS_MANAGE)).values("user_id")
    qs = User.objects.filter(pk__in=ids)
    if query:
        qs = qs.filter(Q(username__icontains=query) | Q(first_name__icontains=query))
    roles = RoleAssignment.objects.select_related("division", "compound", "building__compound").order_by(
        "path"
    )
    return qs.prefetch_related(Prefetch("roles", queryset=roles)).order_by("username")


def outranks(manager: Any, user: User) -> bool:
    """Whether the manager's account rank allows changing `user` (accounts.rank: superuser > staff)."""
    if is_system(manager):
        return True
    return may_change_account(
        actor_superuser=bool(getattr(manager, "is_superuser", False)),
        actor_staff=bool(getattr(manager, "is_staff", False)),
        target_superuser=user.is_superuser,
        target_staff=user.is_staff,
    )


def fully_managed(manager: Any, user: User) -> bool:
    """Whether the manager may change `user`: the rank allows it and every role of `user` lies in the
    manager's places."""
    if not outranks(manager, user):
        return False
    actor = actor_of(manager)
    if actor.is_superuser:
        return True
    paths = actor.paths(Action.USERS_MANAGE)
    return all(is_under(path, paths) for path in user.roles.values_list("path", flat=True))


def place_by_code(code: str) -> Division | Compound | Building | None:
    """A division by its code, a compound by its 15-digit code, a building as <compound code>-<楼号>."""
    code = code.strip()
    if "-" in code:
        compound_code, _, number = code.partition("-")
        return Building.objects.filter(compound__code=compound_code, number=number).first()
    if code.isdigit() and len(code) == 15:
        return Compound.objects.filter(code=code).first()
    return Division.objects.filter(code=code).first()


def own_security(user: Any, current_session: str | None) -> dict[str, Any]:
    """What the "my security" page shows: the user's live sessions and tokens and recent log-ins."""
    from django.utils import timezone

    from gongzhi.accounts.models import ApiToken, LoginEvent, UserSession
    from gongzhi.accounts.otp import confirmed_device

    now = timezone.now()
    sessions = list(UserSession.objects.filter(user=user, ended_at__isnull=True).order_by("-created_at")[:50])
    for s in sessions:
        s.current = s.session_key == current_session  # type: ignore[attr-defined]
    return {
        "sessions": sessions,
        "tokens": list(
            ApiToken.objects.filter(user=user, revoked_at__isnull=True, expires_at__gt=now).order_by("-pk")
        ),
        "events": list(LoginEvent.objects.filter(user=user)[:10]),
        "otp_device": confirmed_device(user),
    }


def login_events(reader: Any, query: str = "", kind: str = "") -> QuerySet[Any]:
    """Log-in events the audit reader may see: those of accounts holding a role inside the reader's
    audit.view places (a superuser: all, attempts on unknown usernames included)."""
    from gongzhi.accounts.models import LoginEvent

    qs = LoginEvent.objects.all()
    if not actor_of(reader).is_superuser:
        ids = RoleAssignment.objects.filter(scope_q(reader, Action.AUDIT_VIEW)).values("user_id")
        qs = qs.filter(user_id__in=ids)
    if query:
        qs = qs.filter(username__icontains=query)
    if kind in LoginEvent.Kind.values:
        qs = qs.filter(kind=kind)
    return qs.order_by("-at", "-pk")


def secured_users(admin: Any) -> list[User]:
    """Accounts in the security administrator's places, each marked with its log-in delay and whether it
    has an authenticator (three queries)."""
    from django.utils import timezone
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from gongzhi.accounts.models import AccountThrottle

    ids = RoleAssignment.objects.filter(scope_q(admin, Action.SECURITY_MANAGE)).values("user_id")
    users = list(User.objects.filter(pk__in=ids).order_by("username")[:500])
    now = timezone.now()
    delayed = dict(
        AccountThrottle.objects.filter(
            username__in=[u.username for u in users], delayed_until__gt=now
        ).values_list("username", "delayed_until")
    )
    with_otp = set(
        TOTPDevice.objects.filter(user__in=users, confirmed=True).values_list("user_id", flat=True)
    )
    for u in users:
        u.delayed_until = delayed.get(u.username)  # type: ignore[attr-defined]
        u.has_otp = u.pk in with_otp  # type: ignore[attr-defined]
    return users
