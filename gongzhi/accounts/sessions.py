"""The session store (SESSION_ENGINE): Django's database sessions, the session read by one plain statement.

Every signed-in request reads its session first. Django's store reads it through the ORM, which spends more
CPU building the statement than PostgreSQL spends answering it; on an online cast, a third of the request's
CPU went to reading the session and the user (docs/security.md, "What one cast costs"). The row, the key,
the expiry rule and everything else (saving, ending a user's sessions: accounts.services) are Django's.
"""

from __future__ import annotations

from typing import Any

from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.db import connections, router
from django.utils import timezone


class SessionStore(DatabaseSessionStore):
    def _get_session_from_db(self) -> Any:
        key = self.session_key
        if key is None:
            return None
        model = self.model
        connection = connections[router.db_for_read(model)]
        table = connection.ops.quote_name(model._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT session_data, expire_date FROM {table} WHERE session_key = %s AND expire_date > %s",
                [key, timezone.now()],
            )
            row = cursor.fetchone()
        if row is None:
            self._session_key = None
            return None
        return model(session_key=key, session_data=row[0], expire_date=row[1])
