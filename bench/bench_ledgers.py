"""Ledgers at the parser's and the writer's speed (issue 7, item 8), measured on 市南区's homes ledger.

- export: rows per second of the streamed export (`stream_workbook`) against xlsxwriter's constant-memory
  writer for the same rows, both from rows already in memory, no tracer around either;
- export memory: peak RSS of a fresh process that streams the whole district's export to nowhere;
- import: a check-only round trip of the district file, and a writing import (a subdistrict's homes and
  owners under new building numbers: new buildings, homes and ownerships), each against calamine's own
  parse of the same file. The writing import runs in a transaction that is rolled back.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from django.db import transaction

from gongzhi.core.actors import system
from gongzhi.ledgers.base import Context, SheetSpec
from gongzhi.ledgers.importer import import_file
from gongzhi.ledgers.xlsx import read_workbook, stream_workbook, write_workbook
from gongzhi.places.ledger import HOMES_LEDGER
from gongzhi.places.models import Division

ROOT = Path(__file__).resolve().parents[1]
NEW_BUILDING = "基准"  # suffix that turns every building of the file into a new one


class _Rollback(Exception):
    pass


def _rate(rows: int, seconds: float) -> str:
    return f"{rows / seconds:,.0f} rows/s ({seconds:.1f} s)"


def _parse_s(path: Path) -> float:
    started = time.perf_counter()
    read_workbook(path)
    return time.perf_counter() - started


def _writing_file(sheets: list[tuple[SheetSpec, list[list[Any]]]], target: Path) -> int:
    renamed = []
    for spec, rows in sheets:
        col = [c.key for c in spec.columns].index("building")
        renamed.append((spec, [[*r[:col], f"{r[col]}{NEW_BUILDING}", *r[col + 1 :]] for r in rows]))
    return write_workbook(target, renamed)


def memory_child(code: str) -> None:
    """Run in a fresh process: stream a district's export to nowhere, print peak RSS in MiB."""
    place = Division.objects.get(code=code)
    for _chunk in stream_workbook(HOMES_LEDGER.export(place.path, None)):
        pass
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            print(int(line.split()[1]) / 1024)


def _peak_mib(code: str) -> str:
    script = (
        f"import sys; sys.path.insert(0, {str(ROOT)!r}); import django; django.setup(); "
        f"from bench.bench_ledgers import memory_child; memory_child({code!r})"
    )
    child = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=False)
    return f"{float(child.stdout.split()[-1]):.0f}" if child.returncode == 0 else child.stderr[-60:]


def run() -> list[tuple[str, float | str, str]]:
    shinan = Division.objects.get(code="370202")
    sheets = [(spec, list(rows)) for spec, rows in HOMES_LEDGER.export(shinan.path, None)]
    n = sum(len(rows) for _spec, rows in sheets)
    out: list[tuple[str, float | str, str]] = []
    with tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        write_workbook(Path(tmp) / "xw.xlsx", sheets)
        xw_s = time.perf_counter() - started
        started = time.perf_counter()
        size = sum(len(chunk) for chunk in stream_workbook(sheets))
        st_s = time.perf_counter() - started
        out += [
            (
                f"export 市南区 homes ledger ({n:,} rows): xlsxwriter constant-memory",
                _rate(n, xw_s),
                "reference",
            ),
            (
                f"export, streamed to the client ({size / 2**20:.0f} MiB)",
                _rate(n, st_s),
                "≥ 50% of xlsxwriter",
            ),
            ("export streamed / xlsxwriter", f"{xw_s / st_s:.0%}", "≥ 50%"),
        ]
        sub = Division.objects.filter(parent=shinan).order_by("code").first()
        assert sub is not None
        peaks = [_peak_mib(code) for code in (sub.code, shinan.code)]
        out.append(
            (
                "export memory: peak RSS of a fresh process, a subdistrict vs 市南区",
                f"{peaks[0]} vs {peaks[1]} MiB",
                "flat",
            )
        )

        district = Path(tmp) / "district.xlsx"
        write_workbook(district, sheets)
        parse_s = _parse_s(district)
        started = time.perf_counter()
        outcome = import_file(HOMES_LEDGER, district, Context(system("bench")))
        check_s = time.perf_counter() - started
        assert outcome.ok and not any(outcome.counts.values()), outcome.counts
        out += [
            ("import: calamine parse of the district file", _rate(n, parse_s), "the parser's rate"),
            ("import: round trip (check all, write nothing)", _rate(n, check_s), "≥ 50% of the parser"),
            ("import round trip / parser", f"{parse_s / check_s:.0%}", "≥ 50%"),
        ]
        part = [(spec, [r for r in rows if r[0].startswith(sub.code)]) for spec, rows in sheets]
        m = _writing_file(part, Path(tmp) / "new.xlsx")
        parse_new = _parse_s(Path(tmp) / "new.xlsx")
        started = time.perf_counter()
        try:
            with transaction.atomic():
                outcome = import_file(HOMES_LEDGER, Path(tmp) / "new.xlsx", Context(system("bench")))
                write_s = time.perf_counter() - started
                raise _Rollback
        except _Rollback:
            pass
        assert outcome.ok, outcome.errors[:3]
        out += [
            (f"import writing {m:,} rows (new homes, owners)", _rate(m, write_s), ""),
            ("import writing / parser", f"{(m / write_s) / (m / parse_new):.1%}", "≥ 50%"),
        ]
    return out
