"""Reading and writing .xlsx: python-calamine to read (fast, Rust); xlsxwriter in constant-memory mode to
write files (templates); `stream_workbook` to send an export to the client as it is produced.

xlsxwriter, even in constant-memory mode, zips the workbook only when it is closed, so a download starts
after the last row. `stream_workbook` writes the worksheet XML itself (inline strings, as xlsxwriter's
constant-memory mode does) and compresses it on the fly with stream-zip (a maintained streaming ZIP
writer), so bytes leave with the first rows and memory stays flat. The workbook's index parts go last: a
ZIP's central directory, not its order, tells readers where each part is.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterable, Iterator
from datetime import date, datetime
from pathlib import Path
from typing import IO, Any

import xlsxwriter
from python_calamine import CalamineWorkbook
from stream_zip import ZIP_32, stream_zip

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


def read_first_sheet(source: str | Path | IO[bytes]) -> list[list[Any]]:
    """The first sheet's rows only (a department's list: one sheet; the others are not parsed)."""
    book = (
        CalamineWorkbook.from_path(str(source))
        if isinstance(source, str | Path)
        else CalamineWorkbook.from_filelike(source)
    )
    try:
        if not book.sheet_names:
            return []
        return book.get_sheet_by_index(0).to_python(skip_empty_area=False)  # type: ignore[no-any-return]
    finally:
        book.close()


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


_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
_CT = "application/vnd.openxmlformats-officedocument.spreadsheetml"
_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
# Cell formats in styles.xml, by position: 0 plain, 1 header, 2 date, 3 text.
_STYLES = (
    f'{_HEAD}<styleSheet xmlns="{_MAIN}">'
    '<numFmts count="1"><numFmt numFmtId="164" formatCode="yyyy-mm-dd"/></numFmts>'
    '<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font>'
    '<font><b/><sz val="11"/><name val="Calibri"/></font></fonts>'
    '<fills count="3"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill>'
    '<fill><patternFill patternType="solid"><fgColor rgb="FFF3D6D6"/><bgColor indexed="64"/></patternFill>'
    "</fill></fills>"
    '<borders count="2"><border><left/><right/><top/><bottom/><diagonal/></border>'
    '<border><left style="thin"/><right style="thin"/><top style="thin"/><bottom style="thin"/><diagonal/>'
    "</border></borders>"
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="4"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="0" fontId="1" fillId="2" borderId="1" xfId="0" applyFont="1" applyFill="1" applyBorder="1"/>'
    '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="49" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>'
)
_EPOCH = date(1899, 12, 30)  # day 0 of Excel's 1900 date system (after its 1900 leap-year bug)
_ROWS_PER_CHUNK = 500
_BAD_XML = {c: None for c in range(32) if c not in (9, 10, 13)}  # control characters XML cannot carry


def _letters(n: int) -> str:
    out = ""
    n += 1
    while n:
        n, r = divmod(n - 1, 26)
        out = chr(65 + r) + out
    return out


def _escape(value: object) -> str:
    return str(value).translate(_BAD_XML).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _text(value: object) -> str:
    s = _escape(value)
    if s[:1].isspace() or s[-1:].isspace():
        return f'<is><t xml:space="preserve">{s}</t></is>'
    return f"<is><t>{s}</t></is>"


def _sheet_xml(spec: SheetSpec, rows: Iterable[list[Any]], counter: list[int]) -> Iterator[bytes]:
    """One worksheet's XML in chunks; counter[0] is increased by the data rows written."""
    cols = "".join(
        f'<col min="{i + 1}" max="{i + 1}" width="{col.width}" customWidth="1"'
        + (' style="3"/>' if col.kind == "text" else "/>")
        for i, col in enumerate(spec.columns)
    )
    letters = [_letters(i) for i in range(len(spec.columns))]
    head = "".join(
        f'<c r="{letters[i]}1" t="inlineStr" s="1">{_text(h)}</c>' for i, h in enumerate(spec.headers)
    )
    yield (
        f'{_HEAD}<worksheet xmlns="{_MAIN}" xmlns:r="{_REL}"><sheetViews><sheetView workbookViewId="0">'
        '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/></sheetView></sheetViews>'
        f'<sheetFormatPr defaultRowHeight="15"/><cols>{cols}</cols><sheetData><row r="1">{head}</row>'
    ).encode()
    kinds = [(letters[i], col.kind) for i, col in enumerate(spec.columns)]
    parts: list[str] = []
    r = 1
    for r, row in enumerate(rows, start=2):
        cells = [f'<row r="{r}">']
        for (letter, kind), value in zip(kinds, row, strict=True):
            if value is None or value == "":
                continue
            if kind == "date" and isinstance(value, date):
                day = value.date() if isinstance(value, datetime) else value
                cells.append(f'<c r="{letter}{r}" s="2"><v>{(day - _EPOCH).days}</v></c>')
            elif kind == "int":
                cells.append(f'<c r="{letter}{r}"><v>{value}</v></c>')
            else:
                style = ' s="3"' if kind == "text" else ""
                cells.append(f'<c r="{letter}{r}" t="inlineStr"{style}>{_text(value)}</c>')
        cells.append("</row>")
        parts.append("".join(cells))
        if len(parts) >= _ROWS_PER_CHUNK:
            yield "".join(parts).encode()
            parts = []
    parts.append("</sheetData></worksheet>")
    yield "".join(parts).encode()
    counter[0] += r - 1


def stream_workbook(
    sheets: Iterable[tuple[SheetSpec, Iterable[list[Any]]]], counter: list[int] | None = None
) -> Iterator[bytes]:
    """The workbook of `sheets` (spec, rows) as .xlsx bytes, produced as the rows are read.

    `counter[0]` holds the number of data rows once the stream is exhausted.
    """
    counter = counter if counter is not None else [0]
    modified = datetime.now()
    perms = 0o600
    names: list[str] = []

    def parts() -> Iterator[tuple[str, datetime, int, Any, Iterable[bytes]]]:
        for n, (spec, rows) in enumerate(sheets, start=1):
            names.append(spec.name)
            yield f"xl/worksheets/sheet{n}.xml", modified, perms, ZIP_32, _sheet_xml(spec, rows, counter)
        sheet_tags = "".join(
            f'<sheet name="{_escape(name).replace(chr(34), "&quot;")}" sheetId="{n}" r:id="rId{n}"/>'
            for n, name in enumerate(names, start=1)
        )
        workbook = (
            f'{_HEAD}<workbook xmlns="{_MAIN}" xmlns:r="{_REL}"><sheets>{sheet_tags}</sheets></workbook>'
        )
        sheet_rels = "".join(
            f'<Relationship Id="rId{n}" Type="{_REL}/worksheet" Target="worksheets/sheet{n}.xml"/>'
            for n in range(1, len(names) + 1)
        )
        style_rel = f'<Relationship Id="rId{len(names) + 1}" Type="{_REL}/styles" Target="styles.xml"/>'
        overrides = "".join(
            f'<Override PartName="/xl/worksheets/sheet{n}.xml" ContentType="{_CT}.worksheet+xml"/>'
            for n in range(1, len(names) + 1)
        )
        fixed = {
            "xl/styles.xml": _STYLES,
            "xl/workbook.xml": workbook,
            "xl/_rels/workbook.xml.rels": f'{_HEAD}<Relationships xmlns="{_PKG}">{sheet_rels}{style_rel}'
            "</Relationships>",
            "_rels/.rels": f'{_HEAD}<Relationships xmlns="{_PKG}"><Relationship Id="rId1" '
            f'Type="{_REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
            "[Content_Types].xml": f'{_HEAD}<Types xmlns="http://schemas.openxmlformats.org/package/2006/'
            'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
            'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/xl/workbook.xml" ContentType="{_CT}.sheet.main+xml"/>'
            f'<Override PartName="/xl/styles.xml" ContentType="{_CT}.styles+xml"/>{overrides}</Types>',
        }
        for name, text in fixed.items():
            yield name, modified, perms, ZIP_32, (text.encode(),)

    return iter(
        stream_zip(
            parts(),
            get_compressobj=lambda: zlib.compressobj(
                zlib.Z_DEFAULT_COMPRESSION, zlib.DEFLATED, -zlib.MAX_WBITS
            ),
        )
    )
