"""Reminders before a service request's limit and escalation after it (issue 13, one-stop service).

`service_alerts_send` is what the nightly job runs (gongzhi.centre.tasks.service_alerts): an open request
falling due within REMIND_DAYS gets one reminder to its item's handler; an open request past its limit gets
one escalation to the handler and the district's investment bureau. Each is a row (RequestAlert), written once
per request and kind — the query skips requests that hold one, and a unique constraint backs it (two runs at
the same moment: the second fails whole and writes nothing) — so the job may run twice, or late, and sends
nothing twice.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.db import transaction
from django.db.models import Exists, OuterRef

from gongzhi.centre.bulk import _create
from gongzhi.centre.models import RequestAlert, ServiceRequest

REMIND_DAYS = 3  # days before the limit the reminder goes out (the requests page marks the same rows)
BUREAU = "区招商部门"


def _without(kind: str) -> Any:
    held = RequestAlert.objects.filter(request=OuterRef("pk"), kind=kind)
    return ServiceRequest.objects.filter(~Exists(held), status=ServiceRequest.Status.OPEN).select_related(
        "item"
    )


@transaction.atomic
def service_alerts_send(*, actor: Any, on: date) -> dict[str, int]:
    """Write the reminders and escalations due on `on`; returns how many of each."""
    remind = _without(RequestAlert.Kind.REMIND).filter(
        due_on__gte=on, due_on__lte=on + timedelta(days=REMIND_DAYS)
    )
    escalate = _without(RequestAlert.Kind.ESCALATE).filter(due_on__lt=on)
    rows = [
        RequestAlert(request=r, kind=RequestAlert.Kind.REMIND, on=on, to=r.item.handler, path=r.path)
        for r in remind
    ] + [
        RequestAlert(
            request=r,
            kind=RequestAlert.Kind.ESCALATE,
            on=on,
            to=f"{r.item.handler}、{BUREAU}"[:60],
            path=r.path,
        )
        for r in escalate
    ]
    _create(RequestAlert, rows, actor, "定时提醒与督办")
    reminded = sum(1 for a in rows if a.kind == RequestAlert.Kind.REMIND)
    return {"reminded": reminded, "escalated": len(rows) - reminded}
