"""Background import (django-tasks): the page enqueues, a worker runs it and writes its progress."""

from __future__ import annotations

from django.utils import timezone
from django_tasks import task

from gongzhi.ledgers.base import Context
from gongzhi.ledgers.importer import get_ledger, import_file
from gongzhi.ledgers.models import ImportStatus, LedgerImport


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
