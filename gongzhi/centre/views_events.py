"""The centre's events (ceremonies, summits, roadshows): the list with guests and agreements counted, an
event's page with each agreement's path to landing since the signing — signed is not landed — and the forms
that record an event, its guests and the agreements signed at it."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gongzhi.accounts.access import can, get_or_404
from gongzhi.centre import selectors, services_events
from gongzhi.centre.forms import AgreementForm, EventForm
from gongzhi.centre.models import EDIT, VIEW, Centre, Event


def _errors(form: Any, exc: ValidationError) -> None:
    for message in exc.messages:
        form.add_error(None, message)


@login_required
def events(request: HttpRequest, pk: int) -> HttpResponse:
    centre = get_or_404(request.user, Centre.objects.all(), VIEW, pk=pk)
    return render(
        request,
        "centre/events.html",
        {
            "centre": centre,
            "events": selectors.events(centre.pk),
            "may_edit": can(request.user, EDIT, centre),
        },
    )


def _page(
    request: HttpRequest, found: Event, agreement: AgreementForm | None = None, status: int = 200
) -> HttpResponse:
    may_edit = can(request.user, EDIT, found)
    return render(
        request,
        "centre/event.html",
        {
            "e": found,
            "guests": found.guests.order_by("-attended", "id"),
            "rows": selectors.event_agreements(found),
            "may_edit": may_edit,
            "agreement": (agreement or AgreementForm(centre=found.centre)) if may_edit else None,
        },
        status=status,
    )


@login_required
def event(request: HttpRequest, pk: int) -> HttpResponse:
    return _page(request, get_or_404(request.user, Event.objects.select_related("centre"), VIEW, pk=pk))


def _save(request: HttpRequest, form: EventForm, centre: Centre, found: Event | None) -> Event | None:
    d = form.cleaned_data
    fields = {"kind": d["kind"], "title": d["title"], "held_on": d["held_on"]}
    try:
        with transaction.atomic():  # the event and its guests, or neither
            if found is None:
                found = services_events.event_create(actor=request.user, centre=centre, **fields)
            else:
                services_events.event_update(actor=request.user, event=found, **fields)
            services_events.guests_set(actor=request.user, event=found, guests=form.guests())
    except ValidationError as exc:
        _errors(form, exc)
        return None
    return found


@login_required
def event_new(request: HttpRequest, pk: int) -> HttpResponse:
    centre = get_or_404(request.user, Centre.objects.all(), EDIT, pk=pk)
    form = EventForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and (saved := _save(request, form, centre, None)):
        messages.success(request, _("已登记活动：%(title)s") % {"title": saved.title})
        return redirect("centre:event", pk=saved.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request, "centre/event_form.html", {"centre": centre, "form": form, "e": None}, status=status
    )


@login_required
def event_edit(request: HttpRequest, pk: int) -> HttpResponse:
    found = get_or_404(request.user, Event.objects.select_related("centre"), EDIT, pk=pk)
    guests = list(found.guests.order_by("id"))
    initial = {
        "kind": found.kind,
        "title": found.title,
        "held_on": found.held_on,
        "attended": "\n".join(g.organisation for g in guests if g.attended),
        "absent": "\n".join(g.organisation for g in guests if not g.attended),
    }
    form = EventForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid() and _save(request, form, found.centre, found):
        messages.success(request, _("已保存。"))
        return redirect("centre:event", pk=found.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request, "centre/event_form.html", {"centre": found.centre, "form": form, "e": found}, status=status
    )


@login_required
@require_POST
def agreement_new(request: HttpRequest, pk: int) -> HttpResponse:
    found = get_or_404(request.user, Event.objects.select_related("centre"), EDIT, pk=pk)
    form = AgreementForm(request.POST, centre=found.centre)
    if form.is_valid():
        d = form.cleaned_data
        try:
            services_events.agreement_sign(
                actor=request.user,
                event=found,
                project=d["project"],
                amount_yuan=d["amount_yuan"],
                follow_up=d["follow_up"],
            )
        except ValidationError as exc:
            _errors(form, exc)
        else:
            messages.success(request, _("已登记签约：%(name)s") % {"name": d["project"].name})
            return redirect("centre:event", pk=found.pk)
    return _page(request, found, form, status=400)
