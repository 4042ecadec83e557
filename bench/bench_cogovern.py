"""The property-management map's data: the GeoJSON of every compound with its three layer values
(owners' targets: 市南区 ≤ 200 ms, a city of 10,000 compounds ≤ 1 s) and its query count, which must not
grow with the number of compounds.

Assumes the demo (`seed_demo`, or `--scale city` as bench/run.py builds it) in the current database.
"""

from __future__ import annotations

from django.contrib.auth.models import User
from django.db import connection
from django.test import Client

from bench.timing import median_ms
from gongzhi.places.models import Compound, Division


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
    city = Division.objects.get(code="3702")
    n = Compound.objects.filter(path__under=city.path).count()
    if n > features:
        ms, city_queries, features = _measure(client, city)
        rows.append((f"map GeoJSON, 青岛市 ({features} compounds), median", f"{ms:.1f} ms", "≤ 1,000 ms"))
        rows.append(("map GeoJSON, 青岛市, queries", city_queries, f"= {queries} (市南区)"))
    page_ms = median_ms(lambda: client.get(f"/cogovern/map/{district.code}/"), repeat=7)
    rows.append(("map page, 市南区, median", f"{page_ms:.1f} ms", "≤ 200 ms"))
    return rows
