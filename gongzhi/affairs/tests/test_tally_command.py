"""``manage.py tally_ballots``: JSON figures, the Chinese report, and exit codes 0 / 2."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

import pytest
import xlsxwriter
from django.core.management import call_command

HEADER: list[object] = ["楼栋", "单元", "房号", "业主", "身份证号", "专有部分面积", "表决意见"]
ID_A = "11010519491231002X"
REPO = Path(__file__).resolve().parents[3]

# Unit 3-2: 12 homes, 11 owners (张三 owns two). 8 owners vote (8/11 ≥ 2/3), 6 agree (exactly 3/4).
ROWS: list[Sequence[object]] = [
    HEADER,
    [3, 2, 101, "张三", ID_A, 85.5, "同意"],
    [3, 2, 102, "张三", ID_A, 90, "同意"],
    [3, 2, 201, "李四", "", 100, "同意"],
    [3, 2, 202, "王五", "", 100.25, "同意"],
    [3, 2, 301, "赵六", "", 100, "同意"],
    [3, 2, 302, "钱七", "", 100, "同意"],
    [3, 2, 401, "孙八", "", 100, "反对"],
    [3, 2, 402, "周九", "", 100, "弃权"],
    [3, 2, 501, "吴十", "", 100, ""],
    [3, 2, 502, "郑十一", "", 100, None],
    [3, 2, 601, "冯十二", "", 100, ""],
    [3, 2, 602, "陈十三", "", 100, "同意"],
]


def write_xlsx(path: Path, rows: Sequence[Sequence[object]]) -> Path:
    workbook = xlsxwriter.Workbook(str(path))
    sheet = workbook.add_worksheet()
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if value is not None:
                sheet.write(r, c, value)
    workbook.close()
    return path


def run(*args: str) -> tuple[int, str, str]:
    """call_command, returning (exit code, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("tally_ballots", *args, stdout=out, stderr=err)
    except SystemExit as exc:
        return int(exc.code or 0), out.getvalue(), err.getvalue()
    return 0, out.getvalue(), err.getvalue()


@pytest.fixture
def sheet(tmp_path: Path) -> Path:
    return write_xlsx(tmp_path / "ballots.xlsx", ROWS)


def test_json_output_for_an_ordinary_item(sheet: Path) -> None:
    code, out, err = run(str(sheet), "--item", "5", "--json")
    assert code == 0 and err == ""
    data = json.loads(out)
    assert list(data) == [
        "homes",
        "owners_total",
        "area_total",
        "owners_voted",
        "area_voted",
        "owners_agree",
        "area_agree",
        "participation_met",
        "approval_met",
        "passed",
        "threshold",
        "reasons",
        "assumptions",  # issue 8: what a sheet without a register made the count assume
    ]
    assert data == {
        "homes": 12,
        "owners_total": 11,
        "area_total": "1175.75",
        "owners_voted": 8,
        "area_voted": "875.75",
        "owners_agree": 6,
        "area_agree": "675.75",
        "participation_met": True,
        "approval_met": True,
        "passed": True,
        "threshold": ">1/2",
        "reasons": data["reasons"],
        "assumptions": [],
    }
    assert data["reasons"][0].startswith("参与表决专有部分面积 875.75㎡ / 总面积 1175.75㎡ = ")
    assert data["reasons"][-1].startswith("结论：通过")
    assert out.count("\n") == 1 and "\\u" not in out  # one object, ensure_ascii=False


def test_json_output_for_a_special_item_passing_at_exactly_three_quarters(sheet: Path) -> None:
    code, out, _ = run(str(sheet), "--item", "7", "--json")
    assert code == 0
    data = json.loads(out)
    assert (data["participation_met"], data["approval_met"], data["passed"]) == (True, True, True)
    assert data["threshold"] == "3/4"
    assert (
        "同意业主 6 人 / 参与表决业主 8 人 = 3/4（≈75.00%），要求 ≥ 3/4（3/4以上）：满足" in data["reasons"]
    )
    assert "= 2703/3503（≈77.16%），要求 ≥ 3/4（3/4以上）：满足" in data["reasons"][2]


def test_a_failed_matter_still_exits_0(tmp_path: Path) -> None:
    rows = [*ROWS[:-1], [3, 2, 602, "陈十三", "", 100, "反对"]]  # 5 of 8 agree: > 1/2 but < 3/4
    path = str(write_xlsx(tmp_path / "ballots.xlsx", rows))
    code, out, err = run(path, "--item", "8", "--json")
    assert code == 0 and err == ""
    data = json.loads(out)
    assert (data["owners_agree"], data["area_agree"]) == (5, "575.75")
    assert (data["participation_met"], data["approval_met"], data["passed"]) == (True, False, False)
    assert data["reasons"][-1].startswith("结论：未通过")
    assert json.loads(run(path, "--item", "9", "--json")[1])["passed"] is True


def test_readable_report(sheet: Path) -> None:
    code, out, _ = run(str(sheet), "--item", "7")
    assert code == 0
    assert "（七）改建、重建建筑物及其附属设施" in out
    assert "业主总人数：11 人" in out
    assert "同意：6 人，面积 675.75㎡" in out
    assert "反对：1 人，面积 100.00㎡" in out and "弃权：1 人" in out
    assert out.rstrip().endswith("结果：通过")


def test_an_invalid_sheet_exits_2_with_every_problem(tmp_path: Path) -> None:
    rows = [
        HEADER,
        [1, 1, 101, "张三", ID_A, "-5", "同意"],
        [1, 1, 101, "李四", ID_A, 90, "赞成"],
        [1, 1, 102, "王五", "", 90, "同意"],
        [1, 1, 103, "王五", "", 90, "反对"],
    ]
    code, out, err = run(str(write_xlsx(tmp_path / "bad.xlsx", rows)), "--item", "1", "--json")
    assert code == 2 and out == ""
    lines = err.strip().splitlines()
    assert lines == [
        "第2行 专有部分面积: 面积须为正数，此处为 -5",
        "第3行 表决意见: 未知的表决意见「赞成」：应为 同意、反对、弃权，未表决则留空",
        "第3行 房号: 楼栋 1、单元 1、房号 101 已在第2行列出：每户只能列一行",
        "第3行 身份证号: 身份证号 110105********002X 在第2行登记的业主为「张三」，此处为「李四」："
        "同一身份证号只能对应一位业主",
        "第5行 表决意见: 业主「王五」在第4行为「同意」，此处为「反对」：一位业主拥有多户时只能有一个表决意见",
    ]


def test_a_missing_column_exits_2(tmp_path: Path) -> None:
    rows = [[c for c in HEADER if c != "表决意见"], [1, 1, 101, "张三", "", 90]]
    code, out, err = run(str(write_xlsx(tmp_path / "bad.xlsx", rows)), "--item", "1")
    assert code == 2 and out == ""
    assert err.strip() == "第1行 表决意见: 缺少必需的列「表决意见」"


@pytest.mark.parametrize("item", ["0", "10", "abc", "-1", "2.5", ""])
def test_a_bad_item_exits_2(sheet: Path, item: str) -> None:
    code, out, err = run(str(sheet), "--item", item)
    assert code == 2 and out == ""
    assert "--item 无效" in err


def test_a_missing_item_exits_2(sheet: Path) -> None:
    code, _, err = run(str(sheet))
    assert code == 2 and "缺少 --item" in err


def test_a_missing_file_exits_2(tmp_path: Path) -> None:
    code, out, err = run(str(tmp_path / "nope.xlsx"), "--item", "1")
    assert code == 2 and out == "" and "文件不存在" in err


def test_not_an_xlsx_exits_2(tmp_path: Path) -> None:
    path = tmp_path / "ballots.xlsx"
    path.write_text("not a workbook", encoding="utf-8")
    code, out, err = run(str(path), "--item", "1")
    assert code == 2 and out == "" and "不是 xlsx" in err


def test_through_manage_py(sheet: Path, tmp_path: Path) -> None:
    """The real process: exit status 0 with JSON on stdout, 2 for a bad sheet or item."""
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    manage = [sys.executable, str(REPO / "manage.py"), "tally_ballots"]
    ok = subprocess.run(
        [*manage, str(sheet), "--item", "6", "--json"], capture_output=True, env=env, cwd=REPO
    )
    assert ok.returncode == 0, ok.stderr.decode()
    assert json.loads(ok.stdout.decode("utf-8"))["threshold"] == "3/4"
    bad_item = subprocess.run([*manage, str(sheet), "--item", "12"], capture_output=True, env=env, cwd=REPO)
    assert bad_item.returncode == 2 and bad_item.stdout == b""
    bad = write_xlsx(tmp_path / "bad.xlsx", [HEADER, [1, 1, 101, "张三", "", 0, "同意"]])
    invalid = subprocess.run(
        [*manage, str(bad), "--item", "1", "--json"], capture_output=True, env=env, cwd=REPO
    )
    assert invalid.returncode == 2 and invalid.stdout == b""
    assert invalid.stderr.decode("utf-8").strip() == "第2行 专有部分面积: 面积须为正数，此处为 0"


# Issue 8, case 3: two rows of 张伟 without ID numbers may be one owner of two homes, or two owners.
SAME_NAME: list[Sequence[object]] = [
    HEADER,
    [1, 1, 101, "张伟", "", 100, "同意"],
    [1, 1, 102, "张伟", "", 100, "同意"],
    [1, 1, 201, "李四", "", 100, "反对"],
]


def test_same_name_rows_without_id_are_one_owner_listed_as_an_assumption(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "same.xlsx", SAME_NAME)
    code, out, _ = run(str(path), "--item", "5", "--json")
    data = json.loads(out)
    assert code == 0 and data["owners_total"] == 2
    assert (
        len(data["assumptions"]) == 1
        and "张伟" in data["assumptions"][0]
        and "2 户" in data["assumptions"][0]
    )
    code, out, _ = run(str(path), "--item", "5")
    assert code == 0 and "假定：「张伟」名下 2 户" in out


def test_strict_refuses_a_sheet_that_needs_an_assumption_until_id_numbers_tell(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "same.xlsx", SAME_NAME)
    code, out, err = run(str(path), "--item", "5", "--strict")
    assert code == 2 and out == "" and "张伟" in err and "身份证号" in err
    told = [list(r) for r in SAME_NAME]
    told[1][4], told[2][4] = ID_A, "110105194912310046"
    code, out, _ = run(str(write_xlsx(tmp_path / "told.xlsx", told)), "--item", "5", "--strict", "--json")
    assert code == 0 and json.loads(out)["owners_total"] == 3 and json.loads(out)["assumptions"] == []
