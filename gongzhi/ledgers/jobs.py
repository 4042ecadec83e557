"""Background imports that outlive their worker: a heartbeat while a job runs, and recovery when it stops.

A worker killed mid-import (SIGKILL, out of memory, a power cut) cannot mark its job: it stayed "running" for
ever. Now the worker stamps `LedgerImport.heartbeat_at` every `HEARTBEAT` seconds from a thread of its own;
a running job whose stamp is older than `STALE` lost its worker. `recover_stale()` claims such a job (one
conditional update, so two workers never both take it), undoes what it wrote (PostgreSQL rolled the dead
connection's transaction back already; SQLite's batches are undone from the journal,
gongzhi.ledgers.journal), and queues it again — or, after `MAX_ATTEMPTS`, fails it with a message saying
nothing was written. A worker runs it before every job and when it starts (`ledgers.apps`), the status page
when it shows a stale job, and `manage.py recover_imports` on demand.
"""

from __future__ import annotations

import logging
from contextlib import AbstractContextManager
from datetime import datetime, timedelta

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gongzhi.core import heartbeat as core_heartbeat
from gongzhi.core import job_language
from gongzhi.ledgers.journal import undo
from gongzhi.ledgers.models import ImportStatus, JobKind, LedgerImport

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 2
LOST_MESSAGE = _("后台任务进程在导入中途停止，已撤销写入的全部数据，未导入任何内容；请重新上传")
RETRY_MESSAGE = _("后台任务进程中断，已撤销并重新排队")


def heartbeat_seconds() -> float:
    return core_heartbeat.heartbeat_seconds()


def stale_after() -> timedelta:
    """A job silent for this long lost its worker: several missed beats, so a busy machine is not enough."""
    return core_heartbeat.stale_after()


def journal_key(import_id: int) -> str:
    return f"import-{import_id}"


def heartbeat(import_id: int) -> AbstractContextManager[None]:
    """Stamp the job every few seconds from a thread (its own database connection) while the block runs."""
    return core_heartbeat.beating(LedgerImport, import_id)


def recover_stale(now: datetime | None = None) -> list[int]:
    """Undo, then retry or fail, every running job whose heartbeat stopped; returns their ids."""
    now = now or timezone.now()
    cutoff = now - stale_after()
    silent = Q(heartbeat_at__lt=cutoff) | Q(heartbeat_at__isnull=True, created_at__lt=cutoff)
    recovered = []
    for job in LedgerImport.objects.filter(silent, status=ImportStatus.RUNNING).only(
        "pk", "heartbeat_at", "kind", "language"
    ):
        # Claim it: only one process wins this update, the others see a fresh stamp.
        claimed = LedgerImport.objects.filter(
            pk=job.pk, status=ImportStatus.RUNNING, heartbeat_at=job.heartbeat_at
        ).update(heartbeat_at=now, phase="recovering")
        if not claimed:
            continue
        _fail_task_result(job.pk, now)
        rows = undo(journal_key(job.pk))
        # An import is undone and retried; an export (a file being written) just fails: asked again, it starts over.
        retry = job.kind == JobKind.IMPORT and _attempts(job.pk) < MAX_ATTEMPTS
        logger.warning(
            "import %s lost its worker; undid %s rows; %s", job.pk, rows, "retry" if retry else "fail"
        )
        with job_language.speaking(job.language):
            retry_message, lost_message = str(RETRY_MESSAGE), str(LOST_MESSAGE)
        if retry:
            LedgerImport.objects.filter(pk=job.pk).update(
                status=ImportStatus.PENDING, phase="", done=0, message=retry_message
            )
            from gongzhi.ledgers.tasks import import_ledger_task

            import_ledger_task.enqueue(job.pk)  # its watchdog is still coming back
        else:
            LedgerImport.objects.filter(pk=job.pk).update(
                status=ImportStatus.FAILED, phase="", message=lost_message, finished_at=now
            )
        recovered.append(job.pk)
    return recovered


def _attempts(import_id: int) -> int:
    return LedgerImport.objects.filter(pk=import_id).values_list("attempts", flat=True).first() or 0


def is_stale(job: LedgerImport, now: datetime | None = None) -> bool:
    if job.status != ImportStatus.RUNNING:
        return False
    seen = job.heartbeat_at or job.created_at
    return (now or timezone.now()) - seen > stale_after()


def _fail_task_result(import_id: int, now: datetime) -> None:
    """The dead worker's task result says "running" too: it failed."""
    task_id = LedgerImport.objects.filter(pk=import_id).values_list("task_id", flat=True).first()
    if not task_id:
        return
    try:
        from django_tasks_db.models import DBTaskResult
    except ImportError:  # another task backend
        return
    DBTaskResult.objects.filter(id=task_id, status="RUNNING").update(status="FAILED", finished_at=now)
