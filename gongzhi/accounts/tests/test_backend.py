"""The password backend (gongzhi.accounts.backends): the signed-in user read by one prepared statement is
the user Django's ModelBackend reads, field by field; inactive users and malformed ids are nobody."""

from __future__ import annotations

import pytest
from django.contrib.auth.backends import ModelBackend as DjangoModelBackend
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from gongzhi.accounts.backends import ModelBackend
from gongzhi.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_the_user_read_is_the_user_django_reads() -> None:
    user = UserFactory.create(first_name="小明", email="a@example.org", is_staff=True)
    User.objects.filter(pk=user.pk).update(last_login=timezone.now())
    mine, theirs = ModelBackend().get_user(user.pk), DjangoModelBackend().get_user(user.pk)
    assert mine is not None and theirs is not None
    for field in User._meta.concrete_fields:
        assert getattr(mine, field.attname) == getattr(theirs, field.attname), field.name
    assert mine._state.adding is False and mine._state.db == "default"
    assert mine.get_session_auth_hash() == theirs.get_session_auth_hash()
    with CaptureQueriesContext(connection) as captured:
        ModelBackend().get_user(str(user.pk))  # the session keeps the id as text
    assert len(captured) == 1


def test_inactive_users_and_malformed_ids_are_nobody() -> None:
    user = UserFactory.create(is_active=False)
    assert ModelBackend().get_user(user.pk) is None
    for bad in ("abc", None, "", -1, 0, 2**31, 2**63, "9" * 30, "1; DROP TABLE auth_user", "%00"):
        assert ModelBackend().get_user(bad) is None, bad


def test_a_signed_in_request_goes_through_it() -> None:
    client = Client()
    user = UserFactory.create()
    client.force_login(user)
    assert client.session["_auth_user_backend"] == "gongzhi.accounts.backends.ModelBackend"
    assert client.get(reverse("places:home")).status_code == 200
    User.objects.filter(pk=user.pk).update(is_active=False)
    assert client.get(reverse("places:home")).status_code == 302  # to the log-in page
