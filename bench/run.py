"""make bench: build all of Qingdao at city scale in its own database, then print every benchmark's figures.

Each bench/bench_*.py exposes run() -> list of (figure, value, target). Data lives in var/bench/ (SQLite)
unless BENCH_DATABASE_URL names another database; it is built once and reused. On PostgreSQL the statistics
are refreshed (ANALYZE) before anything is measured, as the bulk loads themselves do.

`make bench` runs every benchmark; `.venv/bin/python bench/run.py bench_api bench_pages` runs some. The table
shows each figure against its owner's target and marks what is over.
"""

from __future__ import annotations

import importlib
import os
import re
import sys
import time
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongzhi.settings")
os.environ["GONGZHI_VAR_DIR"] = os.environ.get("BENCH_VAR_DIR", str(ROOT / "var" / "bench"))
if os.environ.get("BENCH_DATABASE_URL"):
    os.environ["DATABASE_URL"] = os.environ["BENCH_DATABASE_URL"]
else:
    os.environ.pop("DATABASE_URL", None)
os.environ.setdefault("GONGZHI_ALLOWED_HOSTS", "testserver,127.0.0.1")


def verdict(value: object, target: str) -> str:
    """ "ok" or "OVER" when the target is a bound the value can be compared with, else ""."""
    bound = re.fullmatch(r"([≤≥]) ([\d.,]+) ?(ms|%)", target.strip())
    if bound is None:
        return ""
    sign, limit, unit = bound.group(1), float(bound.group(2).replace(",", "")), bound.group(3)
    shown_ms = re.fullmatch(r"([\d.]+) ms", str(value))
    if unit == "ms" and (isinstance(value, float) or shown_ms):
        got = value if isinstance(value, float) else float(shown_ms.group(1))  # type: ignore[union-attr]
    else:
        found = re.findall(r"([\d.]+)%", str(value)) if unit == "%" else []
        if not found:
            return ""
        got = float(found[-1])
    return "ok" if (got <= limit if sign == "≤" else got >= limit) else "OVER"


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def main() -> None:
    import django

    django.setup()
    from django.core.management import call_command

    rows: list[tuple[str, object, str]] = []
    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    started = time.perf_counter()
    call_command("seed_demo", scale="city", verbosity=1)
    rows.append(
        (
            "seed_demo --scale city (reuses existing data)",
            f"{time.perf_counter() - started:.1f} s",
            "a few minutes",
        )
    )
    from django.db import connection

    from gongzhi.core.bulk import analyze

    started = time.perf_counter()
    analyze()
    rows.append(
        (
            f"database: {connection.vendor}; ANALYZE before measuring",
            f"{time.perf_counter() - started:.1f} s",
            "",
        )
    )
    only = sys.argv[1:]
    for path in sorted((ROOT / "bench").glob("bench_*.py")):
        if only and path.stem not in only:
            continue
        module = importlib.import_module(f"bench.{path.stem}")
        try:
            rows += [(str(a), b, str(c)) for a, b, c in module.run()]
        except Exception as exc:  # a broken benchmark is reported, the others still run
            rows.append((f"{path.stem}: FAILED", repr(exc)[:80], ""))
    width = max(_width(r[0]) for r in rows)
    print()
    print(f"{'figure':<{width}}  {'measured':>26}  {'target':<22} verdict")
    print("-" * (width + 60))
    over = 0
    for figure, value, target in rows:
        shown = f"{value:.1f} ms" if isinstance(value, float) else str(value)
        mark = verdict(value, target)
        over += mark == "OVER"
        pad = " " * (width - _width(figure))
        print(f"{figure}{pad}  {shown:>26}  {target:<22} {mark}")
    print(f"\n{over} figure(s) over target.")


if __name__ == "__main__":
    main()
