"""Fill or check the insights store (gongzhi.insights.store).

`--rebuild`: every stored provider's answers for every division (under `--path`), computed now and stored
(after a deploy or a bulk load, and nightly from cron — the day is part of each answer's stamp, so the first
page of a day otherwise pays for computing). `--check`: every stored answer whose stamp is fresh, recomputed
live and compared; prints each difference and exits 1 if there is one. Both fold the change counts of
ended database backends first (`store.fold`).
"""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from gongzhi.core.paths import under
from gongzhi.insights import store
from gongzhi.insights.batch import Batch
from gongzhi.insights.models import StoredFigures
from gongzhi.places.models import Division

CHUNK = 500  # divisions per transaction: a page storing the same places waits at most one chunk


class Command(BaseCommand):
    help = "Rebuild (--rebuild) or check (--check) the stored figures of every division."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--rebuild", action="store_true")
        parser.add_argument("--check", action="store_true")
        parser.add_argument("--path", default="", help="only the divisions under this path")

    def handle(self, *args: Any, **options: Any) -> None:
        if not (options["rebuild"] or options["check"]):
            self.stderr.write("say --rebuild or --check")
            raise SystemExit(2)
        store.install()
        folded = store.fold()
        path = options["path"]
        divisions = list(Division.objects.filter(under(path)).order_by("path"))
        targets = store.providers_stored()
        if options["rebuild"]:
            started = time.monotonic()
            for i in range(0, len(divisions), CHUNK):
                part = Batch(tuple(divisions[i : i + CHUNK]))
                StoredFigures.objects.filter(provider__in=targets, path__in=part.paths).delete()
                store.answer(targets, part, _compute, write=True)
            self.stdout.write(
                f"stored {len(targets)} providers × {len(divisions)} divisions in "
                f"{time.monotonic() - started:.1f} s (folded {folded} backend rows)"
            )
        if options["check"]:
            wrong = check(divisions, targets)
            for line in wrong:
                self.stdout.write(line)
            self.stdout.write(f"checked: {len(wrong)} differences")
            if wrong:
                raise SystemExit(1)


def _compute(target: str, batch: Batch) -> dict[str, dict[str, Any]]:
    from gongzhi.insights.registry import _compute as compute

    return compute(target, batch)


def check(divisions: list[Division], targets: list[str]) -> list[str]:
    """One line per stored answer (fresh by its stamp) that differs from the live computation."""
    now, day = store.state(), timezone.localdate().isoformat()
    wrong = []
    for i in range(0, len(divisions), CHUNK):
        part = Batch(tuple(divisions[i : i + CHUNK]))
        rows = StoredFigures.objects.filter(provider__in=targets, path__in=part.paths)
        fresh: dict[str, dict[str, Any]] = {}
        for row in rows:
            if store.fresh(row.stamp, now, day):
                fresh.setdefault(row.provider, {})[row.path] = row.figures
        for target, kept in fresh.items():
            computed = _compute(target, part)
            for path, figures in kept.items():
                if figures != computed.get(path):
                    wrong.append(f"{target} {path}: stored {figures} ≠ live {computed.get(path)}")
    return wrong
