"""Bulk writes that keep the audit trail: primary keys handed out up front, history rows inserted in bulk.

Bulk services (imports) insert plain tuples with gongzhi.core.bulk.insert_rows; to know the new rows' keys
without reading them back they take them first (`take_ids`), and they write the django-simple-history rows
themselves (`insert_history`) naming the actor, so an imported row is as traceable as one typed in.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.db import connection
from django.db.models import Max, Model
from django.utils import timezone

from gongzhi.core.actors import history_user, reason_of
from gongzhi.core.bulk import insert_rows


def take_ids(model: type[Model], n: int) -> list[int]:
    """`n` fresh primary keys for `model` (the sequence moves on PostgreSQL; call inside the transaction)."""
    if n <= 0:
        return []
    table = model._meta.db_table
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)", [table, n]
            )
            return [row[0] for row in cursor.fetchall()]
    # SQLite (AUTOINCREMENT): above the largest key ever handed out, so a deleted row's key, which its
    # history rows still carry, is never reused. The write lock is held (transaction_mode IMMEDIATE).
    with connection.cursor() as cursor:
        cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
        row = cursor.fetchone()
    start = max(row[0] if row else 0, model._default_manager.aggregate(m=Max("pk"))["m"] or 0) + 1
    return list(range(start, start + n))


def insert_history(
    model: type[Model],
    fields: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    actor: Any,
    reason: str = "",
    kind: str = "+",
) -> int:
    """Historical rows of `model` (`fields` include "id"), one per row, stamped with the actor and now."""
    historical = model.history.model  # type: ignore[attr-defined]
    user = history_user(actor)
    tail = (
        connection.ops.adapt_datetimefield_value(timezone.now()),
        kind,
        user.pk if user is not None else None,
        reason_of(actor, reason) or None,
    )
    columns = [*fields, "history_date", "history_type", "history_user", "history_change_reason"]
    return insert_rows(historical, columns, (tuple(row) + tail for row in rows))
