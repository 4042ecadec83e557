"""The three lists and the hours setting: resources, projects, service posts (quotas, claims) and the
yearly hours, edited through their pages with a success message; bad input refused, nothing written."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from gongzhi.accounts.roles import Role
from gongzhi.reporting import selectors, services
from gongzhi.reporting.models import HoursSetting, Project, Resource, ServicePost
from gongzhi.reporting.tests.helpers import SYS, make_world, report
from gongzhi.tests.factories import PersonFactory, user_with

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(tree):  # type: ignore[no-untyped-def]
    return make_world(tree)


def _client(user) -> Client:  # type: ignore[no-untyped-def]
    c = Client()
    c.force_login(user)
    return c


def _said(response) -> list[str]:  # type: ignore[no-untyped-def]
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_resource_added_and_changed_on_its_page(world) -> None:  # type: ignore[no-untyped-def]
    c = _client(world.staff)
    url = reverse("reporting:resources", args=[world.unit.pk])
    assert c.get(url).status_code == 200
    r = c.post(url, {"kind": "venue", "name": "党员活动室", "quantity": "1 间"}, follow=True)
    assert "资源已保存：党员活动室" in _said(r)
    row = Resource.objects.get()
    assert (row.unit_id, row.path) == (world.unit.pk, world.unit.path)
    r = c.post(url, {"id": row.pk, "kind": "venue", "name": "党员活动室", "quantity": "2 间"})
    assert r.status_code == 302
    row.refresh_from_db()
    assert row.quantity == "2 间" and row.history.count() == 2
    assert "党员活动室" in c.get(reverse("reporting:unit", args=[world.unit.pk])).content.decode()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"kind": "castle", "name": "x"}, "选择一个有效的选项"),
        ({"kind": "venue", "name": "   "}, "必填"),
        ({"kind": "venue", "name": "x" * 101}, "100"),
    ],
)
def test_bad_resources_write_nothing(world, data, message) -> None:  # type: ignore[no-untyped-def]
    r = _client(world.staff).post(reverse("reporting:resources", args=[world.unit.pk]), data)
    assert r.status_code == 400 and message in r.content.decode()
    assert not Resource.objects.exists()


def test_resource_service_refuses_unknown_kind_and_another_units_row(world) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError, match="资源类别"):
        services.resource_save(actor=SYS, unit=world.unit, kind="castle", name="x")
    (other,) = services.units_bulk_create(
        actor=SYS, rows=[services.NewUnit("reporting.agency", "U002", "市南区卫健局", world.district, [])]
    )
    theirs = services.resource_save(actor=SYS, unit=other, kind="funds", name="经费", quantity="2 万元")
    with pytest.raises(ValidationError, match="不属于此单位"):
        services.resource_save(actor=SYS, unit=world.unit, kind="funds", name="改", resource=theirs)
    assert Resource.objects.get().name == "经费"


def test_project_at_a_contact_point_and_its_progress(world) -> None:  # type: ignore[no-untyped-def]
    c = _client(world.staff)
    url = reverse("reporting:projects", args=[world.unit.pk])
    today = timezone.localdate()
    data = {"compound": world.compound.code, "title": "楼道微改造", "progress": 30, "adopted_on": today}
    assert "项目已保存：楼道微改造" in _said(c.post(url, data, follow=True))
    row = Project.objects.get()
    assert row.path == world.compound.path
    c.post(url, {**data, "id": row.pk, "progress": 80})
    row.refresh_from_db()
    assert row.progress == 80
    for bad, message in [({"progress": 101}, "0 到 100"), ({"progress": -1}, "0 到 100")]:
        r = c.post(url, {**data, "id": row.pk, **bad})
        assert r.status_code == 400 and message in r.content.decode()
    r = c.post(url, {**data, "adopted_on": today + timedelta(days=1)})
    assert r.status_code == 400 and "认领日期不能晚于今天" in r.content.decode()
    r = c.post(url, {**data, "compound": world.tree.compounds[1].code})  # not one of its contact points
    assert r.status_code == 400
    row.refresh_from_db()
    assert Project.objects.count() == 1 and row.progress == 80


def test_project_only_at_the_units_contact_points(world) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError, match="联系点小区"):
        services.project_save(
            actor=SYS,
            unit=world.unit,
            compound=world.tree.compounds[1],
            title="口袋公园",
            progress=0,
            adopted_on=timezone.localdate(),
        )
    assert not Project.objects.exists()


def test_secretary_may_not_edit_the_lists(world) -> None:  # type: ignore[no-untyped-def]
    c = _client(world.secretary)
    assert c.get(reverse("reporting:resources", args=[world.unit.pk])).status_code == 403
    assert c.post(reverse("reporting:posts"), {"name": "x", "quota": 3}).status_code == 403
    assert c.post(reverse("reporting:hours"), {"from_year": 2026, "min_hours": 1}).status_code == 403
    assert not ServicePost.objects.exists() and not HoursSetting.objects.exists()


def test_posts_quota_claims_and_the_phone(world) -> None:  # type: ignore[no-untyped-def]
    admin = user_with(Role.DISTRICT_ADMIN, world.district, username="qu_p")
    c = _client(admin)
    url = reverse("reporting:posts")
    r = c.post(url, {"place": world.district.code, "name": "政策宣讲员", "quota": 1}, follow=True)
    assert "岗位已保存：政策宣讲员" in _said(r)
    post = ServicePost.objects.get()
    assert post.path == world.district.path
    r = c.post(url, {"place": world.district.code, "name": "政策宣讲员", "quota": 2})
    assert r.status_code == 400 and "已有岗位" in r.content.decode()

    mine = report(world)
    phone = _client(world.member_user)
    assert "政策宣讲员" in phone.get(reverse("reporting:me")).content.decode()
    assert "岗位已更新：政策宣讲员" in _said(
        phone.post(reverse("reporting:claim"), {"id": post.pk}, follow=True)
    )
    assert list(post.claims.all()) == [mine]
    assert "已认领" in _said(phone.post(reverse("reporting:claim"), {"id": post.pk}, follow=True))[0]

    other = PersonFactory.create(name="另一党员")
    theirs = report(world, person=other)
    with pytest.raises(ValidationError, match="名额已满"):
        services.post_claim(actor=SYS, post=post, report=theirs)
    r = c.post(url, {"place": world.district.code, "id": post.pk, "name": "政策宣讲员", "quota": 0})
    assert r.status_code == 400 and "名额应为大于 0" in r.content.decode()
    post.refresh_from_db()
    assert post.quota == 1 and post.claims.count() == 1
    with pytest.raises(PermissionDenied):  # a member claims only as themselves
        services.post_claim(actor=world.member_user, post=post, report=theirs)


def test_quota_never_below_the_claims(world) -> None:  # type: ignore[no-untyped-def]
    post = services.post_save(actor=SYS, place=world.district, name="文明引导员", quota=2)
    for person in (world.member, PersonFactory.create(name="乙")):
        services.post_claim(actor=SYS, post=post, report=report(world, person=person))
    with pytest.raises(ValidationError, match="名额不能少于 2"):
        services.post_save(actor=SYS, place=world.district, name="文明引导员", quota=1, post=post)
    services.post_claim(actor=SYS, post=post, report=post.claims.all()[0], claim=False)
    assert (
        services.post_save(actor=SYS, place=world.district, name="文明引导员", quota=1, post=post).quota == 1
    )


def test_a_community_may_not_change_a_district_post(world) -> None:  # type: ignore[no-untyped-def]
    post = services.post_save(actor=SYS, place=world.district, name="环境监督员", quota=5)
    c = _client(world.staff)
    place = world.compound.community.code
    assert "环境监督员" in c.get(reverse("reporting:posts"), {"place": place}).content.decode()
    r = c.post(reverse("reporting:posts"), {"place": place, "id": post.pk, "name": "改名", "quota": 9})
    assert r.status_code == 400 and "上级发布" in r.content.decode()
    post.refresh_from_db()
    assert (post.name, post.quota) == ("环境监督员", 5)


def test_hours_setting_reaches_the_year_end_list(world) -> None:  # type: ignore[no-untyped-def]
    c = _client(world.staff)
    url = reverse("reporting:hours")
    place = world.compound.community
    year = timezone.localdate().year
    r = c.post(url, {"place": place.code, "from_year": year, "min_hours": 12}, follow=True)
    assert any("每年最低服务 12 小时" in m for m in _said(r))
    assert selectors.min_hours(world.compound.path, year) == 12
    c.post(url, {"place": place.code, "from_year": year, "min_hours": 16})
    assert HoursSetting.objects.get().min_hours == 16  # same place and year: changed, history kept
    assert HoursSetting.objects.get().history.count() == 2
    cases: list[tuple[dict[str, object], str]] = [
        ({"min_hours": -1}, "不小于 0"),
        ({"min_hours": 5000}, "不能超过"),
        ({"from_year": 1900}, "2000 到 2100"),
        ({"min_hours": "abc"}, "输入整数"),
    ]
    for bad, message in cases:
        r = c.post(url, {"place": place.code, "from_year": year, "min_hours": 20, **bad})
        assert r.status_code == 400 and message in r.content.decode(), bad
    assert HoursSetting.objects.get().min_hours == 16
    report(world)
    need, rows = selectors.shortfall(world.compound.path, year)
    assert need == 16 and [r.finding for r in rows] == ["服务时长不足 16 小时"]


def test_skills_vocabulary_edit_says_so(world) -> None:  # type: ignore[no-untyped-def]
    admin = user_with(Role.DISTRICT_ADMIN, world.district, username="qu_s")
    r = _client(admin).post(
        reverse("reporting:skills"), {"code": "law", "name": "法律咨询", "active": "on"}, follow=True
    )
    assert "技能已保存：法律咨询" in _said(r)
    r = _client(admin).post(reverse("reporting:skills"), {"code": "", "name": ""})
    assert r.status_code == 400


def test_claims_are_on_the_posts_history_with_the_member(world) -> None:  # type: ignore[no-untyped-def]
    """A claim and a give-up are writes like any other: the post's history names who, and holds the claims."""
    post = services.post_save(actor=SYS, place=world.district, name="政策宣讲员", quota=3)
    mine = report(world)
    services.post_claim(actor=world.member_user, post=post, report=mine)
    services.post_claim(actor=world.member_user, post=post, report=mine, claim=False)
    rows = list(ServicePost.history.filter(id=post.pk).order_by("history_id"))[-2:]
    assert [r.history_change_reason for r in rows] == ["认领岗位", "放弃岗位"]
    assert [r.history_user_id for r in rows] == [world.member_user.pk] * 2
    assert [list(r.claims.values_list("report_id", flat=True)) for r in rows] == [[mine.pk], []]
