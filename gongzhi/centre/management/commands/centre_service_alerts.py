"""manage.py centre_service_alerts [--on YYYY-MM-DD] [--enqueue] — reminders before service requests' limits
and escalations after them, once each. Daily from cron with `--enqueue` (docs/operations.md)."""

from __future__ import annotations

from typing import Any

from gongzhi.core.daily_command import DailyJobCommand


class Command(DailyJobCommand):
    help = "服务诉求到期提醒与超时督办（每日运行，可重复运行）"

    def job(self) -> Any:
        from gongzhi.centre.tasks import service_alerts

        return service_alerts

    def summary(self, result: Any) -> str:
        return f"到期提醒 {result['reminded']} 件，超时督办 {result['escalated']} 件"
