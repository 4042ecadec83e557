"""The joint-attraction pipeline's pages: the board of one platform (columns = the configured stages), a
project's page with its steps and credits, and the forms that create, edit, move and credit it.
Thin: one permission check each, a selector or a service, render."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gongzhi.accounts.access import can, get_or_404
from gongzhi.centre import selectors, services
from gongzhi.centre.forms import (
    AdvanceForm,
    CreditForm,
    LandForm,
    NeedForm,
    ProjectForm,
    credit_field,
    land_initial,
    need_of,
)
from gongzhi.centre.models import EDIT, VIEW, Centre, Part, Project

PROJECT = Project.objects.select_related("centre", "platform", "stage", "industry", "enterprise")


def _int(value: str | None) -> int:
    try:
        return max(0, int(value or 0))
    except ValueError:
        return 0


def _errors(form: Any, exc: ValidationError) -> None:
    for message in exc.messages:
        form.add_error(None, message)


@login_required
def board(request: HttpRequest, pk: int) -> HttpResponse:
    centre = get_or_404(request.user, Centre.objects.all(), VIEW, pk=pk)
    platforms = list(centre.platforms.all())
    chosen = _int(request.GET.get("platform"))
    platform = next((p for p in platforms if p.pk == chosen), None)
    return render(
        request,
        "centre/board.html",
        {
            "centre": centre,
            "platforms": platforms,
            "platform": platform,
            "columns": selectors.board(centre, platform.pk if platform else None),
            "may_edit": can(request.user, EDIT, centre),
            "per_column": selectors.CARDS,
        },
    )


@login_required
def project_new(request: HttpRequest, pk: int) -> HttpResponse:
    centre = get_or_404(request.user, Centre.objects.all(), EDIT, pk=pk)
    form = ProjectForm(request.POST or None, centre=centre, creating=True)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            project = services.project_create(actor=request.user, created_on=timezone.localdate(), **data)
        except ValidationError as exc:
            _errors(form, exc)
        else:
            messages.success(request, _("已登记项目：%(name)s") % {"name": project.name})
            return redirect("centre:project", pk=project.pk)
    return render(request, "centre/project_form.html", {"centre": centre, "form": form, "project": None})


@login_required
def project_edit(request: HttpRequest, pk: int) -> HttpResponse:
    project = get_or_404(request.user, PROJECT, EDIT, pk=pk)
    initial = {name: getattr(project, name) for name in services.EDITABLE}
    form = ProjectForm(request.POST or None, initial=initial, centre=project.centre, creating=False)
    if request.method == "POST" and form.is_valid():
        try:
            services.project_update(actor=request.user, project=project, **form.cleaned_data)
        except ValidationError as exc:
            _errors(form, exc)
        else:
            messages.success(request, _("已保存。"))
            return redirect("centre:project", pk=project.pk)
    return render(
        request, "centre/project_form.html", {"centre": project.centre, "form": form, "project": project}
    )


def _page(
    request: HttpRequest,
    project: Project,
    *,
    advance: AdvanceForm | None = None,
    credit: CreditForm | None = None,
    status: int = 200,
) -> HttpResponse:
    may_edit = can(request.user, EDIT, project)
    credits = list(project.credits.all())
    return render(
        request,
        "centre/project.html",
        {
            "p": project,
            "overdue": selectors.overdue(project, timezone.localdate()),
            "steps": project.steps.select_related("stage").order_by("on", "id"),
            "credits": credits,
            "credit_history": selectors.credit_history(project.pk),
            "parts": Part.choices,
            "need": urlencode(need_of(project, timezone.localdate())),
            "may_edit": may_edit,
            "advance": advance or AdvanceForm(initial={"on": timezone.localdate()}),
            "credit": credit or CreditForm(initial={credit_field(c.part, c.party): c.share for c in credits}),
        },
        status=status,
    )


@login_required
def project(request: HttpRequest, pk: int) -> HttpResponse:
    return _page(request, get_or_404(request.user, PROJECT, VIEW, pk=pk))


@login_required
@require_POST
def project_advance(request: HttpRequest, pk: int) -> HttpResponse:
    project = get_or_404(request.user, PROJECT, EDIT, pk=pk)
    form = AdvanceForm(request.POST)
    if form.is_valid():
        d = form.cleaned_data
        try:
            services.project_advance(
                actor=request.user,
                project=project,
                stage=d["stage"],
                on=d["on"],
                evidence=d["evidence"],
                credit_code=d["credit_code"],
                registered_on=d["registered_on"],
            )
        except ValidationError as exc:
            _errors(form, exc)
        else:
            messages.success(request, _("已进入%(stage)s阶段。") % {"stage": d["stage"].name})
            return redirect("centre:project", pk=project.pk)
    project = PROJECT.get(pk=pk)  # the refused move wrote nothing: show the project as it stands
    return _page(request, project, advance=form, status=400)


@login_required
@require_POST
def project_credit(request: HttpRequest, pk: int) -> HttpResponse:
    project = get_or_404(request.user, PROJECT, EDIT, pk=pk)
    form = CreditForm(request.POST)
    if form.is_valid():
        shares = form.shares()
        if not shares:
            form.add_error(None, _("请至少填写一个环节的份额。"))
        else:
            try:
                services.project_credit(actor=request.user, project=project, credits=shares)
            except ValidationError as exc:
                _errors(form, exc)
            else:
                messages.success(request, _("已记录各方贡献。"))
                return redirect("centre:project", pk=project.pk)
    return _page(request, project, credit=form, status=400)


@login_required
def match(request: HttpRequest, pk: int) -> HttpResponse:
    """Space matching: an enterprise's needs (GET) against the rooms free over its dates, ranked, with why."""
    centre = get_or_404(request.user, Centre.objects.all(), VIEW, pk=pk)
    asked = "area_min" in request.GET
    form = NeedForm(request.GET if asked else None, initial={"from_on": timezone.localdate()})
    found = selectors.space_matches(centre.pk, form.need()) if asked and form.is_valid() else None
    landing = _to_land(request, centre, _int(request.GET.get("project")))
    dates = {k: request.GET.get(k, "") for k in ("from_on", "until_on")} if found is not None else {}
    return render(
        request,
        "centre/match.html",
        {"centre": centre, "form": form, "found": found, "landing": landing, "dates": urlencode(dates)},
        status=400 if asked and found is None else 200,
    )


def _to_land(request: HttpRequest, centre: Centre, pk: int) -> Project | None:
    """The project the matching was asked for, when the user may land it here and it has not landed."""
    project = PROJECT.filter(pk=pk, centre=centre).first() if 0 < pk < 2**63 else None
    if project is None or project.enterprise_id is not None or not can(request.user, EDIT, project):
        return None
    return project


@login_required
def project_land(request: HttpRequest, pk: int) -> HttpResponse:
    """Land a project in a room chosen on the matching page: it becomes an enterprise with a lease
    (services.project_land); a refusal (not registered, the room let) writes nothing and answers 400."""
    project = get_or_404(request.user, PROJECT, EDIT, pk=pk)
    initial = land_initial(request.GET, timezone.localdate())
    form = LandForm(request.POST or None, initial=initial, centre=project.centre)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            d = form.cleaned_data
            try:
                landed = services.project_land(
                    actor=request.user,
                    project=project,
                    space=d["space"],
                    starts_on=d["starts_on"],
                    ends_on=d["ends_on"],
                    monthly_rent_yuan=d["monthly_rent_yuan"],
                    incentive=d["incentive"],
                )
            except ValidationError as exc:
                _errors(form, exc)
                project = PROJECT.get(pk=pk)  # nothing was written: show the project as it stands
            else:
                messages.success(
                    request,
                    _("已落地：%(name)s 租用房间 %(room)s。")
                    % {"name": landed.enterprise.name, "room": landed.lease.space.number},
                )
                return redirect("centre:project", pk=project.pk)
    return render(request, "centre/land.html", {"p": project, "form": form}, status=status)
