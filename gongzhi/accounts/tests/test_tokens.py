"""API tokens expire, rotate and are revoked on password change, deactivation and lockout; a user sees and
ends their own sessions and tokens (issue 15, found 8)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from gongzhi.accounts import services
from gongzhi.accounts.models import ApiToken, UserSession
from gongzhi.accounts.roles import Role
from gongzhi.tests.factories import SYSTEM, user_with

PW = "pw-for-tests"
NEW_PW = "Laoshan-river-2026"


def _token(username: str, password: str = PW) -> str:
    response = Client().post("/api/v1/auth/token/", {"username": username, "password": password})
    assert response.status_code == 200, response.content
    return str(response.json()["token"])


def _api(key: str) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Token {key}")


def _refused(key: str) -> bool:
    """The token opens nothing (DRF answers 403 rather than 401 because session auth is asked first)."""
    return _api(key).get("/api/v1/compounds/").status_code in (401, 403)


@pytest.fixture
def worker(tree):  # type: ignore[no-untyped-def]
    return user_with(Role.COMMUNITY_WORKER, tree.compounds[0].community, username="worker")


@pytest.mark.django_db
def test_token_is_stored_as_a_digest_and_expires(worker, settings):
    key = _token("worker")
    token = ApiToken.objects.get(user=worker)
    assert key not in (token.digest, token.prefix) and token.prefix == key[:8]
    assert timedelta(hours=23) < token.expires_at - timezone.now() <= timedelta(hours=24)
    assert _api(key).get("/api/v1/compounds/").status_code == 200
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    expired = _api(key).get("/api/v1/compounds/")
    assert expired.status_code in (401, 403) and "过期" in expired.json()["detail"]


@pytest.mark.django_db
def test_rotation_ends_the_old_token(worker):
    old = _token("worker")
    response = _api(old).post("/api/v1/auth/token/rotate/")
    assert response.status_code == 200
    new = response.json()["token"]
    assert _refused(old)
    assert _api(new).get("/api/v1/compounds/").status_code == 200
    # A session may not rotate: there is no token to exchange.
    c = Client()
    c.force_login(worker)
    assert c.post("/api/v1/auth/token/rotate/").status_code in (400, 403)


@pytest.mark.django_db
def test_tokens_beyond_the_limit_are_revoked(worker, settings):
    settings.GONGZHI_TOKENS_PER_USER = 2
    keys = [_token("worker") for _ in range(3)]
    assert _refused(keys[0])
    assert all(not _refused(k) for k in keys[1:])


@pytest.mark.django_db
def test_password_reset_and_deactivation_revoke_tokens_and_sessions(tree, worker):
    staff = user_with(Role.SUBDISTRICT_STAFF, tree.compounds[0].community.parent)
    key = _token("worker")
    browser = Client()
    browser.force_login(worker)
    assert browser.get("/accounts/security/").status_code == 200
    services.user_set_password(actor=staff, user=worker, password=NEW_PW)
    assert _refused(key)
    assert browser.get("/accounts/security/").status_code == 302  # signed out
    assert not UserSession.objects.filter(user=worker, ended_at__isnull=True).exists()

    key = _token("worker", NEW_PW)
    services.user_set_active(actor=staff, user=worker, active=False)
    assert _refused(key)
    assert ApiToken.objects.get(digest__isnull=False, user=worker, revoked_reason="deactivated")


@pytest.mark.django_db
def test_lockout_revokes_tokens(worker, settings):
    settings.AXES_ENABLED = True
    key = _token("worker")
    for _ in range(settings.GONGZHI_LOCKOUT_ACCOUNT_FAILURES):
        Client().post("/accounts/login/", {"username": "worker", "password": "wrong-password"})
    assert _refused(key)
    assert ApiToken.objects.get(user=worker).revoked_reason == "lockout"


@pytest.mark.django_db
def test_own_password_change_keeps_this_session_only(worker):
    here, there = Client(), Client()
    for c in (here, there):
        c.force_login(worker)
    key = _token("worker")
    weak = here.post(
        "/accounts/security/password/",
        {"old_password": PW, "new_password1": "short1", "new_password2": "short1"},
    )
    assert weak.status_code == 200 and "至少" in weak.content.decode()
    ok = here.post(
        "/accounts/security/password/",
        {"old_password": PW, "new_password1": NEW_PW, "new_password2": NEW_PW},
    )
    assert ok.status_code == 302
    assert here.get("/accounts/security/").status_code == 200
    assert there.get("/accounts/security/").status_code == 302
    assert _refused(key)
    worker.refresh_from_db()
    assert worker.check_password(NEW_PW)


@pytest.mark.django_db
def test_my_security_lists_and_ends_own_sessions_and_tokens(tree, worker):
    other = user_with(Role.RESIDENT, tree.compounds[0], username="other")
    laptop, phone = Client(), Client()
    laptop.force_login(worker)
    phone.force_login(worker)
    key = _token("worker")
    page = laptop.get("/accounts/security/").content.decode()
    assert page.count("结束") >= 2 and key[:8] in page and "当前会话" in page

    phone_session = UserSession.objects.get(session_key=phone.session.session_key)
    assert laptop.post(f"/accounts/security/sessions/{phone_session.pk}/end/").status_code == 302
    assert phone.get("/accounts/security/").status_code == 302
    token = ApiToken.objects.get(user=worker)
    assert laptop.post(f"/accounts/security/tokens/{token.pk}/end/").status_code == 302
    assert _refused(key)

    # Someone else's session or token is not found, and stays alive.
    intruder = Client()
    intruder.force_login(other)
    mine = UserSession.objects.get(session_key=laptop.session.session_key)
    assert intruder.post(f"/accounts/security/sessions/{mine.pk}/end/").status_code == 404
    assert intruder.post("/accounts/security/sessions/99999999999/end/").status_code == 404
    assert intruder.post("/accounts/security/tokens/abc/end/").status_code == 404
    assert laptop.get("/accounts/security/").status_code == 200


@pytest.mark.django_db
def test_services_refuse_other_peoples_tokens(tree, worker):
    other = user_with(Role.RESIDENT, tree.compounds[0], username="other")
    token, _key = services.token_issue(actor=worker, user=worker)
    from django.core.exceptions import PermissionDenied

    for call in (
        lambda: services.token_issue(actor=other, user=worker),
        lambda: services.token_revoke(actor=other, token=token),
        lambda: services.token_rotate(actor=SYSTEM, token=token),
    ):
        with pytest.raises(PermissionDenied):
            call()
