"""Reading the trading change feed to the end: 100,000 changes in pages of 500, cursor to cursor.

Inside a transaction that is rolled back: one village of 平度市, one listing, CHANGES change rows (bulk),
then `selectors.changes_after` page by page over the scoped queryset the API uses, each page one horizon
query (PostgreSQL) and one keyed read on the (txid, id) index. Prints pages, queries per page, wall and
CPU time per page (median, worst) and in all. No target in the issue; the figure shows a page costs the
same at the start and at the end of the feed (no offset).

    .venv/bin/python bench/bench_trading_feed.py       # on DATABASE_URL (or var/ SQLite)
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

CHANGES, PAGE = 100_000, 500


class _Rollback(Exception):
    pass


def measure(changes: int = CHANGES, page: int = PAGE) -> dict[str, float | int]:
    from datetime import date

    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    from gongzhi.places.models import Division
    from gongzhi.trading import selectors
    from gongzhi.trading.models import Change, Listing

    out: dict[str, float | int] = {}
    try:
        with transaction.atomic():
            county, _ = Division.objects.get_or_create(
                code="370283", defaults={"name": "平度市", "level": "district", "path": "37/3702/370283/"}
            )
            village = Division.objects.create(
                code="370283999998",
                name="基准村",
                level="village",
                parent=county,
                path=county.path + "370283999998/",
            )
            today = date.today()
            listing = Listing.objects.create(
                code="BENCH-FEED",
                village=village,
                path=village.path,
                title="基准",
                kind="land",
                term_years=5,
                reserve_yuan=1,
                step_yuan=1,
                deposit_yuan=1,
                decision="基准",
                decided_on=today,
                publish_from=today,
                publish_until=today,
            )
            t0 = time.perf_counter()
            Change.objects.bulk_create(
                (
                    Change(
                        listing=listing,
                        path=village.path,
                        kind="bid",
                        event="placed",
                        object_id=i,
                        data={"seq": i},
                    )
                    for i in range(changes)
                ),
                batch_size=5000,
            )
            out["fill_s"] = time.perf_counter() - t0
            qs = Change.objects.filter(path__under=county.path)
            after, walls, cpus, queries, seen = None, [], [], [], 0
            w0, c0 = time.perf_counter(), time.process_time()
            while True:
                w, c = time.perf_counter(), time.process_time()
                with CaptureQueriesContext(connection) as ctx:
                    rows = selectors.changes_after(qs, after, page)
                walls.append(time.perf_counter() - w)
                cpus.append(time.process_time() - c)
                queries.append(len(ctx.captured_queries))
                if not rows:
                    break
                seen += len(rows)
                after = selectors.cursor_decode(selectors.cursor_encode(rows[-1].txid, rows[-1].pk))
            out.update(
                changes=seen,
                pages=len(walls),
                queries_per_page=max(queries),
                total_wall_s=time.perf_counter() - w0,
                total_cpu_s=time.process_time() - c0,
                page_wall_median_ms=statistics.median(walls) * 1000,
                page_wall_max_ms=max(walls) * 1000,
                page_cpu_median_ms=statistics.median(cpus) * 1000,
                first_page_ms=walls[0] * 1000,
                last_full_page_ms=walls[-2] * 1000 if len(walls) > 1 else 0,
            )
            raise _Rollback
    except _Rollback:
        pass
    return out


def main() -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongzhi.settings")
    import django

    django.setup()
    from django.db import connection

    out = measure()
    print(
        f"trading change feed on {connection.vendor}: {out['changes']} changes in {out['pages']} pages of {PAGE}"
    )
    for k, v in out.items():
        print(f"  {k}: {v:.1f}" if isinstance(v, float) else f"  {k}: {v}")


if __name__ == "__main__":
    main()
