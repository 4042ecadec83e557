"""The centre's events (ceremonies, summits, roadshows): the list with guests and agreements counted, and an
event's page with each agreement's path to landing since the signing — signed is not landed."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from gongzhi.accounts.access import get_or_404
from gongzhi.centre import selectors
from gongzhi.centre.models import VIEW, Centre, Event


@login_required
def events(request: HttpRequest, pk: int) -> HttpResponse:
    centre = get_or_404(request.user, Centre.objects.all(), VIEW, pk=pk)
    return render(request, "centre/events.html", {"centre": centre, "events": selectors.events(centre.pk)})


@login_required
def event(request: HttpRequest, pk: int) -> HttpResponse:
    found = get_or_404(request.user, Event.objects.select_related("centre"), VIEW, pk=pk)
    return render(
        request,
        "centre/event.html",
        {
            "e": found,
            "guests": found.guests.order_by("-attended", "id"),
            "rows": selectors.event_agreements(found),
        },
    )
