"""Background tasks of the affairs app (django-tasks): a paper-ballot sheet and its watchdog.

The watchdog comes back every `heartbeat.stale_after()` while the job is unfinished and recovers it once its
heartbeat stops (the worker died), so any worker — a restarted one included — retries or fails it.
"""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from django_tasks import TaskContext, task

from gongzhi.affairs.models import SheetJob
from gongzhi.affairs.services import sheet_jobs
from gongzhi.core import heartbeat


def enqueue(job_id: int) -> None:
    """Queue the sheet and its watchdog."""
    sheet_job_task.enqueue(job_id)
    if watch_sheet_job_task.get_backend().supports_defer:  # the immediate backend (tests) has run it already
        watch_sheet_job_task.using(run_after=timezone.now() + heartbeat.stale_after()).enqueue(job_id)


@task(takes_context=True)
def sheet_job_task(context: TaskContext, job_id: int) -> None:
    sheet_jobs.sheet_job_run(job_id, str(context.task_result.id))


@task()
def watch_sheet_job_task(job_id: int) -> None:
    job = SheetJob.objects.filter(pk=job_id).first()
    if job is None or job.finished:
        return
    if sheet_jobs.is_stale(job):
        sheet_jobs.sheet_jobs_recover_stale()
    if SheetJob.objects.filter(pk=job_id, status__in=sheet_jobs.ACTIVE).exists():
        later = timezone.now() + max(heartbeat.stale_after(), timedelta(seconds=1))
        watch_sheet_job_task.using(run_after=later).enqueue(job_id)
