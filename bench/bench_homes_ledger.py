"""The homes-and-owners ledger of 市南区 (≈ 200,000 homes, 210,000 owners): export, then import it back.

Import cost is compared with the parser's own: reading the same workbook with python-calamine alone.
The import changes nothing (a round trip), so the database is left as it was.
"""

from __future__ import annotations

import tempfile
import time
import tracemalloc
from pathlib import Path

from gongzhi.ledgers.base import Context
from gongzhi.ledgers.importer import export_file, import_file
from gongzhi.ledgers.xlsx import read_workbook
from gongzhi.places.ledger import HOMES_LEDGER
from gongzhi.places.models import Division


def run() -> list[tuple[str, float | str, str]]:
    shinan = Division.objects.get(code="370202")
    with tempfile.TemporaryDirectory() as tmp:
        target = Path(tmp) / "homes.xlsx"
        tracemalloc.start()
        started = time.perf_counter()
        rows = export_file(HOMES_LEDGER, target, shinan.path, None)
        export_s = time.perf_counter() - started
        _now, export_peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        started = time.perf_counter()
        read_workbook(target)
        parse_s = time.perf_counter() - started
        started = time.perf_counter()
        outcome = import_file(HOMES_LEDGER, target, Context(None))
        import_s = time.perf_counter() - started
    assert outcome.ok and not any(outcome.counts.values()), outcome.counts
    return [
        (f"homes ledger 市南区: export {rows:,} rows (streaming)", f"{export_s:.1f} s", "flat memory"),
        ("homes ledger: export peak Python memory", f"{export_peak / 1e6:.1f} MB", "flat"),
        ("homes ledger: calamine read alone", f"{parse_s:.1f} s", "the parser's speed"),
        ("homes ledger: import back (check all, change nothing)", f"{import_s:.1f} s", "near the parser's"),
    ]
