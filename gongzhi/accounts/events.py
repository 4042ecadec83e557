"""What happens around a log-in: the log-in log, session tracking, the account delay and revocations.

Connected once from AccountsConfig.ready(). Every successful and failed log-in, second-factor check,
lockout and log-out becomes a LoginEvent (kept ≥ 6 months, gongzhi/accounts/audit.py).
"""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import update_last_login
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.http import HttpRequest
from django.utils import timezone

from gongzhi.accounts import lockout

# Session keys the gate (middleware.py) reads, so a page costs no extra query.
SEEN = "gz_seen"  # epoch seconds of the last request
GATE = "gz_gate"  # {"pw": must change password, "otp": second factor required}


def log_event(kind: str, username: str, request: HttpRequest | None, user: Any = None) -> None:
    from gongzhi.accounts.models import LoginEvent

    meta = getattr(request, "META", {}) if request is not None else {}
    LoginEvent.objects.create(
        kind=kind,
        username=(username or "")[:150],
        user=user if getattr(user, "pk", None) else None,
        ip=lockout.client_ip(request) or None,
        user_agent=str(meta.get("HTTP_USER_AGENT", ""))[:200],
    )


def gate_for(user: Any) -> dict[str, bool]:
    """What the user must do before using the platform: change an initial password, pass a second factor
    (required for the listed roles and superusers, and for anyone who has set up an authenticator)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from gongzhi.accounts.models import AccountState, RoleAssignment

    must_change = AccountState.objects.filter(user=user, must_change_password=True).exists()
    needs_otp = (
        (user.is_superuser and settings.GONGZHI_2FA_SUPERUSERS)
        or RoleAssignment.objects.filter(user=user, role__in=settings.GONGZHI_2FA_ROLES).exists()
        or TOTPDevice.objects.filter(user=user, confirmed=True).exists()
    )
    return {"pw": must_change, "otp": bool(needs_otp)}


def _logged_in(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    from gongzhi.accounts.models import UserSession

    # last_login without a history row per log-in (the log-in is in LoginEvent).
    get_user_model().objects.filter(pk=user.pk).update(last_login=timezone.now())
    log_event("login", user.get_username(), request, user)
    lockout.record_success(user.get_username())
    session = getattr(request, "session", None)
    if session is None:
        return
    session[SEEN] = int(time.time())
    session[GATE] = gate_for(user)
    if session.session_key:
        meta = getattr(request, "META", {})
        UserSession.objects.update_or_create(
            session_key=session.session_key,
            defaults={
                "user": user,
                "ip": lockout.client_ip(request) or None,
                "user_agent": str(meta.get("HTTP_USER_AGENT", ""))[:200],
                "last_seen_at": timezone.now(),
            },
        )


def _logged_out(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    from gongzhi.accounts.models import UserSession

    if user is None:
        return
    log_event("logout", user.get_username(), request, user)
    key = getattr(getattr(request, "session", None), "session_key", None)
    if key:
        UserSession.objects.filter(session_key=key, ended_at__isnull=True).update(
            ended_at=timezone.now(), end_reason="logout"
        )


def _login_failed(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kw: Any
) -> None:
    username = str(credentials.get("username") or "")
    log_event("failed", username, request)
    if not settings.AXES_ENABLED or not username or getattr(request, "gz_account_wait", None):
        return  # refused during a delay: not checked, not counted
    if lockout.record_failure(username):
        user = get_user_model().objects.filter(username=username).first()
        log_event("locked", username, request, user)
        if user is not None:
            from gongzhi.accounts.services import credentials_revoke

            credentials_revoke(user=user, reason="lockout")


def connect() -> None:
    user_logged_in.disconnect(update_last_login, dispatch_uid="update_last_login")
    user_logged_in.connect(_logged_in, dispatch_uid="gongzhi-logged-in")
    user_logged_out.connect(_logged_out, dispatch_uid="gongzhi-logged-out")
    user_login_failed.connect(_login_failed, dispatch_uid="gongzhi-login-failed")
