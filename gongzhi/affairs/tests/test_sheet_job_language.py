"""A ballot-sheet job speaks the language its uploader used, whatever language the worker runs in."""

from __future__ import annotations

import io

import pytest
from django.utils import translation

from gongzhi.accounts.roles import Role
from gongzhi.affairs.models import SheetJob, SheetStatus
from gongzhi.affairs.services import sheet_jobs
from gongzhi.affairs.tests.helpers import make_estate, open_vote
from gongzhi.tests.factories import user_with

pytestmark = pytest.mark.django_db


def test_an_upload_records_the_language_it_was_made_in(tree, settings, tmp_path) -> None:  # type: ignore[no-untyped-def]
    settings.VAR_DIR = tmp_path
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    estate = make_estate(tree.d("370202001001"))
    vote = open_vote(estate)
    actor = user_with(Role.PARTY_SECRETARY, estate.compound)
    upload = io.BytesIO(b"not a workbook")
    upload.name, upload.size = "票.xlsx", 14  # type: ignore[attr-defined]
    upload.chunks = lambda: [b"not a workbook"]  # type: ignore[attr-defined]
    with translation.override("en"):
        job = sheet_jobs.sheet_job_create(vote=vote, actor=actor, upload=upload)
    assert job.language == "en"
    SheetJob.objects.filter(pk=job.pk).update(file=str(tmp_path / "gone.xlsx"))  # the file was lost
    sheet_jobs.sheet_job_run(job.pk)  # the worker runs in Chinese
    job.refresh_from_db()
    assert job.status == SheetStatus.FAILED
    assert job.message.startswith("The uploaded file is no longer on the server")
