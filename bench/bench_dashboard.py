"""The 驾驶舱 and the bulletin at city scale (issue 12): the dashboard page of the city (every catalogued
figure of the city and of its ten districts, live) ≤ 100 ms median; a snapshot of every figure for every
division of the city ≤ 60 s; a bulletin PDF of a district ≤ 3 s.

Assumes the city-scale demo (`seed_demo --scale city`) in the current database; bench/run.py builds it. When
the city holds fewer than 10,000 compounds (the district demo only, or just the divisions), made-up ones fill
it up inside a transaction that is rolled back (bench_cogovern's filler: delivery data and status rows, no
homes or persons), so the committee figures are measured at city size while the figures that count persons
see only what is there. The snapshot is taken for today (taking it again replaces today's rows).

Alone, against the worktree's own database (measured this way in docs/campaign.md):
`GONGZHI_2FA_SUPERUSERS=0 GONGZHI_ALLOWED_HOSTS=testserver .venv/bin/python manage.py shell -c
"from bench.bench_dashboard import run; print(*run(), sep='\\n')"`.
"""

from __future__ import annotations

import time
from contextlib import nullcontext
from typing import Any

from django.contrib.auth.models import User
from django.test import Client, override_settings
from django.utils import timezone

from bench.bench_cogovern import CITY_SIZE, _filled_city
from bench.timing import median_ms
from gongzhi.core.actors import system
from gongzhi.dashboard import bulletin
from gongzhi.dashboard.selectors import children
from gongzhi.dashboard.services import snapshots_take
from gongzhi.insights.batch import Batch
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
    assert client.get(url).status_code == 200
    page_ms = median_ms(lambda: client.get(url))

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
        (f"dashboard page of {city.name} ({scale}), median", page_ms, "≤ 100 ms"),
        *parts,
        (
            f"snapshot of every figure for every division ({snap.divisions:,} divisions, {snap.rows:,} rows)",
            f"{snapshot_s:.1f} s",
            "≤ 60 s",
        ),
        (f"bulletin PDF of {district.name}, median", pdf_ms, "≤ 3,000 ms"),
    ]
