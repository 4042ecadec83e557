"""manage.py centre_service_alerts [--on YYYY-MM-DD] [--enqueue] — reminders before service requests' limits
and escalations after them, once each. Daily from cron with `--enqueue` (docs/operations.md)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "服务诉求到期提醒与超时督办（每日运行，可重复运行）"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--on", default="", help="按哪一天计算（YYYY-MM-DD），默认今天")
        parser.add_argument("--enqueue", action="store_true", help="交给后台任务进程执行")

    def handle(self, *args: Any, on: str, enqueue: bool, **options: Any) -> None:
        from gongzhi.centre.tasks import service_alerts

        if on:
            try:
                date.fromisoformat(on)
            except ValueError:
                raise CommandError(f"日期应为 YYYY-MM-DD：{on}") from None
        if enqueue:
            self.stdout.write(f"已排队：{service_alerts.enqueue(on=on).id}")
            return
        done = service_alerts.call(on=on)
        self.stdout.write(f"到期提醒 {done['reminded']} 件，超时督办 {done['escalated']} 件")
