"""Background import (django-tasks): the page enqueues, a worker runs it and writes its progress.

While a job runs the worker stamps a heartbeat; a watchdog task, queued beside it, comes back every
`jobs.stale_after()` and recovers the job if the stamp stopped (the worker died), so any worker — a restarted
one included — fails or retries it (gongzhi.ledgers.jobs).
"""

from __future__ import annotations

from datetime import timedelta

from django.db.models import F
from django.utils import timezone
from django_tasks import TaskContext, task

from gongzhi.ledgers import jobs
from gongzhi.ledgers.base import Context
from gongzhi.ledgers.importer import get_ledger, import_file
from gongzhi.ledgers.models import ImportStatus, LedgerImport

FINISHED = (ImportStatus.DONE, ImportStatus.REJECTED, ImportStatus.FAILED)


def run(import_id: int, task_id: str = "") -> LedgerImport:
    jobs.recover_stale()  # a job an earlier worker left behind goes first
    claimed = LedgerImport.objects.filter(pk=import_id, status=ImportStatus.PENDING).update(
        status=ImportStatus.RUNNING, attempts=F("attempts") + 1, task_id=task_id, heartbeat_at=timezone.now()
    )
    job = LedgerImport.objects.select_related("created_by").get(pk=import_id)
    if not claimed:  # finished, or running elsewhere: a second delivery of the same job does nothing
        return job

    def report(phase: str, done: int, total: int) -> None:
        # Outside the write transaction (the importer reports between its transactions), so others see it.
        LedgerImport.objects.filter(pk=import_id).update(phase=phase, done=done, total=total)

    ctx = Context(job.created_by, report, key=jobs.journal_key(import_id))
    try:
        with jobs.heartbeat(import_id):
            outcome = import_file(get_ledger(job.ledger), job.file, ctx)
    except Exception as exc:
        LedgerImport.objects.filter(pk=import_id).update(
            status=ImportStatus.FAILED, message=str(exc)[:300], finished_at=timezone.now()
        )
        raise
    LedgerImport.objects.filter(pk=import_id).update(
        status=ImportStatus.DONE if outcome.ok else ImportStatus.REJECTED,
        errors=[e.as_dict() for e in outcome.errors[:2000]],
        counts=outcome.counts,
        message="" if outcome.ok else f"{len(outcome.errors)} 处错误，未写入任何数据",
        finished_at=timezone.now(),
    )
    job.refresh_from_db()
    return job


def enqueue(import_id: int) -> None:
    """Queue the import and its watchdog."""
    import_ledger_task.enqueue(import_id)
    if watch_import_task.get_backend().supports_defer:  # the immediate backend (tests) has run it already
        watch_import_task.using(run_after=timezone.now() + jobs.stale_after()).enqueue(import_id)


@task(takes_context=True)
def import_ledger_task(context: TaskContext, import_id: int) -> None:
    run(import_id, str(context.task_result.id))


@task()
def watch_import_task(import_id: int) -> None:
    """Come back while the job is unfinished; recover it once its heartbeat has stopped."""
    job = LedgerImport.objects.filter(pk=import_id).first()
    if job is None or job.status in FINISHED:
        return
    if jobs.is_stale(job):
        jobs.recover_stale()
    if LedgerImport.objects.filter(pk=import_id).exclude(status__in=FINISHED).exists():
        later = timezone.now() + max(jobs.stale_after(), timedelta(seconds=1))
        watch_import_task.using(run_after=later).enqueue(import_id)
