"""The organisation chain at city scale: coverage figures (the owners' target: dashboard and indicators
≤ 50 ms) and the export of every party member to .xlsx (time, and peak memory for a tenth of the rows and
for all of them, which should be about the same).

Assumes the city-scale demo (`seed_demo --scale city`) in the current database; bench/run.py builds it.
"""

from __future__ import annotations

import tempfile
import time
import tracemalloc
from itertools import islice
from pathlib import Path

from django.contrib.auth.models import User
from django.test import Client

from bench.timing import median_ms
from gongzhi.insights.registry import PlaceScope
from gongzhi.ledgers.xlsx import write_workbook
from gongzhi.party import selectors
from gongzhi.party.indicators import figures
from gongzhi.party.ledger import MEMBERS, PARTY_LEDGER
from gongzhi.party.models import PartyMember
from gongzhi.places.models import Division


def _peak_rss_mib() -> float | None:
    """The process's peak resident memory (VmHWM), or None where /proc is not Linux's."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def _reset_peak_rss() -> bool:
    """Linux resets the peak when "5" is written to clear_refs (since 4.0)."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        return False
    return True


def _export(limit: int | None) -> tuple[float, float, int, str]:
    """Seconds, peak memory growth (MiB) during the export, rows, and how memory was measured.

    Peak resident memory where Linux lets it be reset (no slowdown); otherwise tracemalloc (Python
    allocations only, and slower).
    """
    rows = PARTY_LEDGER.member_rows("", None)
    if limit is not None:
        rows = islice(rows, limit)
    use_rss = _reset_peak_rss() and _peak_rss_mib() is not None
    with tempfile.TemporaryDirectory() as tmp:
        base = _peak_rss_mib() or 0.0
        if not use_rss:
            tracemalloc.start()
        started = time.perf_counter()
        n = write_workbook(Path(tmp) / "members.xlsx", [(MEMBERS, rows)])
        seconds = time.perf_counter() - started
        if use_rss:
            peak = (_peak_rss_mib() or 0.0) - base
        else:
            peak = tracemalloc.get_traced_memory()[1] / 2**20
            tracemalloc.stop()
    return seconds, peak, n, "peak RSS growth" if use_rss else "tracemalloc peak"


def run() -> list[tuple[str, float | str, str]]:
    city = Division.objects.get(code="3702")
    district = Division.objects.get(code="370202")
    members = PartyMember.objects.count()
    scope = PlaceScope(city)
    city_ms = median_ms(lambda: figures(scope))
    district_ms = median_ms(lambda: figures(PlaceScope(district)))

    def breakdown() -> None:
        for _level, places in selectors.dashboard_levels(city):
            selectors.breakdown(places, city.path)

    breakdown_ms = median_ms(breakdown)
    user, _ = User.objects.get_or_create(
        username="bench_superuser", defaults={"is_superuser": True, "is_staff": True}
    )
    client = Client()
    client.force_login(user)
    page_ms = median_ms(lambda: client.get(f"/party/d/{city.code}/"), repeat=9)
    api_ms = median_ms(lambda: client.get(f"/api/v1/indicators/?place={city.code}"), repeat=9)

    _s, peak_tenth, tenth, how = _export(max(1, members // 10))
    seconds, peak_all, written, _how = _export(None)
    return [
        ("party members in the database (city)", members, "≈ 300,000"),
        ("coverage figures, whole city, median", f"{city_ms:.1f} ms", "≤ 50 ms"),
        ("coverage figures, 市南区, median", f"{district_ms:.1f} ms", "≤ 50 ms"),
        ("dashboard breakdown by district and subdistrict, median", f"{breakdown_ms:.1f} ms", "≤ 50 ms"),
        ("coverage dashboard page /party/d/3702/, median", f"{page_ms:.1f} ms", "≤ 50 ms"),
        ("GET /api/v1/indicators/?place=3702, median", f"{api_ms:.1f} ms", "≤ 50 ms"),
        (f"export all {written:,} members to .xlsx (streamed)", f"{seconds:.1f} s", "streaming"),
        (
            f"export memory ({how}): a tenth vs all rows",
            f"{peak_tenth:.1f} MiB ({tenth:,} rows) vs {peak_all:.1f} MiB ({written:,} rows)",
            "flat",
        ),
    ]


if __name__ == "__main__":
    import os
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongzhi.settings")
    import django

    django.setup()
    for row in run():
        print(" | ".join(str(x) for x in row))
