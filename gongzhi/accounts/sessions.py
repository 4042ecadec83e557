"""The session store (SESSION_ENGINE): Django's database sessions, the session read by one plain statement.

Every signed-in request reads its session first. Django's store reads it through the ORM, which spends more
CPU building the statement than PostgreSQL spends answering it (here: one prepared statement); on an online
cast, a third of the request's CPU went to reading the session and the user (docs/security.md, "What one cast costs"). The row, the key,
the expiry rule and everything else (creating, ending a user's sessions: accounts.services) are Django's;
saving an existing session on PostgreSQL is one prepared statement too.
"""

from __future__ import annotations

from typing import Any

from django.contrib.sessions.backends.base import UpdateError
from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.db import connections, router
from django.utils import timezone

from gongzhi.core.prepared import fetch


class SessionStore(DatabaseSessionStore):
    def save(self, must_create: bool = False) -> None:
        """An existing session's new data and expiry, on PostgreSQL one prepared UPDATE in autocommit.

        Django's store wraps the ORM's update in an atomic block: three round trips (BEGIN, UPDATE, COMMIT)
        each time the gate writes the last-seen minute or a message is kept. Creating a session (a log-in)
        stays Django's, with its retry on a colliding key."""
        connection = connections[router.db_for_write(self.model)]
        if must_create or self.session_key is None or connection.vendor != "postgresql":
            return super().save(must_create=must_create)
        table = connection.ops.quote_name(self.model._meta.db_table)
        data = self.encode(self._get_session())  # type: ignore[attr-defined]  # Django's, not in the stubs
        rows = fetch(
            f"UPDATE {table} SET session_data = %s, expire_date = %s WHERE session_key = %s RETURNING 1",
            [data, self.get_expiry_date(), self.session_key],
            using=connection.alias,
        )
        if not rows:  # ended meanwhile (signed out elsewhere): as Django's forced update does
            raise UpdateError
        return None

    def _get_session_from_db(self) -> Any:
        key = self.session_key
        if key is None:
            return None
        model = self.model
        connection = connections[router.db_for_read(model)]
        table = connection.ops.quote_name(model._meta.db_table)
        rows = fetch(  # a prepared statement on PostgreSQL (gongzhi.core.prepared)
            f"SELECT session_data, expire_date FROM {table} WHERE session_key = %s AND expire_date > %s",
            [key, connection.ops.adapt_datetimefield_value(timezone.now())],
            using=connection.alias,
        )
        row = rows[0] if rows else None
        if row is None:
            self._session_key = None
            return None
        return model(session_key=key, session_data=row[0], expire_date=row[1])


def touch_session(session_key: str) -> None:
    """Stamp the signed-in session's last activity (the list a user reads to end their own sessions); one
    prepared statement on PostgreSQL: the gate does it once a minute for every signed-in browser."""
    from gongzhi.accounts.models import UserSession

    connection = connections[router.db_for_write(UserSession)]
    if connection.vendor != "postgresql":
        UserSession.objects.filter(session_key=session_key).update(last_seen_at=timezone.now())
        return
    table = connection.ops.quote_name(UserSession._meta.db_table)
    fetch(
        f"UPDATE {table} SET last_seen_at = %s WHERE session_key = %s",
        [timezone.now(), session_key],
        using=connection.alias,
    )
