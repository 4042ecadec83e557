"""Pages of the centre: overview (occupancy, platforms, funnel, parties, overdue), enterprises (filtered,
keyset pages) and the one-stop service requests (a contact files and rates, a handler answers).
Thin: check with gongzhi.accounts.access, call a selector or a service, render."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gongzhi.accounts.access import can, get_or_404, scoped
from gongzhi.centre import selectors, selectors_items, services
from gongzhi.centre.models import (
    REQUEST,
    SERVE,
    VIEW,
    Centre,
    Enterprise,
    Industry,
    Part,
    Party,
    ServiceItem,
    ServiceRequest,
)


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The first centre in the user's places (403 to whoever holds centre.view nowhere)."""
    if not can(request.user, VIEW):
        raise PermissionDenied
    first = scoped(request.user, Centre.objects.order_by("id"), VIEW).first()
    if first is None:
        return redirect("centre:requests")
    return redirect("centre:overview", pk=first.pk)


@login_required
def overview(request: HttpRequest, pk: int) -> HttpResponse:
    centre = get_or_404(request.user, Centre.objects.select_related("division"), VIEW, pk=pk)
    path = centre.path
    platforms = list(centre.platforms.all())
    pipeline = selectors.pipeline(centre)
    funnels = pipeline["funnels"]
    credits = pipeline["by_party"]
    parties = [
        (label, [credits.get(part, {}).get(party, 0) / 100 for part in Part.values])
        for party, label in Party.choices
    ]
    stages = [row["stage"] for row in funnels[None]]
    by_party = pipeline["days_by_party"]

    return render(
        request,
        "centre/overview.html",
        {
            "centre": centre,
            "occupancy": selectors.occupancy(path),
            "vacant": selectors.vacant_spaces(path).count(),
            "funnel": funnels[None],
            "by_platform": [(p, funnels.get(p.pk) or _empty(funnels[None])) for p in platforms],
            "parts": Part.labels,
            "parties": parties,
            "stages": stages,
            "days_by_platform": [
                (p.name, [row["days"] for row in funnels.get(p.pk, [])] or [None] * len(stages))
                for p in platforms
            ],
            "days_by_party": [
                (label, [by_party.get(party, {}).get(s.pk) for s in stages]) for party, label in Party.choices
            ],
            "overdue": list(selectors.overdue_projects(path)[:20]),
            "soon": selectors.due_soon(path),
            "soon_days": selectors.SOON,
            "agreements": selectors.agreement_figures(path),
            "service": selectors.service_figures(path),
            "settled": pipeline["settled"],
        },
    )


def _empty(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{**row, "reached": 0, "current": 0} for row in rows]


def _int(value: str | None) -> int:
    try:
        return max(0, int(value or 0))
    except ValueError:
        return 0


@login_required
def enterprises(request: HttpRequest, pk: int) -> HttpResponse:
    centre = get_or_404(request.user, Centre.objects.all(), VIEW, pk=pk)
    filters: dict[str, Any] = {}
    platform = _int(request.GET.get("platform"))
    if platform:
        filters["platform_id"] = platform
    kind = request.GET.get("kind", "")
    if kind in Enterprise.Kind.values:
        filters["kind"] = kind
    industry = request.GET.get("industry", "")[:1]
    industries = list(Industry.objects.all())  # 20 sections: the filter's choices, and its id (no join)
    if industry:
        filters["industry_id"] = next((i.pk for i in industries if i.code == industry), 0)
    after = _int(request.GET.get("after"))
    rows = selectors.enterprise_page(centre.pk, after=after, size=50, **filters)
    query = request.GET.copy()
    query["after"] = str(rows[-1].pk) if rows else "0"
    return render(
        request,
        "centre/enterprises.html",
        {
            "centre": centre,
            "rows": rows,
            "platforms": centre.platforms.all(),
            "kinds": Enterprise.Kind.choices,
            "industries": industries,
            "chosen": {"platform": platform, "kind": kind, "industry": industry},
            "next_query": query.urlencode() if len(rows) == 50 else "",
        },
    )


@login_required
def requests(request: HttpRequest) -> HttpResponse:
    """Handlers see the requests of their places; an enterprise contact sees its own enterprises' only."""
    user = request.user
    assert isinstance(user, User)  # login_required
    if not (can(user, VIEW) or can(user, REQUEST)):
        raise PermissionDenied
    qs = ServiceRequest.objects.select_related("item", "enterprise").order_by("-filed_on", "-id")
    staff = scoped(user, qs, VIEW)
    own = scoped(user, qs, REQUEST).filter(enterprise__contacts=user)
    rows = list((staff | own).distinct().prefetch_related("alerts")[:200])
    mine = list(scoped(user, Enterprise.objects.filter(contacts=user), REQUEST))
    items = selectors_items.offered_items([e.centre_id for e in mine]) if mine else []
    return render(
        request,
        "centre/requests.html",
        {
            "rows": [(r, can(user, SERVE, r), r.enterprise in mine) for r in rows],
            "mine": mine,
            "items": items,
            "overdue": {r.pk for r in rows if r.status == "open" and r.due_on < date.today()},
            "soon": {
                r.pk
                for r in rows
                if r.status == "open" and 0 <= (r.due_on - date.today()).days <= selectors.SOON
            },
        },
    )


def _done(request: HttpRequest, work: Any, success: str) -> HttpResponse:
    try:
        work()
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, success)
    return redirect("centre:requests")


@login_required
@require_POST
def request_file(request: HttpRequest, pk: int) -> HttpResponse:
    enterprise = get_or_404(request.user, Enterprise.objects.all(), REQUEST, pk=pk)
    item = ServiceItem.objects.filter(
        pk=_int(request.POST.get("item")), centre_id=enterprise.centre_id
    ).first()
    if item is None:
        messages.error(request, _("请选择服务事项。"))
        return redirect("centre:requests")
    return _done(
        request,
        lambda: services.service_request_file(
            actor=request.user, enterprise=enterprise, item=item, detail=request.POST.get("detail", "")
        ),
        _("诉求已提交，已转%(handler)s办理。") % {"handler": item.handler},
    )


@login_required
@require_POST
def request_answer(request: HttpRequest, pk: int) -> HttpResponse:
    req = get_or_404(request.user, ServiceRequest.objects.select_related("item"), SERVE, pk=pk)
    return _done(
        request,
        lambda: services.service_request_answer(
            actor=request.user, request=req, outcome=request.POST.get("outcome", "")
        ),
        _("已办结。"),
    )


@login_required
@require_POST
def request_rate(request: HttpRequest, pk: int) -> HttpResponse:
    req = get_or_404(request.user, ServiceRequest.objects.select_related("enterprise"), REQUEST, pk=pk)
    return _done(
        request,
        lambda: services.service_request_rate(
            actor=request.user, request=req, rating=_int(request.POST.get("rating"))
        ),
        _("感谢您的评价。"),
    )
