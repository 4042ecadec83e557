"""Background imports and long exports (django-tasks): the page enqueues, a worker runs the job and writes its
progress, the status page shows it (and, for an export, the download link when done)."""

from __future__ import annotations

from django.utils import timezone
from django_tasks import task

from gongzhi.ledgers.base import Context
from gongzhi.ledgers.importer import get_ledger, import_file
from gongzhi.ledgers.models import ImportStatus, LedgerExport, LedgerImport
from gongzhi.ledgers.xlsx import stream_workbook


def run(import_id: int) -> LedgerImport:
    job = LedgerImport.objects.select_related("created_by").get(pk=import_id)
    LedgerImport.objects.filter(pk=import_id).update(status=ImportStatus.RUNNING)

    def report(phase: str, done: int, total: int) -> None:
        # Outside the write transaction (the importer reports before and after it), so others see it.
        LedgerImport.objects.filter(pk=import_id).update(phase=phase, done=done, total=total)

    try:
        outcome = import_file(get_ledger(job.ledger), job.file, Context(job.created_by, report))
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


@task()
def import_ledger_task(import_id: int) -> None:
    run(import_id)


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
    LedgerImport.objects.filter(pk=job_id).update(status=ImportStatus.RUNNING, phase="导出", total=total)
    counter = [0]
    reported = 0
    try:
        with open(job.file, "wb") as out:
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
    LedgerImport.objects.filter(pk=job_id).update(
        status=ImportStatus.DONE,
        done=counter[0],
        total=max(total, counter[0]),
        counts={"行": counter[0]},
        finished_at=timezone.now(),
    )
    job.refresh_from_db()
    return job


@task()
def export_ledger_task(job_id: int) -> None:
    run_export(job_id)
