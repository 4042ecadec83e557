"""manage.py recover_imports — undo, then retry or fail, imports whose worker died (gongzhi.ledgers.jobs)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from gongzhi.ledgers.jobs import recover_stale


class Command(BaseCommand):
    help = "Recover running imports whose heartbeat stopped: undo what they wrote, then retry or fail them."

    def handle(self, *args: Any, **options: Any) -> None:
        ids = recover_stale()
        self.stdout.write(f"recovered {len(ids)} imports" + (f": {ids}" if ids else ""))
