"""Delete log-in events older than GONGZHI_LOGIN_LOG_DAYS — the only way a log row ever goes.

Refuses a retention under six months (网络安全法 第二十一条 (三): 留存相关的网络日志不少于六个月).
Run from cron or a timer on the server, not from the application.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from gongzhi.accounts.audit import purging
from gongzhi.accounts.models import LoginEvent

MINIMUM_DAYS = 183  # six months


class Command(BaseCommand):
    help = "删除超过保存期限的登录日志（不少于六个月）"

    def handle(self, *args: Any, **options: Any) -> None:
        days = settings.GONGZHI_LOGIN_LOG_DAYS
        if days < MINIMUM_DAYS:
            raise CommandError(
                f"GONGZHI_LOGIN_LOG_DAYS={days}：登录日志至少保存六个月（{MINIMUM_DAYS} 天）。"
            )
        cutoff = timezone.now() - timedelta(days=days)
        with purging():
            count, _ = LoginEvent.objects.filter(at__lt=cutoff).delete()
        self.stdout.write(f"deleted {count} log-in events older than {days} days")
