"""The organisation chain at city scale: coverage figures (the owners' target: dashboard and indicators
≤ 50 ms) and the streamed export of every party member to .xlsx (its rate; the export's memory is measured
in a fresh process by bench_ledgers).

Assumes the city-scale demo (`seed_demo --scale city`) in the current database; bench/run.py builds it.
"""

from __future__ import annotations

import time
from pathlib import Path

from bench.timing import median_ms
from bench.users import superuser_client
from gongzhi.insights.registry import PlaceScope
from gongzhi.ledgers.xlsx import stream_workbook
from gongzhi.party import selectors
from gongzhi.party.indicators import figures
from gongzhi.party.ledger import MEMBERS, PARTY_LEDGER
from gongzhi.party.models import PartyMember
from gongzhi.places.models import Division


def _export() -> tuple[float, int]:
    """Seconds to stream every member's row as .xlsx, and the rows (memory: bench_ledgers, fresh process)."""
    counter = [0]
    started = time.perf_counter()
    for _chunk in stream_workbook([(MEMBERS, PARTY_LEDGER.member_rows("", None))], counter):
        pass
    return time.perf_counter() - started, counter[0]


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
    client = superuser_client()  # the second factor not asked: the page is measured (bench/users.py)
    page_ms = median_ms(lambda: client.get(f"/party/d/{city.code}/"), repeat=9)
    api_ms = median_ms(lambda: client.get(f"/api/v1/indicators/?place={city.code}"), repeat=9)

    seconds, written = _export()
    return [
        ("party members in the database (city)", members, "≈ 300,000"),
        ("coverage figures, whole city, median", f"{city_ms:.1f} ms", "≤ 50 ms"),
        ("coverage figures, 市南区, median", f"{district_ms:.1f} ms", "≤ 50 ms"),
        ("dashboard breakdown by district and subdistrict, median", f"{breakdown_ms:.1f} ms", "≤ 50 ms"),
        ("coverage dashboard page /party/d/3702/, median", f"{page_ms:.1f} ms", "≤ 50 ms"),
        ("GET /api/v1/indicators/?place=3702, median", f"{api_ms:.1f} ms", "≤ 50 ms"),
        (
            f"export all {written:,} members, streamed",
            f"{written / seconds:,.0f} rows/s ({seconds:.1f} s)",
            "",
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
