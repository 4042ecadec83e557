"""Reminders of overdue instalments (催缴提醒, issue 16): what the daily job runs (gongzhi.trading.tasks).

An instalment whose due date has passed and which is unpaid (`rules.is_overdue`, the same condition in SQL
as `selectors.overdue`) gets one reminder for that due date: the query skips instalments that hold one, and
a unique constraint on (instalment, due date) backs it — two runs at the same moment: the second fails whole
and writes nothing — so the job may run twice, or late, and reminds of nothing twice. The reminders are
shown to the staff who manage trading where the listing lies (the town's station, the county bureau), on
/trading/, until the instalment is paid.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import Exists, OuterRef
from simple_history.utils import bulk_create_with_history

from gongzhi.core.actors import history_user, reason_of
from gongzhi.trading.models import Instalment, Reminder


@transaction.atomic
def overdue_remind(*, actor: Any, on: date) -> int:
    """Write a reminder for every instalment overdue on `on` that has none for its due date; how many."""
    held = Reminder.objects.filter(instalment=OuterRef("pk"), due_on=OuterRef("due_on"))
    due = Instalment.objects.filter(~Exists(held), paid_on__isnull=True, due_on__lt=on).order_by("pk")
    rows = [
        Reminder(instalment_id=pk, due_on=due_on, on=on, path=path)
        for pk, due_on, path in due.values_list("pk", "due_on", "path").iterator(chunk_size=2000)
    ]
    bulk_create_with_history(
        rows,
        Reminder,
        batch_size=2000,
        default_user=history_user(actor),
        default_change_reason=reason_of(actor, "逾期催缴提醒"),
    )
    return len(rows)
