"""Reads of the trading app, already scoped by the caller: lists, a listing's page, figures by town and year."""

from __future__ import annotations

import base64
import binascii
import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import connection
from django.db.models import Case, F, IntegerField, Q, QuerySet, Sum, Value, When
from django.db.models.functions import ExtractYear, Greatest

from gongzhi.trading.models import Change, Instalment, Listing, Reminder, Status

DONE = (Status.AWARDED, Status.SETTLED)


def income_expr() -> Any:
    """rules.collective_income in SQL: the whole price where there was no income before, else above reserve."""
    return Case(
        When(previous_income_yuan=0, then=F("price_yuan")),
        default=Greatest(F("price_yuan") - F("reserve_yuan"), Value(0)),
        output_field=IntegerField(),
    )


def overdue(qs: QuerySet[Instalment], today: date) -> QuerySet[Instalment]:
    """Instalments past their due date and unpaid (rules.is_overdue in SQL), oldest first, with their listing."""
    return (
        qs.filter(paid_on__isnull=True, due_on__lt=today)
        .select_related("listing__village__parent")
        .order_by("due_on", "listing_id", "seq")
    )


def reminded(qs: QuerySet[Reminder]) -> QuerySet[Reminder]:
    """Reminders (催缴提醒) of instalments still unpaid, oldest due first, with the listing, its contract's
    collective (the payee) and the winner (the payer) in the same query."""
    return (
        qs.filter(instalment__paid_on__isnull=True)
        .select_related(
            "instalment__listing__winner",
            "instalment__listing__contract__collective",
            "instalment__listing__village__parent",
        )
        .order_by("due_on", "instalment_id")
    )


def traded(path: str) -> QuerySet[Listing]:
    return Listing.objects.filter(path__under=path, status__in=DONE)


def totals(qs: QuerySet[Listing]) -> dict[str, int]:
    """Turnover and the collectives' income of the deals in `qs` (one query)."""
    agg = qs.filter(status__in=DONE).aggregate(turnover=Sum("price_yuan"), income=Sum(income_expr()))
    return {"turnover": int(agg["turnover"] or 0), "income": int(agg["income"] or 0)}


@dataclass(frozen=True)
class TownYear:
    town: str
    year: int
    deals: int
    turnover: int
    income: int


def by_town_and_year(qs: QuerySet[Listing]) -> list[TownYear]:
    """Turnover and the collectives' income per town and year of closing (one grouped query)."""
    rows = (
        qs.filter(status__in=DONE)
        .annotate(year=ExtractYear("closed_on"))
        .values("village__parent__name", "year")
        .annotate(n=Sum(Value(1)), turnover=Sum("price_yuan"), income=Sum(income_expr()))
        .order_by("village__parent__path", "year")
    )
    return [
        TownYear(r["village__parent__name"], r["year"], r["n"], int(r["turnover"]), int(r["income"]))
        for r in rows
    ]


def status_counts(qs: QuerySet[Listing]) -> dict[str, int]:
    out: dict[str, int] = defaultdict(int)
    for row in qs.values("status").annotate(n=Sum(Value(1))):
        out[row["status"]] = row["n"]
    return dict(out)


def seller_name(village_name: str) -> str:
    """The village's collective economic organisation as a certificate names it (郭家疃村委会 → 郭家疃村股份经济合作社)."""
    base = (
        village_name.removesuffix("村民委员会")
        .removesuffix("村委会")
        .removesuffix("居委会")
        .removesuffix("村")
    )
    return f"{base}村股份经济合作社"


# -- the change feed -----------------------------------------------------------------------------------

MAX_BIGINT = 2**63 - 1


def cursor_encode(txid: int, pk: int) -> str:
    """An opaque cursor: the (transaction, key) pair of the last change read, base64url without padding."""
    return base64.urlsafe_b64encode(f"v1.{txid}.{pk}".encode()).decode().rstrip("=")


def cursor_decode(text: str) -> tuple[int, int]:
    """(txid, key) from a cursor, or ValueError for anything that is not one this feed gave out."""
    if not text or len(text) > 64 or not CURSOR_CHARS.fullmatch(text):
        raise ValueError("cursor")
    try:
        raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)).decode("ascii")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise ValueError("cursor") from None
    match = CURSOR_BODY.fullmatch(raw)
    if match is None:
        raise ValueError("cursor")
    txid, pk = int(match[1]), int(match[2])
    if txid > MAX_BIGINT or pk > MAX_BIGINT:
        raise ValueError("cursor")
    return txid, pk


CURSOR_CHARS = re.compile(r"[A-Za-z0-9_-]+")
CURSOR_BODY = re.compile(r"v1\.(\d{1,19})\.(\d{1,19})")


# The oldest transaction of this database still running, as a 64-bit id (its rows cannot be shown yet, nor
# any after them). pg_stat_activity gives a backend's 32-bit xid; `age` turns it into the distance from the
# reader's reference (its own xid, or the next one), one more subtracted so that the estimate is never above
# the true id. Without a running writer the horizon is the snapshot's xmax: everything committed.
HORIZON_SQL = """
SELECT least(
    pg_snapshot_xmax(pg_current_snapshot())::text::bigint,
    (SELECT min(
        coalesce(pg_current_xact_id_if_assigned(), pg_snapshot_xmax(pg_current_snapshot()))::text::bigint
        - age(backend_xid) - 1)
     FROM pg_stat_activity
     WHERE datname = current_database() AND backend_xid IS NOT NULL AND pid <> pg_backend_pid())
), coalesce(pg_current_xact_id_if_assigned()::text::bigint, -1)
"""


def horizon() -> tuple[int, int]:
    """(the first transaction id whose changes may not be shown yet, the reader's own id or -1)."""
    with connection.cursor() as cur:
        cur.execute(HORIZON_SQL)
        row = cur.fetchone()
    return int(row[0]), int(row[1])


def changes_after(qs: QuerySet[Change], after: tuple[int, int] | None, limit: int) -> list[Change]:
    """The next `limit` changes of `qs` (already scoped) after the cursor, in (txid, key) order, and only
    those no running transaction can still precede.

    Keys are given out when a row is written, not when it commits: a transaction that wrote key 5 may
    commit after one that wrote key 6, and a reader that had moved past 6 would never see 5. So the feed
    orders by the writing transaction's id first and, on PostgreSQL, shows only rows of transactions older
    than the oldest one of this database still running (`horizon`, read in a statement before the rows):
    each of those has ended, and any transaction that writes later gets a larger id, so nothing can later
    appear before what was shown. A long transaction (an import) holds the feed back until it ends. The
    reader's own rows are shown too (a test's transaction). On SQLite writers run one at a time and txid
    is 0: the key alone is commit order."""
    if connection.vendor == "postgresql":
        limit_txid, own = horizon()
        qs = qs.filter(Q(txid__lt=limit_txid) | Q(txid=own))
    if after is not None:
        txid, pk = after
        qs = qs.filter(Q(txid__gt=txid) | Q(txid=txid, pk__gt=pk))
    return list(qs.select_related("listing").order_by("txid", "pk")[:limit])
