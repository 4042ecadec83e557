"""Paper-ballot sheets read by a background worker: queued, heartbeat, all or nothing, errors by row."""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from gongzhi.accounts.roles import Role
from gongzhi.affairs import services
from gongzhi.affairs.models import Ballot, BallotChange, SheetJob, SheetStatus
from gongzhi.affairs.services import sheet_jobs
from gongzhi.affairs.tests.helpers import make_estate, open_vote, sheet_bytes, sheet_rows
from gongzhi.ledgers.files import purge
from gongzhi.tests.factories import SYSTEM, user_with
from gongzhi.tests.test_sheet_limits import WHOLE_GRID, bomb

pytestmark = pytest.mark.django_db

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
DUMMY = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


@pytest.fixture
def estate(tree, settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.VAR_DIR = tmp_path
    return make_estate(tree.d("370202001001"))


def _client(estate):  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user_with(Role.PARTY_SECRETARY, estate.compound))
    return client


def _post(client: Client, vote_pk: int, data: bytes, name: str = "票.xlsx"):  # type: ignore[no-untyped-def]
    upload = SimpleUploadedFile(name, data)
    return client.post(reverse("affairs:vote_sheet", args=[vote_pk]), {"sheet": upload}, follow=True)


def test_a_good_sheet_is_recorded_by_the_worker_and_its_file_deleted(estate, settings) -> None:  # type: ignore[no-untyped-def]
    settings.TASKS = IMMEDIATE
    vote = open_vote(estate)
    response = _post(_client(estate), vote.pk, sheet_bytes(sheet_rows(estate, {0: "同意", 1: "反对"})))
    job = SheetJob.objects.get()
    assert response.redirect_chain[-1][0] == reverse("affairs:vote_sheet_job", args=[vote.pk, job.pk])
    assert job.status == SheetStatus.DONE and job.attempts == 1
    assert job.counts == {"rows": 12, "recorded": 2, "changed": 0, "unchanged": 0}
    assert "新增 2 票" in response.content.decode()
    assert Ballot.objects.filter(vote=vote).count() == 2
    assert not Path(job.file).exists()  # ID numbers are not kept past the job


def test_a_bad_sheet_lists_every_problem_by_row_and_records_nothing(estate, settings) -> None:  # type: ignore[no-untyped-def]
    settings.TASKS = IMMEDIATE
    vote = open_vote(estate)
    rows = sheet_rows(estate, {0: "同意", 1: "好的"})
    rows[4][3] = "张冒名"
    response = _post(_client(estate), vote.pk, sheet_bytes(rows))
    job = SheetJob.objects.get()
    assert job.status == SheetStatus.REJECTED and "未录入任何表决票" in job.message
    assert [(e["row"], e["column"]) for e in job.errors] == [(3, "表决意见"), (5, "业主")]
    body = response.content.decode()
    assert response.status_code == 200 and "好的" in body and "张冒名" in body and 'id="sheet-errors"' in body
    assert not Ballot.objects.exists() and not BallotChange.objects.exists()


@pytest.mark.parametrize(
    "data",
    [WHOLE_GRID, b"%PDF-1.4 not a sheet", b"PK\x03\x04 truncated zip", "bomb"],
    ids=["whole-grid", "not-xlsx", "broken-zip", "deflate-bomb"],
)
def test_hostile_sheets_get_a_clear_message_and_write_nothing(estate, settings, data) -> None:  # type: ignore[no-untyped-def]
    settings.TASKS = IMMEDIATE
    settings.GONGZHI_SHEET_MAX_UNZIPPED_BYTES = 2 * 1024 * 1024
    vote = open_vote(estate)
    response = _post(_client(estate), vote.pk, bomb(4) if data == "bomb" else data)
    job = SheetJob.objects.get()
    assert response.status_code == 200
    assert job.status == SheetStatus.REJECTED, (job.status, job.message)
    assert job.errors and job.errors[0]["message"]
    assert not Ballot.objects.exists() and not Path(job.file).exists()


def test_an_oversized_upload_is_refused_before_it_is_stored(estate, settings) -> None:  # type: ignore[no-untyped-def]
    settings.TASKS = IMMEDIATE
    settings.GONGZHI_SHEET_MAX_UPLOAD_BYTES = 1000
    vote = open_vote(estate)
    response = _post(_client(estate), vote.pk, b"x" * 2000)
    assert "文件太大" in response.content.decode()
    assert not SheetJob.objects.exists() and not sheet_jobs.sheets_dir().exists()


def test_the_stored_upload_is_private(estate, settings) -> None:  # type: ignore[no-untyped-def]
    settings.TASKS = DUMMY  # queued, never run: the file stays for the worker
    vote = open_vote(estate)
    _post(_client(estate), vote.pk, sheet_bytes(sheet_rows(estate, {0: "同意"})))
    job = SheetJob.objects.get()
    assert job.status == SheetStatus.PENDING
    assert os.stat(job.file).st_mode & 0o777 == 0o600
    assert os.stat(Path(job.file).parent).st_mode & 0o777 == 0o700
    # A sheet no worker read is deleted with the ledger uploads after the retention period.
    later = timezone.now() + timedelta(days=settings.GONGZHI_UPLOAD_RETENTION_DAYS + 1)
    assert Path(job.file) in purge(now=later) and not Path(job.file).exists()


def test_a_job_whose_worker_died_is_retried_then_failed_and_nothing_is_written(estate, settings) -> None:  # type: ignore[no-untyped-def]
    settings.TASKS = DUMMY
    vote = open_vote(estate)
    _post(_client(estate), vote.pk, sheet_bytes(sheet_rows(estate, {0: "同意"})))
    job = SheetJob.objects.get()
    # A worker claimed it and was killed: its transaction died with it, its heartbeat stopped.
    silent = timezone.now() - sheet_jobs.heartbeat.stale_after() - timedelta(seconds=1)
    SheetJob.objects.filter(pk=job.pk).update(status=SheetStatus.RUNNING, attempts=1, heartbeat_at=silent)
    assert services.sheet_jobs_recover_stale() == [job.pk]
    job.refresh_from_db()
    assert job.status == SheetStatus.PENDING and Path(job.file).exists()  # queued again
    SheetJob.objects.filter(pk=job.pk).update(status=SheetStatus.RUNNING, attempts=2, heartbeat_at=silent)
    client = _client(estate)
    page = client.get(reverse("affairs:vote_sheet_job", args=[vote.pk, job.pk]))  # the page notices too
    job.refresh_from_db()
    assert job.status == SheetStatus.FAILED and job.message == sheet_jobs.LOST_MESSAGE
    assert str(sheet_jobs.LOST_MESSAGE) in page.content.decode()
    assert not Path(job.file).exists() and not Ballot.objects.exists()


def test_a_second_delivery_does_nothing_and_a_closed_vote_fails_the_job(estate, settings) -> None:  # type: ignore[no-untyped-def]
    settings.TASKS = DUMMY
    vote = open_vote(estate)
    _post(_client(estate), vote.pk, sheet_bytes(sheet_rows(estate, {0: "同意"})))
    job = SheetJob.objects.get()
    services.vote_close(vote=vote, actor=SYSTEM)  # closed while the sheet waited
    ran = services.sheet_job_run(job.pk)
    assert ran.status == SheetStatus.FAILED and ran.message
    assert services.sheet_job_run(job.pk).attempts == 1  # not claimed twice
    assert not Ballot.objects.exists()


def test_the_job_page_is_the_vote_managers_and_polls_until_done(estate, settings) -> None:  # type: ignore[no-untyped-def]
    settings.TASKS = DUMMY
    vote = open_vote(estate)
    client = _client(estate)
    _post(client, vote.pk, sheet_bytes(sheet_rows(estate, {0: "同意"})))
    job = SheetJob.objects.get()
    url = reverse("affairs:vote_sheet_job", args=[vote.pk, job.pk])
    partial = client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert 'hx-trigger="every 1s"' in partial and "<html" not in partial
    services.sheet_job_run(job.pk)
    done = client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert "hx-trigger" not in done and "新增 1 票" in done
    assert client.get(reverse("affairs:vote_sheet_job", args=[vote.pk, job.pk + 1])).status_code == 404
    other = open_vote(estate, code="fund_use")
    assert client.get(reverse("affairs:vote_sheet_job", args=[other.pk, job.pk])).status_code == 404
    owner = Client()
    owner.force_login(user_with(Role.RESIDENT, estate.compound))
    assert owner.get(url).status_code in (403, 404)
