"""Separation of duties, logs nobody deletes, and a history page for every object (issue 15, build 3 and 4)."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.test import Client
from hypothesis import given
from hypothesis import strategies as st

from gongzhi.accounts import services
from gongzhi.accounts.audit import is_log
from gongzhi.accounts.duties import ADMINISTRATORS, conflict
from gongzhi.accounts.models import LoginEvent, RoleAssignment
from gongzhi.accounts.roles import PERMISSIONS, READ_ONLY_ROLES, Role, granted_roles
from gongzhi.places import services as places
from gongzhi.tests.factories import UserFactory, user_with

ROLES = granted_roles()

# Models without a simple_history table, and where their who/when/what is kept instead.
AUDITED_ELSEWHERE = {
    "places.Division": "reference data from the national division codes, loaded by a command, not edited",
    "accounts.ApiToken": "a credential: created_at, last_used_at, revoked_at and revoked_reason on the row",
    "accounts.UserSession": "itself a record of a session: created, last seen, ended and why",
    "accounts.AccountThrottle": "transient counter of failed log-ins; each failure is a LoginEvent",
    "party.CompoundPartyStats": "counters derived from the chain, rebuilt by party.services",
    "affairs.Attachment": "uploaded_by and uploaded_at on the row; added and removed on the matter's timeline",
    "affairs.Ballot": "every cast is a BallotChange row (a log)",
    "ledgers.LedgerImport": "a job record: created_by, created_at, status; its rows carry their own history",
    "affairs.SheetJob": "a job record: created_by, created_at, status; the ballots it records are chained",
    "ledgers.LedgerExport": "a job record: created_by, created_at",
    "ledgers.ImportJournal": "the undo journal of a running import, emptied when the job ends",
    "people.SecurityAlert": "itself a log: an alert written once (kind, user, at), read by the security admin",
    "affairs.NoticeItem": "written with its Notice (which keeps history) and never edited: a change is a new notice",
    "affairs.RegisterEntry": "the frozen register, written once when the notice is posted and never edited",
    "affairs.BallotSeal": "the ballot chain's seals over BallotChange (a log); verify_vote recomputes them",
    "campaign.Update": "itself a record: a dated progress update with its author and evidence",
    "cogovern.CompoundStatus": "derived rows: the map's per-compound facts, rebuilt from rows that keep history",
    "trading.Bid": "itself a log: each bid is a numbered row (listing, seq) with its bidder and time, never edited",
    "monitoring.Warning": "the rows of an imported warning list, written once with their WarningList (history kept)",
    "dashboard.Snapshot": "figures computed from the data on a date; recomputed, never typed",
    "dashboard.SnapshotRun": "a job record: when a snapshot ran and who asked",
    "trading.Change": "itself a log: the change feed, one row per change written in the changing transaction",
    "insights.SourceChanges": "counters of write statements kept by database triggers, never typed",
    "insights.StoredFigures": "figures computed from the data and stored with their stamp; recomputed, never typed",
    "centre.PipelineSummary": "the overview's figures computed from rows that keep history; recomputed, never typed",
    "reporting.MemberLogin": "the link of a login to a reporting member, written once by a service",
    "reporting.Notice": "itself a record: a notice sent to a member about a need that fits (who, when, read)",
}


@given(st.sets(st.sampled_from(ROLES)), st.sampled_from(ROLES))
def test_one_administrator_duty_per_account(held, role):
    """GB/T 22239-2019 8.1.4.2 d: the three administrators are separate people."""
    refused = bool(conflict(held, role))
    assert refused == (role in ADMINISTRATORS and bool(set(held) & ADMINISTRATORS - {role}))


def test_audit_roles_only_read():
    for role in READ_ONLY_ROLES:
        assert PERMISSIONS[role] == {"place.view", "audit.view", "governance.view"}  # all three only read
    for role in ADMINISTRATORS - READ_ONLY_ROLES:
        assert "audit.view" not in PERMISSIONS[role]
    assert (
        "users.manage" in PERMISSIONS["system_admin"] and "security.manage" in PERMISSIONS["security_admin"]
    )


@pytest.mark.django_db
def test_services_refuse_a_second_duty_and_only_the_operator_grants_duties(tree):
    district = tree.d("370202")
    root = UserFactory.create(is_superuser=True, is_staff=True)
    person = UserFactory.create()
    services.role_grant(actor=root, user=person, role=Role.SYSTEM_ADMIN, place=district)
    for other in (Role.SECURITY_ADMIN, Role.AUDIT_ADMIN):
        with pytest.raises(PermissionDenied, match="职责分离"):
            services.role_grant(actor=root, user=person, role=other, place=district)
    staff = user_with(Role.SUBDISTRICT_STAFF, tree.d("370202001"))
    someone = UserFactory.create()
    for role in (Role.AUDIT_READER, Role.AUDIT_ADMIN, Role.SECURITY_ADMIN, Role.SYSTEM_ADMIN):
        with pytest.raises(PermissionDenied):
            services.role_grant(actor=staff, user=someone, role=role, place=tree.d("370202001"))
    assert not RoleAssignment.objects.filter(user=someone).exists()
    # The user pages offer a manager none of them.
    c = Client()
    c.force_login(staff)
    page = c.get("/accounts/users/new/").content.decode()
    assert "审计查阅员" not in page and "系统管理员" not in page


def test_every_model_keeps_history_or_is_a_log_or_says_where_its_audit_is():
    missing = []
    for model in apps.get_models():
        label = model._meta.label
        if not (model.__module__.startswith("gongzhi") or label == "auth.User"):
            continue
        if is_log(model) or getattr(model._meta, "simple_history_manager_attribute", None):
            continue
        if label not in AUDITED_ELSEWHERE:
            missing.append(label)
    assert not missing, f"no history and no audit record: {missing}"
    assert getattr(User._meta, "simple_history_manager_attribute", None)


@pytest.mark.django_db
def test_logs_cannot_be_deleted_by_anyone_through_the_application(tree):
    user = user_with(Role.RESIDENT, tree.compounds[0], username="resident")
    Client().post("/accounts/login/", {"username": "resident", "password": "pw-for-tests"})
    history = RoleAssignment.history.filter(user_id=user.pk).first()
    assert history is not None
    for doomed in (history, LoginEvent.objects.first()):
        with pytest.raises(PermissionDenied), transaction.atomic():
            doomed.delete()  # type: ignore[union-attr]
    with pytest.raises(PermissionDenied), transaction.atomic():
        RoleAssignment.history.all().delete()
    # The superuser's admin offers no delete and refuses the delete page.
    root = UserFactory.create(is_superuser=True, is_staff=True)
    c = Client()
    c.force_login(root)
    event = LoginEvent.objects.get(username="resident", kind="login")
    listing = c.get("/admin/accounts/loginevent/").content.decode()
    assert "delete_selected" not in listing
    assert c.get(f"/admin/accounts/loginevent/{event.pk}/delete/").status_code in (403, 302)
    assert c.post(f"/admin/accounts/loginevent/{event.pk}/delete/", {"post": "yes"}).status_code in (403, 302)
    assert c.post(f"/admin/accounts/loginevent/{event.pk}/change/", {"username": "x"}).status_code == 403
    assert LoginEvent.objects.filter(pk=event.pk, username="resident").exists()


@pytest.mark.django_db
def test_history_page_shows_who_changed_what(tree):
    compound = tree.compounds[0]
    worker = user_with(Role.COMMUNITY_WORKER, compound.community, username="worker", first_name="李四")
    reader = user_with(Role.AUDIT_READER, tree.d("370202"), username="reader")
    old_name = compound.name
    places.compound_update(actor=worker, compound=compound, name="海景花园（更名）")
    c = Client()
    c.force_login(reader)
    url = f"/history/places.compound/{compound.pk}/"
    page = c.get(url).content.decode()
    assert "李四" in page and old_name in page and "海景花园（更名）" in page
    # Reachable from the compound's page.
    assert url in c.get(f"/places/c/{compound.code}/").content.decode()
    # Outside the reader's places: 404; a worker without audit.view: 403 inside, no link.
    outside = tree.compounds[-1]
    assert c.get(f"/history/places.compound/{outside.pk}/").status_code == 404
    w = Client()
    w.force_login(worker)
    assert w.get(url).status_code == 403
    assert url not in w.get(f"/places/c/{compound.code}/").content.decode()
    for bad in (
        "/history/nothing.here/1/",
        "/history/places.compound/99999999999999/",
        "/history/places.division/1/",  # no history kept
        "/history/accounts.loginevent/1/",
        "/history/%00/1/",
    ):
        assert c.get(bad).status_code in (400, 404), bad


@pytest.mark.django_db
def test_user_management_is_in_the_history_and_hides_credentials(tree):
    staff = user_with(Role.SUBDISTRICT_STAFF, tree.d("370202001"), username="staff", first_name="王五")
    reader = user_with(Role.AUDIT_READER, tree.d("370202"), username="reader")
    target = services.user_create(actor=staff, username="target", password="Initial-pw-2026")
    services.role_grant(actor=staff, user=target, role=Role.COMMUNITY_WORKER, place=tree.d("370202001001"))
    services.user_set_password(actor=staff, user=target, password="Second-pw-20261")
    services.user_set_active(actor=staff, user=target, active=False)
    records = User.history.filter(id=target.pk)  # type: ignore[attr-defined]
    assert {"创建账号", "重置密码", "停用账号"} <= {r.history_change_reason for r in records}
    assert all(r.history_user_id == staff.pk for r in records)
    c = Client()
    c.force_login(reader)
    page = c.get(f"/history/auth.user/{target.pk}/").content.decode()
    assert "停用账号" in page and "王五" in page and "pbkdf2" not in page
    grants = c.get(f"/history/accounts.roleassignment/{target.roles.get().pk}/").content.decode()
    assert "王五" in grants and "社区工作者" in grants


@pytest.mark.django_db
def test_demo_duty_accounts_are_separate_and_idempotent(tree):
    from gongzhi.demo.security import build_security

    first = build_security(password="demo")
    again = build_security(password="demo")
    assert [x.username for x in first] == [x.username for x in again]
    held = RoleAssignment.objects.filter(user__username__in=[x.username for x in first])
    assert held.count() == 4
    assert held.values("user").distinct().count() == 4  # one duty per account


@pytest.mark.django_db
def test_security_admin_lifts_delays_and_resets_authenticators_in_their_places(tree, settings):
    from datetime import timedelta

    from django.utils import timezone
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from gongzhi.accounts.models import AccountThrottle

    admin = user_with(Role.SECURITY_ADMIN, tree.d("370202"), username="anquan", first_name="安全")
    inside = user_with(Role.SUBDISTRICT_STAFF, tree.d("370202001"), username="inside")
    outside = user_with(Role.SUBDISTRICT_STAFF, tree.d("370203"), username="outside")
    for user in (inside, outside):
        AccountThrottle.objects.create(username=user.username, failures=9, delayed_until=None)
        AccountThrottle.objects.filter(username=user.username).update(
            delayed_until=timezone.now() + timedelta(minutes=5)
        )
        TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    c = Client()
    c.force_login(admin)
    page = c.get("/accounts/security/accounts/").content.decode()
    assert "inside" in page and "outside" not in page and "延迟至" in page
    assert c.post(f"/accounts/security/accounts/{inside.pk}/delay/").status_code == 302
    assert c.post(f"/accounts/security/accounts/{inside.pk}/two-factor/").status_code == 302
    assert not AccountThrottle.objects.filter(username="inside").exists()
    assert not TOTPDevice.objects.filter(user=inside).exists()
    reasons = {h.history_change_reason for h in inside.security.history.all()}
    assert {"解除登录延迟", "重置两步验证"} <= reasons
    for url in (
        f"/accounts/security/accounts/{outside.pk}/delay/",
        f"/accounts/security/accounts/{outside.pk}/two-factor/",
    ):
        assert c.post(url).status_code == 404
    assert AccountThrottle.objects.filter(username="outside").exists()
    assert TOTPDevice.objects.filter(user=outside).exists()
    # Nobody else finds the page; the service refuses them too.
    staff = Client()
    staff.force_login(inside)
    assert staff.get("/accounts/security/accounts/").status_code == 404
    with pytest.raises(PermissionDenied):
        services.otp_reset(actor=inside, user=outside)
