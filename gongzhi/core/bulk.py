"""Fast bulk insert of plain tuples: COPY on PostgreSQL, executemany elsewhere.

Django's bulk_create builds a model instance and prepares every field for each row, which costs more than
the database does at a million rows. Loaders that have already checked their data use this instead.
Encrypted personal-data fields (gongzhi.core.fields) are the exception the rows need not know about: their
plaintext is encrypted and their index column added here (or taken from `Sealed` values, `seal_rows`).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import JSONField, Model

from gongzhi.core.crypto import blind_index, encrypt, keyring
from gongzhi.core.fields import EncryptedCharField


def _adapt(value: Any, is_json: bool) -> Any:
    if is_json and value is not None:
        return json.dumps(value, ensure_ascii=False)
    return value


@dataclass(frozen=True, slots=True)
class Sealed:
    """A personal-data value already encrypted and indexed (`seal_rows`): a row written to two tables — a
    record and its history row — is encrypted and hashed once, not once per table."""

    stored: str
    index: str


def _secret_columns(model: type[Model], fields: Sequence[str]) -> list[int]:
    concrete = {f.name: f for f in model._meta.concrete_fields}
    return [i for i, f in enumerate(fields) if isinstance(concrete[f], EncryptedCharField)]


def seal_rows(
    model: type[Model], fields: Sequence[str], rows: Iterable[Sequence[Any]]
) -> list[tuple[Any, ...]]:
    """The rows with each encrypted field's plaintext replaced by its `Sealed` value, for `insert_rows` (and
    `insert_history`) to write as it is. A fresh nonce per value still; the history row shares its record's."""
    at = _secret_columns(model, fields)
    ring = keyring()
    out = []
    for row in rows:
        values = list(row)
        for i in at:
            plain = values[i]
            if plain not in ("", None) and not isinstance(plain, Sealed):
                values[i] = Sealed(encrypt(str(plain), ring), blind_index(str(plain), ring))
        out.append(tuple(values))
    return out


def _encrypted(
    rows: Iterable[Sequence[Any]], secret: list[EncryptedCharField], at: list[int]
) -> Iterable[Sequence[Any]]:
    """Each row with its encrypted values ciphered and their index values appended (the keyring read once)."""
    ring = keyring()
    for row in rows:
        out = list(row)
        for i in at:
            plain = row[i]
            if isinstance(plain, Sealed):
                out[i] = plain.stored
                out.append(plain.index)
            elif plain in ("", None):
                out.append(plain)
            else:
                out[i] = encrypt(str(plain), ring)
                out.append(blind_index(str(plain), ring))
        yield out


def insert_rows(
    model: type[Model], fields: Sequence[str], rows: Iterable[Sequence[Any]], batch: int = 5000
) -> int:
    """Insert rows (tuples in the order of `fields`) into model's table; returns the count."""
    meta = model._meta
    concrete = {f.name: f for f in meta.concrete_fields}
    secret = _secret_columns(model, fields)
    if secret:
        rows = _encrypted(rows, [concrete[fields[i]] for i in secret], secret)  # type: ignore[misc]
        fields = [*fields, *(concrete[fields[i]].index_field for i in secret)]  # type: ignore[attr-defined]
    cols: list[str] = [concrete[f].column for f in fields]
    json_cols = [isinstance(concrete[f], JSONField) for f in fields]
    table = connection.ops.quote_name(meta.db_table)
    col_sql = ", ".join(connection.ops.quote_name(c) for c in cols)
    count = 0
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            raw = cursor.cursor  # the psycopg cursor under Django's wrapper
            with raw.copy(f"COPY {table} ({col_sql}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row([_adapt(v, j) for v, j in zip(row, json_cols, strict=True)])
                    count += 1
            return count
        sql = f"INSERT INTO {table} ({col_sql}) VALUES ({', '.join(['%s'] * len(cols))})"
        chunk: list[Sequence[Any]] = []
        adapt = any(json_cols)  # rows without JSON go to the driver as they are
        for row in rows:
            chunk.append([_adapt(v, j) for v, j in zip(row, json_cols, strict=True)] if adapt else row)
            if len(chunk) >= batch:
                cursor.executemany(sql, chunk)
                count += len(chunk)
                chunk = []
        if chunk:
            cursor.executemany(sql, chunk)
            count += len(chunk)
    return count


# Fewer written rows than this leave the statistics to autovacuum: an ANALYZE of the whole database costs
# seconds at city scale, which a small import should not pay.
ANALYZE_AFTER_ROWS = 10_000


def analyze(*models: type[Model]) -> None:
    """Refresh the planner's statistics after a bulk load, on PostgreSQL (no-op elsewhere).

    Autovacuum analyses a table only after enough changes and some delay; until then the planner works from
    the empty tables it last saw and picks nested loops over millions of rows (the building page took 336 ms
    instead of 44 ms). With no models, the whole database is analysed. Must run outside a long transaction
    to help the requests that follow, so callers place it after their commit.
    """
    if connection.vendor != "postgresql":
        return
    tables = [connection.ops.quote_name(m._meta.db_table) for m in models]
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {', '.join(tables)}" if tables else "ANALYZE")
