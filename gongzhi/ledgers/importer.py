"""Import and export driver shared by every ledger: read, parse every cell, check, then write all or nothing."""

from __future__ import annotations

from dataclasses import dataclass, field
from importlib import import_module
from pathlib import Path
from typing import IO, Any

from django.db import transaction

from gongzhi.core.bulk import ANALYZE_AFTER_ROWS, analyze
from gongzhi.core.registry import LEDGERS
from gongzhi.core.sheet_limits import SheetTooLarge, check_workbook
from gongzhi.ledgers.base import Book, CellError, Context, Ledger, parse_sheet
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
        return Outcome(False, [CellError("", 0, "", f"文件中没有本台账的工作表（应有：{wanted}）")])
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
    ctx.report("writing", total, total)
    with transaction.atomic():
        counts = ledger.apply(plan, ctx)
    if sum(counts.values()) >= ANALYZE_AFTER_ROWS:
        analyze()  # a bulk write: fresh planner statistics for the requests that follow
    ctx.report("done", total, total)
    return Outcome(True, [], counts)


def import_file(ledger: Ledger | None, source: str | Path | IO[bytes], ctx: Context) -> Outcome:
    ctx.report("reading", 0, 0)
    try:
        check_workbook(source)  # sizes first: a tiny file can declare a grid that would kill the process
    except SheetTooLarge as exc:
        return Outcome(False, [CellError("", 0, "", str(exc))])
    try:
        raw = read_workbook(source)
    except Exception as exc:  # calamine raises its own errors for files that are not workbooks
        return Outcome(False, [CellError("", 0, "", f"无法读取文件：{exc}")])
    ledger = ledger or guess_ledger(list(raw))
    if ledger is None:
        return Outcome(False, [CellError("", 0, "", "认不出这是哪一种台账")])
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
