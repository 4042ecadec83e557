"""The streamed export: bytes leave before the last row is read, the file opens and imports back unchanged."""

from __future__ import annotations

from datetime import date
from io import BytesIO
from pathlib import Path
from typing import Any

import pytest
from django.http import StreamingHttpResponse
from django.test import Client
from openpyxl import load_workbook

from gongzhi.accounts.roles import Role
from gongzhi.ledgers.base import Column, Context, SheetSpec
from gongzhi.ledgers.importer import import_file
from gongzhi.ledgers.models import LedgerExport
from gongzhi.ledgers.xlsx import read_workbook, stream_workbook
from gongzhi.places.ledger import HOMES_LEDGER
from gongzhi.tests.factories import user_with

SPEC = SheetSpec(
    "测试",
    (
        Column("名称", "name", str),
        Column("日期", "day", str, kind="date"),
        Column("数量", "n", str, kind="int"),
    ),
)


def test_cells_survive_escaping_and_types() -> None:
    rows: list[list[Any]] = [
        ['A & <B> "c"', date(2024, 12, 18), 42],
        ["  空格 ", None, ""],
        ["控制\x01符", None, 0],
    ]
    data = b"".join(stream_workbook([(SPEC, rows)]))
    book = read_workbook(BytesIO(data))["测试"]
    assert book[0] == ["名称", "日期", "数量"]
    assert book[1][0] == 'A & <B> "c"' and book[1][2] == 42
    assert str(book[1][1])[:10] == "2024-12-18"
    assert book[2][0] == "  空格 " and book[3][0] == "控制符"
    sheet = load_workbook(BytesIO(data), read_only=True)["测试"]  # a second reader agrees
    assert [c.value for c in next(sheet.iter_rows(min_row=2, max_row=2))][:1] == ['A & <B> "c"']


def test_bytes_leave_before_the_rows_end() -> None:
    read = 0

    def rows():  # type: ignore[no-untyped-def]
        nonlocal read
        for i in range(100_000):
            read += 1
            yield [f"第{i}行", None, i]

    stream = stream_workbook([(SPEC, rows())])
    first = next(stream)
    assert first.startswith(b"PK") and read < 100_000


@pytest.mark.django_db
def test_streamed_ledger_export_opens_and_round_trips(tree, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    worker = user_with(Role.COMMUNITY_WORKER, tree.compounds[0].community)
    client = Client()
    client.force_login(worker)
    response = client.get(f"/ledgers/homes/export/?place={tree.compounds[0].community.code}")
    assert response.status_code == 200 and isinstance(response, StreamingHttpResponse)
    assert response["Content-Disposition"].startswith("attachment")
    target = tmp_path / "out.xlsx"
    target.write_bytes(response.getvalue())
    assert LedgerExport.objects.get().rows == 16  # 8 homes and 8 owners, recorded when the stream ended
    assert load_workbook(target, read_only=True).sheetnames[:2] == ["房屋", "业主"]
    outcome = import_file(HOMES_LEDGER, target, Context(worker))
    assert outcome.ok, outcome.errors
    assert set(outcome.counts.values()) == {0}
