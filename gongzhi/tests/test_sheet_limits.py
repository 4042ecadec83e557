"""Issue 15 item 3: hostile workbooks are measured and refused before any parser sees them.

The files are built here with zipfile: a 1.6 KB workbook whose used range spans A1:XFD1048576 (it killed the
process), a deflate bomb, a sheet of many rows without cell references, and an oversized upload. Each is
refused with a Chinese message naming the limit, through the ledgers importer, the ballot-sheet reader and the
upload pages, and nothing is written."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from django.test import Client

from gongzhi.accounts.roles import Role
from gongzhi.affairs import services as affairs
from gongzhi.affairs.ballot_sheet import SheetError
from gongzhi.affairs.models import Ballot
from gongzhi.affairs.tests.helpers import make_estate, open_vote
from gongzhi.core.sheet_limits import Limits, SheetTooLarge, check_workbook, column_number
from gongzhi.ledgers.base import Context
from gongzhi.ledgers.importer import import_file
from gongzhi.ledgers.models import LedgerImport
from gongzhi.places.models import Home
from gongzhi.tests.factories import SYSTEM, user_with

NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
RELS_NS = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'


def workbook(sheet_xml: str | bytes, compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    """A minimal .xlsx around one worksheet's XML."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression) as z:
        z.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>',
        )
        z.writestr(
            "xl/workbook.xml",
            f'<?xml version="1.0"?><workbook {NS} {RELS_NS}><sheets>'
            '<sheet name="房屋" sheetId="1" r:id="rId1"/></sheets></workbook>',
        )
        z.writestr(
            "xl/_rels/workbook.xml.rels",
            '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
            'relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
            'officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
        )
        z.writestr("xl/worksheets/sheet1.xml", sheet_xml)
    return buf.getvalue()


def sheet(body: str, dimension: str = "A1") -> str:
    return f'<?xml version="1.0"?><worksheet {NS}><dimension ref="{dimension}"/><sheetData>{body}</sheetData></worksheet>'


WHOLE_GRID = workbook(
    sheet(
        '<row r="1"><c r="A1" t="inlineStr"><is><t>x</t></is></c></row>'
        '<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>y</t></is></c></row>',
        "A1:XFD1048576",
    )
)
# The declared dimension alone (cells at A1 only) and the furthest cell alone (no dimension) are each caught.
DIMENSION_ONLY = workbook(sheet('<row r="1"><c r="A1"><v>1</v></c></row>', "A1:XFD1048576"))
FAR_CELL_ONLY = workbook(sheet('<row r="1048576"><c r="ZZ1048576"><v>1</v></c></row>'))


def bomb(megabytes: int) -> bytes:
    padding = " " * (megabytes * 1024 * 1024)
    return workbook(
        sheet('<row r="1"><c r="A1"><v>1</v></c></row>').replace("<sheetData>", padding + "<sheetData>")
    )


def test_column_letters():
    assert [column_number(s) for s in ("A", "Z", "AA", "XFD")] == [1, 26, 27, 16384]


def test_the_whole_grid_workbook_is_tiny_and_refused():
    assert len(WHOLE_GRID) < 2000
    for data in (WHOLE_GRID, DIMENSION_ONLY, FAR_CELL_ONLY):
        with pytest.raises(SheetTooLarge, match="超过上限"):
            check_workbook(data)


def test_a_deflate_bomb_is_refused_from_the_zip_directory_without_inflating(settings):
    settings.GONGZHI_SHEET_MAX_UNZIPPED_BYTES = 2 * 1024 * 1024
    data = bomb(8)
    assert len(data) < 100_000
    with pytest.raises(SheetTooLarge, match=r"解压后 8 MB.*压缩炸弹"):
        check_workbook(data)


def test_rows_without_references_and_the_upload_size_count(settings):
    settings.GONGZHI_SHEET_MAX_ROWS = 100
    many = workbook(sheet("<row><c><v>1</v></c></row>" * 101))
    with pytest.raises(SheetTooLarge, match="101 行"):
        check_workbook(many)
    settings.GONGZHI_SHEET_MAX_ROWS = 500_000
    settings.GONGZHI_SHEET_MAX_CELLS = 50
    with pytest.raises(SheetTooLarge, match="单元格"):
        check_workbook(workbook(sheet("<row>" + "<c><v>1</v></c>" * 51 + "</row>")))
    settings.GONGZHI_SHEET_MAX_UPLOAD_BYTES = 1000
    with pytest.raises(SheetTooLarge, match="文件太大"):
        check_workbook(WHOLE_GRID)


def test_an_ordinary_sheet_passes_and_a_file_object_is_rewound():
    data = workbook(
        sheet("".join(f'<row r="{r}"><c r="A{r}"><v>{r}</v></c></row>' for r in range(1, 200)), "A1:A199")
    )
    handle = io.BytesIO(data)
    handle.seek(3)
    check_workbook(handle, Limits(upload_bytes=10**6, unzipped_bytes=10**6, rows=199, cells=199))
    assert handle.tell() == 3


@pytest.mark.django_db
@pytest.mark.parametrize("data", [WHOLE_GRID, "bomb"])
def test_ledger_import_refuses_and_writes_nothing(tree, tmp_path: Path, settings, data):
    settings.GONGZHI_SHEET_MAX_UNZIPPED_BYTES = 2 * 1024 * 1024
    path = tmp_path / "hostile.xlsx"
    path.write_bytes(bomb(4) if data == "bomb" else data)
    homes = Home.objects.count()
    outcome = import_file(None, path, Context(SYSTEM))
    assert not outcome.ok and "超过上限" in outcome.errors[0].message
    with path.open("rb") as fh:
        assert not import_file(None, fh, Context(SYSTEM)).ok
    assert Home.objects.count() == homes


@pytest.mark.django_db
def test_ballot_sheet_refuses_and_writes_nothing(tree):
    vote = open_vote(make_estate(tree.d("370202001001")))
    result = affairs.ballots_import_sheet(vote=vote, actor=SYSTEM, data=WHOLE_GRID)
    assert isinstance(result, list) and isinstance(result[0], SheetError)
    assert "超过上限" in result[0].message
    assert Ballot.objects.filter(vote=vote).count() == 0


@pytest.mark.django_db
def test_the_ledger_upload_page_refuses_an_oversized_file_and_stores_nothing(tree, settings):
    settings.GONGZHI_SHEET_MAX_UPLOAD_BYTES = 1000
    admin = user_with(Role.DISTRICT_ADMIN, tree.d("370202"))
    c = Client()
    c.force_login(admin)
    upload = io.BytesIO(b"x" * 2000)
    upload.name = "big.xlsx"
    response = c.post("/ledgers/upload/", {"ledger": "homes", "file": upload}, follow=True)
    assert "文件太大" in response.content.decode()
    assert LedgerImport.objects.count() == 0
