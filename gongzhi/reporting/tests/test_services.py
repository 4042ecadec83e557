"""Services: reporting (once; moving keeps history), needs, the matching run, answers, records."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from gongzhi.accounts.roles import Role
from gongzhi.organisations.models import Coverage, Seat
from gongzhi.reporting import services
from gongzhi.reporting.models import (
    Channel,
    ContactPoint,
    Match,
    MatchStatus,
    NeedStatus,
    Notice,
    RecordStatus,
    Report,
    ServiceRecord,
)
from gongzhi.reporting.tests.helpers import SYS, make_world, report
from gongzhi.tests.factories import PersonFactory, user_with

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(tree):  # type: ignore[no-untyped-def]
    return make_world(tree)


def test_unit_is_an_organisation_with_a_contact_point(world) -> None:  # type: ignore[no-untyped-def]
    point = ContactPoint.objects.get()
    assert point.coverage.organisation_id == world.unit.pk and point.coverage.compound_id == world.compound.pk
    assert point.responsible.person == world.liaison and point.responsible.role == "liaison"
    assert Coverage.objects.filter(organisation=world.unit, division=world.district).exists()
    assert world.unit.history.count() == 1


def test_member_reports_on_the_phone_as_themselves(world) -> None:  # type: ignore[no-untyped-def]
    r = services.member_report(
        actor=world.member_user,
        person=world.member,
        compound=world.compound,
        skills=["law", "it"],
        hours_month=6,
        weekends=True,
        channel=Channel.SELF,
    )
    assert sorted(r.skills.values_list("code", flat=True)) == ["it", "law"]
    other = PersonFactory.create()
    with pytest.raises(PermissionDenied):
        services.member_report(
            actor=world.member_user,
            person=other,
            compound=world.compound,
            skills=["law"],
            hours_month=4,
            channel=Channel.SELF,
        )


@pytest.mark.parametrize(
    ("kw", "message"),
    [
        ({"hours_month": -3}, "每月可服务时长应大于 0 小时"),
        ({"hours_month": 0}, "每月可服务时长应大于 0 小时"),
        ({"hours_month": 999}, "不能超过 200"),
        ({"skills": ("law", "juggling")}, "技能目录中没有：juggling"),
        ({"skills": ()}, "请至少选择一项技能特长"),
        ({"weekdays": False, "weekends": False}, "请至少选择工作日或周末"),
    ],
)
def test_bad_reports_write_nothing(world, kw, message) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError, match=message):
        report(world, **kw)
    assert not Report.objects.exists()


def test_reporting_twice_is_refused_and_moving_keeps_history(world) -> None:  # type: ignore[no-untyped-def]
    first = report(world)
    with pytest.raises(ValidationError, match="不能重复报到"):
        report(world)
    assert Report.objects.count() == 1
    new_home = world.tree.compounds[2]
    moved = services.member_move(actor=SYS, report=first, compound=new_home)
    first.refresh_from_db()
    assert first.ended_on is not None and first.end_reason == "搬家"
    assert moved.compound == new_home and moved.unit == world.unit
    assert list(moved.skills.values_list("code", flat=True)) == ["law"]
    assert Report.objects.filter(person=world.member).count() == 2


def _need(world, skills=("law",), hours=8, per=4, compound=None):  # type: ignore[no-untyped-def]
    today = timezone.localdate()
    return services.need_create(
        actor=SYS,
        compound=compound or world.compound,
        title="法律咨询进小区",
        skills=list(skills),
        hours=hours,
        per_member=per,
        starts_on=today,
        ends_on=today + timedelta(days=30),
    )


def test_new_need_notifies_fitting_members_only(world) -> None:  # type: ignore[no-untyped-def]
    fit = report(world)
    unfit = report(world, person=PersonFactory.create(), skills=("elderly",))
    need = _need(world)
    assert list(Notice.objects.filter(need=need).values_list("report_id", flat=True)) == [fit.pk]
    assert unfit.pk not in Notice.objects.values_list("report_id", flat=True)


def test_matching_run_proposes_with_reasons_and_member_accepts(world) -> None:  # type: ignore[no-untyped-def]
    mine = report(world, hours_month=4)
    near = report(world, person=PersonFactory.create(), hours_month=4, compound=world.tree.compounds[1])
    need = _need(world, hours=4, per=4)
    summary = services.matching_run(actor=SYS, place=world.district)
    assert summary.proposed == 1 and summary.hours == 4
    match = Match.objects.get(status=MatchStatus.PROPOSED)
    assert match.report == mine  # the same compound beats the same community
    assert match.reasons[0] == "技能相符：法律服务" and match.reasons[1] == "居住地：同小区"
    with pytest.raises(PermissionDenied):
        services.match_answer(actor=world.staff, match=match, accept=True)
    services.match_answer(actor=world.member_user, match=match, accept=True)
    need.refresh_from_db()
    assert need.status == NeedStatus.MATCHED
    with pytest.raises(ValidationError, match="已处理"):
        services.match_answer(actor=world.member_user, match=match, accept=False)
    # staff override: propose the other member by hand
    extra = services.match_propose(actor=world.staff, need=need, report=near, hours=2, reason="熟悉情况")
    assert extra.by_staff and extra.reasons == ["工作人员指定：熟悉情况"]


def test_rerun_withdraws_unanswered_proposals(world) -> None:  # type: ignore[no-untyped-def]
    report(world)
    _need(world)
    services.matching_run(actor=SYS, place=world.district)
    services.matching_run(actor=SYS, place=world.district)
    assert Match.objects.filter(status=MatchStatus.PROPOSED).count() == 1
    assert Match.objects.filter(status=MatchStatus.WITHDRAWN).count() == 1


def test_records_reported_by_member_confirmed_by_secretary(world) -> None:  # type: ignore[no-untyped-def]
    r = report(world)
    today = timezone.localdate()
    rec = services.record_add(actor=world.member_user, report=r, served_on=today, hours=Decimal("2.5"))
    assert rec.status == RecordStatus.REPORTED and rec.unit == world.unit
    services.record_confirm(actor=world.secretary, record=rec)
    rec.refresh_from_db()
    assert rec.status == RecordStatus.CONFIRMED and rec.confirmed_by == world.secretary
    staff_rec = services.record_add(actor=world.staff, report=r, served_on=today, hours=Decimal("1"))
    assert staff_rec.status == RecordStatus.CONFIRMED


@pytest.mark.parametrize(
    ("hours", "served", "message"),
    [
        (Decimal("-2"), 0, "服务时长应大于 0"),
        (Decimal("0"), 0, "服务时长应大于 0"),
        (Decimal("30"), 0, "不能超过 24"),
        (Decimal("NaN"), 0, "应为数字"),
        (Decimal("2"), -1, "服务日期不能晚于今天"),
    ],
)
def test_bad_records_write_nothing(world, hours, served, message) -> None:  # type: ignore[no-untyped-def]
    r = report(world)
    day = timezone.localdate() - timedelta(days=served)
    with pytest.raises(ValidationError, match=message):
        services.record_add(actor=world.member_user, report=r, served_on=day, hours=hours)
    assert not ServiceRecord.objects.exists()


def test_contact_point_add_and_secretary_cannot_manage(world) -> None:  # type: ignore[no-untyped-def]
    other = world.tree.compounds[1]
    with pytest.raises(PermissionDenied):  # the unit reports to the district: district staff add its points
        services.contact_point_add(actor=world.staff, unit=world.unit, compound=other, person=world.liaison)
    admin = user_with(Role.DISTRICT_ADMIN, world.district, username="qu_t")
    point = services.contact_point_add(actor=admin, unit=world.unit, compound=other, person=world.liaison)
    assert point.path == other.path
    assert Seat.objects.current().filter(organisation=world.unit).count() == 1
    with pytest.raises(ValidationError, match="已有联系点"):
        services.contact_point_add(actor=admin, unit=world.unit, compound=other, person=world.liaison)
    with pytest.raises(PermissionDenied):
        _need_by(world.secretary, world)


def _need_by(actor, world):  # type: ignore[no-untyped-def]
    today = timezone.localdate()
    return services.need_create(
        actor=actor,
        compound=world.compound,
        title="x",
        skills=["law"],
        hours=4,
        per_member=4,
        starts_on=today,
        ends_on=today,
    )
