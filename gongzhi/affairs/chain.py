"""The ballot chain: each recorded cast carries a hash of the one before, so a vote's history can be verified
and replayed to the same result.

A vote's result may be reviewed by a court (民法典 第二百八十条: an owner may ask the court to annul a decision
that harms their rights, within a year). Every cast — first opinion or change, online, paper or proxy — is
kept as a BallotChange; `seal` appends it to the vote's chain as a BallotSeal whose digest is SHA-256 over
the change's content and the previous link's digest (the first link starts from the vote's own genesis).
Changing, removing or reordering any recorded cast breaks every digest after it. Sealing is the last step
of the cast's transaction and takes the vote's chain lock (gongzhi.affairs.locks.chain_lock: a
transaction-scoped advisory lock on PostgreSQL, held from reading the head to the commit; SQLite has one
writer), so concurrent casts take consecutive places while the rest of their work runs side by side; a
unique (vote, seq) stops a fork even if a caller forgot the lock.

`verify` walks the chain, recomputes every digest, and replays the opinions in order: the replay must give
the vote's current ballots exactly, and a closed vote's stored figures must equal a recount. The head digest
is shown on the vote page and printed by `manage.py verify_vote`, so a copy kept elsewhere (the published
result, the committee's minutes) anchors the chain against rewriting it whole.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC
from typing import Any

from django.db import connection

from gongzhi.affairs import locks
from gongzhi.affairs.models import Ballot, BallotChange, BallotSeal, Vote, VoteStatus
from gongzhi.core.prepared import fetch

RESULT_FIELDS = (
    "owners_voted",
    "area_voted",
    "owners_agree",
    "area_agree",
    "owners_against",
    "area_against",
    "owners_abstain",
    "area_abstain",
    "owners_invalid",
    "area_invalid",
    "passed",
)


def genesis(vote_id: int) -> str:
    return hashlib.sha256(f"gongzhi-vote:{vote_id}".encode()).hexdigest()


# Stand-ins for the two values only the chain's head decides; neither JSON-encodes to anything else, and no
# other value of a cast can contain them.
_PREV, _SEQ = "PREV-0d6f3a", "SEQ-0d6f3a"


def canonical(change: BallotChange) -> tuple[str, str, str]:
    """The cast's canonical JSON cut around the two values the head decides: ``a + prev + b + str(seq) + c``
    is ``json.dumps`` of the content with sorted keys and no spaces. Python (digest) and PostgreSQL
    (seal_one) hash the same text this way, so a link sealed by either verifies under the other."""
    content = {
        "vote": change.vote_id,
        "seq": _SEQ,
        "change": change.pk,
        "owner": change.owner_id,
        "caster": change.caster_id,
        "opinion": change.opinion,
        "previous": change.previous,
        "origin": change.origin,
        "cast_by": change.cast_by_id,
        "at": change.at.astimezone(UTC).isoformat(timespec="microseconds"),
        "prev": _PREV,
    }
    raw = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    a, rest = raw.split(_PREV)
    b, c = rest.split(json.dumps(_SEQ))
    return a, b, c


def digest(change: BallotChange, seq: int, prev: str) -> str:
    """SHA-256 over the cast's content, its place and the previous digest (canonical JSON)."""
    a, b, c = canonical(change)
    return hashlib.sha256(f"{a}{prev}{b}{seq}{c}".encode()).hexdigest()


def _head(vote_id: int) -> tuple[int, str]:
    table = connection.ops.quote_name(BallotSeal._meta.db_table)
    rows = fetch(f"SELECT seq, digest FROM {table} WHERE vote_id = %s ORDER BY seq DESC LIMIT 1", [vote_id])
    last = rows[0] if rows else None
    return (int(last[0]), str(last[1])) if last else (0, genesis(vote_id))


def seal(vote_id: int, changes: Iterable[BallotChange], *, locked: bool = False) -> int:
    """Append these just-recorded casts to the chain, in the order given. Call last in the cast's
    transaction: the chain stays locked for this vote until the commit. ``locked``: the caller already
    holds the chain lock (locks.ballot_write takes it with the cast's writes).

    The head is read and the seals written by plain SQL statements: a cast runs them every time, and the
    ORM spent more CPU building them than the database spent answering. One cast on PostgreSQL is one
    statement (seal_one)."""
    if not locked:
        locks.chain_lock(vote_id)
    changes = list(changes)
    if len(changes) == 1 and connection.vendor == "postgresql":
        return seal_one(vote_id, changes[0])
    seq, prev = _head(vote_id)
    rows: list[Any] = []
    for change in changes:
        seq += 1
        link = digest(change, seq, prev)
        rows += [vote_id, seq, change.pk, prev, link]
        prev = link
    table = connection.ops.quote_name(BallotSeal._meta.db_table)
    batch = 5 * min(1000, (connection.features.max_query_params or 5000) // 5)  # a paper sheet's thousands
    for start in range(0, len(rows), batch):
        part = rows[start : start + batch]
        values = ", ".join(["(%s, %s, %s, %s, %s)"] * (len(part) // 5))
        # One link (a cast) is a prepared statement; a paper sheet's batches vary in length and are not.
        fetch(
            f"INSERT INTO {table} (vote_id, seq, change_id, prev, digest) VALUES {values}",
            part,
            prepare=len(part) == 5,
        )
    return len(rows) // 5


def seal_one(vote_id: int, change: BallotChange) -> int:
    """PostgreSQL, under the chain lock: append one cast in a single prepared statement that reads the head
    and writes the link, its digest computed by the server over the same canonical text as ``digest`` (an
    online cast holds the chain lock one round trip less)."""
    table = connection.ops.quote_name(BallotSeal._meta.db_table)
    a, b, c = canonical(change)
    sql = f"""
        INSERT INTO {table} (vote_id, seq, change_id, prev, digest)
        SELECT %(vote)s::bigint, h.seq + 1, %(change)s::bigint, h.digest,
            encode(sha256(convert_to(
                %(a)s::text || h.digest || %(b)s::text || (h.seq + 1)::text || %(c)s::text, 'UTF8')), 'hex')
        FROM (
            (SELECT seq, digest FROM {table} WHERE vote_id = %(vote)s::bigint ORDER BY seq DESC LIMIT 1)
            UNION ALL SELECT 0, %(genesis)s::text
            ORDER BY seq DESC LIMIT 1
        ) h
        RETURNING seq
    """
    params = {"vote": vote_id, "change": change.pk, "a": a, "b": b, "c": c, "genesis": genesis(vote_id)}
    fetch(sql, params)
    return 1


def seal_backlog(vote_id: int) -> int:
    """Seal the casts recorded without a seal (loaded in bulk, or before the chain existed), in id order."""
    locks.chain_lock(vote_id)  # before reading: two sealers never pick the same casts
    changes = BallotChange.objects.filter(vote_id=vote_id, seal__isnull=True).order_by("id")
    return seal(vote_id, list(changes))


@dataclass
class ChainCheck:
    vote_id: int
    length: int = 0
    head: str = ""
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def verify(vote: Vote, *, recount: bool = True) -> ChainCheck:
    """Recompute every digest, check the links, replay the casts and compare with the ballots (and, for a
    closed vote, the stored result with a recount). Problems are sentences for the staff who read them."""
    check = ChainCheck(vote.pk)
    seals = list(BallotSeal.objects.filter(vote_id=vote.pk).select_related("change").order_by("seq"))
    unsealed = BallotChange.objects.filter(vote_id=vote.pk, seal__isnull=True).count()
    if unsealed:
        check.problems.append(f"{unsealed} 条投票记录不在记录链中")
    prev = genesis(vote.pk)
    replay: dict[tuple[int, int | None], str] = {}
    for expected, link in enumerate(seals, start=1):
        change = link.change
        if link.seq != expected:
            check.problems.append(f"记录链在第 {expected} 条处缺失或顺序被改动")
            break
        if link.prev != prev:
            check.problems.append(f"第 {link.seq} 条记录没有接在前一条之后")
        if digest(change, link.seq, link.prev) != link.digest:
            check.problems.append(f"第 {link.seq} 条记录的内容与其哈希不符（记录被改动）")
        key = (change.owner_id, change.caster_id)
        if change.previous != replay.get(key, ""):
            check.problems.append(f"第 {link.seq} 条记录的原意见与此前的记录不符")
        replay[key] = change.opinion
        prev = link.digest
    check.length, check.head = len(seals), prev
    rows = Ballot.objects.filter(vote_id=vote.pk).values_list("owner_id", "caster_id", "opinion")
    ballots: dict[tuple[int, int | None], str] = {(owner, caster): opinion for owner, caster, opinion in rows}
    differing = {k for k in replay.keys() | ballots.keys() if replay.get(k) != ballots.get(k)}
    if differing:
        check.problems.append(f"按记录链重放得到的表决意见与当前表决票有 {len(differing)} 处不同")
    if recount and vote.status == VoteStatus.CLOSED and vote.closed_at is not None and not differing:
        check.problems += _recount_problems(vote)
    return check


def _recount_problems(vote: Vote) -> list[str]:
    from django.utils import timezone

    from gongzhi.affairs.services.votes import vote_count

    counted = vote_count(
        vote,
        on=timezone.localdate(vote.closed_at),
        signatures_complete=vote.signatures_complete,
        notice_from=vote.notice_from,
        notice_until=vote.notice_until,
        unresolved_objections=vote.unresolved_objections,
    )
    t = counted.tally
    fresh = {name: getattr(t, name) for name in RESULT_FIELDS if name != "passed"}
    fresh["passed"] = counted.passed
    wrong = [name for name in RESULT_FIELDS if getattr(vote, name) != fresh[name]]
    return [f"重新计票的结果与保存的结果不同：{'、'.join(wrong)}"] if wrong else []
