"""The session store (gongzhi.accounts.sessions): Django's database sessions read by one plain statement —
a live session signs the user in, an expired, unknown or malformed one does not, and ending a session
still ends it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from gongzhi.accounts.sessions import SessionStore
from gongzhi.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_a_live_session_signs_in_and_an_expired_or_unknown_one_does_not() -> None:
    user = UserFactory.create()
    client = Client()
    client.force_login(user)
    key = client.cookies["sessionid"].value
    store = SessionStore(session_key=key)
    assert str(store["_auth_user_id"]) == str(user.pk) and store.session_key == key
    assert client.get(reverse("places:home")).status_code == 200

    Session.objects.filter(session_key=key).update(expire_date=timezone.now() - timedelta(seconds=1))
    expired = SessionStore(session_key=key)
    assert expired.load() == {} and expired.session_key is None
    assert client.get(reverse("places:home")).status_code == 302  # to the log-in page

    for bad in ("no-such-session-key-000000000000", "x" * 40, "' OR 1=1 --" + "a" * 30, "%00" * 12):
        client.cookies["sessionid"] = bad
        assert client.get(reverse("places:home")).status_code == 302, bad
    assert SessionStore(session_key=None).load() == {}


def test_a_deleted_session_is_gone() -> None:
    client = Client()
    client.force_login(UserFactory.create())
    key = client.cookies["sessionid"].value
    SessionStore(session_key=key).delete()
    assert not Session.objects.filter(session_key=key).exists()
    assert SessionStore(session_key=key).load() == {}
    assert client.get(reverse("places:home")).status_code == 302
