"""Reading paper-ballot sheets: every invalid case is reported, with its row and column."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path

import pytest
import xlsxwriter

from gongzhi.affairs.ballot_sheet import (
    REQUIRED_COLUMNS,
    BallotSheet,
    NotAnXlsxError,
    SheetError,
    read_ballot_sheet,
)
from gongzhi.affairs.civil_code import Item, Opinion

HEADER: list[object] = ["楼栋", "单元", "房号", "业主", "身份证号", "专有部分面积", "表决意见"]
ID_A = "11010519491231002X"  # GB 11643's own example, valid check character
ID_B = "110101199003070134"
ID_BAD = "110105194912310021"  # check character should be X
USCC = "91110000600037341L"


def write_xlsx(
    path: Path, rows: Sequence[Sequence[object]], *, merges: list[tuple[int, int, int, int]] | None = None
) -> Path:
    workbook = xlsxwriter.Workbook(str(path))
    sheet = workbook.add_worksheet("表决统计")
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if value is not None:
                sheet.write(r, c, value)
    for r0, c0, r1, c1 in merges or []:
        sheet.merge_range(r0, c0, r1, c1, rows[r0][c0])  # type: ignore[arg-type]
    workbook.add_worksheet("备注").write(0, 0, "ignored: only the first sheet is read")
    workbook.close()
    return path


def read(
    tmp_path: Path, rows: Sequence[Sequence[object]], merges: list[tuple[int, int, int, int]] | None = None
) -> BallotSheet | list[SheetError]:
    return read_ballot_sheet(write_xlsx(tmp_path / "ballots.xlsx", rows, merges=merges))


def errors_of(result: BallotSheet | list[SheetError]) -> list[tuple[int, str]]:
    assert isinstance(result, list), result
    return [(e.row, e.column) for e in result]


VALID = [
    HEADER,
    [3, 2, 101, "张三", ID_A, 85.5, "同意"],
    [3, 2, 102, "张三", ID_A, "90", "同意"],
    [3, 2, 201, "李四", "", 100, "反对"],
    [3, 2, 202, "王五", None, 100.25, "弃权"],
    [3, 2, 301, "赵六", ID_B, "120.00", ""],
]


def test_a_valid_sheet(tmp_path: Path) -> None:
    sheet = read(tmp_path, VALID)
    assert isinstance(sheet, BallotSheet)
    first = sheet.rows[0]
    assert (first.row, first.building, first.unit, first.room) == (2, "3", "2", "101")
    assert first.area == Decimal("85.50") and str(first.area) == "85.50"
    assert first.opinion is Opinion.AGREE and first.owner_key == ("身份证号", ID_A)
    assert sheet.rows[2].owner_key == ("业主", "李四")
    assert sheet.rows[4].opinion is None
    electorate = sheet.electorate()
    assert (electorate.homes, electorate.owners_total, electorate.area_total) == (5, 4, Decimal("495.75"))
    assert sheet.opinions() == {
        ("身份证号", ID_A): Opinion.AGREE,
        ("业主", "李四"): Opinion.AGAINST,
        ("业主", "王五"): Opinion.ABSTAIN,
    }
    result = sheet.tally(Item.FUND_USE)
    assert (result.owners_voted, result.owners_agree) == (3, 1)


def test_columns_in_any_order_title_row_whitespace_and_units(tmp_path: Path) -> None:
    rows: Sequence[Sequence[object]] = [
        ["3号楼2单元加装电梯表决统计表"],
        [" 表决意见 ", "专有部分面积（㎡）", "业主", "房号", "单元", "楼栋"],
        [" 同意 ", " 85.5㎡ ", "　张三　", 101.0, "2", 3.0],
        ["反对", 1e2, "李四", "102", 2, "3"],
    ]
    sheet = read(tmp_path, rows)
    assert isinstance(sheet, BallotSheet)
    assert [r.home_key for r in sheet.rows] == [("3", "2", "101"), ("3", "2", "102")]
    assert [r.row for r in sheet.rows] == [3, 4]
    assert sheet.rows[0].owner == "张三" and sheet.rows[0].area == Decimal("85.50")
    assert sheet.rows[1].area == Decimal("100.00")
    assert sheet.rows[0].id_number == ""


def test_blank_rows_are_skipped_and_rows_keep_excel_numbers(tmp_path: Path) -> None:
    rows: list[list[object]] = [*VALID[:2], [], [None, "  "], *VALID[2:3]]
    sheet = read(tmp_path, rows)
    assert isinstance(sheet, BallotSheet)
    assert [r.row for r in sheet.rows] == [2, 5]


def test_merged_building_and_owner_cells_fill_down(tmp_path: Path) -> None:
    rows: Sequence[Sequence[object]] = [
        HEADER,
        [5, 1, 101, "张三", ID_A, 80, "同意"],
        [None, 1, 102, None, None, 80, None],
        [None, 1, 201, "李四", None, 80, "反对"],
    ]
    # 楼栋 5 spans three rows; 张三's name, ID and one opinion span his two homes
    merges = [(1, 0, 3, 0), (1, 3, 2, 3), (1, 4, 2, 4), (1, 6, 2, 6)]
    merged = read(tmp_path, rows, merges=merges)
    assert isinstance(merged, BallotSheet)
    assert [r.building for r in merged.rows] == ["5", "5", "5"]
    assert [r.opinion for r in merged.rows] == [Opinion.AGREE, Opinion.AGREE, Opinion.AGAINST]
    assert merged.electorate().owners_total == 2


def test_a_merged_area_is_not_copied(tmp_path: Path) -> None:
    rows: Sequence[Sequence[object]] = [
        HEADER,
        [5, 1, 101, "张三", "", 80, "同意"],
        [5, 1, 102, "张三", "", None, "同意"],
    ]
    result = read(tmp_path, rows, merges=[(1, 5, 2, 5)])
    assert errors_of(result) == [(3, "专有部分面积")]


def test_developer_rows_count_as_one_owner(tmp_path: Path) -> None:
    rows: Sequence[Sequence[object]] = [
        HEADER,
        [1, 1, 101, "青岛某置业有限公司", USCC, 100, "同意"],
        [1, 1, 102, "青岛某置业有限公司", USCC, 100, "同意"],
        [1, 1, 201, "张三", ID_A, 100, "反对"],
    ]
    sheet = read(tmp_path, rows)
    assert isinstance(sheet, BallotSheet)
    assert sheet.electorate().owners_total == 2


def test_same_name_different_ids_are_two_owners(tmp_path: Path) -> None:
    rows: Sequence[Sequence[object]] = [
        HEADER,
        [1, 1, 101, "张伟", ID_A, 100, "同意"],
        [1, 1, 102, "张伟", ID_B, 100, "反对"],
    ]
    sheet = read(tmp_path, rows)
    assert isinstance(sheet, BallotSheet)
    assert sheet.electorate().owners_total == 2


def test_id_column_is_optional(tmp_path: Path) -> None:
    rows: Sequence[Sequence[object]] = [
        [c for c in HEADER if c != "身份证号"],
        [1, 1, 101, "张三", 100, "同意"],
        [1, 1, 102, "张三", 50, "同意"],
    ]
    sheet = read(tmp_path, rows)
    assert isinstance(sheet, BallotSheet)
    assert sheet.electorate().owners_total == 1


# ---------------------------------------------------------------------------------------------------------
# Invalid sheets
# ---------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("missing", REQUIRED_COLUMNS)
def test_a_missing_column(tmp_path: Path, missing: str) -> None:
    keep = [i for i, name in enumerate(HEADER) if name != missing]
    rows = [[row[i] for i in keep] for row in VALID]
    result = read(tmp_path, rows)
    assert (1, missing) in errors_of(result)
    assert any(e.message == f"缺少必需的列「{missing}」" for e in result)  # type: ignore[union-attr]


def test_all_missing_columns_are_listed(tmp_path: Path) -> None:
    result = read(tmp_path, [["楼栋", "房号"], [1, 101]])
    assert errors_of(result) == [(1, "单元"), (1, "业主"), (1, "专有部分面积"), (1, "表决意见")]


def test_a_column_given_twice(tmp_path: Path) -> None:
    rows = [[*HEADER, "表决意见"], [1, 1, 101, "张三", "", 90, "同意", "反对"]]
    result = read(tmp_path, rows)
    assert errors_of(result) == [(1, "表决意见")]
    assert "G 列和 H 列" in result[0].message  # type: ignore[index]


def test_an_unknown_opinion(tmp_path: Path) -> None:
    rows = [HEADER, [1, 1, 101, "张三", "", 90, "支持"], [1, 1, 102, "李四", "", 90, "同意"]]
    result = read(tmp_path, rows)
    assert errors_of(result) == [(2, "表决意见")]
    assert "「支持」" in result[0].message  # type: ignore[index]


@pytest.mark.parametrize(
    ("area", "fragment"),
    [
        (-85.5, "正数"),
        (0, "正数"),
        ("0.00", "正数"),
        ("八十五", "不是数字"),
        ("85,5", "不是数字"),
        ("", "不能为空"),
        (None, "不能为空"),
        (85.555, "两位小数"),
        ("NaN", "不是数字"),
        (True, "不是数字"),
        (5_000_000, "超过"),
    ],
)
def test_an_area_that_is_not_a_positive_number(tmp_path: Path, area: object, fragment: str) -> None:
    rows = [HEADER, [1, 1, 101, "张三", "", area, "同意"]]
    result = read(tmp_path, rows)
    assert errors_of(result) == [(2, "专有部分面积")]
    assert fragment in result[0].message  # type: ignore[index]


def test_a_home_listed_twice(tmp_path: Path) -> None:
    rows = [HEADER, [1, 1, 101, "张三", "", 90, "同意"], [1.0, "1", "101", "李四", "", 90, "同意"]]
    result = read(tmp_path, rows)
    assert errors_of(result) == [(3, "房号")]
    assert "已在第2行列出" in result[0].message  # type: ignore[index]


def test_same_room_in_another_unit_is_another_home(tmp_path: Path) -> None:
    rows = [HEADER, [1, 1, 101, "张三", "", 90, "同意"], [1, 2, 101, "李四", "", 90, "同意"]]
    assert isinstance(read(tmp_path, rows), BallotSheet)


@pytest.mark.parametrize(
    ("first", "second"),
    [("同意", "反对"), ("同意", ""), ("", "弃权")],
)
def test_one_owner_with_two_opinions_by_name(tmp_path: Path, first: str, second: str) -> None:
    rows = [HEADER, [1, 1, 101, "张三", "", 90, first], [1, 1, 102, "张三", "", 90, second]]
    result = read(tmp_path, rows)
    assert errors_of(result) == [(3, "表决意见")]
    assert "第2行" in result[0].message  # type: ignore[index]


def test_one_owner_with_two_opinions_by_id(tmp_path: Path) -> None:
    rows = [
        HEADER,
        [1, 1, 101, "张三", ID_A, 90, "同意"],
        [2, 1, 101, "李四", "", 90, "同意"],
        [3, 1, 101, "张三", ID_A.lower(), 90, "反对"],
    ]
    assert errors_of(read(tmp_path, rows)) == [(4, "表决意见")]


def test_one_id_under_two_names(tmp_path: Path) -> None:
    rows = [HEADER, [1, 1, 101, "张三", ID_A, 90, "同意"], [1, 1, 102, "张叁", ID_A, 90, "同意"]]
    result = read(tmp_path, rows)
    assert errors_of(result) == [(3, "身份证号")]
    message = result[0].message  # type: ignore[index]
    assert "「张三」" in message and "「张叁」" in message
    assert ID_A not in message  # masked


@pytest.mark.parametrize(
    ("id_number", "fragment"),
    [
        (ID_BAD, "校验位"),
        ("11010519491231002", "18 位"),
        ("1101051949123100AX", "格式"),
        ("110105194913310028", "校验位"),
        (110101199003070134, "数字格式"),
    ],
)
def test_an_invalid_id_number(tmp_path: Path, id_number: object, fragment: str) -> None:
    rows = [HEADER, [1, 1, 101, "张三", id_number, 90, "同意"]]
    result = read(tmp_path, rows)
    assert errors_of(result) == [(2, "身份证号")]
    assert fragment in result[0].message  # type: ignore[index]


def test_an_impossible_birth_date_with_a_right_check_character(tmp_path: Path) -> None:
    from stdnum.cn import ric

    body = "11010519491332002"  # 13th month
    rows = [HEADER, [1, 1, 101, "张三", body + ric.calc_check_digit(body + "0"), 90, "同意"]]
    result = read(tmp_path, rows)
    assert errors_of(result) == [(2, "身份证号")]
    assert "出生日期" in result[0].message  # type: ignore[index]


def test_empty_cells_in_required_fields(tmp_path: Path) -> None:
    rows = [HEADER, ["", 1, "", "", "", 90, "同意"], [1, "", 102, "李四", "", 90, "同意"]]
    assert errors_of(read(tmp_path, rows)) == [(2, "楼栋"), (2, "房号"), (2, "业主")]


def test_every_problem_is_collected_not_just_the_first(tmp_path: Path) -> None:
    rows: Sequence[Sequence[object]] = [
        ["标题"],
        HEADER,
        [1, 1, 101, "张三", ID_A, -1, "同意"],
        [1, 1, 101, "李四", ID_A, 90, "好"],
        [1, 1, 102, "王五", "", 90, "同意"],
        [1, 1, 103, "王五", "", 90, "反对"],
        [1, 1, 104, "赵六", ID_BAD, "abc", ""],
    ]
    result = read(tmp_path, rows)
    assert errors_of(result) == [
        (3, "专有部分面积"),
        (4, "表决意见"),
        (4, "房号"),
        (4, "身份证号"),
        (6, "表决意见"),
        (7, "身份证号"),
        (7, "专有部分面积"),
    ]
    assert all(str(e).startswith(f"第{e.row}行 {e.column}: ") for e in result)  # type: ignore[union-attr]


def test_an_empty_sheet_and_a_header_without_rows(tmp_path: Path) -> None:
    assert errors_of(read(tmp_path, [])) == [(1, name) for name in REQUIRED_COLUMNS]
    assert errors_of(read(tmp_path, [HEADER])) == [(2, "（全表）")]


# ---------------------------------------------------------------------------------------------------------
# Files
# ---------------------------------------------------------------------------------------------------------


def test_not_an_xlsx(tmp_path: Path) -> None:
    text = tmp_path / "ballots.xlsx"
    text.write_text("楼栋,单元,房号\n1,1,101\n", encoding="utf-8")
    with pytest.raises(NotAnXlsxError, match="不是 xlsx"):
        read_ballot_sheet(text)
    other_zip = tmp_path / "other.xlsx"
    with zipfile.ZipFile(other_zip, "w") as archive:
        archive.writestr("content.xml", "<x/>")
    with pytest.raises(NotAnXlsxError, match=r"xl/workbook\.xml"):
        read_ballot_sheet(other_zip)
    with pytest.raises(NotAnXlsxError):
        read_ballot_sheet(b"")


def test_a_missing_file(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        read_ballot_sheet(tmp_path / "nope.xlsx")


def test_bytes_and_file_objects(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "ballots.xlsx", VALID)
    data = path.read_bytes()
    from_bytes = read_ballot_sheet(data)
    from_file = read_ballot_sheet(io.BytesIO(data))
    from_path = read_ballot_sheet(str(path))
    assert from_bytes == from_file == from_path
    assert isinstance(from_bytes, BallotSheet)
