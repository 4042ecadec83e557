"""Background imports and long exports (django-tasks): the page enqueues, a worker runs the job and writes its
progress, the status page shows it (and, for an export, the download link when done).

While a job runs the worker stamps a heartbeat; a watchdog task, queued beside an import, comes back every
`jobs.stale_after()` and recovers the job if the stamp stopped (the worker died), so any worker — a restarted
one included — fails or retries it (gongzhi.ledgers.jobs).
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from django.db.models import F
from django.utils import timezone
from django.utils.translation import ngettext, pgettext
from django_tasks import TaskContext, task

from gongzhi.core import job_language
from gongzhi.ledgers import jobs
from gongzhi.ledgers.base import Context
from gongzhi.ledgers.files import private_file
from gongzhi.ledgers.importer import get_ledger, import_file
from gongzhi.ledgers.models import ImportStatus, LedgerExport, LedgerImport
from gongzhi.ledgers.xlsx import stream_workbook

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
    with job_language.speaking(job.language):  # row errors and messages in the requester's language
        try:
            with jobs.heartbeat(import_id):
                outcome = import_file(get_ledger(job.ledger), job.file, ctx)
        except Exception as exc:
            LedgerImport.objects.filter(pk=import_id).update(
                status=ImportStatus.FAILED, message=str(exc)[:300], finished_at=timezone.now()
            )
            raise
        n = len(outcome.errors)
        LedgerImport.objects.filter(pk=import_id).update(
            status=ImportStatus.DONE if outcome.ok else ImportStatus.REJECTED,
            errors=[e.as_dict() for e in outcome.errors[:2000]],
            counts=outcome.counts,
            message=""
            if outcome.ok
            else ngettext("%(n)d 处错误，未写入任何数据", "%(n)d 处错误，未写入任何数据", n) % {"n": n},
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


def run_export(job_id: int) -> LedgerImport:
    """Write an export job's workbook to its file, reporting rows written; recorded once complete."""
    job = LedgerImport.objects.select_related("created_by").get(pk=job_id)
    user_id = job.created_by_id
    if user_id is None:  # the account was removed while queued: nobody to export for (or to record)
        LedgerImport.objects.filter(pk=job_id).update(status=ImportStatus.FAILED, finished_at=timezone.now())
        return job
    ledger = get_ledger(job.ledger)
    size = getattr(ledger, "export_size", None)
    total = size(job.place_path) if size else 0
    LedgerImport.objects.filter(pk=job_id).update(status=ImportStatus.RUNNING, phase="exporting", total=total)
    counter = [0]
    reported = 0
    try:
        with jobs.heartbeat(job_id), private_file(Path(job.file)) as out:  # full ID numbers: 0600
            for chunk in stream_workbook(ledger.export(job.place_path, job.created_by), counter):
                out.write(chunk)
                if counter[0] - reported >= 2000:  # a progress write every 2,000 rows, not every row
                    reported = counter[0]
                    LedgerImport.objects.filter(pk=job_id).update(done=reported)
    except Exception as exc:
        LedgerImport.objects.filter(pk=job_id).update(
            status=ImportStatus.FAILED, message=str(exc)[:300], finished_at=timezone.now()
        )
        raise
    LedgerExport.objects.create(
        ledger=job.ledger, place_path=job.place_path, rows=counter[0], user_id=user_id
    )
    with job_language.speaking(job.language):  # the count's label in the requester's language
        rows_label = pgettext("import count", "行")
    LedgerImport.objects.filter(pk=job_id).update(
        status=ImportStatus.DONE,
        done=counter[0],
        total=max(total, counter[0]),
        counts={rows_label: counter[0]},
        finished_at=timezone.now(),
    )
    job.refresh_from_db()
    return job


@task()
def export_ledger_task(job_id: int) -> None:
    run_export(job_id)
