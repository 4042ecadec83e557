"""The centre's two targets (issue 13): the pipeline funnel and board for 10,000 projects ≤ 100 ms; the
enterprise list with filters for 50,000 enterprises ≤ 50 ms a page.

Builds its own centre ("基准中心") under the first community of the database with 50,000 enterprises and
10,000 projects in bulk, once, then times the overview page (funnel overall and per platform, party
credit, overdue list) and enterprise-list pages (first page, a deep keyset page, a filtered page) through
Django's test client as a superuser. Standalone: `.venv/bin/python bench/bench_centre.py` uses its own
SQLite database in var/bench-centre/; within bench/run.py it uses the benchmark database.
"""

from __future__ import annotations

import os
import random
import sys
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

if __name__ == "__main__":
    ROOT = Path(__file__).resolve().parent.parent
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongzhi.settings")
    os.environ["GONGZHI_VAR_DIR"] = str(ROOT / "var" / "bench-centre")
    if os.environ.get("BENCH_DATABASE_URL"):  # PostgreSQL (or another database) instead of var/'s SQLite
        os.environ["DATABASE_URL"] = os.environ["BENCH_DATABASE_URL"]
    else:
        os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("GONGZHI_ALLOWED_HOSTS", "testserver,127.0.0.1")

ENTERPRISES, PROJECTS = 50_000, 10_000
NAME = "基准中心"


def _build() -> object:
    from stdnum.cn import uscc

    from gongzhi.centre import services
    from gongzhi.centre.models import (
        Centre,
        Credit,
        Enterprise,
        Industry,
        Platform,
        Project,
        Stage,
        StageStep,
    )
    from gongzhi.core.actors import system
    from gongzhi.places.models import Division, Level

    centre = Centre.objects.filter(name=NAME).first()
    if centre is not None:
        return centre
    actor = system("bench")
    place = Division.objects.filter(level=Level.COMMUNITY).order_by("code").first()
    assert place is not None, "load the divisions first"
    centre = services.centre_create(actor=actor, name=NAME, division=place)
    rng = random.Random(4754)
    platforms = list(Platform.objects.filter(centre=centre))
    sections = list(Industry.objects.all())
    kinds = [k for k, _ in Enterprise.Kind.choices]

    def code(i: int) -> str:
        body = f"91999999{i:09d}"
        return body + uscc.calc_check_digit(body)

    Enterprise.objects.bulk_create(
        (
            Enterprise(
                centre=centre,
                name=f"基准企业{i}",
                credit_code=code(i),
                industry=rng.choice(sections),
                kind=rng.choice(kinds),
                platform=rng.choice(platforms),
                path=centre.path,
                settled_on=date(2025, 1, 1) if i % 3 else None,
            )
            for i in range(ENTERPRISES)
        ),
        batch_size=2000,
    )
    stages = list(Stage.objects.order_by("position"))
    today = date.today()
    Project.objects.bulk_create(
        (
            Project(
                centre=centre,
                platform=rng.choice(platforms),
                name=f"基准项目{i}",
                industry=rng.choice(sections),
                kind=rng.choice(kinds),
                stage=stages[rng.randint(0, 5)],
                created_on=date(2025, 1, 1),
                next_action="回访",
                next_action_on=today + timedelta(days=rng.randint(-30, 30)),
                path=centre.path,
            )
            for i in range(PROJECTS)
        ),
        batch_size=2000,
    )
    projects = list(Project.objects.filter(centre=centre).values_list("id", "stage__position", "platform_id"))
    StageStep.objects.bulk_create(
        (
            StageStep(project_id=pk, stage=s, on=date(2025, 1, 1), platform_id=p, path=centre.path)
            for pk, pos, p in projects
            for s in stages[:pos]
        ),
        batch_size=5000,
    )
    Credit.objects.bulk_create(
        (
            Credit(
                project_id=pk,
                part="found",
                party=rng.choice(["government", "operator"]),
                share=100,
                path=centre.path,
            )
            for pk, _, _ in projects
        ),
        batch_size=5000,
    )
    _ = Decimal
    return centre


def _measure(client: object, url: str, repeat: int = 9) -> tuple[float, float, int]:
    """Median wall ms, median CPU ms of this process (Python, template, driver) and the queries of one GET."""
    import statistics
    import time

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    get = client.get  # type: ignore[attr-defined]
    for _ in range(2):
        assert get(url).status_code == 200, url
    walls, cpus = [], []
    for _ in range(repeat):
        w, c = time.perf_counter(), time.process_time()
        get(url)
        cpus.append((time.process_time() - c) * 1000)
        walls.append((time.perf_counter() - w) * 1000)
    with CaptureQueriesContext(connection) as queries:
        get(url)
    return statistics.median(walls), statistics.median(cpus), len(queries)


def run() -> list[tuple[str, float | str, str]]:
    from django.contrib.auth.models import User
    from django.db import connection
    from django.test import Client

    from gongzhi.core.bulk import analyze

    centre = _build()
    analyze()  # fresh statistics on PostgreSQL (the bulk load above bypasses autovacuum's timing)
    # The person who really asks: the investment bureau, granted at the centre's district.
    from gongzhi.accounts.roles import Role
    from gongzhi.accounts.services import role_grant
    from gongzhi.core.actors import system
    from gongzhi.places.models import Division

    user, created = User.objects.get_or_create(username="bench_zhaoshang")
    if created:
        district = Division.objects.get(code=centre.division.code[:6])  # type: ignore[attr-defined]
        role_grant(actor=system("bench"), user=user, role=Role.INVESTMENT_BUREAU, place=district)
    client = Client()
    client.force_login(user)
    pk = centre.pk  # type: ignore[attr-defined]
    from gongzhi.centre.models import Enterprise, Platform

    deep = (
        Enterprise.objects.filter(centre_id=pk).order_by("id").values_list("id", flat=True)[ENTERPRISES - 100]
    )
    platform = Platform.objects.filter(centre_id=pk).first()
    assert platform is not None
    listing = f"/centre/{pk}/enterprises/"
    pages = [
        (
            f"centre overview (funnel, conversion days per platform and party, credit), {PROJECTS:,} projects",
            f"/centre/{pk}/",
            "≤ 100 ms",
        ),
        (f"pipeline board, all platforms, {PROJECTS:,} projects", f"/centre/{pk}/board/", "≤ 100 ms"),
        (
            f"pipeline board, one platform, {PROJECTS:,} projects",
            f"/centre/{pk}/board/?platform={platform.pk}",
            "≤ 100 ms",
        ),
        (f"enterprise list, {ENTERPRISES:,} enterprises, first page", listing, "≤ 50 ms"),
        (
            f"enterprise list, {ENTERPRISES:,} enterprises, page after 49,900",
            f"{listing}?after={deep}",
            "≤ 50 ms",
        ),
        (
            f"enterprise list, {ENTERPRISES:,} enterprises, platform + kind + section",
            f"{listing}?platform={platform.pk}&kind=tech&industry=C",
            "≤ 50 ms",
        ),
        (
            f"enterprise list, {ENTERPRISES:,} enterprises, kind + section",
            f"{listing}?kind=tech&industry=C",
            "≤ 50 ms",
        ),
        (
            f"enterprise list, {ENTERPRISES:,} enterprises, platform + section, page after 40,000",
            f"{listing}?platform={platform.pk}&industry=C&after={deep - 10_000}",
            "≤ 50 ms",
        ),
    ]
    rows: list[tuple[str, float | str, str]] = [(f"database: {connection.vendor}", "", "")]
    for label, url, target in pages:
        wall, cpu, queries = _measure(client, url)
        rows.append((f"{label}, median", wall, target))
        rows.append(("  of which CPU of this process; queries", f"{cpu:.1f} ms; {queries}", ""))
    return rows


if __name__ == "__main__":
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    from gongzhi.places.models import Division

    if not Division.objects.exists():
        call_command("load_divisions", str(ROOT / "data" / "qingdao-divisions.csv"), verbosity=0)
    for figure, value, target in run():
        shown = f"{value:.1f} ms" if isinstance(value, float) else value
        print(f"{figure}: {shown}" + (f" (target {target})" if target else ""))
