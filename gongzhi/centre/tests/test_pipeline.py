"""The pipeline's board and project page: counts against the database, fixed query counts, and every hostile
form answered with a clear message and nothing written."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from gongzhi.accounts.roles import Role
from gongzhi.centre import selectors, services
from gongzhi.centre.models import Credit, Industry, Project, Stage, StageStep
from gongzhi.centre.tests.helpers import make_centre
from gongzhi.tests.factories import SYSTEM, credit_code, load_divisions, user_with
from gongzhi.tests.queries import assert_queries

pytestmark = pytest.mark.django_db


@pytest.fixture
def world() -> dict[str, Any]:
    divisions = load_divisions()
    made = make_centre(divisions["370202001001"])
    operator = user_with(Role.OPERATOR, divisions["370202001001"])
    owner = user_with(Role.BUILDING_OWNER, divisions["370202001001"])
    return {"made": made, "operator": operator, "owner": owner}


def _project(world: dict[str, Any], n: int = 0, **fields: Any) -> Project:
    return services.project_create(
        actor=SYSTEM,
        platform=world["made"].centre.platforms.all()[n % 3],
        name=f"项目{n}",
        industry=Industry.objects.get(code="C"),
        kind="tech",
        created_on=date(2025, 3, 1),
        **fields,
    )


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_stage_asking_for_evidence_refuses_a_move_without_it(world) -> None:  # type: ignore[no-untyped-def]
    p = _project(world)
    visit = Stage.objects.get(code="visit")
    with pytest.raises(ValidationError, match="须填写佐证"):
        services.project_advance(actor=SYSTEM, project=p, stage=visit, on=date(2025, 3, 5), evidence="  ")
    p.refresh_from_db()
    assert p.stage.code == "lead" and not StageStep.objects.filter(stage=visit).exists()
    services.project_advance(actor=SYSTEM, project=p, stage=visit, on=date(2025, 3, 5), evidence="考察纪要")
    assert StageStep.objects.get(project=p, stage=visit).evidence == "考察纪要"


def test_an_edit_outside_the_bounds_is_refused(world) -> None:  # type: ignore[no-untyped-def]
    p = _project(world)
    with pytest.raises(ValidationError, match="可能性"):
        services.project_update(actor=SYSTEM, project=p, likelihood=101)
    with pytest.raises(ValidationError, match="企业类型"):
        services.project_update(actor=SYSTEM, project=p, kind="bank")
    with pytest.raises(ValueError):
        services.project_update(actor=SYSTEM, project=p, stage=Stage.objects.last())
    p.refresh_from_db()
    assert (p.likelihood, p.kind) == (0, "tech")


def test_the_board_counts_what_the_database_holds(world) -> None:  # type: ignore[no-untyped-def]
    stages = list(Stage.objects.order_by("position"))
    for n in range(12):
        p = _project(world, n, next_action_on=date(2025, 4, 1) + timedelta(days=n))
        for stage in stages[1 : 1 + n % 4]:
            services.project_advance(actor=SYSTEM, project=p, stage=stage, on=date(2025, 3, 2), evidence="e")
    centre = world["made"].centre
    for platform in [None, *centre.platforms.all()]:
        pid = platform.pk if platform else None
        columns = selectors.board(centre, pid, per_stage=2)
        for col in columns:
            qs = Project.objects.filter(centre=centre, stage=col["stage"])
            if pid:
                qs = qs.filter(platform_id=pid)
            assert col["count"] == qs.count()
            shown = [p.pk for p, _late in col["cards"]]
            assert shown == list(qs.order_by("next_action_on", "id").values_list("pk", flat=True)[:2])


def test_board_and_project_pages_cost_fixed_queries(world) -> None:  # type: ignore[no-untyped-def]
    client = _client(world["operator"])
    centre = world["made"].centre
    first = _project(world, 0, next_action_on=date(2020, 1, 1), next_action="回访")
    services.project_credit(
        actor=SYSTEM, project=first, credits={"found": {"government": 60, "operator": 40}}
    )

    def pages() -> None:
        client.get(f"/centre/{centre.pk}/board/")  # the first visit after a write counts live and stores
        with assert_queries(8, label="board"):  # + centre, platforms, stored figures, stages, cards
            assert client.get(f"/centre/{centre.pk}/board/").status_code == 200
        with assert_queries(
            8, label="project"
        ):  # + project, credits, their history, steps, stages to move to
            assert client.get(f"/centre/p/{first.pk}/").status_code == 200

    pages()
    for n in range(1, 9):
        p = _project(world, n, next_action_on=date(2020, 1, 1))
        services.project_credit(actor=SYSTEM, project=p, credits={"found": {"incubator": 100}})
    pages()
    body = client.get(f"/centre/{centre.pk}/board/").content.decode()
    assert "已逾期" in body and "回访" in body


def test_hostile_moves_are_refused_with_a_message_and_nothing_written(world) -> None:  # type: ignore[no-untyped-def]
    client = _client(world["operator"])
    p = _project(world)
    url = f"/centre/p/{p.pk}/advance/"
    signed = Stage.objects.get(code="signed")
    registered = Stage.objects.get(code="registered")
    cases = [
        ({"stage": "x", "on": "2025-03-05"}, "选择"),
        ({"stage": signed.pk, "on": "2025-13-45"}, "日期"),
        ({"stage": signed.pk, "on": "2025-03-05"}, "须填写佐证"),
        ({"stage": registered.pk, "on": "2025-03-05", "evidence": "执照"}, "尚未注册"),
        (
            {"stage": registered.pk, "on": "2025-03-05", "evidence": "执照", "credit_code": "91370211X"},
            "统一社会信用代码",
        ),
        ({"stage": signed.pk, "on": "2025-03-05", "evidence": "x" * 201}, "200"),
    ]
    for data, message in cases:
        response = client.post(url, data)
        assert response.status_code == 400, data
        assert message in response.content.decode(), data
    p.refresh_from_db()
    assert p.stage.code == "lead" and p.credit_code == "" and StageStep.objects.filter(project=p).count() == 1


def test_hostile_credits_are_refused_and_good_ones_kept(world) -> None:  # type: ignore[no-untyped-def]
    client = _client(world["operator"])
    p = _project(world)
    url = f"/centre/p/{p.pk}/credit/"
    for data, message in [
        ({"found_government": "50", "found_owner": "40"}, "合计为90%"),
        ({"found_government": "150"}, "100"),
        ({"found_government": "-5", "found_owner": "105"}, "0"),
        ({"found_government": "abc"}, "整数"),
        ({}, "至少填写"),
    ]:
        response = client.post(url, data)
        assert response.status_code == 400 and message in response.content.decode(), data
    assert not Credit.objects.exists()
    response = client.post(url, {"signed_government": "30", "signed_operator": "70"})
    assert response.status_code == 302
    assert dict(Credit.objects.values_list("party", "share")) == {"government": 30, "operator": 70}


def test_create_and_edit_through_the_forms(world) -> None:  # type: ignore[no-untyped-def]
    client = _client(world["operator"])
    centre = world["made"].centre
    platform = centre.platforms.last()
    industry = Industry.objects.get(code="I")
    bad = client.post(
        f"/centre/{centre.pk}/projects/new/",
        {"platform": platform.pk, "name": "", "industry": industry.pk, "kind": "x", "likelihood": "200"},
    )
    assert bad.status_code == 200 and not Project.objects.exists()
    good = {"platform": platform.pk, "name": "星海半导体", "industry": industry.pk, "kind": "tech"}
    response = client.post(f"/centre/{centre.pk}/projects/new/", {**good, "likelihood": "40"})
    p = Project.objects.get()
    assert response.status_code == 302 and (p.platform, p.stage.code, p.likelihood) == (platform, "lead", 40)
    response = client.post(
        f"/centre/p/{p.pk}/edit/",
        {
            "name": "星海半导体",
            "industry": industry.pk,
            "kind": "leader",
            "likelihood": "70",
            "expected_on": "2026-01-01",
        },
    )
    p.refresh_from_db()
    assert response.status_code == 302 and (p.kind, p.likelihood, p.expected_on) == (
        "leader",
        70,
        date(2026, 1, 1),
    )
    assert p.history.first().history_change_reason == "修改项目"


def test_a_building_owner_reads_but_does_not_edit(world) -> None:  # type: ignore[no-untyped-def]
    client = _client(world["owner"])
    p = _project(world)
    page = client.get(f"/centre/p/{p.pk}/")
    assert page.status_code == 200 and 'id="advance"' not in page.content.decode()
    assert client.get(f"/centre/p/{p.pk}/edit/").status_code == 403
    signed = Stage.objects.get(code="signed")
    response = client.post(
        f"/centre/p/{p.pk}/advance/", {"stage": signed.pk, "on": "2025-03-05", "evidence": "x"}
    )
    assert response.status_code == 403
    p.refresh_from_db()
    assert p.stage.code == "lead"


def test_conversion_days_per_platform_and_party(world) -> None:  # type: ignore[no-untyped-def]
    visit = Stage.objects.get(code="visit")
    a, b, c = (_project(world, n) for n in (0, 3, 1))  # a, b on the first platform, c on the second
    for project, days in ((a, 10), (b, 30), (c, 7)):
        services.project_advance(
            actor=SYSTEM,
            project=project,
            stage=visit,
            on=date(2025, 3, 1) + timedelta(days=days),
            evidence="e",
        )
    services.project_credit(actor=SYSTEM, project=a, credits={"found": {"government": 50, "operator": 50}})
    services.project_credit(actor=SYSTEM, project=c, credits={"found": {"government": 100}})
    path = world["made"].centre.path
    funnels, by_party = selectors.funnels(path), selectors.days_by_party(path)
    first, second = (p.pk for p in world["made"].centre.platforms.all()[:2])
    mean = {p: {row["stage"].code: row["days"] for row in rows} for p, rows in funnels.items()}
    assert (mean[first]["visit"], mean[second]["visit"], mean[None]["visit"]) == (20.0, 7.0, 15.7)
    assert mean[first]["lead"] == 0.0 and mean[first]["signed"] is None
    assert by_party["government"][visit.pk] == 8.5 and by_party["operator"][visit.pk] == 10.0
    assert "owner" not in by_party


def test_reminders_list_what_falls_due_before_the_limit(world) -> None:  # type: ignore[no-untyped-def]
    today = date(2025, 6, 2)  # a Monday, 端午节 in the calendar
    at = {n: _project(world, n, next_action_on=today + timedelta(days=n - 1)) for n in range(6)}
    firm = services.enterprise_register(
        actor=SYSTEM,
        centre=world["made"].centre,
        name="提醒测试公司",
        credit_code=credit_code(77),
        industry=Industry.objects.get(code="C"),
        kind="tech",
    )
    government, finance, _talent = world["made"].items  # limits of 3 and 10 working days
    early = services.service_request_file(
        actor=SYSTEM, enterprise=firm, item=government, detail="开办", filed_on=date(2025, 5, 30)
    )
    services.service_request_file(actor=SYSTEM, enterprise=firm, item=finance, detail="贷款", filed_on=today)
    soon = selectors.due_soon(world["made"].centre.path, within=3, on=today)
    assert [p.pk for p in soon["projects"]] == [at[1].pk, at[2].pk, at[3].pk, at[4].pk]  # today … today+3
    assert early.due_on == date(2025, 6, 5) and soon["requests"] == [early]
