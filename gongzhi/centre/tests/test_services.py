"""The centre's writes: refusals write nothing and say why in Chinese; landing carries a project over."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from gongzhi.accounts.roles import Role
from gongzhi.centre import selectors, services
from gongzhi.centre.models import (
    Enterprise,
    Industry,
    Lease,
    Project,
    ServiceRequest,
    Stage,
    StageStep,
    WorkCalendar,
)
from gongzhi.centre.tests.helpers import make_centre
from gongzhi.tests.factories import SYSTEM, credit_code, load_divisions, user_with

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():  # type: ignore[no-untyped-def]
    divisions = load_divisions()
    return make_centre(divisions["370202001001"])


def _enterprise(world, serial: int = 1) -> Enterprise:  # type: ignore[no-untyped-def]
    return services.enterprise_register(
        actor=SYSTEM,
        centre=world.centre,
        name=f"测试科技有限公司{serial}",
        credit_code=credit_code(serial),
        industry=Industry.objects.get(code="I"),
        kind=Enterprise.Kind.INNOVATIVE,
        platform=world.centre.platforms.first(),
    )


def test_vocabularies_are_data(world) -> None:  # type: ignore[no-untyped-def]
    assert Industry.objects.count() == 20
    assert list(Stage.objects.values_list("code", flat=True))[:2] == ["lead", "contact"]
    assert world.centre.platforms.count() == 3
    assert world.centre.path.startswith(world.centre.division.path)


def test_a_bad_credit_code_is_refused_and_nothing_written(world) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError) as exc:
        services.enterprise_register(
            actor=SYSTEM,
            centre=world.centre,
            name="坏代码公司",
            credit_code=credit_code(5)[:-1] + ("0" if credit_code(5)[-1] != "0" else "1"),
            industry=Industry.objects.get(code="C"),
            kind="hq",
        )
    assert "统一社会信用代码" in exc.value.messages[0]
    assert not Enterprise.objects.exists()


def test_a_duplicate_credit_code_is_refused(world) -> None:  # type: ignore[no-untyped-def]
    _enterprise(world, 1)
    with pytest.raises(ValidationError, match="已登记"):
        _enterprise(world, 1)


def test_overlapping_leases_of_one_room_are_refused(world) -> None:  # type: ignore[no-untyped-def]
    a, b = _enterprise(world, 1), _enterprise(world, 2)
    room = world.spaces[0]
    services.lease_sign(
        actor=SYSTEM,
        space=room,
        enterprise=a,
        starts_on=date(2025, 1, 1),
        ends_on=date(2025, 12, 31),
        monthly_rent_yuan=Decimal("8000"),
    )
    with pytest.raises(ValidationError) as exc:
        services.lease_sign(
            actor=SYSTEM,
            space=room,
            enterprise=b,
            starts_on=date(2025, 12, 31),
            ends_on=date(2026, 12, 31),
            monthly_rent_yuan=Decimal("8000"),
        )
    assert "租期不能重叠" in exc.value.messages[0]
    assert Lease.objects.count() == 1
    # The next day is free, and another room is free on the same days.
    services.lease_sign(
        actor=SYSTEM,
        space=room,
        enterprise=b,
        starts_on=date(2026, 1, 1),
        ends_on=date(2026, 12, 31),
        monthly_rent_yuan=Decimal("8000"),
    )
    services.lease_sign(
        actor=SYSTEM,
        space=world.spaces[1],
        enterprise=b,
        starts_on=date(2025, 6, 1),
        ends_on=date(2025, 6, 30),
        monthly_rent_yuan=Decimal("8000"),
    )
    assert Lease.objects.count() == 3


def _project(world, **kw):  # type: ignore[no-untyped-def]
    return services.project_create(
        actor=SYSTEM,
        platform=world.centre.platforms.first(),
        name="芯片封测项目",
        industry=Industry.objects.get(code="C"),
        kind="tech",
        created_on=date(2025, 3, 1),
        **kw,
    )


def test_attribution_must_sum_to_the_whole(world) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError, match="应为100%"):
        _project(world, credits={"found": {"government": 50, "operator": 30}})
    assert not Project.objects.exists()
    p = _project(world, credits={"found": {"government": 50, "operator": 50}, "signed": {"incubator": 100}})
    assert selectors.projects_by_party(world.centre.path) == {
        "found": {"government": 50, "operator": 50},
        "signed": {"incubator": 100},
    }
    assert p.stage.code == "lead"


def test_a_project_cannot_be_registered_or_moved_in_without_the_evidence(world) -> None:  # type: ignore[no-untyped-def]
    p = _project(world)
    registered = Stage.objects.get(code="registered")
    moved_in = Stage.objects.get(code="moved_in")
    with pytest.raises(ValidationError, match="注册"):
        services.project_advance(actor=SYSTEM, project=p, stage=registered, on=date(2025, 4, 1))
    with pytest.raises(ValidationError, match="租约"):
        services.project_advance(
            actor=SYSTEM, project=p, stage=moved_in, on=date(2025, 4, 1), credit_code=credit_code(9)
        )
    p.refresh_from_db()
    assert p.stage.code == "lead" and p.credit_code == ""
    with pytest.raises(ValidationError, match="注册"):
        services.project_land(
            actor=SYSTEM,
            project=p,
            space=world.spaces[0],
            starts_on=date(2025, 5, 1),
            ends_on=date(2027, 4, 30),
            monthly_rent_yuan=Decimal("6000"),
        )
    assert not Enterprise.objects.exists()


def test_landing_turns_the_project_into_an_enterprise_with_a_lease(world) -> None:  # type: ignore[no-untyped-def]
    p = _project(world)
    services.project_advance(
        actor=SYSTEM,
        project=p,
        stage=Stage.objects.get(code="registered"),
        on=date(2025, 4, 1),
        credit_code=credit_code(9),
        evidence="营业执照",
    )
    landing = services.project_land(
        actor=SYSTEM,
        project=p,
        space=world.spaces[0],
        starts_on=date(2025, 5, 1),
        ends_on=date(2027, 4, 30),
        monthly_rent_yuan=Decimal("6000"),
        incentive="首年免租",
    )
    ent = landing.enterprise
    assert (ent.name, ent.credit_code, ent.industry.code, ent.kind, ent.platform_id) == (
        p.name,
        credit_code(9),
        "C",
        "tech",
        p.platform_id,
    )
    assert ent.settled_on == date(2025, 5, 1)
    p.refresh_from_db()
    assert p.enterprise == ent and p.stage.code == "moved_in"
    assert StageStep.objects.filter(project=p).count() == 3


def test_funnel_counts_match_the_database(world) -> None:  # type: ignore[no-untyped-def]
    stages = list(Stage.objects.order_by("position"))
    platforms = list(world.centre.platforms.all())
    for i in range(9):
        p = services.project_create(
            actor=SYSTEM,
            platform=platforms[i % 3],
            name=f"项目{i}",
            industry=Industry.objects.get(code="I"),
            kind="innovative",
            created_on=date(2025, 1, 1),
        )
        for stage in stages[1 : 1 + i % 5]:
            services.project_advance(
                actor=SYSTEM, project=p, stage=stage, on=date(2025, 2, 1), evidence="纪要"
            )
    rows = selectors.funnel(world.centre.path)
    for row in rows:
        assert row["reached"] == StageStep.objects.filter(stage=row["stage"]).count()
        assert row["current"] == Project.objects.filter(stage=row["stage"]).count()
    assert rows[0]["reached"] == 9
    first = selectors.funnel(world.centre.path, platforms[0])
    assert first[0]["reached"] == Project.objects.filter(platform=platforms[0]).count()


def test_a_request_runs_to_its_rating_and_its_clock_uses_the_calendar(world) -> None:  # type: ignore[no-untyped-def]
    ent = _enterprise(world)
    contact = user_with(Role.ENTERPRISE_CONTACT, world.centre.division)
    ent.contacts.add(contact)
    WorkCalendar.objects.create(day=date(2026, 3, 4), working=False, note="测试假日")
    item = world.items[0]  # 3 working days
    req = services.service_request_file(
        actor=contact, enterprise=ent, item=item, detail="办理税务登记", filed_on=date(2026, 3, 2)
    )
    assert req.due_on == date(2026, 3, 6)  # Tue 3, (Wed 4 a holiday), Thu 5, Fri 6
    # The shipped calendar (the 2025 notice): filed Monday 29 Sept, due over the National Day holiday.
    late = services.service_request_file(
        actor=contact, enterprise=ent, item=item, detail="办理税务登记", filed_on=date(2025, 9, 29)
    )
    assert late.due_on == date(2025, 10, 10)  # Tue 30 Sept, Thu 9 and Fri 10 Oct
    with pytest.raises(ValidationError, match="已办结且未评价"):
        services.service_request_rate(actor=contact, request=req, rating=5)
    services.service_request_answer(
        actor=SYSTEM, request=req, outcome="已办结", answered_on=date(2025, 10, 2)
    )
    services.service_request_rate(actor=contact, request=req, rating=4)
    services.service_request_answer(
        actor=SYSTEM, request=late, outcome="已办结", answered_on=date(2025, 10, 13)
    )
    figures = selectors.service_figures(world.centre.path)
    assert figures == {"requests": 2, "on_time_rate": 0.5, "rating": 4.0, "finance_yuan": 0}


def test_a_contact_of_another_enterprise_cannot_file_for_it(world) -> None:  # type: ignore[no-untyped-def]
    ent = _enterprise(world)
    stranger = user_with(Role.ENTERPRISE_CONTACT, world.centre.division)
    with pytest.raises(PermissionDenied):
        services.service_request_file(actor=stranger, enterprise=ent, item=world.items[0], detail="x")
    assert not ServiceRequest.objects.exists()


def test_bad_ratings_and_empty_requests_are_refused(world) -> None:  # type: ignore[no-untyped-def]
    ent = _enterprise(world)
    with pytest.raises(ValidationError, match="诉求内容"):
        services.service_request_file(actor=SYSTEM, enterprise=ent, item=world.items[0], detail="  ")
    req = services.service_request_file(actor=SYSTEM, enterprise=ent, item=world.items[1], detail="贷款")
    services.service_request_answer(actor=SYSTEM, request=req, outcome="放款")
    with pytest.raises(ValidationError, match="1到5"):
        services.service_request_rate(actor=SYSTEM, request=req, rating=9)
    # The amount arranged is a partner's approval on a referral (test_referrals.py), never typed on the answer.
    assert selectors.service_figures(world.centre.path)["finance_yuan"] == 0
