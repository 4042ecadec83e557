"""manage.py trading_overdue_reminders [--on YYYY-MM-DD] [--enqueue] — a reminder for every instalment of a
trading contract past its due date and unpaid, once per due date. Daily from cron with `--enqueue`
(docs/operations.md)."""

from __future__ import annotations

from typing import Any

from gongzhi.core.daily_command import DailyJobCommand


class Command(DailyJobCommand):
    help = "产权交易合同逾期价款催缴提醒（每日运行，可重复运行）"

    def job(self) -> Any:
        from gongzhi.trading.tasks import overdue_reminders

        return overdue_reminders

    def summary(self, result: Any) -> str:
        return f"逾期价款催缴提醒 {result} 条"
