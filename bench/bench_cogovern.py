"""The property-management map's data: the GeoJSON of every compound with its three layer values
(owners' targets: 市南区 ≤ 200 ms, a city of 10,000 compounds ≤ 1 s) and its query count, which must not
grow with the number of compounds.

Assumes the demo (`seed_demo`, or `--scale city` as bench/run.py builds it) in the current database. When
the city holds fewer than 10,000 compounds, made-up ones (outline, delivery figures, status row) fill it up
inside a transaction that is rolled back afterwards, so the city figure is measured at that size anyway.

Alone, against the worktree's own database (the in-process superuser skips the second factor):
`GONGZHI_2FA_SUPERUSERS=0 GONGZHI_ALLOWED_HOSTS=testserver .venv/bin/python manage.py shell -c
"from bench.bench_cogovern import run; print(*run(), sep='\\n')"`.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from decimal import Decimal

from django.contrib.auth.models import User
from django.core import signals
from django.db import close_old_connections, connection, transaction
from django.test import Client

from bench.timing import median_ms
from gongzhi.cogovern.services import compound_status_refresh
from gongzhi.core.paths import under
from gongzhi.places.geo import rectangle
from gongzhi.places.models import Compound, Division, Level, ManagementType

CITY_SIZE = 10_000


def _cpu_ms(fn: Callable[[], object], repeat: int = 7) -> float:
    """Median CPU time of this process (SQLite runs in it): on a shared machine the wall clock also counts
    the time other processes held the cores."""
    samples = []
    for _ in range(repeat):
        started = time.process_time()
        fn()
        samples.append((time.process_time() - started) * 1000)
    return sorted(samples)[len(samples) // 2]


def _measure(client: Client, division: Division) -> tuple[float, int, int]:
    url = f"/cogovern/map/{division.code}/data.geojson"
    executed: list[str] = []

    def count(execute, sql, params, many, context):  # type: ignore[no-untyped-def]
        executed.append(sql)
        return execute(sql, params, many, context)

    # A wrapper, not CaptureQueriesContext: the request closes the connection and its query log with it.
    with connection.execute_wrapper(count):
        features = len(client.get(url).json()["features"])
    return median_ms(lambda: client.get(url), repeat=7), len(executed), features


@contextmanager
def _filled_city(city: Division, size: int) -> Iterator[float]:
    """Made-up compounds up to `size` under the city's communities, rolled back on leaving; yields the
    seconds the status rows' rebuild took for the whole city."""
    signals.request_started.disconnect(close_old_connections)  # the requests run inside this transaction
    signals.request_finished.disconnect(close_old_connections)
    try:
        with transaction.atomic():
            have = Compound.objects.filter(under(city.path)).count()
            communities = list(
                Division.objects.filter(under(city.path), level__in=(Level.COMMUNITY, Level.VILLAGE))
            )
            kinds = list(ManagementType.values)
            rows = []
            for i in range(max(0, size - have)):
                community = communities[i % len(communities)]
                code = f"{community.code}9{i // len(communities):03d}"  # 16 characters: the column's limit
                owners = 40 + i % 300
                rows.append(
                    Compound(
                        code=code,
                        name=f"测算小区{i}",
                        community=community,
                        path=f"{community.path}{code}/",
                        management_type=kinds[i % len(kinds)],
                        total_area=Decimal(owners * 90),
                        delivered_area=Decimal(owners * 90 * (i % 10) // 10),
                        owners_total=owners,
                        owners_delivered=owners * (i % 10) // 10,
                        first_delivered_on=date(2010 + i % 15, 1 + i % 12, 1),
                        outline=rectangle(120.0 + (i % 100) * 0.01, 36.0 + (i // 100) * 0.01, 0.004, 0.003),
                    )
                )
            Compound.objects.bulk_create(rows, batch_size=2000)
            started = time.perf_counter()
            compound_status_refresh(compounds=under(city.path))
            yield time.perf_counter() - started
            transaction.set_rollback(True)
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


def run() -> list[tuple[str, float | str, str]]:
    user, _ = User.objects.get_or_create(
        username="bench_superuser", defaults={"is_superuser": True, "is_staff": True}
    )
    client = Client()
    client.force_login(user)
    rows: list[tuple[str, float | str, str]] = []
    district = Division.objects.get(code="370202")
    ms, queries, features = _measure(client, district)
    rows.append((f"map GeoJSON, 市南区 ({features} compounds), median", f"{ms:.1f} ms", "≤ 200 ms"))
    rows.append(("map GeoJSON, 市南区, queries", queries, "constant"))
    cpu = _cpu_ms(lambda: client.get(f"/cogovern/map/{district.code}/data.geojson"))
    rows.append(("map GeoJSON, 市南区, CPU time of the process, median", f"{cpu:.1f} ms", "≤ 200 ms"))
    page_ms = median_ms(lambda: client.get(f"/cogovern/map/{district.code}/"), repeat=7)
    rows.append(("map page, 市南区, median", f"{page_ms:.1f} ms", "≤ 200 ms"))
    city = Division.objects.get(code="3702")
    with _filled_city(city, CITY_SIZE) as rebuild_s:
        ms, city_queries, features = _measure(client, city)
        rows.append((f"map GeoJSON, 青岛市 ({features} compounds), median", f"{ms:.1f} ms", "≤ 1,000 ms"))
        cpu = _cpu_ms(lambda: client.get(f"/cogovern/map/{city.code}/data.geojson"))
        rows.append(("map GeoJSON, 青岛市, CPU time of the process, median", f"{cpu:.1f} ms", "≤ 1,000 ms"))
        rows.append(("map GeoJSON, 青岛市, queries", city_queries, f"= {queries} (市南区)"))
        url = f"/cogovern/map/{city.code}/data.geojson"
        plain, packed = client.get(url), client.get(url, HTTP_ACCEPT_ENCODING="gzip")
        size = f"{len(plain.content) / 1e6:.2f} MB, gzip {len(packed.content) / 1e6:.2f} MB"
        rows.append(("map GeoJSON, 青岛市, bytes sent", size, "what a browser downloads"))
        rows.append(("cogovern_status_rebuild, 青岛市", f"{rebuild_s:.1f} s", "after bulk loads"))
    return rows
