"""The gate every signed-in page passes: idle timeout, first-log-in password change, second factor.

Reads only the session (events.GATE, events.SEEN are written at log-in), so a page costs no extra query;
the last-seen time is written at most once a minute.

* Idle for GONGZHI_IDLE_TIMEOUT_MINUTES: signed out (GB/T 22239-2019 8.1.4.1 b: 登录连接超时自动退出).
* An account whose password someone else chose (AccountState.must_change_password) goes to the password
  page first (8.1.4.2 b).
* A holder of a role in GONGZHI_2FA_ROLES (and a superuser) passes a TOTP code (django-otp) before anything
  else (8.1.4.1 d: two kinds of authentication, one cryptographic).

A demonstration install (GONGZHI_DEMO) lets demo passwords and missing second factors through; base.html
says so on every page.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from functools import lru_cache

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.translation import gettext as _

from gongzhi.accounts.events import GATE, SEEN
from gongzhi.accounts.sessions import touch_session

TOUCH_EVERY = 60  # seconds


def _open_paths() -> tuple[str, ...]:
    """Where a user held at the gate may still go: the gate's own pages, log-out, language, static files."""
    return _open_paths_under(get_script_prefix(), get_urlconf())


@lru_cache(maxsize=16)
def _open_paths_under(prefix: str, urlconf: str | None) -> tuple[str, ...]:
    """Reversed once per script prefix and URLconf: every signed-in request asks."""
    return (
        reverse("accounts:password_change"),
        reverse("accounts:otp"),
        reverse("accounts:logout"),
        "/i18n/",
        "/" + settings.STATIC_URL.lstrip("/"),
    )


class SecurityGateMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            held = self._check(request)
            if held is not None:
                return held
        return self.get_response(request)

    def _check(self, request: HttpRequest) -> HttpResponse | None:
        session = request.session
        now = int(time.time())
        seen = session.get(SEEN)
        if seen is not None and now - int(seen) > settings.GONGZHI_IDLE_TIMEOUT_MINUTES * 60:
            logout(request)
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": _("长时间未操作，已自动退出。")}, status=401)
            messages.info(request, _("长时间未操作，已自动退出，请重新登录。"))
            return redirect(f"{reverse(settings.LOGIN_URL)}?next={request.path}")
        if seen is None or now - int(seen) >= TOUCH_EVERY:
            session[SEEN] = now
            if session.session_key:
                touch_session(session.session_key)
        if settings.GONGZHI_DEMO:
            return None
        gate = session.get(GATE) or {}
        if not request.path.startswith(_open_paths()):
            if gate.get("otp") and not request.user.is_verified():  # type: ignore[union-attr]
                return redirect(f"{reverse('accounts:otp')}?next={request.path}")
            if gate.get("pw"):
                messages.warning(request, _("请先修改初始密码。"))
                return redirect(reverse("accounts:password_change"))
        return None
