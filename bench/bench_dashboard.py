"""The 驾驶舱 and the bulletin at city scale (issue 12): the dashboard page of the city (every catalogued
figure of the city and of its ten districts, live) ≤ 100 ms median; a snapshot of every figure for every
division of the city ≤ 60 s; a bulletin PDF of a district ≤ 3 s.

Assumes the city-scale demo (`seed_demo --scale city`) in the current database; bench/run.py builds it. When
the city holds fewer than 10,000 compounds (the district demo only, or just the divisions), made-up ones fill
it up inside a transaction that is rolled back (bench_cogovern's filler: delivery data and status rows, no
homes or persons), so the committee figures are measured at city size while the figures that count persons
see only what is there. The snapshot is taken for today (taking it again replaces today's rows).

The page reads the insights store (gongzhi.insights.store): measured warm (every stored answer fresh, the
state after the first view or `figures_store --rebuild`) and stale (every answer deleted before each request,
as after a write to every provider's tables: computed live and stored again), with the Python CPU of the
request and its queries.

Alone, against the worktree's own database (measured this way in docs/campaign.md):
`GONGZHI_2FA_SUPERUSERS=0 GONGZHI_ALLOWED_HOSTS=testserver .venv/bin/python manage.py shell -c
"from bench.bench_dashboard import run; print(*run(), sep='\\n')"`.
"""

from __future__ import annotations

import io
import statistics
import time
from contextlib import nullcontext
from typing import Any

from django.contrib.auth.models import User
from django.core.management import call_command
from django.db import connection
from django.test import Client, override_settings
from django.utils import timezone

from bench.bench_cogovern import CITY_SIZE, _filled_city
from bench.timing import median_ms
from gongzhi.core.actors import system
from gongzhi.dashboard import bulletin
from gongzhi.dashboard.selectors import children
from gongzhi.dashboard.services import snapshots_take
from gongzhi.insights.batch import Batch
from gongzhi.insights.models import StoredFigures
from gongzhi.insights.registry import batch_providers
from gongzhi.places.models import Compound, Division


def run(city_code: str = "3702", district_code: str = "370202") -> list[tuple[str, float | str, str]]:
    city = Division.objects.get(code=city_code)
    have = Compound.objects.filter(path__under=city.path).count()
    filling = _filled_city(city, CITY_SIZE) if have < CITY_SIZE else nullcontext()
    with filling:
        rows = _measure(city, Division.objects.get(code=district_code))
    if have < CITY_SIZE:
        rows.append((f"  ({CITY_SIZE - have:,} made-up compounds filled the city, rolled back)", "", ""))
    return rows


def _cpu_ms(fn: Any, repeat: int = 21) -> float:
    """Median CPU time of this process per call: the request's Python, not the database's work."""
    samples = []
    for _ in range(repeat):
        started = time.process_time()
        fn()
        samples.append((time.process_time() - started) * 1000)
    return statistics.median(samples)


def _queries(fn: Any) -> int:
    executed: list[str] = []

    def note(execute, sql, params, many, context):  # type: ignore[no-untyped-def]
        executed.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(note):  # not CaptureQueriesContext: the request closes its log
        fn()
    return len(executed)


def _measure(city: Division, district: Division) -> list[tuple[str, float | str, str]]:
    compounds = Compound.objects.filter(path__under=city.path).count()
    below = Division.objects.filter(parent=city).count()
    user, _ = User.objects.get_or_create(
        username="bench_superuser", defaults={"is_superuser": True, "is_staff": True}
    )
    client = Client()
    with override_settings(GONGZHI_2FA_SUPERUSERS=False):  # the page is measured, not the TOTP step
        client.force_login(user)
    url = f"/dashboard/{city.code}/"
    assert client.get(url).status_code == 200  # computes what is stale and stores it
    page_ms = median_ms(lambda: client.get(url))
    page_cpu = _cpu_ms(lambda: client.get(url))
    queries = _queries(lambda: client.get(url))

    def stale() -> None:  # every stored answer out of date, as after a write to each provider's tables
        StoredFigures.objects.all().delete()
        client.get(url)

    stale_ms = median_ms(stale, repeat=5, warmup=1)
    stale_cpu = _cpu_ms(stale, repeat=5)
    stale_queries = _queries(stale)
    started = time.perf_counter()
    call_command("figures_store", "--rebuild", "--path", city.path, stdout=io.StringIO())
    rebuild_s = time.perf_counter() - started

    started = time.perf_counter()
    snap = snapshots_take(actor=system("bench"), path=city.path)
    snapshot_s = time.perf_counter() - started

    today = timezone.localdate()
    pdf_ms = median_ms(lambda: bulletin.to_pdf(bulletin.build(district, today, today)), repeat=5, warmup=1)
    scale = f"{below} divisions one step down, {compounds:,} compounds"
    # Where the page's time goes: each provider asked once for the city and its districts, as the page does.
    batch = Batch(tuple([city, *children(city)]))

    def timed(fn: Any) -> float:
        return median_ms(lambda: fn(batch), repeat=5, warmup=1)

    parts: list[tuple[str, float | str, str]] = [
        (f"  of which {fn.__module__} (one call for {len(batch.places)} places), median", timed(fn), "")
        for fn in batch_providers()
    ]
    return [
        (f"dashboard page of {city.name} ({scale}), stored figures fresh, median", page_ms, "≤ 100 ms"),
        ("  the same, Python CPU of the request, median", page_cpu, ""),
        ("  the same, queries", float(queries), ""),
        ("dashboard page with every stored figure stale (computed live and stored), median", stale_ms, ""),
        ("  the same, Python CPU, median", stale_cpu, ""),
        ("  the same, queries", float(stale_queries), ""),
        (f"figures_store --rebuild of {city.name} (every division)", f"{rebuild_s:.1f} s", ""),
        *parts,
        (
            f"snapshot of every figure for every division ({snap.divisions:,} divisions, {snap.rows:,} rows)",
            f"{snapshot_s:.1f} s",
            "≤ 60 s",
        ),
        (f"bulletin PDF of {district.name}, median", pdf_ms, "≤ 3,000 ms"),
    ]
