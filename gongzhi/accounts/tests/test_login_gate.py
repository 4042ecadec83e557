"""Log-in (issue 15, build 2): long passwords, first-log-in change, idle timeout, TOTP for administrators, and
a log of log-ins that an audit reader reads and nobody deletes."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.test import Client
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from gongzhi.accounts import services
from gongzhi.accounts.events import SEEN
from gongzhi.accounts.models import LoginEvent, UserSession
from gongzhi.accounts.roles import Role
from gongzhi.tests.factories import SYSTEM, user_with

HOME = "/accounts/security/"
NEW_PW = "Zhanqiao-pier-1891"


def _code(device: TOTPDevice, offset: int = 0) -> str:
    return str(totp(device.bin_key, device.step, device.t0, device.digits, device.drift + offset)).zfill(6)


@pytest.fixture
def gate_on(settings):  # type: ignore[no-untyped-def]
    settings.GONGZHI_DEMO = False
    return settings


@pytest.mark.django_db
def test_passwords_need_twelve_characters(tree):
    from gongzhi.accounts.forms import PasswordForm

    user = User(username="someone")
    assert not PasswordForm({"password": "Qd-2024-saf"}, user=user).is_valid()  # 11
    assert PasswordForm({"password": "Qd-2024-safe"}, user=user).is_valid()  # 12
    assert not PasswordForm({"password": "123456789012345"}, user=user).is_valid()  # numeric


@pytest.mark.django_db
def test_initial_password_is_changed_at_first_log_in(tree, gate_on):
    staff = user_with(Role.SUBDISTRICT_STAFF, tree.d("370202001"))
    new = services.user_create(actor=staff, username="newbie", password="Initial-pw-2026")
    services.role_grant(actor=staff, user=new, role=Role.COMMUNITY_WORKER, place=tree.d("370202001001"))
    c = Client()
    assert (
        c.post("/accounts/login/", {"username": "newbie", "password": "Initial-pw-2026"}).status_code == 302
    )
    held = c.get(HOME)
    assert held.status_code == 302 and held["Location"] == "/accounts/security/password/"
    assert c.get("/api/v1/compounds/").status_code == 302
    c.post(
        "/accounts/security/password/",
        {"old_password": "Initial-pw-2026", "new_password1": NEW_PW, "new_password2": NEW_PW},
    )
    assert c.get(HOME).status_code == 200
    # A reset by a manager makes it an initial password again.
    services.user_set_password(actor=staff, user=new, password="Another-initial-1")
    c2 = Client()
    c2.post("/accounts/login/", {"username": "newbie", "password": "Another-initial-1"})
    assert c2.get(HOME)["Location"] == "/accounts/security/password/"


@pytest.mark.django_db
def test_the_demo_lets_demo_passwords_through_with_a_warning(tree, settings):
    settings.GONGZHI_DEMO = True
    services.user_create(actor=SYSTEM, username="demo_user", password="demo")
    c = Client()
    c.post("/accounts/login/", {"username": "demo_user", "password": "demo"})
    page = c.get("/accounts/security/")
    assert page.status_code == 200 and "演示环境" in page.content.decode()


@pytest.mark.django_db
def test_idle_sessions_are_signed_out(tree, settings):
    user = user_with(Role.RESIDENT, tree.compounds[0], username="resident")
    c = Client()
    c.force_login(user)
    assert c.get("/accounts/security/").status_code == 200
    session = c.session
    session[SEEN] = int(time.time()) - settings.GONGZHI_IDLE_TIMEOUT_MINUTES * 60 - 5
    session.save()
    gone = c.get("/accounts/security/")
    assert gone.status_code == 302 and gone["Location"].startswith("/accounts/login/")
    assert c.get("/accounts/security/").status_code == 302
    assert LoginEvent.objects.filter(kind="logout", username="resident").exists()


@pytest.mark.django_db
def test_administrators_set_up_and_pass_totp(tree, gate_on):
    admin = user_with(Role.DISTRICT_ADMIN, tree.d("370202"), username="qu_admin")
    c = Client()
    assert c.post("/accounts/login/", {"username": "qu_admin", "password": "pw-for-tests"}).status_code == 302
    held = c.get(HOME)
    assert held.status_code == 302 and held["Location"].startswith("/accounts/security/two-factor/")
    setup = c.get("/accounts/security/two-factor/").content.decode()
    assert 'src="data:image/svg+xml' in setup
    device = TOTPDevice.objects.get(user=admin, confirmed=False)
    bad = c.post("/accounts/security/two-factor/", {"code": "12ab56"})
    assert bad.status_code == 200 and "6 位数字" in bad.content.decode()
    wrong = c.post("/accounts/security/two-factor/", {"code": _code(device, offset=5)})
    assert wrong.status_code == 200 and "不正确" in wrong.content.decode()
    throttled = c.post("/accounts/security/two-factor/", {"code": _code(device)})
    assert "稍后再试" in throttled.content.decode()
    TOTPDevice.objects.filter(pk=device.pk).update(
        throttling_failure_count=0, throttling_failure_timestamp=None
    )
    ok = c.post("/accounts/security/two-factor/", {"code": _code(device), "next": HOME})
    assert ok.status_code == 302 and ok["Location"] == HOME
    assert c.get(HOME).status_code == 200
    device.refresh_from_db()
    assert device.confirmed
    kinds = list(LoginEvent.objects.filter(user=admin).values_list("kind", flat=True))
    assert {"login", "otp_failed", "otp_ok"} <= set(kinds)

    # Next time: a code, no QR code; an off-site `next` is not followed.
    c2 = Client()
    c2.post("/accounts/login/", {"username": "qu_admin", "password": "pw-for-tests"})
    page = c2.get("/accounts/security/two-factor/").content.decode()
    assert "data:image" not in page
    device.refresh_from_db()
    device.last_t = -1
    device.save()
    moved = c2.post(
        "/accounts/security/two-factor/", {"code": _code(device), "next": "https://evil.example/"}
    )
    assert moved["Location"] == "/"

    # The API's token log-in asks for the code as well.
    api = Client()
    refused = api.post("/api/v1/auth/token/", {"username": "qu_admin", "password": "pw-for-tests"})
    assert refused.status_code == 400 and "token" not in refused.json()
    device.refresh_from_db()
    device.last_t = -1
    device.save()
    given = api.post(
        "/api/v1/auth/token/", {"username": "qu_admin", "password": "pw-for-tests", "otp": _code(device)}
    )
    assert given.status_code == 200 and given.json()["token"]


@pytest.mark.django_db
def test_ordinary_roles_need_no_second_factor_unless_they_set_one_up(tree, gate_on):
    resident = user_with(Role.RESIDENT, tree.compounds[0], username="resident")
    c = Client()
    c.post("/accounts/login/", {"username": "resident", "password": "pw-for-tests"})
    assert c.get(HOME).status_code == 200
    TOTPDevice.objects.create(user=resident, name="phone", confirmed=True)
    c2 = Client()
    c2.post("/accounts/login/", {"username": "resident", "password": "pw-for-tests"})
    assert c2.get(HOME)["Location"].startswith("/accounts/security/two-factor/")


@pytest.mark.django_db
def test_login_log_is_read_by_the_audit_reader_in_their_places(tree):
    reader = user_with(Role.AUDIT_READER, tree.d("370202"), username="shenji")
    inside = user_with(Role.COMMUNITY_WORKER, tree.d("370202001001"), username="inside")
    outside = user_with(Role.COMMUNITY_WORKER, tree.d("370203"), username="outside")
    for user in (inside, outside):
        Client().post("/accounts/login/", {"username": user.username, "password": "wrong-wrong-wrong"})
        Client().post("/accounts/login/", {"username": user.username, "password": "pw-for-tests"})
    c = Client()
    c.force_login(reader)
    page = c.get("/accounts/audit/logins/").content.decode()
    assert "inside" in page and "outside" not in page and "登录失败" in page
    for query in ("?kind=nonsense", "?page=99999999999999999999", "?q=" + "x" * 500, "?page=-1"):
        assert c.get("/accounts/audit/logins/" + query).status_code == 200
    resident = Client()
    resident.force_login(inside)
    assert resident.get("/accounts/audit/logins/").status_code == 403
    assert Client().get("/accounts/audit/logins/").status_code == 302


@pytest.mark.django_db
def test_login_log_is_kept_six_months_and_never_deleted_by_the_application(tree, settings):
    user = user_with(Role.RESIDENT, tree.compounds[0], username="resident")
    Client().post("/accounts/login/", {"username": "resident", "password": "pw-for-tests"})
    event = LoginEvent.objects.get(kind="login", user=user)
    with pytest.raises(PermissionDenied), transaction.atomic():
        event.delete()
    with pytest.raises(PermissionDenied), transaction.atomic():
        LoginEvent.objects.all().delete()
    event.username = "someone-else"
    with pytest.raises(PermissionDenied), transaction.atomic():
        event.save()
    settings.GONGZHI_LOGIN_LOG_DAYS = 90
    with pytest.raises(CommandError):
        call_command("purge_login_log")
    settings.GONGZHI_LOGIN_LOG_DAYS = 190
    LoginEvent.objects.filter(pk=event.pk).update(at=timezone.now() - timedelta(days=200))
    call_command("purge_login_log")
    assert not LoginEvent.objects.filter(pk=event.pk).exists()
    assert UserSession.objects.filter(user=user).exists()


def test_the_gates_open_paths_follow_the_script_prefix() -> None:
    """The open paths are reversed once per script prefix (every signed-in request asks), so an install
    under a sub-path (SCRIPT_NAME) still lets a held user reach the password and second-factor pages."""
    from django.urls import reverse, set_script_prefix

    from gongzhi.accounts.middleware import _open_paths

    plain = _open_paths()
    assert reverse("accounts:password_change") in plain
    try:
        set_script_prefix("/gongzhi/")
        under = _open_paths()
        assert under[0] == "/gongzhi" + plain[0] and under[0] == reverse("accounts:password_change")
    finally:
        set_script_prefix("/")
    assert _open_paths() == plain
