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
from dataclasses import dataclass
from datetime import date, datetime

from django.db import connection

from gongzhi.core.prepared import fetch

# The two-key advisory lock space (PostgreSQL keeps it apart from the one-key space): (CHAIN, vote id).
CHAIN = 0x6C696E6B  # "link"


def _postgres() -> bool:
    return connection.vendor == "postgresql"


def postgres() -> bool:
    """Whether the locks are real (PostgreSQL) and the cast's SQL statements (ballot_write) apply."""
    return _postgres()


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
    if _postgres():  # a prepared statement (gongzhi.core.prepared): a cast runs it every time
        also, params = "", [vote_id]
        if owner is not None:
            also, params = ", pg_advisory_xact_lock(%s::bigint)", [owner, vote_id]
        rows = fetch(f"SELECT status, closes_on{also} FROM {table} WHERE id = %s::bigint FOR SHARE", params)
    else:
        rows = fetch(f"SELECT status, closes_on FROM {table} WHERE id = %s", [vote_id], prepare=False)
    row = rows[0] if rows else None
    if row is None:
        raise Vote.DoesNotExist
    status, closes_on = row[0], row[1]
    if isinstance(closes_on, str):  # SQLite returns dates as text from a raw cursor
        closes_on = date.fromisoformat(closes_on)
    return status, closes_on


def chain_lock(vote_id: int) -> None:
    """Serialise appends to one vote's chain until the transaction ends."""
    if _postgres():
        fetch("SELECT pg_advisory_xact_lock(%s::integer, %s::integer)", [CHAIN, vote_id % 2**31])


def owner_key(vote_id: int, owner_id: int, caster_id: int | None) -> int:
    """A signed 64-bit key for (vote, owner, caster); a collision only makes two casts wait for each other."""
    raw = hashlib.blake2b(f"ballot:{vote_id}:{owner_id}:{caster_id}".encode(), digest_size=8).digest()
    return int.from_bytes(raw, "big", signed=True)


def owner_lock(vote_id: int, owner_id: int, caster_id: int | None) -> None:
    """Serialise the casts of one ballot (one owner, or one co-owner) until the transaction ends."""
    if _postgres():
        fetch("SELECT pg_advisory_xact_lock(%s::bigint)", [owner_key(vote_id, owner_id, caster_id)])


@dataclass(frozen=True)
class Written:
    """What ballot_write wrote: the ballot's and the recorded cast's ids, the opinion replaced ("" for a
    first cast), the ballot's count of changes and its mandate file (kept for a proxy ballot)."""

    ballot_id: int
    change_id: int
    previous: str
    changes: int
    mandate_file: str


def ballot_write(
    *,
    vote_id: int,
    owner_id: int,
    caster_id: int | None,
    opinion: str,
    origin: str,
    proxy_name: str,
    mandate: str,
    cast_by_id: int | None,
    at: datetime,
) -> Written:
    """PostgreSQL, under the ballot's lock (owner_lock or vote_share's): write the ballot (a first cast,
    or a change counted in ``changes``), record the cast with the opinion it replaced, and take the vote's
    chain lock (chain_lock) — one statement for what took four. The ballot read in the statement's
    snapshot is current: the ballot's lock was granted before the statement began, and nobody else writes
    this ballot while it is held. The chain's head is read by the next statement (chain.seal), after the
    chain lock was granted.

    A mandate file is kept on a proxy ballot changed without a new one and cleared otherwise (as
    services.votes._upsert_ballot does)."""
    from gongzhi.affairs.models import Ballot, BallotChange

    ballot, change = Ballot._meta.db_table, BallotChange._meta.db_table
    mine = "caster_id IS NULL" if caster_id is None else "caster_id = %(caster)s::bigint"
    sql = f"""
        WITH old AS (
            SELECT id, opinion FROM {ballot}
            WHERE vote_id = %(vote)s::bigint AND owner_id = %(owner)s::bigint AND {mine}
        ), changed AS (
            UPDATE {ballot} b SET opinion = %(opinion)s::text, origin = %(origin)s::text,
                proxy_name = %(proxy)s::text, mandate = %(mandate)s::text, cast_by_id = %(by)s::bigint,
                cast_at = %(at)s::timestamptz, changes = b.changes + 1,
                mandate_file = CASE WHEN %(origin)s::text = 'proxy' THEN b.mandate_file ELSE '' END
            FROM old WHERE b.id = old.id
            RETURNING b.id, b.changes, b.mandate_file
        ), added AS (
            INSERT INTO {ballot} (vote_id, owner_id, caster_id, opinion, origin, proxy_name, mandate,
                mandate_file, cast_by_id, cast_at, changes)
            SELECT %(vote)s::bigint, %(owner)s::bigint, %(caster)s::bigint, %(opinion)s::text,
                %(origin)s::text, %(proxy)s::text, %(mandate)s::text, '', %(by)s::bigint, %(at)s::timestamptz, 0
            WHERE NOT EXISTS (SELECT 1 FROM old)
            RETURNING id, changes, mandate_file
        ), recorded AS (
            INSERT INTO {change} (vote_id, owner_id, caster_id, opinion, previous, origin, cast_by_id, at)
            VALUES (%(vote)s::bigint, %(owner)s::bigint, %(caster)s::bigint, %(opinion)s::text,
                COALESCE((SELECT opinion FROM old), ''),
                %(origin)s::text, %(by)s::bigint, %(at)s::timestamptz)
            RETURNING id
        ), written AS (SELECT * FROM changed UNION ALL SELECT * FROM added)
        SELECT written.id, recorded.id, COALESCE((SELECT opinion FROM old), ''), written.changes,
            written.mandate_file, pg_advisory_xact_lock(%(chain)s::integer, %(chain_vote)s::integer)
        FROM written, recorded
    """
    params = {
        "vote": vote_id,
        "owner": owner_id,
        "caster": caster_id,
        "opinion": opinion,
        "origin": origin,
        "proxy": proxy_name,
        "mandate": mandate,
        "by": cast_by_id,
        "at": at,
        "chain": CHAIN,
        "chain_vote": vote_id % 2**31,
    }
    row = fetch(sql, params)[0]  # a prepared statement (gongzhi.core.prepared), casts on every parameter
    return Written(row[0], row[1], row[2], row[3], row[4] or "")
