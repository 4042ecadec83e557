"""Background jobs of the trading app (django-tasks; the worker is `manage.py db_worker`)."""

from __future__ import annotations

from datetime import date

from django.utils import timezone
from django_tasks import task


@task()
def overdue_reminders(on: str = "") -> int:
    """Reminders of instalments past due and unpaid, once per instalment and due date
    (gongzhi.trading.reminders): daily; idempotent, so a second run or a late one reminds of nothing twice."""
    from gongzhi.core.actors import system
    from gongzhi.trading.reminders import overdue_remind

    day = date.fromisoformat(on) if on else timezone.localdate()
    return overdue_remind(actor=system("task:trading_overdue_reminders"), on=day)
