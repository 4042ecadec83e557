"""Stored figures: a provider's answer for a place is computed once and read back while its data is unchanged.

Why: the city's 驾驶舱 asks every provider for the city and its ten districts; computed live, each grouped
query reads every row under the city (issue 12: 54 queries, ~1 s under load). Read back from
`StoredFigures`, the page costs two queries for all its figures, whatever the size of the city.

Never wrong — the rules:
- **Every write is seen.** Triggers on each watched table count its write statements in `SourceChanges`
  (`install`; PostgreSQL: one statement-level trigger, per backend row, so writers never wait on one another;
  SQLite: row triggers). Services, bulk loads (COPY fires them), the admin, a raw `.update()` and psql all
  move the count; nothing relies on a writer remembering to refresh.
- **A stored answer carries its stamp**: the day (figures such as "contracts ending within 90 days" change with
  the date alone), a hash of the project's code (a deploy that changes a computation makes every answer
  stale), and the count of every table the computation actually read, captured from its SQL, read *before*
  computing (a write that lands during the computation makes the answer stale at once).
- **Used only when the stamp equals the state now**; otherwise the provider computes it live (for the places
  missing only) and the new answer is stored. A computation that read a table without a trigger, or whose
  values are not plain numbers, is never stored: it stays live.
- Only answers for now (`as_of=None`) are stored; a past day is always computed from the dated records.

`manage.py figures_store --rebuild` fills the store for every division (after a deploy or a bulk load, and
nightly from cron: the day is part of the stamp); `--check` recomputes every stored answer and reports any
that differs from the live computation (there should be none; tests/test_store.py proves it after random
writes through services and around them).
"""

from __future__ import annotations

import hashlib
import math
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from functools import cache
from importlib import import_module
from pathlib import Path
from typing import Any

from django.apps import apps
from django.db import DatabaseError, connection, transaction
from django.db.models import Sum
from django.utils import timezone

from gongzhi.core import registry
from gongzhi.insights.batch import Batch, is_batched
from gongzhi.insights.models import SourceChanges, StoredFigures
from gongzhi.places.models import Compound, Division

Answers = dict[str, dict[str, Any]]  # place path → {code: value}
# Read by every provider through the places it is given (a division's counters): always in the stamp.
ALWAYS = (Division._meta.db_table, Compound._meta.db_table)
CHANGES = SourceChanges._meta.db_table
_QUOTED = re.compile(r'"([A-Za-z0-9_]+)"')


# ---------------------------------------------------------------------------------------------- triggers


def watched_tables() -> list[str]:
    """The tables that get triggers: those the providers declare they read (register_figures' `sources`),
    and the places the figures are asked for."""
    tables = set(ALWAYS)
    for labels in registry.PROVIDER_SOURCES.values():
        for label in labels:
            tables.add(apps.get_model(label)._meta.db_table)
    return sorted(tables)


PG_FUNCTION = f"""
CREATE OR REPLACE FUNCTION insights_count_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO {CHANGES} (table_name, backend, changes) VALUES (TG_TABLE_NAME, pg_backend_pid(), 1)
  ON CONFLICT (table_name, backend) DO UPDATE SET changes = {CHANGES}.changes + 1;
  RETURN NULL;
END $$
"""


def install(using: Any = None) -> list[str]:
    """Create (or replace) the triggers on every watched table and its zero row; idempotent. Run after every
    migrate and flush (post_migrate), so a new watched table gets its trigger with the migration adding it."""
    conn = using or connection
    tables = [t for t in watched_tables() if t in set(conn.introspection.table_names())]
    with conn.cursor() as cur:
        if conn.vendor == "postgresql":
            cur.execute(PG_FUNCTION)
            for t in tables:
                cur.execute(
                    f"CREATE OR REPLACE TRIGGER insights_count_change AFTER INSERT OR UPDATE OR DELETE "
                    f'OR TRUNCATE ON "{t}" FOR EACH STATEMENT EXECUTE FUNCTION insights_count_change()'
                )
        else:
            for t in tables:
                for event in ("INSERT", "UPDATE", "DELETE"):
                    cur.execute(
                        f'CREATE TRIGGER IF NOT EXISTS "insights_{t}_{event.lower()}" AFTER {event} ON "{t}" '
                        f"BEGIN UPDATE {CHANGES} SET changes = changes + 1 "
                        f"WHERE table_name = '{t}' AND backend = 0; END"
                    )
        for t in tables:  # the zero row says the table is watched, even before its first write
            cur.execute(
                f"INSERT INTO {CHANGES} (table_name, backend, changes) VALUES (%s, 0, 0) "
                "ON CONFLICT (table_name, backend) DO NOTHING",
                [t],
            )
    return tables


def fold() -> int:
    """PostgreSQL: add the rows of backends that have ended into their table's row 0 (one transaction, so
    every table's sum stays the same); keeps the state query small. Returns the rows folded."""
    if connection.vendor != "postgresql":
        return 0
    with transaction.atomic(), connection.cursor() as cur:
        cur.execute(
            f"""WITH gone AS (
                  DELETE FROM {CHANGES} WHERE backend <> 0
                  AND backend NOT IN (SELECT pid FROM pg_stat_activity WHERE pid IS NOT NULL)
                  RETURNING table_name, changes)
                INSERT INTO {CHANGES} (table_name, backend, changes)
                SELECT table_name, 0, SUM(changes) FROM gone GROUP BY table_name
                ON CONFLICT (table_name, backend) DO UPDATE SET changes = {CHANGES}.changes + EXCLUDED.changes
                RETURNING 1"""
        )
        return len(cur.fetchall())


def state() -> dict[str, int]:
    """table → write statements it has seen (one query); a table missing here is not watched."""
    return {
        t: int(n)
        for t, n in SourceChanges.objects.values("table_name")
        .order_by()
        .annotate(n=Sum("changes"))
        .values_list("table_name", "n")
    }


# ------------------------------------------------------------------------------------------- the stamp


@cache
def code_version() -> str:
    """A hash of the project's Python source (tests and migrations aside): new code, new answers."""
    root = Path(__file__).resolve().parent.parent
    digest = hashlib.sha1(usedforsecurity=False)
    for path in sorted(root.rglob("*.py")):
        parts = path.relative_to(root).parts
        if "tests" in parts or "migrations" in parts:
            continue
        digest.update(str(path.relative_to(root)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


@cache
def _all_tables() -> frozenset[str]:
    return frozenset(m._meta.db_table for m in apps.get_models(include_auto_created=True))


@contextmanager
def reading() -> Iterator[set[str]]:
    """The tables the SQL run inside the block names (quoted identifiers that are tables of the project)."""
    seen: set[str] = set()
    known = _all_tables()

    def note(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        seen.update(t for t in _QUOTED.findall(sql) if t in known)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(note):
        yield seen


def _plain(answers: dict[str, Any]) -> bool:
    """Values JSON keeps exactly as they are: ints, finite floats, None."""
    for v in answers.values():
        if v is None or (isinstance(v, int) and not isinstance(v, bool)):
            continue
        if isinstance(v, float) and math.isfinite(v):
            continue
        return False
    return True


def fresh(stamp: Any, now: dict[str, int], day: str) -> bool:
    return (
        isinstance(stamp, dict)
        and stamp.get("day") == day
        and stamp.get("code") == code_version()
        and all(now.get(t) == n for t, n in stamp.get("tables", {}).items())
    )


# ----------------------------------------------------------------------------------------------- reading


def stored(provider: Callable[..., Any]) -> bool:
    """Whether a provider's answers are worth storing (`@batched(stored=False)`: counters on the place)."""
    return getattr(provider, "stored", True)


def _load(target: str) -> Any:
    module, attr = target.split(":")
    return getattr(import_module(module), attr)


def answer(
    targets: Sequence[str],
    batch: Batch,
    compute: Callable[[str, Batch], Answers],
    *,
    write: bool = True,
) -> dict[str, Answers]:
    """provider → its answers for every place of `batch` (now): stored ones whose stamp is fresh, the rest
    computed by `compute(target, batch of the places missing)` and, with `write`, stored.

    Two queries when every answer is fresh (the tables' state, the stored rows), whatever the places."""
    now = state()
    day = timezone.localdate().isoformat()
    have: dict[str, Answers] = {t: {} for t in targets}
    for target, path, figures, stamp in StoredFigures.objects.filter(
        provider__in=targets, path__in=batch.paths
    ).values_list("provider", "path", "figures", "stamp"):
        if fresh(stamp, now, day):
            have[target][path] = figures
    out: dict[str, Answers] = {}
    new: list[StoredFigures] = []
    for target in targets:
        found = have[target]
        missing = tuple(p for p in batch.places if p.path not in found)
        if missing:
            part = Batch(missing, None, None if write else batch.codes)
            with reading() as tables:
                computed = compute(target, part)
            tables.update(ALWAYS)
            if write and tables <= now.keys() and all(map(_plain, computed.values())):
                stamp = {"day": day, "code": code_version(), "tables": {t: now[t] for t in sorted(tables)}}
                at = timezone.now()
                new += [
                    StoredFigures(provider=target, path=p, figures=v, stamp=stamp, computed_at=at)
                    for p, v in computed.items()
                ]
            found = {**found, **computed}
        out[target] = found if batch.codes is None else _only(found, batch.codes)
    if new:
        keep(new)
    return out


def _only(found: Answers, codes: Iterable[str]) -> Answers:
    wanted = set(codes)
    return {p: {c: v for c, v in figs.items() if c in wanted} for p, figs in found.items()}


def keep(rows: list[StoredFigures]) -> None:
    """Upsert the rows in key order (two pages storing at once take their locks in the same order). A
    failure to store (a lock held by a long transaction, a read-only replica) costs only the saving."""
    rows.sort(key=lambda r: (r.provider, r.path))
    try:
        with transaction.atomic():
            StoredFigures.objects.bulk_create(
                rows,
                batch_size=1000,
                update_conflicts=True,
                unique_fields=["provider", "path"],
                update_fields=["figures", "stamp", "computed_at"],
            )
    except DatabaseError:
        pass


# ------------------------------------------------------------------------------------ rebuild and check


def providers_stored() -> list[str]:
    return [t for t in registry.PROVIDERS if is_batched(_load(t)) and stored(_load(t))]
