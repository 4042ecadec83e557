"""Bring the targets whose goal names a catalogued figure up to that figure (run after a bulk import, or
daily from cron; the monthly snapshot task runs it too)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from gongzhi.campaign.services import targets_sync
from gongzhi.core.actors import system


class Command(BaseCommand):
    help = "按指标目录更新可自动判定的攻坚目标"

    def handle(self, *args: Any, **options: Any) -> None:
        changed = targets_sync(actor=system("command:campaign_sync"))
        done = sum(1 for t in changed if t.status == "done")
        self.stdout.write(f"已更新 {len(changed)} 个目标，其中 {done} 个已完成")
