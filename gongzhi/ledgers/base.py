"""The shape of a ledger (台账): sheets of typed columns, cell parsing with errors, and the ledger interface.

A registry (an app's ledger) declares its sheets with `Column`s; the framework reads a workbook, parses and
checks every cell (`parse_sheet`), lets the ledger check references across rows and against the database,
and only then — if no cell is wrong — lets it write, in one transaction (gongzhi.ledgers.importer).
Exports write the same columns, so an exported file imports back unchanged.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Protocol

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from gongzhi.ledgers.fields import NUL_MESSAGE, field_problems

Parser = Callable[[Any], Any]


@dataclass(frozen=True)
class CellError:
    sheet: str
    row: int  # the spreadsheet's row number (1 = the header)
    column: str  # the column's header
    message: str

    def as_dict(self) -> dict[str, Any]:
        return {"sheet": self.sheet, "row": self.row, "column": self.column, "message": self.message}


@dataclass(frozen=True)
class Column:
    header: str
    key: str
    parse: Parser
    required: bool = False
    width: int = 14
    note: str = ""  # shown in the template's second sheet
    kind: str = "text"  # text | date | int: how the writer formats the cell
    field: str = ""  # "app.Model.field" it is written to: its limits are checked (gongzhi.ledgers.fields)


@dataclass(frozen=True)
class SheetSpec:
    name: str
    columns: tuple[Column, ...]

    @property
    def headers(self) -> list[str]:
        return [c.header for c in self.columns]


@dataclass
class ParsedRow:
    row: int
    values: dict[str, Any]


@dataclass
class Book:
    """Parsed rows per sheet name; sheets the file did not have are absent."""

    sheets: dict[str, list[ParsedRow]] = field(default_factory=dict)

    def rows(self, name: str) -> list[ParsedRow]:
        return self.sheets.get(name, [])


class Reporter(Protocol):
    def __call__(self, phase: str, done: int, total: int) -> None: ...


def no_report(phase: str, done: int, total: int) -> None:
    return None


@dataclass
class Context:
    """Who imports, where they may write, and where to report progress."""

    user: Any
    report: Reporter = no_report
    # Names the import's undo journal when SQLite writes it in batches (gongzhi.ledgers.journal).
    key: str = ""


class Ledger(Protocol):
    slug: str
    title: str
    sheets: tuple[SheetSpec, ...]

    # Optional: `write_order = ("sheet", …)` lets SQLite write the file in batches of rows, sheet after
    # sheet in this order (a sheet's rows may refer to rows of the sheets before it). Without it the whole
    # file is one batch (gongzhi.ledgers.importer._batches).

    def check(self, book: Book, ctx: Context) -> tuple[Any, list[CellError]]:
        """Check references across rows and against the database; return a plan to apply, and errors."""
        ...

    def apply(self, plan: Any, ctx: Context) -> dict[str, int]:
        """Write the plan (inside the importer's transaction); return counts by what was written."""
        ...

    def export(self, place_path: str, user: Any) -> Iterator[tuple[SheetSpec, Iterable[list[Any]]]]:
        """Rows of each sheet for a place, streamed from the database."""
        ...


# -- cell parsers -------------------------------------------------------------------------------------


def text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def text_max(n: int) -> Parser:
    def parse(value: Any) -> str:
        s = text(value)
        if len(s) > n:
            raise ValidationError(_("不超过 %(n)d 个字") % {"n": n})
        return s

    return parse


def integer(value: Any) -> int | None:
    s = text(value)
    if not s:
        return None
    try:
        return int(s)
    except ValueError:
        raise ValidationError(_("应为整数")) from None


def int_between(lo: int, hi: int, message: str) -> Parser:
    """A required whole number within [lo, hi]; anything else (blank included) is refused with `message`."""

    def parse(value: Any) -> int:
        n = integer(value)
        if n is None or not lo <= n <= hi:
            raise ValidationError(message)
        return n

    return parse


def day(value: Any) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    s = text(value).replace("/", "-").replace(".", "-")
    try:
        return date.fromisoformat(s)
    except ValueError:
        raise ValidationError(_("应为日期，如 2024-12-18")) from None


def yes_no(value: Any) -> bool:
    s = text(value)
    if s in ("是", "Y", "y", "1", "TRUE", "True", "true"):
        return True
    if s in ("否", "N", "n", "0", "", "FALSE", "False", "false"):
        return False
    raise ValidationError(_("应填“是”或“否”"))


def choice(labels: dict[str, str]) -> Parser:
    """Parse a label (as shown in the file) to its stored value."""

    def parse(value: Any) -> str:
        s = text(value)
        if s in labels:
            return labels[s]
        raise ValidationError(_("应为以下之一：%(labels)s") % {"labels": "、".join(labels)})

    return parse


def listing(value: Any) -> list[str]:
    """A list in one cell, separated by ；or ; (the export writes ；)."""
    s = text(value).replace(";", "；")
    return [p.strip() for p in s.split("；") if p.strip()]


def parse_sheet(
    spec: SheetSpec, rows: list[list[Any]], tick: Callable[[int], None] | None = None
) -> tuple[list[ParsedRow], list[CellError]]:
    """Parse a sheet's rows (header first) by its spec; every bad cell is an error, none stops the rest."""
    errors: list[CellError] = []
    if not rows:
        return [], [CellError(spec.name, 1, "", _("工作表为空，缺少表头"))]
    header = [text(h) for h in rows[0]]
    where: dict[str, int] = {}
    for col in spec.columns:
        if col.header not in header:
            errors.append(CellError(spec.name, 1, col.header, _("缺少此列")))
        else:
            where[col.key] = header.index(col.header)
    extra = [h for h in header if h and h not in spec.headers]
    for h in extra:
        errors.append(CellError(spec.name, 1, h, _("不认识的列")))
    if errors:
        return [], errors
    parsed: list[ParsedRow] = []
    for n, raw in enumerate(rows[1:], start=2):
        if all(v is None or text(v) == "" for v in raw):
            continue
        values: dict[str, Any] = {}
        for col in spec.columns:
            i = where[col.key]
            cell = raw[i] if i < len(raw) else None
            if col.required and text(cell) == "":
                errors.append(CellError(spec.name, n, col.header, _("必填")))
                continue
            if isinstance(cell, str) and "\x00" in cell:
                errors.append(CellError(spec.name, n, col.header, str(NUL_MESSAGE)))
                continue
            try:
                values[col.key] = value = col.parse(cell)
            except ValidationError as exc:
                errors.append(CellError(spec.name, n, col.header, "；".join(exc.messages)))
                continue
            problems = field_problems(col.field, value) if col.field else []
            if problems:
                errors.append(CellError(spec.name, n, col.header, "；".join(problems)))
        parsed.append(ParsedRow(n, values))
        if tick is not None and n % 2000 == 0:
            tick(n)
    return parsed, errors
