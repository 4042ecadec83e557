"""The demo's scoped users (the people who really ask), logged in on in-process clients.

The district administrator, the subdistrict staff and a superuser pass a TOTP second factor before any page
outside a demo install (accounts/middleware.py); the benches measure the pages, not that step, so these
clients sign in with it not asked (the gate is decided once, at log-in, and kept in the session).
"""

from __future__ import annotations

from django.contrib.auth.models import User
from django.test import Client, override_settings

_NO_SECOND_FACTOR = override_settings(GONGZHI_2FA_ROLES=(), GONGZHI_2FA_SUPERUSERS=False)

# (username, role as printed): the demo users of gongzhi.demo.users who read lists and pages.
SCOPED = [
    ("shinan_admin", "district admin"),
    ("jiedao_staff", "subdistrict staff"),
    ("shequ_worker", "community worker"),
    ("dang_shuji", "party secretary"),
]


def client_for(username: str) -> Client:
    client = Client()
    with _NO_SECOND_FACTOR:
        client.force_login(User.objects.get(username=username))
    return client


def superuser_client() -> Client:
    user, _ = User.objects.get_or_create(
        username="bench_superuser", defaults={"is_superuser": True, "is_staff": True}
    )
    client = Client()
    with _NO_SECOND_FACTOR:
        client.force_login(user)
    return client
