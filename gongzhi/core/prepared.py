"""Hand-written SQL of a hot path as PostgreSQL server-side prepared statements (issue 15).

A cast's statements are short; PostgreSQL spent more time *planning* them (0.13–0.38 ms each) than running
them (0.03–0.06 ms). The project keeps Django's client-side binding (parameters interpolated by psycopg,
every statement parsed and planned afresh) — server-side binding for the whole project would change how
every ORM statement is sent. ``fetch`` sends only the statements a caller chooses through a server-binding
psycopg cursor on Django's own connection with ``prepare=True``: psycopg prepares each statement once per
connection (keyed by the SQL and its parameters' types, at most ``prepared_max`` of them, least recently
used dropped) and later executions skip parsing and, once PostgreSQL settles on a generic plan, planning.

* The statement runs on Django's connection, in its transaction (atomic blocks, savepoints, the test
  runner's transactions), through Django's execute wrappers and its query log (the query-count pins see it),
  with psycopg's errors turned into Django's.
* Prepared statements live with the connection (CONN_MAX_AGE keeps them); a new connection starts with an
  empty cache and psycopg prepares again. A protocol-level prepared statement is not undone by a rollback.
* Parameters travel typed, so PostgreSQL must be able to deduce each one's type: write explicit casts
  (``%s::bigint``, ``%(name)s::text``) where a parameter is NULL, repeated, or compared with an expression
  ("inconsistent types deduced for parameter", "could not determine data type of parameter").
* Other databases (SQLite) run the same SQL through Django's ordinary cursor; write casts PostgreSQL-only
  or portable (SQLite accepts ``CAST(… AS …)``, not ``::``) — callers here are PostgreSQL-only statements.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Mapping, Sequence
from functools import partial
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections

Params = Sequence[Any] | Mapping[str, Any]


def fetch(
    sql: str, params: Params, *, using: str = DEFAULT_DB_ALIAS, prepare: bool = True
) -> list[tuple[Any, ...]]:
    """Run ``sql`` with ``params`` and return all its rows (an empty list for a statement without rows).

    On PostgreSQL a server-side prepared statement when ``prepare`` (pass False for statements whose text
    varies, e.g. a VALUES list of variable length, so as not to fill the connection's cache)."""
    connection = connections[using]
    if connection.vendor != "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return list(cursor.fetchall()) if cursor.description is not None else []
    connection.ensure_connection()
    run = partial(_execute, prepare=prepare)
    for wrapper in reversed(connection.execute_wrappers):
        run = partial(wrapper, run)
    context = {"connection": connection, "cursor": None}
    return run(sql, params, False, context)  # type: ignore[no-any-return]


def _execute(
    sql: str, params: Params, many: bool, context: dict[str, Any], *, prepare: bool
) -> list[tuple[Any, ...]]:
    import psycopg
    from psycopg.pq import ExecStatus

    connection = context["connection"]
    connection.validate_no_broken_transaction()
    start = time.monotonic()
    try:
        with connection.wrap_database_errors, psycopg.Cursor(connection.connection) as cursor:
            cursor.execute(sql, params, prepare=prepare)
            # Whether rows came back, from the result's status: `cursor.description` builds a Column
            # object per column (a cast's reads have ~80 of them; a tenth of the cast's CPU).
            result = cursor.pgresult
            return (
                list(cursor.fetchall())
                if result is not None and result.status == ExecStatus.TUPLES_OK
                else []
            )
    finally:
        if connection.queries_logged:
            shown = list(params.values()) if isinstance(params, Mapping) else list(params)
            entry = {
                "sql": f"{sql} -- prepared, parameters {shown!r}",
                "time": f"{time.monotonic() - start:.3f}",
            }
            connection.queries_log.append(entry)


def instance(
    model: type[Any], fields: Sequence[Any], values: Iterable[Any], *, using: str = DEFAULT_DB_ALIAS
) -> Any:
    """A model instance from a plain statement's values for ``fields`` (concrete fields, in the statement's
    column order), through the fields' own conversions, as the ORM would have built it."""
    connection = connections[using]
    converted = [
        f.from_db_value(v, None, connection) if hasattr(f, "from_db_value") else v
        for f, v in zip(fields, values, strict=True)
    ]
    return model.from_db(using, [f.attname for f in fields], converted)
