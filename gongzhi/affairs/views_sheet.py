"""The paper-ballot sheet: upload (queued for a background worker) and the job's page with its outcome."""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gongzhi.accounts.access import get_or_404
from gongzhi.accounts.roles import Action
from gongzhi.affairs import forms, selectors, services
from gongzhi.affairs.models import SheetJob, SheetStatus, Vote
from gongzhi.affairs.services.sheet_jobs import is_stale

# A worker polls every second; a job still queued after this long means none is running (docs/operations.md).
NO_WORKER_AFTER = timedelta(seconds=10)


def _vote(request: HttpRequest, pk: int) -> Vote:
    return get_or_404(request.user, selectors.vote_with_related(), Action.VOTE_MANAGE, pk=pk)


@login_required
@require_POST
def vote_sheet(request: HttpRequest, pk: int) -> HttpResponse:
    """Store the sheet and queue it; the job's page shows the outcome (all or nothing, problems by row)."""
    vote = _vote(request, pk)
    form = forms.SheetForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("请选择 .xlsx 文件。"))
        return redirect("affairs:vote", pk=pk)
    try:
        job = services.sheet_job_create(vote=vote, actor=request.user, upload=form.cleaned_data["sheet"])
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
        return redirect("affairs:vote", pk=pk)
    from gongzhi.affairs.tasks import enqueue

    enqueue(job.pk)
    return redirect("affairs:vote_sheet_job", pk=pk, job=job.pk)


@login_required
def vote_sheet_job(request: HttpRequest, pk: int, job: int) -> HttpResponse:
    """A sheet's job: queued, being read, or its outcome; polled by htmx until it ends."""
    vote = _vote(request, pk)
    found = SheetJob.objects.filter(pk=job, vote=vote).first()
    if found is None:
        raise Http404
    if is_stale(found):  # its worker died: retry or fail it now, so the page tells the truth
        services.sheet_jobs_recover_stale()
        found.refresh_from_db()
    no_worker = found.status == SheetStatus.PENDING and timezone.now() - found.created_at > NO_WORKER_AFTER
    context = {"vote": vote, "job": found, "no_worker": no_worker}
    partial = request.headers.get("HX-Request")
    return render(request, "affairs/_sheet_job.html" if partial else "affairs/sheet_job.html", context)
