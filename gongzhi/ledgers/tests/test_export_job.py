"""Long exports as background jobs (issue 9): the status page of the import framework shows the progress
and, when done, a download link that only the asker can use; file names in one language."""

from __future__ import annotations

from io import BytesIO
from typing import Any

import pytest
from django.test import Client
from openpyxl import load_workbook

from gongzhi.accounts.roles import Role
from gongzhi.ledgers import views
from gongzhi.ledgers.models import ImportStatus, JobKind, LedgerExport, LedgerImport
from gongzhi.tests.factories import user_with

pytestmark = pytest.mark.django_db


def client_for(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


@pytest.fixture
def immediate(settings):  # type: ignore[no-untyped-def]
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def test_a_large_place_exports_in_the_background(tree, immediate, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(views, "EXPORT_INLINE_HOMES", 3)  # the tree's district has more homes than this
    user = user_with(Role.DISTRICT_ADMIN, tree.d("370202"))
    client = client_for(user)
    response = client.get("/ledgers/homes/export/?place=370202")
    job = LedgerImport.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/ledgers/imports/{job.pk}/"
    assert job.kind == JobKind.EXPORT and job.status == ImportStatus.DONE
    homes = sum(1 for h in tree.homes if h.path.startswith(tree.d("370202").path))
    assert job.done == job.total == 2 * homes  # a home row and an owner row each
    assert job.original_name.startswith("市南区-房屋业主台账-") and "homes" not in job.original_name
    page = client.get(f"/ledgers/imports/{job.pk}/").content.decode()
    assert 'id="export-download"' in page and "100%" in page
    download = client.get(f"/ledgers/jobs/{job.pk}/download/")
    assert download.status_code == 200 and "attachment" in download["Content-Disposition"]
    data = b"".join(download.streaming_content)  # type: ignore[attr-defined]
    book = load_workbook(BytesIO(data), read_only=True)
    assert len(list(book.worksheets[0].iter_rows())) == homes + 1
    assert LedgerExport.objects.filter(user=user, rows=2 * homes).exists()
    # Nobody else downloads it, not even a district administrator.
    other = client_for(user_with(Role.DISTRICT_ADMIN, tree.d("370202")))
    assert other.get(f"/ledgers/jobs/{job.pk}/download/").status_code == 404


def test_a_queued_export_has_no_link_yet(tree) -> None:  # type: ignore[no-untyped-def]
    client = client_for(user_with(Role.DISTRICT_ADMIN, tree.d("370202")))
    response = client.get("/ledgers/homes/export/?place=370202&background=1")
    job = LedgerImport.objects.get()
    assert response.status_code == 302 and job.status == ImportStatus.PENDING  # no worker in tests
    page = client.get(f"/ledgers/imports/{job.pk}/").content.decode()
    assert "export-download" not in page and "台账导出" in page
    assert client.get(f"/ledgers/jobs/{job.pk}/download/").status_code == 404


def test_small_exports_still_stream_and_templates_are_named_in_chinese(tree) -> None:  # type: ignore[no-untyped-def]
    client = client_for(user_with(Role.DISTRICT_ADMIN, tree.d("370202")))
    response = client.get(f"/ledgers/homes/export/?place={tree.compounds[0].code}")
    assert response.status_code == 200 and not LedgerImport.objects.exists()
    assert "%E6%88%BF%E5%B1%8B%E4%B8%9A%E4%B8%BB%E5%8F%B0%E8%B4%A6" in response["Content-Disposition"]
    template = client.get("/ledgers/homes/template/")
    assert "homes" not in template["Content-Disposition"]
