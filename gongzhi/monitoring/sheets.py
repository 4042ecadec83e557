"""Reading a department's warning list (.xlsx): a header row with 身份证号 and, optionally, 预警事由.

A file that is too large, not a workbook, or lacks the ID column is refused with a message in the reader's language; the
rows themselves are judged by services.warning_list_import (bad IDs refuse the whole file)."""

from __future__ import annotations

from typing import IO, Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from gongzhi.core.sheet_limits import SheetTooLarge, check_workbook
from gongzhi.ledgers.xlsx import read_first_sheet

ID_HEADERS = ("身份证号", "身份证号码", "公民身份号码")
REASON_HEADERS = ("预警事由", "事由", "预警原因")


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def rows_of(table: list[list[Any]]) -> list[tuple[str, str]]:
    """(ID number, reason) per data row of the first sheet; blank rows are skipped."""
    if not table:
        raise ValidationError(_("文件中没有数据"))
    header = [_cell(v) for v in table[0]]
    id_col = next((i for i, h in enumerate(header) if h in ID_HEADERS), None)
    if id_col is None:
        raise ValidationError(_("第一行应为表头，并包含「身份证号」列"))
    reason_col = next((i for i, h in enumerate(header) if h in REASON_HEADERS), None)
    out: list[tuple[str, str]] = []
    for row in table[1:]:
        number = _cell(row[id_col]) if id_col < len(row) else ""
        reason = _cell(row[reason_col]) if reason_col is not None and reason_col < len(row) else ""
        if number or reason:
            out.append((number, reason))
    if not out:
        raise ValidationError(_("文件中没有数据行"))
    return out


def read_warning_sheet(upload: IO[bytes]) -> list[tuple[str, str]]:
    try:
        check_workbook(upload)
        table = read_first_sheet(upload)
    except SheetTooLarge as exc:
        raise ValidationError(str(exc)) from None
    except Exception:  # calamine raises its own error types for anything that is not a workbook
        raise ValidationError(_("无法读取文件，请上传 Excel 工作簿（.xlsx）")) from None
    return rows_of(table)
