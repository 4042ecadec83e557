"""Background jobs of the centre (django-tasks; the worker is `manage.py db_worker`)."""

from __future__ import annotations

from datetime import date

from django.utils import timezone
from django_tasks import task


@task()
def service_alerts(on: str = "") -> dict[str, int]:
    """Reminders before service requests' limits and escalations after them, once each (gongzhi.centre.alerts):
    daily; idempotent, so a second run or a late one sends nothing twice."""
    from gongzhi.centre.alerts import service_alerts_send
    from gongzhi.core.actors import system

    day = date.fromisoformat(on) if on else timezone.localdate()
    return service_alerts_send(actor=system("task:centre_service_alerts"), on=day)
