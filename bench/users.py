"""The demo's scoped users (the people who really ask), logged in on in-process clients."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.test import Client

# (username, role as printed): the demo users of gongzhi.demo.users who read lists and pages.
SCOPED = [
    ("shinan_admin", "district admin"),
    ("jiedao_staff", "subdistrict staff"),
    ("shequ_worker", "community worker"),
    ("dang_shuji", "party secretary"),
]


def client_for(username: str) -> Client:
    client = Client()
    client.force_login(User.objects.get(username=username))
    return client


def superuser_client() -> Client:
    user, _ = User.objects.get_or_create(
        username="bench_superuser", defaults={"is_superuser": True, "is_staff": True}
    )
    client = Client()
    client.force_login(user)
    return client
