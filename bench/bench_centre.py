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
from functools import partial
from pathlib import Path

if __name__ == "__main__":
    ROOT = Path(__file__).resolve().parent.parent
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongzhi.settings")
    os.environ["GONGZHI_VAR_DIR"] = str(ROOT / "var" / "bench-centre")
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


def run() -> list[tuple[str, float | str, str]]:
    from django.contrib.auth.models import User
    from django.test import Client

    from bench.timing import median_ms

    centre = _build()
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
    overview = f"/centre/{pk}/"
    first = client.get(overview)
    assert first.status_code == 200, (first.status_code, first.get("Location"))
    rows: list[tuple[str, float | str, str]] = []
    rows.append(
        (
            f"centre overview as the investment bureau: funnel + board, {PROJECTS:,} projects, median",
            median_ms(lambda: client.get(overview), repeat=7),
            "≤ 100 ms",
        )
    )
    listing = f"/centre/{pk}/enterprises/"
    from gongzhi.centre.models import Enterprise, Platform

    deep = (
        Enterprise.objects.filter(centre_id=pk).order_by("id").values_list("id", flat=True)[ENTERPRISES - 100]
    )
    platform = Platform.objects.filter(centre_id=pk).first()
    assert platform is not None
    for label, url in [
        ("first page", listing),
        ("page after 49,900", f"{listing}?after={deep}"),
        ("filtered (platform + kind + section)", f"{listing}?platform={platform.pk}&kind=tech&industry=C"),
    ]:
        assert client.get(url).status_code == 200
        rows.append(
            (
                f"enterprise list, {ENTERPRISES:,} enterprises, {label}, median",
                median_ms(partial(client.get, url), repeat=7),
                "≤ 50 ms",
            )
        )
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
        print(f"{figure}: {shown} (target {target})")
