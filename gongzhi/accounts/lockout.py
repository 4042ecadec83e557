"""Log-in guard: who is asking (behind the proxy) and how long an account must wait after failures.

Two locks, for two threats (GB/T 22239-2019 8.1.4.1 b: 登录失败处理):

* the client's **address** is locked hard by django-axes (AXES_FAILURE_LIMIT failures, AXES_COOLOFF_TIME):
  it only ever locks the one guessing;
* the **account** is never locked hard, because anyone can type anyone's username. After
  GONGZHI_LOCKOUT_ACCOUNT_FAILURES failures each further attempt waits a delay that doubles, from
  GONGZHI_LOCKOUT_ACCOUNT_BASE_SECONDS up to GONGZHI_LOCKOUT_ACCOUNT_MAX_SECONDS. Attempts made during the
  delay are refused unchecked and not counted, so a guesser gets one try per delay and the owner waits at
  most the maximum. When the delay begins, the account's tokens and other sessions are revoked.

The client address is the direct peer's, unless the peer is a trusted proxy (GONGZHI_TRUSTED_PROXIES,
addresses or networks): then it is the right-most X-Forwarded-For entry that is not itself a trusted proxy.
A client cannot choose its address by writing the header, since only the proxy's own append is believed.
"""

from __future__ import annotations

import ipaddress
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone


def _networks() -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    return [ipaddress.ip_network(p, strict=False) for p in settings.GONGZHI_TRUSTED_PROXIES]


def _parse(value: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(value.strip())
    except ValueError:
        return None


def forwarded_client(peer: str, forwarded_for: str, trusted: list[Any]) -> str:
    """The client address from the peer and its X-Forwarded-For header (a pure function, for tests)."""
    peer_ip = _parse(peer)
    if peer_ip is None or not any(peer_ip in net for net in trusted):
        return peer
    hops = [h.strip() for h in forwarded_for.split(",") if h.strip()]
    for hop in reversed(hops):
        hop_ip = _parse(hop)
        if hop_ip is None:
            return peer  # a garbled header: fall back to the proxy rather than believe it
        if not any(hop_ip in net for net in trusted):
            return str(hop_ip)
    return peer


def client_ip(request: HttpRequest | None) -> str:
    """django-axes' AXES_CLIENT_IP_CALLABLE, and the address the log-in log and sessions record."""
    if request is None:
        return ""
    meta = getattr(request, "META", {})
    return forwarded_client(meta.get("REMOTE_ADDR", ""), meta.get("HTTP_X_FORWARDED_FOR", ""), _networks())


def delay_after(failures: int) -> timedelta:
    """How long the account waits after `failures` consecutive failures (0 below the threshold)."""
    over = failures - settings.GONGZHI_LOCKOUT_ACCOUNT_FAILURES
    if over < 0:
        return timedelta(0)
    seconds = settings.GONGZHI_LOCKOUT_ACCOUNT_BASE_SECONDS * 2 ** min(over, 30)
    return timedelta(seconds=min(seconds, settings.GONGZHI_LOCKOUT_ACCOUNT_MAX_SECONDS))


def waiting(username: str, now: datetime | None = None) -> int:
    """Seconds the account must still wait before a password is checked (0: go ahead)."""
    from gongzhi.accounts.models import AccountThrottle

    until = AccountThrottle.objects.filter(username=username).values_list("delayed_until", flat=True).first()
    if until is None:
        return 0
    left = (until - (now or timezone.now())).total_seconds()
    return max(0, int(left + 0.999))


def record_failure(username: str) -> bool:
    """Count a failed log-in; True when this failure starts the account's first delay."""
    from gongzhi.accounts.models import AccountThrottle

    now = timezone.now()
    with transaction.atomic():
        row, _ = AccountThrottle.objects.select_for_update().get_or_create(username=username[:150])
        if row.last_failure_at and now - row.last_failure_at > timedelta(days=1):
            row.failures = 0  # a quiet day forgives old failures
        row.failures += 1
        row.last_failure_at = now
        delay = delay_after(row.failures)
        row.delayed_until = now + delay if delay else None
        row.save()
    return row.failures == settings.GONGZHI_LOCKOUT_ACCOUNT_FAILURES


def record_success(username: str) -> None:
    from gongzhi.accounts.models import AccountThrottle

    AccountThrottle.objects.filter(username=username).delete()


class AccountDelayBackend:
    """Runs before the password check: an account inside its delay is refused without checking.

    Raising PermissionDenied stops Django's authenticate() and sends user_login_failed; the request is
    marked so that signal does not count the refused attempt (gongzhi/accounts/events.py). It has no
    get_user(): it never signs anyone in, and force_login must not pick it.
    """

    def authenticate(self, request: HttpRequest | None, username: str | None = None, **kwargs: Any) -> None:
        if not settings.AXES_ENABLED or not username:
            return None
        left = waiting(username)
        if left:
            if request is not None:
                request.gz_account_wait = left  # type: ignore[attr-defined]
            raise PermissionDenied
        return None
