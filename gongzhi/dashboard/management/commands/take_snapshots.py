"""Snapshot every catalogued figure for every division — monthly from cron or a systemd timer.

python manage.py take_snapshots              # today, now (replaces today's rows if run twice)
python manage.py take_snapshots --monthly    # only if this month has no snapshot yet (run it daily)
python manage.py take_snapshots --enqueue    # hand it to the task worker instead
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from gongzhi.dashboard.models import Snapshot


class Command(BaseCommand):
    help = "为每个行政区划保存指标目录中全部指标的当日快照（每月由定时任务运行）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--monthly", action="store_true", help="本月已有快照则跳过")
        parser.add_argument("--enqueue", action="store_true", help="交给后台任务进程执行")
        parser.add_argument("--path", default="", help="只快照该路径下的区划")

    def handle(self, *args: Any, monthly: bool, enqueue: bool, path: str, **options: Any) -> None:
        from gongzhi.dashboard.tasks import take_snapshots

        today = timezone.localdate()
        if monthly and Snapshot.objects.filter(taken_on__gte=today.replace(day=1)).exists():
            self.stdout.write(f"{today:%Y-%m} 已有快照，跳过")
            return
        if enqueue:
            result = take_snapshots.enqueue(path=path)
            self.stdout.write(f"已排队：{result.id}")
            return
        found = take_snapshots.call(path=path)
        self.stdout.write(f"快照完成：{found['taken_on']}，{found['divisions']} 个区划，{found['rows']} 条")
