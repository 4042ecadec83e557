"""Paper ballots: read a tally sheet (.xlsx) into the input of ``civil_code.tally``.

The first sheet has a header row with these columns in any order: 楼栋, 单元, 房号, 业主, 身份证号
(optional), 专有部分面积, 表决意见. One row per home in scope; 表决意见 is 同意, 反对, 弃权, or empty for an
owner who did not vote. An owner is identified by 身份证号 where given, else by 业主.

Imports are all or nothing: every problem in the sheet is collected as (row as Excel shows it, column,
message) and a sheet with any problem yields no result. The counting rules themselves (one home one
person, a multi-home owner once, the developer's unsold homes once: 司法解释 第九条) live in
``civil_code``; the developer appears on the sheet as the 业主 (with its credit code under 身份证号, if
given) of each unsold home, so its homes group under one owner like any multi-home owner's.
"""

from __future__ import annotations

import io
import math
import os
import re
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal, InvalidOperation
from typing import BinaryIO, cast

from django.core.exceptions import ValidationError
from python_calamine import CalamineError, CalamineWorkbook

from gongzhi.affairs.civil_code import (
    Electorate,
    Home,
    Item,
    Opinion,
    TallyResult,
    count_electorate,
    same_name_assumptions,
    tally,
)
from gongzhi.core.sheet_limits import SheetTooLarge, check_workbook
from gongzhi.ledgers.base import CellError, Column, SheetSpec, parse_sheet
from gongzhi.people.identity import IdFault, id_number_fault, is_credit_code
from gongzhi.people.masking import mask_id_number

__all__ = [
    "COLUMNS",
    "OPTIONAL_COLUMNS",
    "REQUIRED_COLUMNS",
    "WHOLE_SHEET",
    "BallotRow",
    "BallotSheet",
    "NotAnXlsxError",
    "SheetError",
    "read_ballot_rows",
    "read_ballot_sheet",
]

BUILDING, UNIT, ROOM, OWNER, ID_NUMBER, AREA, OPINION = (
    "楼栋",
    "单元",
    "房号",
    "业主",
    "身份证号",
    "专有部分面积",
    "表决意见",
)
REQUIRED_COLUMNS: tuple[str, ...] = (BUILDING, UNIT, ROOM, OWNER, AREA, OPINION)
OPTIONAL_COLUMNS: tuple[str, ...] = (ID_NUMBER,)
COLUMNS: tuple[str, ...] = (BUILDING, UNIT, ROOM, OWNER, ID_NUMBER, AREA, OPINION)
WHOLE_SHEET = "（全表）"
"""Column name used for a problem that belongs to no single column."""

_HEADER_ALIASES = {"身份证号码": ID_NUMBER, "证件号码": ID_NUMBER, "房屋面积": AREA, "意见": OPINION}
# Columns whose merged cells mean "the same value on every row of the merge" (e.g. one 楼栋 cell
# spanning a building's rows). Area and room are never filled: a merged area would be counted twice.
_FILL_MERGED = (BUILDING, UNIT, OWNER, ID_NUMBER, OPINION)
_HEADER_SEARCH_ROWS = 10
_MAX_AREA = Decimal(1_000_000)
_CENT = Decimal("0.01")
_AREA_UNITS = ("平方米", "㎡", "m²", "m2", "M2")


class NotAnXlsxError(ValueError):
    """The file cannot be read as an .xlsx workbook."""


@dataclass(frozen=True)
class SheetError:
    """One problem in the sheet, located as Excel shows it (rows from 1)."""

    row: int
    column: str
    message: str

    def __str__(self) -> str:
        return f"第{self.row}行 {self.column}: {self.message}"


OwnerKey = tuple[str, str]
"""("身份证号", "11010519491231002X") or ("业主", "张三"): how the sheet identifies an owner."""


@dataclass(frozen=True)
class BallotRow:
    """One home on the sheet, already checked."""

    row: int
    building: str
    unit: str
    room: str
    owner: str
    id_number: str
    area: Decimal
    opinion: Opinion | None

    @property
    def home_key(self) -> tuple[str, str, str]:
        return (self.building, self.unit, self.room)

    @property
    def owner_key(self) -> OwnerKey:
        return (ID_NUMBER, self.id_number) if self.id_number else (OWNER, self.owner)


@dataclass(frozen=True)
class BallotSheet:
    """A valid sheet: its rows, and the electorate and opinions ``civil_code.tally`` needs."""

    rows: tuple[BallotRow, ...]

    def homes(self) -> list[Home]:
        return [Home(key=r.home_key, area=r.area, owner=r.owner_key) for r in self.rows]

    def opinions(self) -> dict[OwnerKey, Opinion]:
        return {r.owner_key: r.opinion for r in self.rows if r.opinion is not None}

    def electorate(self) -> Electorate:
        return count_electorate(self.homes())

    def tally(self, item: Item | int) -> TallyResult:
        return tally(self.electorate(), self.opinions(), item)

    def assumptions(self) -> list[str]:
        """What the count assumes for lack of a register: one name without ID numbers on several homes is
        one owner (civil_code.same_name_assumptions); empty when the sheet leaves nothing to assume."""
        found = same_name_assumptions((r.owner, r.id_number) for r in self.rows)
        return [
            f"「{name}」名下 {homes} 户均未填身份证号，按同一业主计为一人（司法解释第九条：一人多户计一人）；"
            "如为同名的不同业主，请补填身份证号后重新统计"
            for name, homes in found.items()
        ]


# --------------------------------------------------------------------------------------------------------
# Cells
# --------------------------------------------------------------------------------------------------------


def _text(value: object) -> str:
    """A cell as trimmed text. Excel stores every number as a float: 3.0 is the building "3"."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        if not math.isfinite(value):
            return str(value)
        if value.is_integer():
            return str(int(value))
        return format(value, ".15g")
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, timedelta):
        return str(value)
    return str(value).strip()


def _parse_area(value: object) -> Decimal | str:
    """The area as a two-decimal Decimal, or a Chinese message saying what is wrong with it.

    A float cell is read at Excel's own 15 significant digits, so 85.5 becomes 85.50 and a formula's
    85.55000000000001 the 85.55 the user sees.
    """
    if isinstance(value, bool | datetime | date | time | timedelta):
        return f"「{_text(value)}」不是数字"
    if isinstance(value, int):
        number = Decimal(value)
    elif isinstance(value, float):
        if not math.isfinite(value):
            return "不是有限的数字"
        number = Decimal(format(value, ".15g"))
    else:
        text = _text(value)
        if not text:
            return "不能为空"
        for unit in _AREA_UNITS:
            if text.endswith(unit):
                text = text[: -len(unit)].strip()
                break
        try:
            number = Decimal(text)
        except InvalidOperation:
            return f"「{_text(value)}」不是数字"
        if not number.is_finite():
            return f"「{_text(value)}」不是数字"
    if number <= 0:
        return f"面积须为正数，此处为 {number}"
    if number > _MAX_AREA:
        return f"面积 {number}㎡ 超过 {_MAX_AREA}㎡，不是一个专有部分的面积"
    cents = number.quantize(_CENT)
    if cents != number:
        return f"面积 {number} 超过两位小数（不动产登记面积精确到 0.01㎡）"
    return cents


def _parse_opinion(text: str) -> Opinion | str | None:
    """同意 / 反对 / 弃权 → Opinion, empty → None (did not vote), else a message."""
    if not text:
        return None
    try:
        return Opinion.from_label(text)
    except ValueError:
        return f"未知的表决意见「{text}」：应为 同意、反对、弃权，未表决则留空"


_ID_MESSAGES = {
    IdFault.LENGTH: "应为 18 位，此处为 {n} 位{hint}",
    IdFault.FORMAT: "格式不对：前 17 位应为数字，末位为数字或 X",
    IdFault.CHECK: "校验位错误{hint}",
    IdFault.BIRTH: "中的出生日期无效",
}


def _check_id(id_number: str, was_number: bool) -> str | None:
    """None for a valid 居民身份证号码 (the check of gongzhi.people.identity) or an organisation's
    统一社会信用代码 (GB 32100, e.g. the developer); else a message, the number masked as on every page
    (gongzhi.people.masking): personal data stays masked even in error messages.
    """
    if is_credit_code(id_number):
        return None
    fault = id_number_fault(id_number)
    if fault is None:
        return None
    hint = "（该单元格是数字格式，18 位号码会丢失精度，请设为文本格式）" if was_number else ""
    detail = _ID_MESSAGES[fault].format(n=len(id_number), hint=hint)
    return f"身份证号 {mask_id_number(id_number)} {detail}"


def _column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(ord("A") + rem) + letters
    return letters


def _header_name(value: object) -> str:
    """ "专有部分面积（㎡）" → "专有部分面积": spaces and a trailing unit in brackets do not matter."""
    name = re.sub(r"\s+", "", _text(value))
    name = re.sub(r"[（(][^（）()]*[）)]$", "", name)
    return _HEADER_ALIASES.get(name, name)


# --------------------------------------------------------------------------------------------------------
# Workbook
# --------------------------------------------------------------------------------------------------------


def _open(source: str | os.PathLike[str] | bytes | BinaryIO) -> CalamineWorkbook:
    """Open an .xlsx (an Office Open XML zip) and nothing else; ``NotAnXlsxError`` otherwise."""
    if isinstance(source, str | os.PathLike):
        path = os.fspath(source)
        with open(path, "rb") as fh:  # FileNotFoundError propagates: a missing file is not a bad file
            data = fh.read()
        name = os.path.basename(path)
    else:
        data = source if isinstance(source, bytes) else source.read()
        name = "上传的文件"
    try:
        check_workbook(data)  # issue 15: sizes before parsing (core/sheet_limits.py)
    except SheetTooLarge as exc:
        raise NotAnXlsxError(f"{name}：{exc}") from None
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = set(archive.namelist())
    except zipfile.BadZipFile:
        raise NotAnXlsxError(f"{name} 不是 xlsx 文件（无法作为 Office Open XML 压缩包打开）") from None
    if "xl/workbook.xml" not in members:
        raise NotAnXlsxError(f"{name} 不是 xlsx 文件（缺少 xl/workbook.xml）")
    try:
        return CalamineWorkbook.from_filelike(io.BytesIO(data))
    except (CalamineError, ValueError) as exc:
        raise NotAnXlsxError(f"{name} 无法读取为 xlsx 文件：{exc}") from exc


def _grid(workbook: CalamineWorkbook) -> tuple[list[list[object]], list[tuple[int, int, int, int]]]:
    """The first sheet as rows from A1 (so list index + 1 is Excel's row number), and its merged spans
    as (first row, first column, last row, last column); calamine puts a merged value in the top-left
    cell only."""
    if not workbook.sheet_names:
        return [], []
    try:
        sheet = workbook.get_sheet_by_index(0)
        rows = cast(list[list[object]], sheet.to_python(skip_empty_area=False))
        merged = sheet.merged_cell_ranges or []
    except CalamineError as exc:
        raise NotAnXlsxError(f"无法读取第一个工作表：{exc}") from exc
    return rows, [(r0, c0, r1, c1) for (r0, c0), (r1, c1) in merged]


def _fill_merged(
    rows: list[list[object]], spans: Sequence[tuple[int, int, int, int]], columns: set[int], first_row: int
) -> None:
    for r0, c0, r1, c1 in spans:
        if r0 >= len(rows) or c0 >= len(rows[r0]):
            continue
        value = rows[r0][c0]
        for r in range(max(r0, first_row), min(r1, len(rows) - 1) + 1):
            row = rows[r]
            for c in range(c0, min(c1, len(row) - 1) + 1):
                if c in columns and (r, c) != (r0, c0):
                    row[c] = value


def _find_header(rows: list[list[object]]) -> int | None:
    """The header is the row, among the first non-empty ones, naming the most known columns: a title
    row such as "3号楼2单元加装电梯表决统计表" above it is common on paper sheets."""
    best: tuple[int, int] | None = None
    seen = 0
    for index, row in enumerate(rows):
        names = {_header_name(cell) for cell in row}
        names.discard("")
        if not names:
            continue
        hits = len(names & set(COLUMNS))
        if hits and (best is None or hits > best[0]):
            best = (hits, index)
        seen += 1
        if seen >= _HEADER_SEARCH_ROWS:
            break
    if best is not None:
        return best[1]
    for index, row in enumerate(rows):
        if any(_text(cell) for cell in row):
            return index
    return None


# --------------------------------------------------------------------------------------------------------
# The sheet
# --------------------------------------------------------------------------------------------------------


def _required(value: object) -> str:
    text = _text(value)
    if not text:
        raise ValidationError("不能为空")
    return text


def _id_cell(value: object) -> str:
    number = re.sub(r"\s+", "", _text(value)).upper()
    if number:
        message = _check_id(number, isinstance(value, int | float) and not isinstance(value, bool))
        if message:
            raise ValidationError(message)
    return number


def _area_cell(value: object) -> Decimal:
    area = _parse_area(value)
    if isinstance(area, str):
        raise ValidationError(area)
    return area


def _opinion_cell(value: object) -> Opinion | None:
    opinion = _parse_opinion(_text(value))
    if opinion is None or isinstance(opinion, Opinion):  # Opinion is a str too
        return opinion
    raise ValidationError(opinion)


_PARSERS = {
    BUILDING: _required,
    UNIT: _text,
    ROOM: _required,
    OWNER: _required,
    ID_NUMBER: _id_cell,
    AREA: _area_cell,
    OPINION: _opinion_cell,
}


def _sheet_error(error: CellError, header_index: int) -> SheetError:
    """A ledger reader's error, located as Excel shows it (its rows count from the header)."""
    return SheetError(error.row + header_index, error.column, error.message)


def read_ballot_sheet(
    source: str | os.PathLike[str] | bytes | BinaryIO, *, register: bool = False
) -> BallotSheet | list[SheetError]:
    """Read and check a paper-ballot sheet; a ``BallotSheet`` if it is valid, else every problem found.

    ``register``: the rows will be checked against a vote's register of owners, which then decides who
    owns which home; two rows of one name without ID numbers are not taken for one owner here.

    Raises ``NotAnXlsxError`` for a file that is not an .xlsx workbook and ``FileNotFoundError`` for a
    missing path.
    """
    parsed, errors = read_ballot_rows(source, register=register)
    if errors:
        return errors
    return BallotSheet(rows=tuple(parsed))


def read_ballot_rows(
    source: str | os.PathLike[str] | bytes | BinaryIO, *, register: bool = False
) -> tuple[list[BallotRow], list[SheetError]]:
    """The rows that passed every check of the sheet and the problems of the others, so that a caller
    checking rows against a register reports every problem of the sheet in one pass."""
    workbook = _open(source)
    rows, spans = _grid(workbook)
    errors: list[SheetError] = []

    header_index = _find_header(rows)
    if header_index is None:
        return [], [SheetError(1, name, f"缺少必需的列「{name}」（工作表为空）") for name in REQUIRED_COLUMNS]
    header_row = header_index + 1

    positions: dict[str, int] = {}
    for col, heading in enumerate(rows[header_index]):
        name = _header_name(heading)
        if name not in COLUMNS:
            continue
        if name in positions:
            first = _column_letter(positions[name])
            errors.append(
                SheetError(header_row, name, f"列「{name}」出现两次（{first} 列和 {_column_letter(col)} 列）")
            )
            continue
        positions[name] = col
    for name in REQUIRED_COLUMNS:
        if name not in positions:
            errors.append(SheetError(header_row, name, f"缺少必需的列「{name}」"))

    _fill_merged(rows, spans, {positions[n] for n in _FILL_MERGED if n in positions}, header_index + 1)

    # Cells are parsed by the ledgers' reader (gongzhi.ledgers.base.parse_sheet) over the known columns in
    # the sheet's order of COLUMNS; what spans rows (a home listed twice, one owner's names and opinions)
    # is checked here. Errors are then ordered by row, as a clerk reads them.
    present = [name for name in COLUMNS if name in positions]
    spec = SheetSpec("表决票", tuple(Column(name, name, _PARSERS[name]) for name in present))
    grid: list[list[object]] = [list(present)]
    for raw in rows[header_index + 1 :]:
        grid.append([raw[positions[n]] if positions[n] < len(raw) else None for n in present])
    cells, cell_errors = parse_sheet(spec, grid)
    bad_rows = {e.row + header_index for e in cell_errors}

    parsed: list[BallotRow] = []
    home_rows: dict[tuple[str, str, str], int] = {}
    id_owner: dict[str, tuple[str, int]] = {}
    owner_opinion: dict[OwnerKey, tuple[Opinion | None, int]] = {}
    row_errors: list[SheetError] = []

    for parsed_row in cells:
        v = parsed_row.values
        line = parsed_row.row + header_index
        row_ok = line not in bad_rows

        def problem(column: str, message: str, line: int = line) -> None:
            nonlocal row_ok
            row_ok = False
            row_errors.append(SheetError(line, column, message))

        building, unit, room = v.get(BUILDING, ""), v.get(UNIT, ""), v.get(ROOM, "")
        owner, id_number = v.get(OWNER, ""), v.get(ID_NUMBER, "")
        opinion: Opinion | None = v.get(OPINION)
        opinion_known = OPINION in v

        if building and room and BUILDING in positions and ROOM in positions:
            home = (building, unit, room)
            if home in home_rows:
                label = f"楼栋 {building}、单元 {unit or '（无）'}、房号 {room}"
                problem(ROOM, f"{label} 已在第{home_rows[home]}行列出：每户只能列一行")
            else:
                home_rows[home] = line

        id_clash = False
        if id_number and owner:
            first_owner = id_owner.get(id_number)
            if first_owner is None:
                id_owner[id_number] = (owner, line)
            elif first_owner[0] != owner:
                id_clash = True  # then an opinion "conflict" with the other name's row says nothing new
                problem(
                    ID_NUMBER,
                    f"身份证号 {mask_id_number(id_number)} 在第{first_owner[1]}行登记的业主为「{first_owner[0]}」，"
                    f"此处为「{owner}」：同一身份证号只能对应一位业主",
                )

        key: OwnerKey = (ID_NUMBER, id_number) if id_number else (OWNER, owner)
        if opinion_known and (id_number or (owner and not register)) and not id_clash:
            earlier = owner_opinion.get(key)
            if earlier is None:
                owner_opinion[key] = (opinion, line)
            elif earlier[0] != opinion:
                said = f"「{earlier[0].label}」" if earlier[0] else "未表决（空）"
                now = f"「{opinion.label}」" if opinion else "未表决（空）"
                who = owner or mask_id_number(id_number)
                problem(
                    OPINION,
                    f"业主「{who}」在第{earlier[1]}行为{said}，此处为{now}："
                    "一位业主拥有多户时只能有一个表决意见",
                )

        if row_ok:
            area = v.get(AREA, Decimal(0))
            parsed.append(BallotRow(line, building, unit, room, owner, id_number, area, opinion))

    errors += sorted([_sheet_error(e, header_index) for e in cell_errors] + row_errors, key=lambda e: e.row)

    if not errors and not parsed:
        errors.append(SheetError(header_row + 1, WHOLE_SHEET, "表头之下没有任何房屋行"))
    return parsed, errors
