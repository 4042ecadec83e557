"""A background job speaks the language its requester used, whatever language the worker runs in; the status
page names the job's phase in the reader's language, not by the importer's key."""

from __future__ import annotations

import io

import openpyxl
import pytest
from django.test import Client
from django.utils import timezone, translation

from gongzhi.accounts.roles import Role
from gongzhi.ledgers import tasks
from gongzhi.ledgers.models import ImportStatus, LedgerImport
from gongzhi.tests.factories import user_with

pytestmark = pytest.mark.django_db


def _empty_workbook(path) -> str:  # type: ignore[no-untyped-def]
    book = openpyxl.Workbook()
    buffer = io.BytesIO()
    book.save(buffer)
    path.write_bytes(buffer.getvalue())
    return str(path)


@pytest.mark.parametrize(
    ("language", "expected"),
    [("en", "nothing was written"), ("zh-hans", "未写入任何数据"), ("", "未写入任何数据")],
)
def test_an_import_reports_in_its_requesters_language(tree, tmp_path, language, expected) -> None:  # type: ignore[no-untyped-def]
    user = user_with(Role.DISTRICT_ADMIN, tree.d("370202"))
    job = LedgerImport.objects.create(
        ledger="homes", file=_empty_workbook(tmp_path / "x.xlsx"), created_by=user, language=language
    )
    with translation.override("zh-hans" if language == "en" else "en"):  # the worker's own language differs
        tasks.run(job.pk)
    job.refresh_from_db()
    assert job.status == ImportStatus.REJECTED
    assert expected in job.message


def test_the_page_names_the_phase_in_the_readers_language(tree) -> None:  # type: ignore[no-untyped-def]
    user = user_with(Role.COMMUNITY_WORKER, tree.compounds[0].community)
    job = LedgerImport.objects.create(ledger="homes", file="x.xlsx", created_by=user)
    LedgerImport.objects.filter(pk=job.pk).update(
        status=ImportStatus.RUNNING, phase="checking", done=5, total=10, heartbeat_at=timezone.now()
    )
    client = Client()
    client.force_login(user)
    page = client.get(f"/ledgers/imports/{job.pk}/").content.decode()
    assert "· 检查" in page and "checking" not in page
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert "· Checking" in client.get(f"/ledgers/imports/{job.pk}/").content.decode()
