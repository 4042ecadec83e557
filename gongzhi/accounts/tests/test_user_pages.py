"""District and subdistrict staff manage accounts and roles inside their own places, and nowhere else."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client

from gongzhi.accounts.models import RoleAssignment
from gongzhi.accounts.roles import Role
from gongzhi.tests.factories import SYSTEM, user_with

GOOD = "Qd-2024-safe!"


def login(user: User) -> Client:
    c = Client()
    c.force_login(user)
    return c


@pytest.mark.django_db
def test_subdistrict_staff_creates_a_community_worker(tree):
    staff = user_with(Role.SUBDISTRICT_STAFF, tree.d("370202001"))
    c = login(staff)
    assert (
        "用户管理" in c.get("/").content.decode()
        or "用户管理" in c.get("/places/d/370202001/").content.decode()
    )
    response = c.post(
        "/accounts/users/new/",
        {
            "username": "wang.li",
            "full_name": "王丽",
            "password": GOOD,
            "role": Role.COMMUNITY_WORKER,
            "place": "370202001001",
        },
    )
    new = User.objects.get(username="wang.li")
    assert response["Location"] == f"/accounts/users/{new.pk}/"
    assert list(new.roles.values_list("role", "path")) == [
        (Role.COMMUNITY_WORKER, tree.d("370202001001").path)
    ]
    assert new.check_password(GOOD)
    listing = c.get("/accounts/users/").content.decode()
    assert "wang.li" in listing and staff.username in listing


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {
                "username": "a",
                "full_name": "甲",
                "password": GOOD,
                "role": Role.COMMUNITY_WORKER,
                "place": "370202009001",
            },
            "不在您管理",
        ),
        (
            {
                "username": "a",
                "full_name": "甲",
                "password": GOOD,
                "role": Role.COMMUNITY_WORKER,
                "place": "999",
            },
            "没有找到",
        ),
        (
            {
                "username": "a",
                "full_name": "甲",
                "password": GOOD,
                "role": Role.DISTRICT_ADMIN,
                "place": "370202001",
            },
            "选择一个有效的选项",
        ),
        (
            {
                "username": "a",
                "full_name": "甲",
                "password": "123",
                "role": Role.COMMUNITY_WORKER,
                "place": "370202001001",
            },
            "密码",
        ),
        (
            {
                "username": "a b",
                "full_name": "甲",
                "password": GOOD,
                "role": Role.COMMUNITY_WORKER,
                "place": "370202001001",
            },
            "用户名",
        ),
        (
            {
                "username": "a",
                "full_name": "甲",
                "password": GOOD,
                "role": Role.PARTY_SECRETARY,
                "place": "370202001001",
            },
            "应授予在小区上",
        ),
    ],
)
def test_bad_input_changes_nothing(tree, data, message):
    staff = user_with(Role.SUBDISTRICT_STAFF, tree.d("370202001"))
    response = login(staff).post("/accounts/users/new/", data)
    assert response.status_code == 200 and message in response.content.decode()
    assert not User.objects.filter(username__in=["a", "a b"]).exists()


@pytest.mark.django_db
def test_scope_of_user_management(tree):
    staff = user_with(Role.SUBDISTRICT_STAFF, tree.d("370202001"))
    mine = user_with(Role.COMMUNITY_WORKER, tree.d("370202001001"))
    elsewhere = user_with(Role.COMMUNITY_WORKER, tree.d("370202009001"))
    boss = user_with(Role.DISTRICT_ADMIN, tree.d("370202"))
    c = login(staff)
    assert c.get(f"/accounts/users/{elsewhere.pk}/").status_code == 404
    assert c.get(f"/accounts/users/{boss.pk}/").status_code == 404
    # A worker with a second role outside the staff's places can be seen but not changed.
    from gongzhi.accounts.services import role_grant

    role_grant(actor=SYSTEM, user=elsewhere, role=Role.RESIDENT, place=tree.compounds[0])
    assert c.get(f"/accounts/users/{elsewhere.pk}/").status_code == 200
    assert c.post(f"/accounts/users/{elsewhere.pk}/active/").status_code == 403
    # The staff's own worker: deactivate, reset password, grant and revoke a role.
    assert c.post(f"/accounts/users/{mine.pk}/active/").status_code == 302
    mine.refresh_from_db()
    assert not mine.is_active
    c.post(f"/accounts/users/{mine.pk}/", {"pw-password": GOOD})
    mine.refresh_from_db()
    assert mine.check_password(GOOD)
    c.post(f"/accounts/users/{mine.pk}/", {"role-role": Role.RESIDENT, "role-place": tree.compounds[1].code})
    granted = RoleAssignment.objects.get(user=mine, role=Role.RESIDENT)
    c.post(f"/accounts/users/{mine.pk}/roles/{granted.pk}/revoke/")
    assert not RoleAssignment.objects.filter(pk=granted.pk).exists()
    # Residents and community workers do not manage users at all.
    other_worker = user_with(Role.COMMUNITY_WORKER, tree.d("370202001002"))
    assert login(other_worker).get("/accounts/users/").status_code == 404
    assert "用户管理" not in login(other_worker).get("/").content.decode()
