"""Import and export driver shared by every ledger: read, parse every cell, check, then write all or nothing."""

from __future__ import annotations

import time
import uuid
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from importlib import import_module
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.db import connection, transaction
from django.utils.translation import gettext as _

from gongzhi.core.bulk import ANALYZE_AFTER_ROWS, analyze
from gongzhi.core.registry import LEDGERS
from gongzhi.core.sheet_limits import SheetTooLarge, check_workbook
from gongzhi.ledgers.base import Book, CellError, Context, Ledger, SheetSpec, parse_sheet
from gongzhi.ledgers.journal import forget, journaled, undo
from gongzhi.ledgers.models import LedgerExport
from gongzhi.ledgers.xlsx import read_workbook, write_workbook

# LEDGERS (slug → "module:attribute") is filled by each app's ready(): registry.register_ledger(slug, target).
__all__ = [
    "LEDGERS",
    "all_ledgers",
    "export_file",
    "get_ledger",
    "guess_ledger",
    "import_file",
    "template_file",
]


def get_ledger(slug: str) -> Ledger:
    if slug not in LEDGERS:
        raise KeyError(slug)
    module, attr = LEDGERS[slug].split(":")
    return getattr(import_module(module), attr)  # type: ignore[no-any-return]


def all_ledgers() -> list[Ledger]:
    return [get_ledger(slug) for slug in LEDGERS]


def guess_ledger(names: list[str]) -> Ledger | None:
    """The ledger whose sheet names the file uses most."""
    best, score = None, 0
    for ledger in all_ledgers():
        hits = len({s.name for s in ledger.sheets} & set(names))
        if hits > score:
            best, score = ledger, hits
    return best


@dataclass
class Outcome:
    ok: bool
    errors: list[CellError] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)


def import_book(ledger: Ledger, raw: dict[str, list[list[Any]]], ctx: Context) -> Outcome:
    """Parse and check every cell of every sheet; write only if nothing is wrong, in one transaction."""
    known = [s for s in ledger.sheets if s.name in raw]
    if not known:
        wanted = "、".join(s.name for s in ledger.sheets)
        return Outcome(
            False,
            [CellError("", 0, "", _("文件中没有本台账的工作表（应有：%(sheets)s）") % {"sheets": wanted})],
        )
    total = sum(max(0, len(raw[s.name]) - 1) for s in known)
    done = 0
    ctx.report("checking", 0, total)
    book = Book()
    errors: list[CellError] = []
    for spec in known:

        def tick(n: int, base: int = done) -> None:
            ctx.report("checking", base + n, total)

        rows, errs = parse_sheet(spec, raw[spec.name], tick=tick)
        book.sheets[spec.name] = rows
        errors += errs
        done += max(0, len(raw[spec.name]) - 1)
        ctx.report("checking", done, total)
    if any(e.row == 1 for e in errors):  # a header is wrong: the rows cannot be read
        return Outcome(False, errors)
    if errors:
        # Still check the rows that parsed, so the list names every problem at once.
        for spec in known:
            book.sheets[spec.name] = [r for r in book.sheets[spec.name] if len(r.values) == len(spec.columns)]
    plan, more = ledger.check(book, ctx)
    errors += more
    if errors:
        return Outcome(False, sorted(errors, key=lambda e: (e.sheet, e.row)))
    if connection.vendor == "sqlite":
        counts, refused = _apply_in_batches(ledger, book, known, ctx, total)
        if refused:
            return Outcome(False, sorted(refused, key=lambda e: (e.sheet, e.row)))
    else:
        ctx.report("writing", total, total)
        with transaction.atomic():  # PostgreSQL: one transaction; others keep writing beside it
            counts = ledger.apply(plan, ctx)
    if sum(counts.values()) >= ANALYZE_AFTER_ROWS:
        analyze()  # a bulk write: fresh planner statistics for the requests that follow
    ctx.report("done", total, total)
    return Outcome(True, [], counts)


def _apply_in_batches(
    ledger: Ledger, book: Book, known: list[SheetSpec], ctx: Context, total: int
) -> tuple[dict[str, int], list[CellError]]:
    """SQLite: write a checked book a batch of rows at a time, each batch its own short transaction, so
    other writers get the lock between batches; every write is journaled and undone if any batch fails or
    the process stops (gongzhi.ledgers.journal). Sheets go in the ledger's order, so a later sheet's rows
    find the earlier sheets' rows written. Each batch is checked again against what is now written."""
    key = ctx.key or uuid.uuid4().hex
    counts: Counter[str] = Counter()
    done = 0
    ctx.report("writing", 0, total)
    try:
        with journaled(key):
            for part in _batches(ledger, book, known):
                if done:
                    time.sleep(settings.GONGZHI_IMPORT_BATCH_PAUSE)  # waiting writers take the lock now
                with transaction.atomic():
                    plan, errors = ledger.check(part, ctx)
                    if errors:  # the database changed since the whole file was checked
                        raise _Refused(errors)
                    counts.update(ledger.apply(plan, ctx))
                done += sum(len(rows) for rows in part.sheets.values())
                ctx.report("writing", done, total)
    except _Refused as refused:
        undo(key)
        return {}, refused.errors
    except BaseException:
        undo(key)
        raise
    forget(key)
    return dict(counts), []


def _batches(ledger: Ledger, book: Book, known: list[SheetSpec]) -> Iterator[Book]:
    """Slices of the book to write one after another: a ledger that names a `write_order` (sheets whose
    rows refer only to sheets before them) is cut into `GONGZHI_IMPORT_BATCH_ROWS` rows at a time; any
    other ledger is one batch (still journaled, so still all or nothing)."""
    order: tuple[str, ...] | None = getattr(ledger, "write_order", None)
    if order is None:
        yield book
        return
    size = max(1, settings.GONGZHI_IMPORT_BATCH_ROWS)
    present = {spec.name for spec in known}
    for name in (n for n in order if n in present):
        rows = book.rows(name)
        for start in range(0, len(rows), size):
            yield Book({name: rows[start : start + size]})


class _Refused(Exception):
    def __init__(self, errors: list[CellError]) -> None:
        super().__init__(f"{len(errors)} errors")
        self.errors = errors


def import_file(ledger: Ledger | None, source: str | Path | IO[bytes], ctx: Context) -> Outcome:
    ctx.report("reading", 0, 0)
    try:
        check_workbook(source)  # sizes first: a tiny file can declare a grid that would kill the process
    except SheetTooLarge as exc:
        return Outcome(False, [CellError("", 0, "", str(exc))])
    try:
        raw = read_workbook(source)
    except Exception as exc:  # calamine raises its own errors for files that are not workbooks
        return Outcome(False, [CellError("", 0, "", _("无法读取文件：%(error)s") % {"error": exc})])
    ledger = ledger or guess_ledger(list(raw))
    if ledger is None:
        return Outcome(False, [CellError("", 0, "", _("认不出这是哪一种台账"))])
    return import_book(ledger, raw, ctx)


def export_file(ledger: Ledger, target: str | Path, place_path: str, user: Any) -> int:
    """Write the ledger of a place to `target`, streaming; the export is recorded."""
    rows = write_workbook(target, ledger.export(place_path, user))
    if getattr(user, "pk", None):
        LedgerExport.objects.create(ledger=ledger.slug, place_path=place_path, rows=rows, user=user)
    return rows


def template_file(ledger: Ledger, target: str | Path) -> None:
    """An empty workbook with the ledger's sheets and headers, and a sheet explaining each column."""
    write_workbook(target, ((spec, []) for spec in ledger.sheets), notes=True)
