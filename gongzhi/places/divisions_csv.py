"""Reading the divisions CSV as people save it: UTF-8 (with or without BOM) or GBK/GB18030 from Excel.

The whole file is checked before anything is written; every problem is reported with its line number.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from django.utils.translation import gettext as _

COLUMNS = ("code", "name", "level", "parent_code")
# Chinese headers as a clerk might type them.
ALIASES = {
    "代码": "code",
    "区划代码": "code",
    "名称": "name",
    "层级": "level",
    "级别": "level",
    "上级代码": "parent_code",
    "上级区划代码": "parent_code",
}
CODE_LEVELS = {
    2: {"province"},
    4: {"city"},
    6: {"district"},
    9: {"subdistrict"},
    12: {"community", "village"},
}
PARENT_LENGTH = {4: 2, 6: 4, 9: 6, 12: 9}


@dataclass(frozen=True)
class DivisionRow:
    line: int
    code: str
    name: str
    level: str
    parent_code: str


@dataclass(frozen=True)
class LineError:
    line: int
    message: str

    def __str__(self) -> str:
        return _("第 %(line)d 行：%(msg)s") % {"line": self.line, "msg": self.message}


class DivisionFileError(Exception):
    def __init__(self, errors: list[LineError]):
        self.errors = errors
        super().__init__("\n".join(str(e) for e in errors))


def decode(data: bytes) -> str:
    """UTF-8 first (a BOM is dropped), then GB18030, the superset of GBK that Excel writes."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise DivisionFileError([LineError(1, _("文件编码无法识别：既不是 UTF-8，也不是 GBK/GB18030。"))])


def level_for_code(code: str) -> set[str]:
    """The levels a code can have.

    12-digit codes (统计用区划代码): 001–199 residents' committees; 200–399 villagers' committees, and
    400–599 the statistical bureau's village-like units (虚拟村 and the like), which load as villages.
    """
    levels = CODE_LEVELS.get(len(code), set())
    if len(code) == 12:
        tail = int(code[9:])
        if 1 <= tail <= 199:
            return {"community"}
        if 200 <= tail <= 599:
            return {"village"}
        return set()
    return levels


def parse(data: bytes, known_codes: set[str] | frozenset[str] = frozenset()) -> list[DivisionRow]:
    """Parse and check the whole file; raise DivisionFileError listing every problem.

    `known_codes` are divisions already in the database, which may be parents of rows in the file.
    """
    text = decode(data)
    reader = csv.reader(io.StringIO(text, newline=""))
    errors: list[LineError] = []
    try:
        header = next(reader)
    except StopIteration:
        raise DivisionFileError([LineError(1, _("文件为空。"))]) from None
    names = [ALIASES.get(h.strip(), h.strip().lower()) for h in header]
    missing = [c for c in COLUMNS if c not in names]
    if missing:
        raise DivisionFileError([LineError(1, _("缺少列：%(cols)s") % {"cols": ", ".join(missing)})])
    index = {c: names.index(c) for c in COLUMNS}
    width = max(index.values()) + 1

    rows: list[DivisionRow] = []
    seen: dict[str, int] = {}
    for line, record in enumerate(reader, start=2):
        if not any(cell.strip() for cell in record):
            continue
        if len(record) < width:
            errors.append(
                LineError(line, _("这一行只有 %(n)d 列，应有 %(w)d 列。") % {"n": len(record), "w": width})
            )
            continue
        code, name, level, parent = (record[index[c]].strip() for c in COLUMNS)
        level = level.lower()
        if not code.isdigit() or len(code) not in CODE_LEVELS:
            errors.append(
                LineError(line, _("区划代码“%(code)s”无效：应为 2、4、6、9 或 12 位数字。") % {"code": code})
            )
            continue
        if code in seen:
            errors.append(
                LineError(
                    line,
                    _("区划代码 %(code)s 重复（第 %(first)d 行已有）。")
                    % {"code": code, "first": seen[code]},
                )
            )
            continue
        seen[code] = line
        if not name:
            errors.append(LineError(line, _("名称为空。")))
        if level not in level_for_code(code):
            errors.append(
                LineError(line, _("层级“%(level)s”与代码 %(code)s 不符。") % {"level": level, "code": code})
            )
        if len(code) == 2:
            if parent:
                errors.append(LineError(line, _("省级区划不应有上级代码。")))
        elif parent != code[: PARENT_LENGTH[len(code)]]:
            errors.append(
                LineError(
                    line, _("上级代码“%(parent)s”与代码 %(code)s 不符。") % {"parent": parent, "code": code}
                )
            )
        rows.append(DivisionRow(line, code, name, level, parent))

    for row in rows:
        if row.parent_code and row.parent_code not in seen and row.parent_code not in known_codes:
            errors.append(
                LineError(row.line, _("上级代码 %(parent)s 不存在。") % {"parent": row.parent_code})
            )
    if errors:
        raise DivisionFileError(sorted(errors, key=lambda e: e.line))
    # Parents before children, whatever the order in the file.
    return sorted(rows, key=lambda r: (len(r.code), r.code))
