"""The overview's stored pipeline figures are never wrong: after any write — through the services, a bulk
insert, a queryset update or delete, raw SQL — the figures the pages use equal the live count; they are read
stored (one query) while nothing changed; the overview and the board cost a fixed number of queries whatever
the projects; the board's cards are the first by next-action day per stage, undated last."""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

import pytest
from django.db import connection
from django.test import Client

from gongzhi.accounts.roles import Role
from gongzhi.centre import selectors, services
from gongzhi.centre.models import Credit, Enterprise, Industry, PipelineSummary, Project, Stage, StageStep
from gongzhi.centre.tests.helpers import make_centre
from gongzhi.tests.factories import SYSTEM, credit_code, load_divisions, user_with
from gongzhi.tests.queries import assert_queries

pytestmark = pytest.mark.django_db


@pytest.fixture
def world() -> dict[str, Any]:
    divisions = load_divisions()
    made = make_centre(divisions["370202001001"])
    other = make_centre(divisions["370202001002"])  # a second centre: its writes must not touch the first's
    operator = user_with(Role.OPERATOR, divisions["370202001001"])
    return {"centre": made.centre, "other": other.centre, "operator": operator}


def _project(centre: Any, n: int, **fields: Any) -> Project:
    return services.project_create(
        actor=SYSTEM,
        platform=centre.platforms.all()[n % 3],
        name=f"项目{n}",
        industry=Industry.objects.get(code="C"),
        kind="tech",
        created_on=date(2025, 3, 1),
        credits={"found": {"government": 100 - 10 * (n % 3), "operator": 10 * (n % 3)}},
        **fields,
    )


def _live(centre: Any) -> dict[str, Any]:
    return {
        "funnels": selectors.funnels(centre.path),
        "by_party": selectors.projects_by_party(centre.path),
        "days_by_party": selectors.days_by_party(centre.path),
        "settled": selectors.enterprises_settled(centre.path),
    }


def test_the_stored_figures_equal_the_live_count_after_any_write(world) -> None:  # type: ignore[no-untyped-def]
    centre, other = world["centre"], world["other"]
    rng = random.Random(13)
    stages = list(Stage.objects.order_by("position"))
    projects = [_project(centre, n) for n in range(6)]
    assert selectors.pipeline(centre) == _live(centre)

    def advance() -> None:
        p = rng.choice(projects)
        p.refresh_from_db()
        stage = stages[rng.randint(1, 4)]
        day = date(2025, 3, 1) + timedelta(days=rng.randint(0, 90))
        services.project_advance(actor=SYSTEM, project=p, stage=stage, on=day, evidence="e")

    def credit() -> None:
        share = rng.choice([0, 30, 50, 100])
        services.project_credit(
            actor=SYSTEM,
            project=rng.choice(projects),
            credits={"found": {"owner": share, "incubator": 100 - share}},
        )

    def create() -> None:
        projects.append(_project(centre, len(projects)))

    def bulk_steps() -> None:  # around the services: no signal, no history
        p = rng.choice(projects)
        held = set(StageStep.objects.filter(project=p).values_list("stage_id", flat=True))
        StageStep.objects.bulk_create(
            StageStep(
                project=p, stage=s, on=date(2025, 5, 1), days=61, platform_id=p.platform_id, path=p.path
            )
            for s in stages
            if s.pk not in held
        )

    def queryset_update() -> None:
        StageStep.objects.filter(project=rng.choice(projects)).update(days=rng.randint(0, 200))
        Project.objects.filter(pk=rng.choice(projects).pk).update(stage=rng.choice(stages))

    def queryset_delete() -> None:
        Credit.objects.filter(project=rng.choice(projects), party="government").delete()

    def raw_sql() -> None:
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {Credit._meta.db_table} SET share = 100 - share WHERE project_id = %s",
                [rng.choice(projects).pk],
            )

    def enterprises() -> (
        None
    ):  # the settled count: a registration, then a settling day set around the services
        firm = services.enterprise_register(
            actor=SYSTEM,
            centre=centre,
            name=f"企业{rng.randint(0, 10**6)}",
            credit_code=credit_code(rng.randint(0, 10**6)),
            industry=Industry.objects.get(code="C"),
            kind="tech",
        )
        Enterprise.objects.filter(pk=firm.pk).update(settled_on=date(2025, 6, 1))

    def other_centre() -> None:  # writes under another centre leave this one's figures as they are
        _project(other, rng.randint(0, 99))

    steps = [
        advance,
        credit,
        create,
        bulk_steps,
        queryset_update,
        queryset_delete,
        raw_sql,
        enterprises,
        other_centre,
    ]
    for _ in range(40):
        rng.choice(steps)()
        assert selectors.pipeline(centre) == _live(centre)
        assert selectors.pipeline(centre) == _live(centre)  # the second read is the stored one
    assert selectors.pipeline(other) == _live(other)


def test_the_figures_are_read_stored_while_nothing_changes(world) -> None:  # type: ignore[no-untyped-def]
    centre = world["centre"]
    for n in range(4):
        _project(centre, n)
    selectors.pipeline(centre)  # counted live and stored
    with assert_queries(2, label="stored"):  # the summary, the stages
        figures = selectors.pipeline(centre)
    assert figures == _live(centre)
    row = PipelineSummary.objects.get(centre=centre)
    assert row.computed == row.version
    _project(centre, 9)  # a write bumps the version: the stored figures are not used
    row.refresh_from_db()
    assert row.computed != row.version
    assert selectors.pipeline(centre) == _live(centre)


def test_overview_and_board_cost_fixed_queries_whatever_the_projects(world) -> None:  # type: ignore[no-untyped-def]
    centre = world["centre"]
    client = Client()
    client.force_login(world["operator"])
    stages = list(Stage.objects.order_by("position"))
    platform = centre.platforms.first()

    def pages() -> None:
        for url in (
            f"/centre/{centre.pk}/",
            f"/centre/{centre.pk}/board/",
            f"/centre/{centre.pk}/board/?platform={platform.pk}",
        ):
            assert client.get(url).status_code == 200  # the first visit after a write counts live
        with assert_queries(16, label="overview"):
            assert client.get(f"/centre/{centre.pk}/").status_code == 200
        with assert_queries(
            8, label="board"
        ):  # session, user, centre, grants, platforms, summary, stages, cards
            assert client.get(f"/centre/{centre.pk}/board/").status_code == 200
        with assert_queries(8, label="board of a platform"):
            assert client.get(f"/centre/{centre.pk}/board/?platform={platform.pk}").status_code == 200

    _project(centre, 0)
    pages()
    for n in range(1, 30):
        p = _project(centre, n, next_action_on=date(2025, 4, 1) + timedelta(days=n % 7) if n % 5 else None)
        for stage in stages[1 : 1 + n % 4]:
            services.project_advance(actor=SYSTEM, project=p, stage=stage, on=date(2025, 3, 9), evidence="e")
    pages()


def test_the_board_shows_the_first_by_next_action_undated_last(world) -> None:  # type: ignore[no-untyped-def]
    centre = world["centre"]
    for n in range(14):
        _project(
            centre, n, next_action_on=None if n % 4 == 0 else date(2025, 4, 1) + timedelta(days=(7 * n) % 11)
        )
    for platform_id in [None, *centre.platforms.values_list("pk", flat=True)]:
        for per_stage in (3, 5, 25):
            columns = selectors.board(centre, platform_id, per_stage=per_stage)
            lead = columns[0]
            qs = Project.objects.filter(centre=centre, stage=lead["stage"])
            if platform_id:
                qs = qs.filter(platform_id=platform_id)
            want = sorted(qs, key=lambda p: (p.next_action_on is None, p.next_action_on or date.min, p.pk))
            assert [p.pk for p, _late in lead["cards"]] == [p.pk for p in want[:per_stage]]
            assert lead["count"] == qs.count()
            assert all(col["count"] == 0 and not col["cards"] for col in columns[1:])


def test_every_table_under_the_figures_has_its_triggers() -> None:
    """A later migration that rebuilds one of these tables on SQLite drops its triggers:
    post_migrate re-installs them (centre/triggers.py), or the stored figures would go stale."""
    tables = ("centre_project", "centre_stagestep", "centre_credit", "centre_enterprise")
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT tgrelid::regclass::text, count(*) FROM pg_trigger WHERE tgname LIKE %s GROUP BY 1",
                ["centre_%_sum_%"],
            )
            want = 4  # insert, update, delete, truncate
        else:
            cursor.execute(
                "SELECT tbl_name, count(*) FROM sqlite_master WHERE type = 'trigger' AND name LIKE %s GROUP BY 1",
                ["centre_%_sum_%"],
            )
            want = 3
        held = dict(cursor.fetchall())
    assert {t: held.get(t, 0) for t in tables} == dict.fromkeys(tables, want)
