"""The import status page says plainly when no task worker has picked the job up."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone, translation

from gongzhi.accounts.roles import Role
from gongzhi.ledgers.models import LedgerImport
from gongzhi.tests.factories import user_with

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _back_to_chinese():  # type: ignore[no-untyped-def]
    """Switching to English in a request leaves the thread in English; later tests expect Chinese."""
    yield
    translation.activate(settings.LANGUAGE_CODE)


def _job(user, queued_ago: timedelta, status: str = "pending") -> LedgerImport:  # type: ignore[no-untyped-def]
    job = LedgerImport.objects.create(ledger="homes", file="x.xlsx", original_name="x.xlsx", created_by=user)
    LedgerImport.objects.filter(pk=job.pk).update(created_at=timezone.now() - queued_ago, status=status)
    return job


def test_a_job_nobody_picked_up_says_no_worker_is_running(tree) -> None:  # type: ignore[no-untyped-def]
    user = user_with(Role.COMMUNITY_WORKER, tree.compounds[0].community)
    client = Client()
    client.force_login(user)
    stale = _job(user, timedelta(minutes=2))
    fresh = _job(user, timedelta(seconds=1))
    running = _job(user, timedelta(minutes=2), status="running")
    LedgerImport.objects.filter(pk=running.pk).update(heartbeat_at=timezone.now())  # its worker is alive

    page = client.get(f"/ledgers/imports/{stale.pk}/").content.decode()
    assert "还没有后台任务进程接手这项导入" in page and "db_worker" in page
    # The progress fragment htmx polls says it too, and keeps polling: the job starts once a worker runs.
    fragment = client.get(f"/ledgers/imports/{stale.pk}/", HTTP_HX_REQUEST="true").content.decode()
    assert 'id="no-worker"' in fragment and "hx-trigger" in fragment
    for job in (fresh, running):
        assert 'id="no-worker"' not in client.get(f"/ledgers/imports/{job.pk}/").content.decode()


def test_the_warning_is_in_english_when_switched(tree) -> None:  # type: ignore[no-untyped-def]
    user = user_with(Role.COMMUNITY_WORKER, tree.compounds[0].community)
    client = Client()
    client.force_login(user)
    stale = _job(user, timedelta(minutes=2))
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    page = client.get(f"/ledgers/imports/{stale.pk}/").content.decode()
    assert "No task worker has picked up this import" in page
