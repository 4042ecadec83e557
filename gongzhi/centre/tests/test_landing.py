"""Landing a project from the matching page: the project's page links to matching for it, each free room
offers to land it there, and the form turns the project into an enterprise with a lease without retyping;
a refusal (not registered, the room let meanwhile, bad dates) answers 400 and writes nothing. And the steps
and credits keep their project's platform and path, which the funnel reads without a join."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from gongzhi.accounts.roles import Role
from gongzhi.centre import bulk, services
from gongzhi.centre.models import Credit, Enterprise, Industry, Lease, Project, Stage, StageStep
from gongzhi.centre.tests.helpers import make_centre
from gongzhi.tests.factories import SYSTEM, credit_code, load_divisions, user_with

pytestmark = pytest.mark.django_db


@pytest.fixture
def world() -> dict[str, Any]:
    divisions = load_divisions()
    made = make_centre(divisions["370202001001"], rooms=3)
    project = services.project_create(
        actor=SYSTEM,
        platform=made.centre.platforms.all()[1],
        name="青岛星链智造有限公司",
        industry=Industry.objects.get(code="C"),
        kind="leader",
        created_on=date(2025, 3, 1),
        needs_area=Decimal(100),
        expected_on=date(2099, 1, 1),
    )
    operator = user_with(Role.OPERATOR, divisions["370202001001"])
    client = Client()
    client.force_login(operator)
    return {"made": made, "project": project, "client": client, "operator": operator}


def _register(project: Project) -> None:
    services.project_advance(
        actor=SYSTEM,
        project=project,
        stage=Stage.objects.get(code="registered"),
        on=date(2025, 4, 1),
        evidence="营业执照",
        credit_code=credit_code(77),
    )


def test_a_project_lands_from_the_matching_page_without_retyping(world) -> None:  # type: ignore[no-untyped-def]
    project, client, made = world["project"], world["client"], world["made"]
    _register(project)
    page = client.get(f"/centre/p/{project.pk}/").content.decode()
    link = page.split('id="to-match"')[0].rsplit('href="', 1)[1].split('"')[0].replace("&amp;", "&")
    assert f"project={project.pk}" in link
    matches = client.get(link)
    assert matches.status_code == 200
    room = made.spaces[0]
    land = f"/centre/p/{project.pk}/land/?space={room.pk}&from_on=2099-01-01&until_on="
    assert land.split("&until_on")[0].replace("&", "&amp;") in matches.content.decode()
    form = client.get(land)
    assert form.status_code == 200 and 'value="2101-12-31"' in form.content.decode()  # three years
    response = client.post(
        land,
        {
            "space": room.pk,
            "starts_on": "2099-01-01",
            "ends_on": "2101-12-31",
            "monthly_rent_yuan": "8000",
            "incentive": "首年减半",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    project.refresh_from_db()
    firm = Enterprise.objects.get()
    assert (firm.name, firm.credit_code, firm.kind, firm.platform, firm.industry.code) == (
        project.name,
        credit_code(77),
        "leader",
        project.platform,
        "C",
    )
    lease = Lease.objects.get()
    assert (lease.space, lease.enterprise, lease.monthly_rent_yuan) == (room, firm, Decimal(8000))
    assert project.enterprise == firm and project.stage.requires == "lease"
    assert lease.history.get().history_user == world["operator"]
    # Landed: the matching page no longer offers it.
    assert "落地到此" not in client.get(link).content.decode()


@pytest.mark.parametrize(
    ("registered", "data", "word"),
    [
        (False, {}, "尚未注册登记"),
        (True, {"ends_on": "2098-01-01"}, "不能早于"),
        (True, {"space": "999999999"}, ""),
        (True, {"monthly_rent_yuan": "-1"}, ""),
        (True, {"starts_on": "not a day"}, ""),
    ],
)
def test_a_refused_landing_answers_400_and_writes_nothing(
    world, registered: bool, data: dict[str, str], word: str
) -> None:  # type: ignore[no-untyped-def]
    project, client = world["project"], world["client"]
    if registered:
        _register(project)
    post = {
        "space": world["made"].spaces[0].pk,
        "starts_on": "2099-01-01",
        "ends_on": "2100-01-01",
        "monthly_rent_yuan": "1",
        **data,
    }
    response = client.post(f"/centre/p/{project.pk}/land/", post)
    assert response.status_code == 400 and word in response.content.decode()
    assert not Enterprise.objects.exists() and not Lease.objects.exists()


def test_a_room_let_meanwhile_is_refused(world) -> None:  # type: ignore[no-untyped-def]
    project, client, room = world["project"], world["client"], world["made"].spaces[0]
    _register(project)
    other = services.enterprise_register(
        actor=SYSTEM,
        centre=world["made"].centre,
        name="先到企业",
        credit_code=credit_code(78),
        industry=Industry.objects.get(code="C"),
        kind="tech",
    )
    services.lease_sign(
        actor=SYSTEM,
        space=room,
        enterprise=other,
        starts_on=date(2098, 1, 1),
        ends_on=date(2099, 6, 30),
        monthly_rent_yuan=Decimal(1),
    )
    post = {"space": room.pk, "starts_on": "2099-01-01", "ends_on": "2100-01-01", "monthly_rent_yuan": "1"}
    response = client.post(f"/centre/p/{project.pk}/land/", post)
    assert response.status_code == 400 and "不能重叠" in response.content.decode()
    assert Enterprise.objects.count() == 1 and Lease.objects.count() == 1
    assert Project.objects.get(pk=project.pk).enterprise is None


def test_a_platform_staff_of_another_place_cannot_land(world) -> None:  # type: ignore[no-untyped-def]
    outsider = user_with(Role.OPERATOR, load_divisions()["370202001002"])
    client = Client()
    client.force_login(outsider)
    assert client.get(f"/centre/p/{world['project'].pk}/land/").status_code == 404


def test_steps_and_credits_keep_their_projects_platform_and_path(world) -> None:  # type: ignore[no-untyped-def]
    project, made = world["project"], world["made"]
    _register(project)
    services.project_credit(actor=SYSTEM, project=project, credits={"found": {"operator": 100}})
    bulk.projects_bulk_save(
        actor=SYSTEM,
        new=[
            bulk.NewProject(
                made.centre.platforms.all()[2],
                "批量项目",
                Industry.objects.get(code="I"),
                "hq",
                date(2025, 1, 1),
                {},
            )
        ],
    )
    steps = list(StageStep.objects.select_related("project"))
    assert len(steps) == 3
    assert all((s.platform_id, s.path) == (s.project.platform_id, s.project.path) for s in steps)
    assert all(c.path == project.path for c in Credit.objects.all())
