"""The ledger framework's own refusals and cell errors in the reader's language: an import job writes them
in the language of the request that queued it (English for an English requester, the same Chinese as before
for a Chinese one), whatever language the worker runs in."""

from __future__ import annotations

import pytest

from gongzhi.accounts.roles import Role
from gongzhi.ledgers.base import Column, SheetSpec, text
from gongzhi.ledgers.models import ImportStatus
from gongzhi.ledgers.tests.speaking import messages, run_file, run_import
from gongzhi.ledgers.xlsx import write_workbook
from gongzhi.places.ledger import HOMES, OWNERS
from gongzhi.places.models import Home
from gongzhi.tests.factories import user_with

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("language", "refusal"),
    [
        ("en", "The file has none of this ledger's sheets (expected: 房屋、业主)"),
        ("zh-hans", "文件中没有本台账的工作表（应有：房屋、业主）"),
    ],
)
def test_a_file_without_the_ledgers_sheets_is_refused_in_the_job_requesters_language(  # type: ignore[no-untyped-def]
    tree, tmp_path, language: str, refusal: str
) -> None:
    path = tmp_path / "other.xlsx"
    write_workbook(path, [(SheetSpec("别的表", (Column("甲", "a", text),)), [["1"]])])
    user = user_with(Role.DISTRICT_ADMIN, tree.d("370202"))
    job = run_file(str(path), user, "homes", language)
    assert job.status == ImportStatus.REJECTED
    assert messages(job) == [f"/0/: {refusal}"]


@pytest.mark.parametrize(
    ("language", "required", "whole", "yes_no"),
    [
        ("en", "Required", "Should be a whole number", "Should be “是” (yes) or “否” (no)"),
        ("zh-hans", "必填", "应为整数", "应填“是”或“否”"),
    ],
)
def test_cell_errors_read_in_the_job_requesters_language(  # type: ignore[no-untyped-def]
    tree, tmp_path, language: str, required: str, whole: str, yes_no: str
) -> None:
    user = user_with(Role.DISTRICT_ADMIN, tree.d("370202"))
    code = tree.compounds[0].code
    homes = [[code, "5号楼", 1, "", 1, "88.50", "是"], [code, "5号楼", 1, "102", "三", "88.50", "也许"]]
    before = Home.objects.count()
    job = run_import(tmp_path, user, "homes", [(HOMES, homes), (OWNERS, [])], language)
    assert sorted(messages(job)) == sorted(
        [f"房屋/2/房号: {required}", f"房屋/3/楼层: {whole}", f"房屋/3/已交付: {yes_no}"]
    )
    assert Home.objects.count() == before
