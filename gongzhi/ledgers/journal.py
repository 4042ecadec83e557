"""An undo journal for imports that SQLite writes in batches, so others may write between them.

SQLite has one writer at a time: an import written in one transaction holds the lock for its whole write
phase, and every other write (log-ins, ballots, notes) fails "database is locked" once its busy timeout runs
out. So on SQLite the importer commits batch by batch (gongzhi.ledgers.importer), and all-or-nothing is kept
by this journal instead of by one transaction: while an import writes, temporary triggers on the importing
connection — and only on it, TEMP triggers see no other connection's writes — record every row it inserts,
and the old values of every row it updates or deletes, in `ledgers_importjournal`, inside the same batch
transaction. `undo(key)` plays the journal backwards in one transaction; a finished import forgets it.

A journal survives a SIGKILL (it was committed with the rows it describes), so the worker that finds a job
whose heartbeat stopped undoes its journal before failing or retrying it (gongzhi.ledgers.jobs).

The trigger SQL embeds only table and column names read from the schema (quoted) and the journal key,
which is checked to be a short word; old values are kept as SQLite's own `quote()` literals, so a restore
is exact for every type (text, integers, reals, blobs, NULL).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection, transaction

from gongzhi.ledgers.models import ImportJournal

# Rows these tables hold are not the import's data: its own progress, the task queue, sessions and cache
# (other requests write them between batches and must not be rolled back with the import).
SKIPPED = {
    ImportJournal._meta.db_table,
    "ledgers_ledgerimport",
    "django_session",
    "django_migrations",
    "gongzhi_cache",
    "axes_accessattempt",
    "axes_accesslog",
    "axes_accessfailurelog",
}
_KEY = re.compile(r"^[A-Za-z0-9_-]{1,40}$")


def _q(name: str) -> str:
    return connection.ops.quote_name(name)


def _tables() -> dict[str, list[str]]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
            "AND name NOT LIKE 'django_tasks%'"
        )
        names = [row[0] for row in cursor.fetchall() if row[0] not in SKIPPED]
        columns = {}
        for name in names:
            cursor.execute(f"PRAGMA table_info({_q(name)})")
            columns[name] = [row[1] for row in cursor.fetchall()]
    return columns


def _trigger_sql(key: str, n: int, table: str, columns: list[str]) -> list[str]:
    old = "json_object(" + ", ".join(f"'{c}', quote(OLD.{_q(c)})" for c in columns) + ")"
    target = f"{_q(ImportJournal._meta.db_table)} (key, tbl, row, op, old)"  # resolves to main
    base = f"gzj_{n}"
    return [
        f"CREATE TEMP TRIGGER {base}_i AFTER INSERT ON main.{_q(table)} BEGIN "
        f"INSERT INTO {target} VALUES ('{key}', '{table}', NEW.rowid, 'i', NULL); END",
        f"CREATE TEMP TRIGGER {base}_u AFTER UPDATE ON main.{_q(table)} BEGIN "
        f"INSERT INTO {target} VALUES ('{key}', '{table}', OLD.rowid, 'u', {old}); END",
        f"CREATE TEMP TRIGGER {base}_d AFTER DELETE ON main.{_q(table)} BEGIN "
        f"INSERT INTO {target} VALUES ('{key}', '{table}', OLD.rowid, 'd', {old}); END",
    ]


@contextmanager
def journaled(key: str) -> Iterator[None]:
    """Record in the journal `key` every write this connection makes inside the block (SQLite only)."""
    if not _KEY.match(key):
        raise ValueError(f"bad journal key {key!r}")
    if connection.vendor != "sqlite":
        yield
        return
    names: list[str] = []
    with connection.cursor() as cursor:
        for n, (table, columns) in enumerate(_tables().items()):
            for sql in _trigger_sql(key, n, table, columns):
                cursor.execute(sql)
                names.append(sql.split()[3])
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            for name in names:
                cursor.execute(f"DROP TRIGGER IF EXISTS temp.{name}")


def undo(key: str) -> int:
    """Put back every row the journal `key` changed, newest first, in one transaction; returns the count."""
    entries = list(
        ImportJournal.objects.filter(key=key).order_by("-id").values_list("tbl", "row", "op", "old")
    )
    if not entries:
        return 0
    if connection.vendor != "sqlite":  # journals are only written on SQLite
        ImportJournal.objects.filter(key=key).delete()
        return 0
    with transaction.atomic(), connection.cursor() as wrapper:
        cursor = wrapper.cursor  # sqlite3's own: a '%' inside a restored literal must stay as it is
        for table, row, op, old in entries:
            if op == "i":
                cursor.execute(f"DELETE FROM {_q(table)} WHERE rowid = ?", [row])
                continue
            values: dict[str, str] = json.loads(old or "{}")
            if op == "u":
                # The values are SQLite's own literals (quote()), so they go into the statement as they are.
                sets = ", ".join(f"{_q(c)} = {v}" for c, v in values.items())
                cursor.execute(f"UPDATE {_q(table)} SET {sets} WHERE rowid = ?", [row])
            else:
                cols = ", ".join(_q(c) for c in values)
                cursor.execute(f"INSERT INTO {_q(table)} ({cols}) VALUES ({', '.join(values.values())})")
        ImportJournal.objects.filter(key=key).delete()
    return len(entries)


def forget(key: str) -> None:
    """The import finished: its journal is no longer needed."""
    ImportJournal.objects.filter(key=key).delete()
