"""Paper-ballot sheets read in the background: upload, run, and recovery when a worker dies.

A sheet is parsed by a worker, not by the request that uploaded it (issue 15: a hostile workbook must not
take a web process with it, and a large one must not hold a request open). The upload is checked for size,
stored private (0600: it may carry ID numbers) and queued; the worker checks the rest of the limits, reads
the sheet and records it with ``ballots_import_sheet`` — one transaction, all or nothing, errors by row.
While it runs the worker stamps a heartbeat (gongzhi.core.heartbeat); a job whose stamp stops lost its
worker. Its transaction died with it (the database rolls an unfinished transaction back), so recovery only
queues it again or, after ``MAX_ATTEMPTS``, fails it. The file is deleted once the job ends.
"""

from __future__ import annotations

import logging
import uuid
from datetime import datetime
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from gongzhi.accounts.roles import Action
from gongzhi.affairs.models import SheetJob, SheetStatus, Vote
from gongzhi.affairs.services.common import _check
from gongzhi.affairs.services.paper import SheetImport, ballots_import_sheet
from gongzhi.core import heartbeat, job_language
from gongzhi.core.files import open_private, private_dir
from gongzhi.core.sheet_limits import SheetTooLarge, check_upload_size

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 2
LOST_MESSAGE = gettext_lazy("后台任务进程在录入中途停止，未录入任何表决票；请重新上传")
RETRY_MESSAGE = gettext_lazy("后台任务进程中断，已重新排队")
ACTIVE = (SheetStatus.PENDING, SheetStatus.RUNNING)


def sheets_dir() -> Path:
    """Beside the ledger uploads, so `manage.py purge_uploads` deletes a sheet no worker ever read after
    GONGZHI_UPLOAD_RETENTION_DAYS (a finished job's file is deleted at once)."""
    return Path(settings.VAR_DIR) / "ledgers" / "ballot_sheets"


def sheet_job_create(*, vote: Vote, actor: Any, upload: Any) -> SheetJob:
    """Store the uploaded sheet privately and record its job (the caller queues it). A file over the upload
    limit raises ValidationError and nothing is stored."""
    _check(actor, Action.VOTE_MANAGE, vote)
    try:
        check_upload_size(upload.size or 0)  # the other limits are checked by the worker, before parsing
    except SheetTooLarge as exc:
        raise ValidationError(str(exc)) from exc
    target = private_dir(sheets_dir()) / f"{uuid.uuid4().hex}.xlsx"
    with open_private(target) as out:
        for chunk in upload.chunks():
            out.write(chunk)
    return SheetJob.objects.create(
        vote=vote,
        file=str(target),
        original_name=(upload.name or "")[:255],
        created_by_id=actor.pk,
        language=job_language.current(),
    )


def sheet_job_run(job_id: int, task_id: str = "") -> SheetJob:
    """Read and record a queued sheet (the worker's side); a second delivery of the same job does nothing."""
    sheet_jobs_recover_stale()  # a job an earlier worker left behind goes first
    claimed = SheetJob.objects.filter(pk=job_id, status=SheetStatus.PENDING).update(
        status=SheetStatus.RUNNING, attempts=F("attempts") + 1, task_id=task_id, heartbeat_at=timezone.now()
    )
    job = SheetJob.objects.select_related("vote", "created_by").get(pk=job_id)
    if not claimed:
        return job
    with job_language.speaking(job.language):  # messages and row errors in the requester's language
        _run_claimed(job)
    job.refresh_from_db()
    return job


def _run_claimed(job: SheetJob) -> None:
    try:
        with heartbeat.beating(SheetJob, job.pk):
            outcome = _record(job)
    except Exception as exc:
        _finish(job, SheetStatus.FAILED, message=_("录入时发生内部错误，未录入任何表决票"))
        logger.exception("ballot sheet job %s failed", job.pk)
        raise RuntimeError(f"ballot sheet job {job.pk} failed") from exc
    if isinstance(outcome, str):
        _finish(job, SheetStatus.FAILED, message=outcome)
    elif isinstance(outcome, SheetImport):
        counts = {
            "rows": outcome.rows,
            "recorded": outcome.recorded,
            "changed": outcome.changed,
            "unchanged": outcome.unchanged,
        }
        _finish(job, SheetStatus.DONE, counts=counts)
    else:
        errors = [{"row": e.row, "column": e.column, "message": str(e.message)} for e in outcome[:2000]]
        n = len(outcome)
        message = ngettext("%(n)d 处问题，未录入任何表决票", "%(n)d 处问题，未录入任何表决票", n) % {"n": n}
        _finish(job, SheetStatus.REJECTED, errors=errors, message=message)


def _record(job: SheetJob) -> SheetImport | list[Any] | str:
    """The import's outcome, or the reason it could not run (a message for the page)."""
    if job.created_by is None:
        return _("上传表格的账号已删除，未录入任何表决票")
    try:
        data = Path(job.file).read_bytes()
    except OSError:
        return _("上传的文件已不在服务器上，未录入任何表决票；请重新上传")
    try:
        return ballots_import_sheet(vote=job.vote, actor=job.created_by, data=data)
    except PermissionDenied:
        return _("上传表格的账号已无权录入本次表决的纸质票，未录入任何表决票")
    except ValidationError as exc:  # e.g. the vote closed while the sheet waited
        return "；".join(exc.messages)[:300]


def _finish(job: SheetJob, status: str, **fields: Any) -> None:
    SheetJob.objects.filter(pk=job.pk).update(status=status, finished_at=timezone.now(), **fields)
    Path(job.file).unlink(missing_ok=True)  # ID numbers: kept no longer than the job needs them


def sheet_jobs_recover_stale(now: datetime | None = None) -> list[int]:
    """Retry or fail every running job whose heartbeat stopped; returns their ids."""
    now = now or timezone.now()
    cutoff = now - heartbeat.stale_after()
    silent = Q(heartbeat_at__lt=cutoff) | Q(heartbeat_at__isnull=True, created_at__lt=cutoff)
    recovered = []
    for job in SheetJob.objects.filter(silent, status=SheetStatus.RUNNING).only(
        "pk", "heartbeat_at", "file", "language"
    ):
        # Claim it: only one process wins this update, the others see a fresh stamp.
        if not SheetJob.objects.filter(
            pk=job.pk, status=SheetStatus.RUNNING, heartbeat_at=job.heartbeat_at
        ).update(heartbeat_at=now):
            continue
        attempts = SheetJob.objects.filter(pk=job.pk).values_list("attempts", flat=True).get()
        logger.warning(
            "ballot sheet job %s lost its worker; %s", job.pk, "retry" if attempts < MAX_ATTEMPTS else "fail"
        )
        with job_language.speaking(job.language):
            retry_message, lost_message = str(RETRY_MESSAGE), str(LOST_MESSAGE)
        if attempts < MAX_ATTEMPTS:
            SheetJob.objects.filter(pk=job.pk).update(status=SheetStatus.PENDING, message=retry_message)
            from gongzhi.affairs.tasks import sheet_job_task

            sheet_job_task.enqueue(job.pk)
        else:
            _finish(job, SheetStatus.FAILED, message=lost_message)
        recovered.append(job.pk)
    return recovered


def is_stale(job: SheetJob, now: datetime | None = None) -> bool:
    if job.status != SheetStatus.RUNNING:
        return False
    return (now or timezone.now()) - (job.heartbeat_at or job.created_at) > heartbeat.stale_after()
