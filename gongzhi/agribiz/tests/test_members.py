"""A single cooperative member joins or leaves on the cooperative's page (issue 14): one service each with
history; the five-member rule (《农民专业合作社法》第十二条) warns and asks for a confirmation on a leaving,
never refuses the member's right to leave (第二十五条); IDs masked; hostile posts write nothing."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from gongzhi.agribiz import rules, services
from gongzhi.agribiz.models import CoopMember, CoopProfile
from gongzhi.agribiz.tests.kit import OTHER_TOWN_VILLAGE, VILLAGE, id_number, make_coop, make_world

pytestmark = pytest.mark.django_db


@given(st.integers(min_value=0, max_value=10_000))
def test_the_leaving_warning_is_given_below_five_only(after: int) -> None:
    warning = rules.leaving_warning(after)
    assert bool(warning) == (after < 5)
    if warning:
        assert "第十二条" in warning and f"{after}名" in warning


def _client(user) -> Client:  # type: ignore[no-untyped-def]
    c = Client()
    c.force_login(user)
    return c


def _state(profile: CoopProfile) -> tuple[object, ...]:
    profile.refresh_from_db()
    return (
        profile.members_count,
        list(CoopMember.objects.order_by("pk").values_list("name", "person_id", "joined_on", "left_on")),
        CoopMember.history.count(),  # type: ignore[attr-defined]
    )


def test_join_and_leave_with_history_and_the_count() -> None:
    w = make_world()
    profile = make_coop(w.d[VILLAGE], members_count=6)
    idn = id_number()
    member = services.coop_member_join(
        actor=w.town_staff, profile=profile, name="刘晓梅", id_number=idn, joined_on=date(2020, 1, 1)
    )
    profile.refresh_from_db()
    assert profile.members_count == 7 and member.person is not None and member.person.id_number == idn
    assert member.history.get().history_user_id == w.town_staff.pk  # type: ignore[attr-defined]
    with pytest.raises(ValidationError, match="已是该合作社成员"):
        services.coop_member_join(actor=w.town_staff, profile=profile, name="刘晓梅", id_number=idn)
    assert services.coop_member_leave(actor=w.town_staff, member=member, left_on=date(2025, 6, 30)) == ""
    member.refresh_from_db()
    profile.refresh_from_db()
    assert member.left_on == date(2025, 6, 30) and profile.members_count == 6
    assert profile.history.first().history_change_reason == "成员退社"  # type: ignore[attr-defined]
    with pytest.raises(ValidationError, match="已退社"):
        services.coop_member_leave(actor=w.town_staff, member=member, left_on=date(2025, 7, 1))
    # One who left may join again.
    services.coop_member_join(actor=w.town_staff, profile=profile, name="刘晓梅", id_number=idn)
    assert CoopMember.objects.filter(coop=profile, left_on__isnull=True).count() == 1


def test_leaving_below_five_needs_a_confirmation_and_is_never_refused_on_that_ground() -> None:
    w = make_world()
    profile = make_coop(w.d[VILLAGE], members_count=5)
    member = services.coop_member_join(actor=w.town_staff, profile=profile, name="孙强")  # 6
    other = services.coop_member_join(actor=w.town_staff, profile=profile, name="周敏")  # 7
    services.coop_member_leave(actor=w.town_staff, member=member, left_on=timezone.localdate())  # 6
    services.coop_member_leave(actor=w.town_staff, member=other, left_on=timezone.localdate())  # 5
    third = services.coop_member_join(actor=w.town_staff, profile=profile, name="吴刚")  # 6
    services.coop_member_leave(actor=w.town_staff, member=third, left_on=timezone.localdate())  # 5
    fourth = services.coop_member_join(actor=w.town_staff, profile=profile, name="郑洁")  # 6
    services.coop_member_leave(
        actor=w.town_staff, member=fourth, left_on=timezone.localdate()
    )  # 5: no warning
    last = services.coop_member_join(actor=w.town_staff, profile=profile, name="王芳")  # 6
    CoopProfile.objects.filter(pk=profile.pk).update(members_count=5)  # the count as the profile states it
    before = _state(profile)
    with pytest.raises(ValidationError, match=r"第十二条.*请勾选确认"):
        services.coop_member_leave(actor=w.town_staff, member=last, left_on=timezone.localdate())
    assert _state(profile) == before
    warning = services.coop_member_leave(
        actor=w.town_staff, member=last, left_on=timezone.localdate(), confirmed=True
    )
    assert "4名" in warning
    profile.refresh_from_db()
    assert profile.members_count == 4
    assert profile.history.first().history_change_reason == "成员退社（成员少于五名）"  # type: ignore[attr-defined]


def test_scope_and_rights() -> None:
    w = make_world()
    profile = make_coop(w.d[VILLAGE])
    with pytest.raises(PermissionDenied):
        services.coop_member_join(actor=w.cadre, profile=profile, name="某")  # agribiz.view only
    with pytest.raises(PermissionDenied):
        services.coop_member_join(actor=w.other_town_staff, profile=profile, name="某")
    assert (
        _client(w.other_town_staff).get(reverse("agribiz:coop_members", args=[profile.pk])).status_code == 404
    )
    assert _client(w.cadre).get(reverse("agribiz:coop_members", args=[profile.pk])).status_code == 403


def test_the_page_masks_ids_and_hostile_posts_write_nothing() -> None:
    w = make_world()
    profile = make_coop(w.d[VILLAGE], members_count=8)
    elsewhere = make_coop(w.d[OTHER_TOWN_VILLAGE])
    stranger = services.coop_member_join(actor=w.county, profile=elsewhere, name="外社成员")
    c = _client(w.town_staff)
    url = reverse("agribiz:coop_members", args=[profile.pk])
    idn = id_number()
    ok = c.post(
        url, {"action": "join", "join-name": "陈立", "join-id_number": idn, "join-joined_on": "2021-03-01"}
    )
    assert ok.status_code == 302
    page = c.get(url).content.decode()
    assert idn not in page and idn[:6] in page and "陈立" not in page  # masked name and ID
    before = _state(profile)
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    member = CoopMember.objects.get(coop=profile)
    hostile = [
        {"action": "join", "join-name": "", "join-id_number": ""},
        {"action": "join", "join-name": "某", "join-id_number": idn[:-1] + ("0" if idn[-1] != "0" else "1")},
        {"action": "join", "join-name": "某", "join-id_number": "=cmd|' /C calc'!A0"},
        {"action": "join", "join-name": "某" * 101},
        {"action": "join", "join-name": "陈立", "join-id_number": idn},  # already a member
        {"action": "join", "join-name": "某", "join-joined_on": "1900-13-45"},
        {"action": "join", "join-name": "某", "join-joined_on": tomorrow},
        {"action": "join", "join-name": "某", "join-joined_on": "2000-01-01"},  # before the coop was founded
        {
            "action": "leave",
            "leave-member": str(stranger.pk),
            "leave-left_on": "2025-01-01",
        },  # another coop's
        {"action": "leave", "leave-member": "99999999999999999999", "leave-left_on": "2025-01-01"},
        {"action": "leave", "leave-member": "abc", "leave-left_on": "2025-01-01"},
        {"action": "leave", "leave-member": str(member.pk), "leave-left_on": tomorrow},
        {"action": "leave", "leave-member": str(member.pk), "leave-left_on": "2021-01-01"},  # before joining
        {"action": "leave", "leave-member": str(member.pk), "leave-left_on": ""},
        {"action": "nonsense"},
        {},
    ]
    for data in hostile:
        answer = c.post(url, data)
        assert answer.status_code == 200, data
        assert _state(profile) == before, data
    text = c.post(url, hostile[1]).content.decode()
    assert "校验码" in text
    assert CoopMember.objects.get(pk=stranger.pk).left_on is None
