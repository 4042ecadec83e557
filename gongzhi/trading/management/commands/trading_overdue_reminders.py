"""manage.py trading_overdue_reminders [--on YYYY-MM-DD] [--enqueue] — a reminder for every instalment of a
trading contract past its due date and unpaid, once per due date. Daily from cron with `--enqueue`
(docs/operations.md)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "产权交易合同逾期价款催缴提醒（每日运行，可重复运行）"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--on", default="", help="按哪一天计算（YYYY-MM-DD），默认今天")
        parser.add_argument("--enqueue", action="store_true", help="交给后台任务进程执行")

    def handle(self, *args: Any, on: str, enqueue: bool, **options: Any) -> None:
        from gongzhi.trading.tasks import overdue_reminders

        if on:
            try:
                date.fromisoformat(on)
            except ValueError:
                raise CommandError(f"日期应为 YYYY-MM-DD：{on}") from None
        if enqueue:
            self.stdout.write(f"已排队：{overdue_reminders.enqueue(on=on).id}")
            return
        self.stdout.write(f"逾期价款催缴提醒 {overdue_reminders.call(on=on)} 条")
