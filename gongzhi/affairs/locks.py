"""The locks a cast takes, each as narrow as its purpose, so that casts of one vote run side by side.

A cast used to lock the vote row for its whole transaction; every cast of a vote then waited for the one
before, and the p95 of a cast under 200 concurrent owners was seconds (bench/bench_casts.py). Now:

* the vote row is locked **shared** (`vote_share`): any number of casts hold it at once, while closing the
  vote and entering a paper sheet lock it exclusively (SELECT … FOR UPDATE) and so wait for the casts in
  flight, and casts that come later find the vote closed — no ballot after the count;
* one **owner's** ballot is written by one cast at a time (`owner_lock`), so a changed opinion always
  records the opinion it replaced;
* the **chain** is appended by one cast at a time (`chain_lock`), held only from reading the chain's head to
  the commit (gongzhi.affairs.chain.seal runs last in the cast's transaction).

On PostgreSQL the last two are transaction-scoped advisory locks (released at commit or rollback, never
left behind by a killed process). SQLite has one writer at a time: there is nothing to take.
"""

from __future__ import annotations

import hashlib
from datetime import date

from django.db import connection

# The two-key advisory lock space (PostgreSQL keeps it apart from the one-key space): (CHAIN, vote id).
CHAIN = 0x6C696E6B  # "link"


def _postgres() -> bool:
    return connection.vendor == "postgresql"


def vote_share(vote_id: int, owner: int | None = None) -> tuple[str, date | None]:
    """SELECT … FOR SHARE on the vote row (casts share it, closing excludes them); its status and online
    deadline as they stand under the lock.

    ``owner``, an ``owner_key``, takes that ballot's lock in the same statement (one round trip less a
    cast). Both locks are held when the statement returns, and what the cast reads under them comes in
    later statements, whose snapshots are taken after the locks were granted. Taking the owner's lock
    while waiting for the vote row cannot deadlock: nothing that locks the vote row exclusively (closing,
    a paper sheet) takes an owner's lock."""
    from gongzhi.affairs.models import Vote

    table = connection.ops.quote_name(Vote._meta.db_table)
    lock, params = (" FOR SHARE", [vote_id]) if _postgres() else ("", [vote_id])
    also = ""
    if owner is not None and _postgres():
        also, params = ", pg_advisory_xact_lock(%s)", [owner, vote_id]
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT status, closes_on{also} FROM {table} WHERE id = %s{lock}", params)
        row = cursor.fetchone()
    if row is None:
        raise Vote.DoesNotExist
    status, closes_on = row[0], row[1]
    if isinstance(closes_on, str):  # SQLite returns dates as text from a raw cursor
        closes_on = date.fromisoformat(closes_on)
    return status, closes_on


def chain_lock(vote_id: int) -> None:
    """Serialise appends to one vote's chain until the transaction ends."""
    if _postgres():
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [CHAIN, vote_id % 2**31])


def owner_key(vote_id: int, owner_id: int, caster_id: int | None) -> int:
    """A signed 64-bit key for (vote, owner, caster); a collision only makes two casts wait for each other."""
    raw = hashlib.blake2b(f"ballot:{vote_id}:{owner_id}:{caster_id}".encode(), digest_size=8).digest()
    return int.from_bytes(raw, "big", signed=True)


def owner_lock(vote_id: int, owner_id: int, caster_id: int | None) -> None:
    """Serialise the casts of one ballot (one owner, or one co-owner) until the transaction ends."""
    if _postgres():
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [owner_key(vote_id, owner_id, caster_id)])
