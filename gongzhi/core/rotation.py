"""Re-encrypting personal data under the current key: batches, each its own transaction, resumable.

A value is stale when its prefix is not `<current key id>:<current cipher>:`. Each batch reads up to
`batch` stale rows in key order with a cursor, decrypts them with whichever key of the keyring they name,
encrypts under the current key and writes them back only if the column still holds what was read (a row
changed meanwhile is already current). Stopping at any moment loses nothing: a rerun finds the rows still
stale. The keyed-hash index does not change (it uses the index key), so lookups work throughout.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.apps import apps
from django.db import connection, models, transaction

from gongzhi.core.crypto import Keyring, decrypt, encrypt, keyring
from gongzhi.core.fields import encrypted_fields


@dataclass
class Rotated:
    model: str
    rows: int
    batches: int


def encrypted_models() -> list[type[models.Model]]:
    """Every installed model with an encrypted column (history tables included)."""
    return [m for m in apps.get_models() if encrypted_fields(m)]


def stale_count(model: type[models.Model], ring: Keyring | None = None) -> int:
    ring = ring or keyring()
    where, params = _stale_where(model, ring)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {_q(model._meta.db_table)} WHERE {where}", params)
        return int(cursor.fetchone()[0])


def _q(name: str) -> str:
    return connection.ops.quote_name(name)


def _stale_where(model: type[models.Model], ring: Keyring) -> tuple[str, list[str]]:
    prefix = f"{ring.current}:{ring.cipher}:%"
    parts = []
    params = []
    for f in encrypted_fields(model):
        col = _q(f.column)
        parts.append(f"({col} IS NOT NULL AND {col} <> '' AND {col} NOT LIKE %s)")
        params.append(prefix)
    return "(" + " OR ".join(parts) + ")", params


def rotate_model(
    model: type[models.Model],
    *,
    batch: int = 2000,
    max_batches: int | None = None,
    progress: Callable[[int], None] | None = None,
) -> Rotated:
    ring = keyring()
    fields = encrypted_fields(model)
    table, pk = _q(model._meta.db_table), _q(model._meta.pk.column)  # type: ignore[union-attr]
    cols = [_q(f.column) for f in fields]
    where, params = _stale_where(model, ring)
    last, done, batches = None, 0, 0
    while max_batches is None or batches < max_batches:
        after = f"{pk} > %s AND " if last is not None else ""
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                f"SELECT {pk}, {', '.join(cols)} FROM {table} WHERE {after}{where} ORDER BY {pk} LIMIT %s",
                [*([last] if last is not None else []), *params, batch],
            )
            rows = cursor.fetchall()
            if not rows:
                break
            last = rows[-1][0]
            updates = []
            for key, *values in rows:
                fresh = [encrypt(decrypt(v, ring), ring) if v else v for v in values]
                updates.append([*fresh, key, *values])
            sets = ", ".join(f"{c} = %s" for c in cols)
            same = " AND ".join(f"{c} IS NOT DISTINCT FROM %s" for c in cols)
            if connection.vendor == "sqlite":
                same = " AND ".join(f"{c} IS %s" for c in cols)
            cursor.executemany(f"UPDATE {table} SET {sets} WHERE {pk} = %s AND {same}", updates)
        done += len(rows)
        batches += 1
        if progress:
            progress(len(rows))
    return Rotated(model._meta.label, done, batches)
