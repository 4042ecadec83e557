"""make bench: build all of Qingdao at city scale in its own database, then print every benchmark's figures.

Each bench/bench_*.py exposes run() -> list of (figure, value, target). Data lives in var/bench/ (SQLite)
unless BENCH_DATABASE_URL names another database; it is built once and reused.
"""

from __future__ import annotations

import importlib
import os
import sys
import time
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
    only = sys.argv[1:]
    for path in sorted((ROOT / "bench").glob("bench_*.py")):
        if only and path.stem not in only:
            continue
        module = importlib.import_module(f"bench.{path.stem}")
        try:
            rows += [(str(a), b, str(c)) for a, b, c in module.run()]
        except Exception as exc:  # a broken benchmark is reported, the others still run
            rows.append((f"{path.stem}: FAILED", repr(exc)[:80], ""))
    width = max(len(r[0]) for r in rows)
    print()
    print(f"{'figure':<{width}}  {'value':>14}  target")
    print("-" * (width + 30))
    for figure, value, target in rows:
        shown = f"{value:.1f} ms" if isinstance(value, float) else str(value)
        print(f"{figure:<{width}}  {shown:>14}  {target}")


if __name__ == "__main__":
    main()
