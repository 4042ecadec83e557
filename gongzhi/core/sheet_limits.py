"""Size limits checked on an uploaded .xlsx before any parser sees it (issue 15).

A 1.6 KB workbook whose used range spans A1:XFD1048576 made the reader allocate the whole grid (the process
died); a deflate bomb cost 1 GB. So, before parsing: the upload's size, the archive's uncompressed size (from
the zip directory, without inflating), and each worksheet's extent — the declared <dimension> and the
furthest cell reference actually present — against rows and cells. The worksheet XML is scanned as a stream
(bounded by the uncompressed limit already checked), never built in memory.

The limits are settings (GONGZHI_SHEET_MAX_* in the environment); a refusal is a `SheetTooLarge` whose
message says which limit in Chinese, and nothing is written.
"""

from __future__ import annotations

import io
import os
import re
import zipfile
from dataclasses import dataclass
from operator import itemgetter
from pathlib import Path
from typing import IO

from django.conf import settings

_CHUNK = 1 << 20
_REF = re.compile(rb'<(?:\w+:)?(?:c|row)\b[^>]*?\br="([A-Z]{0,3})(\d+)"')
_DIMENSION = re.compile(rb'<(?:\w+:)?dimension\b[^>]*?\bref="(?:[A-Z]+\d+:)?([A-Z]+)(\d+)"')
_CELL = re.compile(rb"<(?:\w+:)?c[\s>/]")
_ROW = re.compile(rb"<(?:\w+:)?row[\s>/]")
_FIRST, _SECOND = itemgetter(0), itemgetter(1)


class SheetTooLarge(ValueError):
    """The workbook exceeds a configured limit; the message is for the person who uploaded it."""


@dataclass(frozen=True)
class Limits:
    upload_bytes: int
    unzipped_bytes: int
    rows: int
    cells: int

    @classmethod
    def from_settings(cls) -> Limits:
        return cls(
            upload_bytes=settings.GONGZHI_SHEET_MAX_UPLOAD_BYTES,
            unzipped_bytes=settings.GONGZHI_SHEET_MAX_UNZIPPED_BYTES,
            rows=settings.GONGZHI_SHEET_MAX_ROWS,
            cells=settings.GONGZHI_SHEET_MAX_CELLS,
        )


def _mb(n: int) -> str:
    return f"{n / (1024 * 1024):.0f} MB"


def column_number(letters: str) -> int:
    """A → 1, Z → 26, AA → 27, XFD → 16384."""
    n = 0
    for ch in letters:
        n = n * 26 + (ord(ch) - 64)
    return n


def check_upload_size(size: int, limits: Limits | None = None) -> None:
    limits = limits or Limits.from_settings()
    if size > limits.upload_bytes:
        raise SheetTooLarge(f"文件太大：{_mb(size)}，上限为 {_mb(limits.upload_bytes)}")


def check_workbook(source: str | os.PathLike[str] | bytes | IO[bytes], limits: Limits | None = None) -> None:
    """Raise SheetTooLarge if the .xlsx exceeds a limit; return quietly otherwise (a file that is not a zip
    at all is left to the reader, which says so in its own words). A file-like source is rewound."""
    limits = limits or Limits.from_settings()
    if isinstance(source, bytes):
        check_upload_size(len(source), limits)
        _check_zip(io.BytesIO(source), limits)
    elif isinstance(source, str | os.PathLike):
        path = Path(source)
        check_upload_size(path.stat().st_size, limits)
        with path.open("rb") as handle:
            _check_zip(handle, limits)
    else:
        start = source.tell()
        check_upload_size(source.seek(0, io.SEEK_END) - start, limits)
        source.seek(start)
        try:
            _check_zip(source, limits)
        finally:
            source.seek(start)


def _check_zip(handle: IO[bytes], limits: Limits) -> None:
    try:
        archive = zipfile.ZipFile(handle)
    except zipfile.BadZipFile:
        return
    with archive:
        _check_archive(archive, limits)


def _check_archive(archive: zipfile.ZipFile, limits: Limits) -> None:
    infos = archive.infolist()
    unzipped = sum(info.file_size for info in infos)
    if unzipped > limits.unzipped_bytes:
        raise SheetTooLarge(
            f"文件解压后 {_mb(unzipped)}，超过上限 {_mb(limits.unzipped_bytes)}（疑似压缩炸弹）"
        )
    for info in infos:
        if info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml"):
            _check_sheet(archive, info, limits)


def _check_sheet(archive: zipfile.ZipFile, info: zipfile.ZipInfo, limits: Limits) -> None:
    name = info.filename.rsplit("/", 1)[-1]
    max_row = max_col = rows = cells = 0
    read = 0
    tail = b""
    with archive.open(info) as stream:
        while True:
            chunk = stream.read(_CHUNK)
            read += len(chunk)
            if read > info.file_size or read > limits.unzipped_bytes:  # a directory that lies
                raise SheetTooLarge(f"工作表 {name} 解压后超过上限 {_mb(limits.unzipped_bytes)}")
            if not chunk:
                break
            # Carry the last partial tag over to the next chunk so no reference is cut in two.
            data = tail + chunk
            cut = data.rfind(b"<")
            data, tail = (data[:cut], data[cut:]) if cut > 0 else (data, b"")
            for pattern in (_DIMENSION, _REF):
                found = pattern.findall(data)
                if found:  # column letters repeat (A, B, …): each distinct one is converted once
                    # itemgetter over the matches, not zip(*found): unpacking 300,000 pairs as arguments
                    # cost 0.17 s of CPU per 100,000-row sheet (docs/monitoring.md, the warning match)
                    max_row = max(max_row, max(map(int, map(_SECOND, found))))
                    letters = set(map(_FIRST, found))
                    max_col = max(max_col, max((column_number(c.decode()) for c in letters if c), default=0))
            rows += len(_ROW.findall(data))
            cells += len(_CELL.findall(data))
            _enforce(name, max(rows, max_row), max(max_col, 1) * max(rows, max_row), cells, limits)


def _enforce(name: str, rows: int, extent: int, cells: int, limits: Limits) -> None:
    if rows > limits.rows:
        raise SheetTooLarge(f"工作表 {name} 有 {rows:,} 行，超过上限 {limits.rows:,} 行")
    if extent > limits.cells or cells > limits.cells:
        raise SheetTooLarge(
            f"工作表 {name} 的范围达 {max(extent, cells):,} 个单元格，超过上限 {limits.cells:,} 个"
            "（请删去表格外的空白行列后重试）"
        )
