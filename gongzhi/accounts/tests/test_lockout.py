"""Behind the HTTPS proxy the guard keys on the client, and an account only ever waits a bounded, growing
delay — nobody can lock someone else out for good (issue 15, found 9)."""

from __future__ import annotations

import ipaddress
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from gongzhi.accounts.lockout import delay_after, forwarded_client
from gongzhi.accounts.models import AccountThrottle, LoginEvent
from gongzhi.accounts.roles import Role
from gongzhi.tests.factories import user_with

PROXY = "10.0.0.5"
NETS = [ipaddress.ip_network("10.0.0.0/29")]


def test_client_address_is_believed_only_from_a_trusted_proxy():
    # A direct client writing the header is ignored.
    assert forwarded_client("203.0.113.9", "198.51.100.1", NETS) == "203.0.113.9"
    # Through the proxy: the entry the proxy appended (the right-most), not what the client wrote first.
    assert forwarded_client(PROXY, "198.51.100.1, 192.0.2.44", NETS) == "192.0.2.44"
    # Two trusted hops are skipped.
    assert forwarded_client(PROXY, "192.0.2.44, 10.0.0.3", NETS) == "192.0.2.44"
    # Garbage or nothing: the proxy's own address, never a made-up one.
    assert forwarded_client(PROXY, "192.0.2.44, not-an-ip", NETS) == PROXY
    assert forwarded_client(PROXY, "", NETS) == PROXY
    assert forwarded_client("", "192.0.2.44", NETS) == ""


@given(st.integers(min_value=0, max_value=10_000))
def test_delay_grows_and_is_bounded(failures):
    from django.conf import settings

    limit = settings.GONGZHI_LOCKOUT_ACCOUNT_FAILURES
    delay = delay_after(failures)
    assert delay <= timedelta(seconds=settings.GONGZHI_LOCKOUT_ACCOUNT_MAX_SECONDS)
    assert (delay > timedelta(0)) == (failures >= limit)
    assert delay_after(failures + 1) >= delay


def _post(c: Client, client_ip: str, username: str, password: str):  # type: ignore[no-untyped-def]
    return c.post(
        "/accounts/login/",
        {"username": username, "password": password},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=client_ip,
    )


@pytest.mark.django_db
def test_an_attacker_behind_the_proxy_locks_only_himself(tree, settings):
    settings.AXES_ENABLED = True
    settings.GONGZHI_TRUSTED_PROXIES = ["10.0.0.0/29"]
    settings.AXES_FAILURE_LIMIT = 8
    user_with(Role.COMMUNITY_WORKER, tree.compounds[0].community, username="victim")
    attacker, victim = Client(), Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _post(attacker, "198.51.100.7", "victim", "guess-guess-guess")
    # The attacker's address is now locked hard: even the right password is refused from there.
    locked = _post(attacker, "198.51.100.7", "victim", "pw-for-tests")
    assert locked.status_code in (403, 429)
    # The account waits its delay; the owner, at another address behind the same proxy, is told how long.
    waiting = _post(victim, "192.0.2.20", "victim", "pw-for-tests")
    assert waiting.status_code == 200 and "秒后再试" in waiting.content.decode()
    # When the delay has passed the owner signs in, from the same proxy.
    AccountThrottle.objects.filter(username="victim").update(delayed_until=timezone.now())
    ok = _post(victim, "192.0.2.20", "victim", "pw-for-tests")
    assert ok.status_code == 302
    assert not AccountThrottle.objects.filter(username="victim").exists()
    assert LoginEvent.objects.filter(kind="login", username="victim").values_list("ip", flat=True)[0] == (
        "192.0.2.20"
    )
    assert LoginEvent.objects.filter(kind="failed", ip="198.51.100.7").count() >= 8


@pytest.mark.django_db
def test_attempts_during_the_delay_are_not_checked_or_counted(tree, settings):
    settings.AXES_ENABLED = True
    user_with(Role.RESIDENT, tree.compounds[0], username="resident")
    c = Client()
    limit = settings.GONGZHI_LOCKOUT_ACCOUNT_FAILURES
    for _ in range(limit):
        c.post("/accounts/login/", {"username": "resident", "password": "nope-nope-nope"})
    row = AccountThrottle.objects.get(username="resident")
    assert row.failures == limit and row.delayed_until is not None
    first_delay = row.delayed_until - row.last_failure_at  # type: ignore[operator]
    assert first_delay == timedelta(seconds=settings.GONGZHI_LOCKOUT_ACCOUNT_BASE_SECONDS)
    for _ in range(10):
        c.post("/accounts/login/", {"username": "resident", "password": "nope-nope-nope"})
    row.refresh_from_db()
    assert row.failures == limit  # refused unchecked during the delay
    # The next failure after the delay doubles it.
    AccountThrottle.objects.filter(pk=row.pk).update(delayed_until=timezone.now() - timedelta(seconds=1))
    c.post("/accounts/login/", {"username": "resident", "password": "nope-nope-nope"})
    row.refresh_from_db()
    assert row.delayed_until - row.last_failure_at == 2 * first_delay  # type: ignore[operator]


@pytest.mark.django_db
def test_the_api_token_log_in_waits_too(tree, settings):
    settings.AXES_ENABLED = True
    user_with(Role.RESIDENT, tree.compounds[0], username="resident")
    c = Client()
    for _ in range(settings.GONGZHI_LOCKOUT_ACCOUNT_FAILURES):
        c.post("/api/v1/auth/token/", {"username": "resident", "password": "nope-nope-nope"})
    refused = c.post("/api/v1/auth/token/", {"username": "resident", "password": "pw-for-tests"})
    assert refused.status_code in (400, 403, 429)
    assert "token" not in refused.content.decode()
