"""Loading division files as people save them; every malformed case stops with a line number and writes nothing."""

from pathlib import Path

import pytest
from django.core.management import call_command

from gongzhi.places.divisions_csv import DivisionFileError, parse
from gongzhi.places.models import Division

REAL = Path(__file__).resolve().parents[3] / "data" / "qingdao-divisions.csv"
HEADER = "code,name,level,parent_code\n"
GOOD = (
    HEADER
    + "37,山东省,province,\n3702,青岛市,city,37\n370202,市南区,district,3702\n370202001,香港中路街道,subdistrict,370202\n"
)


def load(tmp_path: Path, content: bytes, capsys=None) -> int:
    f = tmp_path / "d.csv"
    f.write_bytes(content)
    try:
        call_command("load_divisions", str(f))
    except SystemExit as exc:
        return int(exc.code or 0)
    return 0


@pytest.mark.django_db
def test_real_file_loads_and_second_run_changes_nothing(capsys):
    call_command("load_divisions", str(REAL))
    assert "新增 2273" in capsys.readouterr().out
    shinan = Division.objects.get(code="370202")
    assert Division.objects.filter(parent=shinan).count() == 11
    assert Division.objects.filter(path__startswith=shinan.path, level="community").count() == 50
    call_command("load_divisions", str(REAL))
    assert "新增 0，更新 0，未变 2273" in capsys.readouterr().out


@pytest.mark.django_db
@pytest.mark.parametrize(
    "encode",
    [
        lambda s: s.encode("utf-8"),
        lambda s: b"\xef\xbb\xbf" + s.encode("utf-8"),
        lambda s: s.encode("gbk"),
        lambda s: s.encode("gb18030"),
        lambda s: s.replace("\n", "\r\n").encode("gbk"),
    ],
    ids=["utf8", "utf8-bom", "gbk", "gb18030", "gbk-crlf"],
)
def test_encodings_load_alike(tmp_path, encode):
    assert load(tmp_path, encode(GOOD)) == 0
    assert Division.objects.get(code="370202001").name == "香港中路街道"


def test_chinese_headers_accepted():
    rows = parse(("代码,名称,层级,上级代码\n37,山东省,province,\n").encode())
    assert rows[0].name == "山东省"


@pytest.mark.parametrize(
    ("content", "line", "fragment"),
    [
        ("code,name,level\n37,山东省,province\n", 1, "缺少列"),
        (HEADER + "37,山东省,province,\n3702x,青岛市,city,37\n", 3, "无效"),
        (HEADER + "37,山东省,province,\n37,山东,province,\n", 3, "重复"),
        (HEADER + "37,山东省,province,\n3702,青岛市,city,38\n", 3, "上级代码"),
        (HEADER + "3702,青岛市,city,37\n", 2, "不存在"),
        (HEADER + "37,山东省,province,\n3702,青岛市,district,37\n", 3, "层级"),
        (HEADER + "37,山东省,province,\n3702,青岛市\n", 3, "列"),
        (
            HEADER
            + "37,山东省,province,\n3702,青岛市,city,37\n370202,市南区,district,3702\n370202001,街道,subdistrict,370202\n370202001700,某社区,community,370202001\n",
            6,
            "层级",
        ),
    ],
    ids=[
        "missing-column",
        "bad-code",
        "duplicate",
        "parent-mismatch",
        "unknown-parent",
        "level-mismatch",
        "short-row",
        "code-tail",
    ],
)
@pytest.mark.django_db
def test_malformed_files_stop_with_line_and_write_nothing(tmp_path, capsys, content, line, fragment):
    assert load(tmp_path, content.encode("utf-8")) == 1
    err = capsys.readouterr().err
    assert f":{line}: " in err and fragment in err
    assert "未写入任何数据" in err
    assert Division.objects.count() == 0


@pytest.mark.django_db
def test_undecodable_bytes(tmp_path, capsys):
    assert load(tmp_path, b"code,name\n\xff\xfe\xff\x80\x80\n") == 1
    assert "编码" in capsys.readouterr().err
    assert Division.objects.count() == 0


@pytest.mark.django_db
def test_missing_file_exits_nonzero(tmp_path, capsys):
    with pytest.raises(SystemExit) as exc:
        call_command("load_divisions", str(tmp_path / "nope.csv"))
    assert exc.value.code == 2


def test_all_errors_reported_at_once():
    content = HEADER + "37,山东省,province,\n3702x,a,city,37\n37,b,province,\n"
    with pytest.raises(DivisionFileError) as exc:
        parse(content.encode())
    assert [e.line for e in exc.value.errors] == [3, 4]
