"""Organisers' paper tools on a vote: the canvass list and the pre-filled ballot and signature sheet."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from gongzhi.accounts.access import can, get_or_404
from gongzhi.accounts.roles import Action
from gongzhi.affairs import paper_forms, selectors, services
from gongzhi.affairs.models import Vote
from gongzhi.core.pdf import pdf_response
from gongzhi.places.models import Building

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _vote(request: HttpRequest, pk: int) -> Vote:
    return get_or_404(request.user, selectors.vote_with_related(), Action.VOTE_MANAGE, pk=pk)


def _part(request: HttpRequest, vote: Vote) -> tuple[Building | None, int | None]:
    """The building and unit asked for (query string), within the vote's compound; bad values are ignored."""
    raw_building, raw_unit = request.GET.get("building", ""), request.GET.get("unit", "")
    building = None
    if raw_building.isdigit() and len(raw_building) < 12:
        building = Building.objects.filter(pk=int(raw_building), compound_id=vote.compound_id).first()
    unit = int(raw_unit) if raw_unit.isdigit() and len(raw_unit) < 4 and building else None
    return building, unit


def _xlsx(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = content_disposition_header(True, filename) or "attachment"
    return response


@login_required
def vote_canvass(request: HttpRequest, pk: int) -> HttpResponse:
    """Homes whose owner has not voted yet, by building and unit (xlsx with ?format=xlsx)."""
    vote = _vote(request, pk)
    building, unit = _part(request, vote)
    rows = paper_forms.form_rows(vote, building_id=building.pk if building else None, unit_no=unit)
    phones = can(request.user, Action.PERSON_VIEW, vote)
    if request.GET.get("format") == "xlsx":
        return _xlsx(paper_forms.canvass_xlsx(vote, rows, phones=phones), f"未表决名单-{vote.pk}.xlsx")
    groups: dict[tuple[str, int, int], list[paper_forms.FormRow]] = {}
    for row in rows:
        if not row.voted:
            groups.setdefault((row.building, row.building_id, row.unit), []).append(row)
    context = {
        "vote": vote,
        "groups": [(b, bid, u, homes) for (b, bid, u), homes in groups.items()],
        "pending": sum(len(h) for h in groups.values()),
        "total": len(rows),
        "phones": phones,
        "buildings": Building.objects.filter(compound_id=vote.compound_id).order_by("seq"),
        "building": building,
        "unit": unit,
    }
    return render(request, "affairs/vote_canvass.html", context)


@login_required
def vote_form(request: HttpRequest, pk: int) -> HttpResponse:
    """The pre-filled paper ballot and signature sheet of a building or unit: PDF, or xlsx to fill in."""
    vote = _vote(request, pk)
    building, unit = _part(request, vote)
    rows = paper_forms.form_rows(vote, building_id=building.pk if building else None, unit_no=unit)
    part = f"{building.number}{f'{unit}单元' if unit else ''}" if building else ""
    name = f"表决票-{vote.pk}{('-' + part) if part else ''}"
    if request.GET.get("format") == "xlsx":
        return _xlsx(paper_forms.ballot_form_xlsx(vote, rows), f"{name}.xlsx")
    return pdf_response(paper_forms.ballot_form_pdf(vote, rows, part=part), f"{name}.pdf")


OPINION_LABELS = ("同意", "反对", "弃权", "废票")


@login_required
@require_http_methods(["GET", "POST"])
def vote_unit(request: HttpRequest, pk: int) -> HttpResponse:
    """The paper ballots of a whole unit on one screen: one opinion per home, checked and written at once."""
    vote = _vote(request, pk)
    building, unit = _part(request, vote)
    rows = paper_forms.form_rows(vote, building_id=building.pk, unit_no=unit) if building and unit else []
    home_ids = [r.home_id for r in rows]
    errors: list[str] = []
    status = 200
    if request.method == "POST" and rows:
        opinions = {}
        for home_id in home_ids:
            value = request.POST.get(f"h{home_id}", "")[:8]
            if value:
                opinions[home_id] = value
        result = services.ballots_record_unit(vote=vote, actor=request.user, opinions=opinions)
        if isinstance(result, list):
            rooms = {n: room for n, room in enumerate(_rooms(home_ids, rows, opinions), start=1)}
            errors = [f"{rooms.get(e.row, '')} {e.column}：{e.message}" for e in result]
            status = 400
        else:
            messages.success(
                request,
                _("已录入：新增 %(new)s 票，变更 %(changed)s 票，未变 %(same)s 票。")
                % {"new": result.recorded, "changed": result.changed, "same": result.unchanged},
            )
            return redirect(f"{request.path}?building={building.pk}&unit={unit}")  # type: ignore[union-attr]
    context = {
        "vote": vote,
        "buildings": Building.objects.filter(compound_id=vote.compound_id).order_by("seq"),
        "building": building,
        "unit": unit,
        "rows": rows,
        "labels": OPINION_LABELS,
        "errors": errors,
    }
    return render(request, "affairs/vote_unit.html", context, status=status)


def _rooms(home_ids: list[int], rows: list[paper_forms.FormRow], opinions: dict[int, str]) -> list[str]:
    """The room of each entry in the order the service numbers them (by home id)."""
    by_id = {h: r.room for h, r in zip(home_ids, rows, strict=True)}
    return [by_id.get(h, "") for h in sorted(opinions)]
