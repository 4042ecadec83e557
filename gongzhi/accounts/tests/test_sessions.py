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


def test_saving_a_session_writes_its_data_in_one_statement_and_refuses_an_ended_one() -> None:
    """An existing session is saved by one UPDATE (PostgreSQL: prepared, no BEGIN/COMMIT around it); a
    session ended meanwhile (signed out elsewhere) is not brought back."""
    from django.contrib.sessions.backends.base import UpdateError
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = Client()
    client.force_login(UserFactory.create())
    key = client.cookies["sessionid"].value
    store = SessionStore(session_key=key)
    store["共治"] = "表决"
    with CaptureQueriesContext(connection) as captured:
        store.save()
    if connection.vendor == "postgresql":
        assert [q["sql"].split()[0] for q in captured] == ["UPDATE"]
    assert SessionStore(session_key=key)["共治"] == "表决"
    assert str(SessionStore(session_key=key)["_auth_user_id"]) == str(client.session["_auth_user_id"])

    Session.objects.filter(session_key=key).delete()
    ended = SessionStore(session_key=key)
    ended._session_cache = {"x": 1}  # type: ignore[attr-defined]  # as a request that loaded it before
    with pytest.raises(UpdateError):
        ended.save()
    assert not Session.objects.filter(session_key=key).exists()


def test_the_gate_stamps_last_activity_once_a_minute() -> None:
    """touch_session writes the session list's last activity (what a user reads to end their sessions)."""
    import time

    from gongzhi.accounts.events import SEEN
    from gongzhi.accounts.models import UserSession
    from gongzhi.accounts.sessions import touch_session

    user = UserFactory.create()
    client = Client()
    client.force_login(user)
    key = client.cookies["sessionid"].value
    tracked = UserSession.objects.get(user=user, session_key=key)  # the log-in records it
    touch_session(key)
    tracked.refresh_from_db()
    assert tracked.last_seen_at is not None and timezone.now() - tracked.last_seen_at < timedelta(minutes=1)

    UserSession.objects.filter(pk=tracked.pk).update(last_seen_at=None)
    session = client.session
    session[SEEN] = int(time.time()) - 61  # last seen over a minute ago
    session.save()
    assert client.get(reverse("places:home")).status_code == 200
    tracked.refresh_from_db()
    assert tracked.last_seen_at is not None
    assert int(SessionStore(session_key=key)[SEEN]) >= int(time.time()) - 5
