"""Reading and writing .xlsx: python-calamine to read (fast, Rust), xlsxwriter in constant-memory mode to
write (each row goes to disk as it is written, so memory stays flat whatever the number of rows).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import IO, Any

import xlsxwriter
from python_calamine import CalamineWorkbook

from gongzhi.ledgers.base import SheetSpec


def read_workbook(source: str | Path | IO[bytes]) -> dict[str, list[list[Any]]]:
    """Every sheet's rows as lists of Python values (dates as date/datetime, numbers as int or float)."""
    book = (
        CalamineWorkbook.from_path(str(source))
        if isinstance(source, str | Path)
        else CalamineWorkbook.from_filelike(source)
    )
    out: dict[str, list[list[Any]]] = {}
    try:
        for name in book.sheet_names:
            out[name] = book.get_sheet_by_name(name).to_python(skip_empty_area=False)
    finally:
        book.close()
    return out


def sheet_names(source: str | Path) -> list[str]:
    book = CalamineWorkbook.from_path(str(source))
    try:
        return list(book.sheet_names)
    finally:
        book.close()


def write_workbook(
    target: str | Path,
    sheets: Iterable[tuple[SheetSpec, Iterable[list[Any]]]],
    notes: bool = False,
) -> int:
    """Write sheets (spec, rows) to `target`, streaming; returns the number of data rows written."""
    wb = xlsxwriter.Workbook(str(target), {"constant_memory": True, "strings_to_numbers": False})
    head = wb.add_format({"bold": True, "bg_color": "#F3D6D6", "border": 1})
    day_fmt = wb.add_format({"num_format": "yyyy-mm-dd"})
    text_fmt = wb.add_format({"num_format": "@"})
    count = 0
    specs: list[SheetSpec] = []
    for spec, rows in sheets:
        specs.append(spec)
        ws = wb.add_worksheet(spec.name)
        for i, col in enumerate(spec.columns):
            ws.set_column(i, i, col.width, text_fmt if col.kind == "text" else None)
        ws.write_row(0, 0, spec.headers, head)
        ws.freeze_panes(1, 0)
        r = 0
        for r, row in enumerate(rows, start=1):
            for c, (col, value) in enumerate(zip(spec.columns, row, strict=True)):
                if value is None or value == "":
                    continue
                if col.kind == "date" and isinstance(value, date):
                    ws.write_datetime(r, c, value, day_fmt)
                elif col.kind == "int":
                    ws.write_number(r, c, value)
                else:
                    ws.write_string(r, c, str(value))
        count += r
    if notes:
        ws = wb.add_worksheet("填写说明")
        ws.write_row(0, 0, ["工作表", "列", "必填", "说明"], head)
        ws.set_column(0, 1, 16)
        ws.set_column(3, 3, 70)
        n = 1
        for spec in specs:
            for col in spec.columns:
                ws.write_row(n, 0, [spec.name, col.header, "是" if col.required else "", col.note])
                n += 1
    wb.close()
    return count
