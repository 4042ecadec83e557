"""Issue 15 item 2: subdistrict staff could reset the password of, or deactivate, a superuser or a staff
account that held a role in their places. The rank rule (accounts.rank) now guards services and pages."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.test import Client
from hypothesis import given
from hypothesis import strategies as st

from gongzhi.accounts import services
from gongzhi.accounts.rank import may_change_account, rank
from gongzhi.accounts.roles import Role
from gongzhi.tests.factories import SYSTEM, user_with

GOOD = "Qd-2024-safe!"


@given(st.booleans(), st.booleans(), st.booleans(), st.booleans())
def test_only_an_equal_or_higher_rank_changes_an_account(a_su, a_staff, t_su, t_staff):
    allowed = may_change_account(
        actor_superuser=a_su, actor_staff=a_staff, target_superuser=t_su, target_staff=t_staff
    )
    if t_su:
        assert allowed == a_su  # only a superuser changes a superuser
    elif t_staff:
        assert allowed == (a_su or a_staff)  # staff status counts as a higher role
    else:
        assert allowed
    assert rank(is_superuser=a_su, is_staff=a_staff) in (0, 1, 2)


@pytest.mark.django_db
@pytest.mark.parametrize("flags", [{"is_superuser": True, "is_staff": True}, {"is_staff": True}])
def test_subdistrict_staff_cannot_touch_a_higher_account_in_their_places(tree, flags):
    manager = user_with(Role.SUBDISTRICT_STAFF, tree.d("370202001"))
    target = user_with(Role.COMMUNITY_WORKER, tree.d("370202001001"), **flags)
    target.set_password("original-pass")
    target.save()
    c = Client()
    c.force_login(manager)

    page = c.get(f"/accounts/users/{target.pk}/").content.decode()
    assert "重置密码" not in page and "停用账号" not in page  # no buttons shown

    assert (
        c.post(f"/accounts/users/{target.pk}/", {"pw-password": GOOD, "pw-confirm": GOOD}).status_code == 403
    )
    assert c.post(f"/accounts/users/{target.pk}/active/").status_code in (403, 404)
    role = target.roles.get()
    assert c.post(f"/accounts/users/{target.pk}/roles/{role.pk}/revoke/").status_code in (403, 404)
    target.refresh_from_db()
    assert target.is_active and target.check_password("original-pass") and target.roles.count() == 1

    for call in (
        lambda: services.user_set_password(actor=manager, user=target, password=GOOD),
        lambda: services.user_set_active(actor=manager, user=target, active=False),
        lambda: services.role_revoke(actor=manager, assignment=role),
        lambda: services.role_grant(
            actor=manager, user=target, role=Role.COMMUNITY_WORKER, place=tree.d("370202001002")
        ),
        lambda: services.user_create(actor=manager, username="x", password=GOOD, is_staff=True),
    ):
        with pytest.raises(PermissionDenied):
            call()


@pytest.mark.django_db
def test_a_superuser_still_changes_a_staff_account_and_an_ordinary_one_is_unaffected(tree):
    manager = user_with(Role.SUBDISTRICT_STAFF, tree.d("370202001"))
    worker = user_with(Role.COMMUNITY_WORKER, tree.d("370202001001"))
    services.user_set_active(actor=manager, user=worker, active=False)
    staff = user_with(Role.COMMUNITY_WORKER, tree.d("370202001001"), is_staff=True)
    root = User.objects.create_superuser("root", password=GOOD)
    services.user_set_active(actor=root, user=staff, active=False)
    services.user_set_password(actor=SYSTEM, user=staff, password=GOOD)
    worker.refresh_from_db()
    staff.refresh_from_db()
    assert not worker.is_active and not staff.is_active
