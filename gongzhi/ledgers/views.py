"""Ledger pages: templates, exports, uploads with a background import and its progress bar."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header

from gongzhi.accounts.access import can, get_or_404, home_paths
from gongzhi.core import job_language
from gongzhi.core.sheet_limits import SheetTooLarge, check_upload_size
from gongzhi.ledgers.access import export_action, import_action, import_actions, may_export_at, usable_ledgers
from gongzhi.ledgers.files import private_export_path, private_file, private_upload_path
from gongzhi.ledgers.importer import LEDGERS, get_ledger, template_file
from gongzhi.ledgers.jobs import is_stale, recover_stale
from gongzhi.ledgers.models import ImportStatus, JobKind, LedgerExport, LedgerImport
from gongzhi.ledgers.xlsx import stream_workbook
from gongzhi.places.models import Compound, Division

# Exports of places with more homes than this run as background jobs; smaller ones stream at once.
EXPORT_INLINE_HOMES = 20_000
# A worker polls every second; a job still queued after this long means none is running (docs/ledgers.md).
NO_WORKER_AFTER = timedelta(seconds=10)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _ledger(slug: str):  # type: ignore[no-untyped-def]
    try:
        return get_ledger(slug)
    except KeyError:
        raise Http404 from None


def _spooled() -> tuple[tempfile._TemporaryFileWrapper[bytes], Path]:
    tmp = tempfile.NamedTemporaryFile(suffix=".xlsx", delete=True)  # noqa: SIM115 - closed by FileResponse
    return tmp, Path(tmp.name)


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The ledgers this user may use, each with its template, its import form where the user may import
    it, and its export for the place named in `?place=` where the user may export it there."""
    usable = usable_ledgers(request.user)
    if not usable:
        raise PermissionDenied
    place = request.GET.get("place", "").strip()[:16]
    model = Compound if len(place) == 15 else Division
    export_place = model.objects.filter(code=place).first() if place else _home_place(request.user)
    place = export_place.code if export_place is not None else place
    rows = [
        {
            "ledger": u.ledger,
            "may_import": u.may_import,
            "may_export": export_place is not None
            and u.may_export
            and may_export_at(request.user, u.ledger, export_place),
        }
        for u in usable
    ]
    context = {
        "rows": rows,
        "place": place,
        "export_place": export_place,
        "imports": LedgerImport.objects.filter(created_by_id=request.user.pk)[:10],
    }
    return render(request, "ledgers/home.html", context)


def _home_place(user: Any) -> Compound | Division | None:
    """Without `?place=`, exports are offered for the top of the user's scope (a town's staff: their town)."""
    paths = home_paths(user)
    if len(paths) != 1:
        return None
    return Division.objects.filter(path=paths[0]).first() or Compound.objects.filter(path=paths[0]).first()


@login_required
def template(request: HttpRequest, slug: str) -> FileResponse:
    ledger = _ledger(slug)
    if not (can(request.user, import_action(ledger)) or can(request.user, export_action(ledger))):
        raise PermissionDenied  # found by the generated permission matrix: it had no check
    _tmp, path = _spooled()
    template_file(ledger, path)
    return FileResponse(
        open(path, "rb"), as_attachment=True, filename=f"{short_title(ledger)}-模板.xlsx", content_type=XLSX
    )


def short_title(ledger: Any) -> str:
    """The ledger's name for file names, in one language with the sheets: 房屋业主台账, 党建台账."""
    return str(ledger.title).split("（")[0]


@login_required
def export(request: HttpRequest, slug: str) -> HttpResponseBase:
    """The ledger of a place, sent to the client as it is produced (gongzhi.ledgers.xlsx.stream_workbook)."""
    ledger = _ledger(slug)
    code = request.GET.get("place", "").strip()
    place: Compound | Division
    action = export_action(ledger)
    if len(code) == 15:
        place = get_or_404(request.user, Compound.objects.all(), action, code=code)
    else:
        place = get_or_404(request.user, Division.objects.all(), action, code=code)
    # A file that carries full ID numbers (the import's key) goes only to roles that may see them unmasked.
    if not may_export_at(request.user, ledger, place):
        raise PermissionDenied
    filename = f"{place.name}-{short_title(ledger)}-{timezone.localdate().isoformat()}.xlsx"
    if place.homes_count > EXPORT_INLINE_HOMES or request.GET.get("background") == "1":
        return _export_job(request, ledger, place, filename)
    response = StreamingHttpResponse(_recorded(ledger, place.path, request.user), content_type=XLSX)
    response["Content-Disposition"] = content_disposition_header(True, filename) or "attachment"
    return response


def _export_job(request: HttpRequest, ledger: Any, place: Compound | Division, filename: str) -> HttpResponse:
    """A long export (a district's homes took ~48 s to its first byte): a background job whose status page
    shows a progress bar and, when done, the download link."""
    job = LedgerImport.objects.create(
        ledger=ledger.slug,
        kind=JobKind.EXPORT,
        place_path=place.path,
        file=str(private_export_path()),
        original_name=filename[:255],
        created_by_id=request.user.pk,
        language=job_language.current(),
    )
    from gongzhi.ledgers.tasks import export_ledger_task

    export_ledger_task.enqueue(job.pk)
    return redirect("ledgers:status", pk=job.pk)


def _recorded(ledger: Any, place_path: str, user: Any) -> Iterator[bytes]:
    """The export's bytes; the export is recorded once the last row has gone out."""
    counter = [0]
    yield from stream_workbook(ledger.export(place_path, user), counter)
    LedgerExport.objects.create(ledger=ledger.slug, place_path=place_path, rows=counter[0], user=user)


@login_required
def upload(request: HttpRequest) -> HttpResponse:
    if request.method != "POST" or not any(can(request.user, a) for a in import_actions()):
        raise PermissionDenied
    slug = request.POST.get("ledger", "")
    upload_file = request.FILES.get("file")
    if slug not in LEDGERS or upload_file is None:
        return redirect("ledgers:home")
    if not can(request.user, import_action(get_ledger(slug))):
        raise PermissionDenied
    try:
        check_upload_size(upload_file.size or 0)  # the rest of the limits are checked by the import itself
    except SheetTooLarge as exc:
        messages.error(request, str(exc))
        return redirect("ledgers:home")
    target = private_upload_path()
    with private_file(target) as out:  # full ID numbers: readable by the service user only
        for chunk in upload_file.chunks():
            out.write(chunk)
    job = LedgerImport.objects.create(
        ledger=slug,
        file=str(target),
        original_name=(upload_file.name or "")[:255],
        created_by_id=request.user.pk,
        language=job_language.current(),
    )
    from gongzhi.ledgers.tasks import enqueue

    enqueue(job.pk)
    return redirect("ledgers:status", pk=job.pk)


def _job(request: HttpRequest, pk: int) -> LedgerImport:
    job = LedgerImport.objects.filter(pk=pk).first()
    if job is None or (job.created_by_id != request.user.pk and not request.user.is_superuser):
        raise Http404
    return job


@login_required
def status(request: HttpRequest, pk: int) -> HttpResponse:
    job = _job(request, pk)
    if is_stale(job):  # its worker died: undo and retry or fail it now, so the page tells the truth
        recover_stale()
        job.refresh_from_db()
    template_name = "ledgers/_progress.html" if request.headers.get("HX-Request") else "ledgers/status.html"
    finished = job.status in (ImportStatus.DONE, ImportStatus.REJECTED, ImportStatus.FAILED)
    no_worker = job.status == ImportStatus.PENDING and timezone.now() - job.created_at > NO_WORKER_AFTER
    return render(request, template_name, {"job": job, "finished": finished, "no_worker": no_worker})


@login_required
def download(request: HttpRequest, pk: int) -> FileResponse:
    """The workbook of a finished export job, to the user who asked for it only."""
    job = _job(request, pk)
    path = Path(job.file)
    if job.kind != JobKind.EXPORT or job.status != ImportStatus.DONE or not path.is_file():
        raise Http404
    return FileResponse(open(path, "rb"), as_attachment=True, filename=job.original_name, content_type=XLSX)
