"""The one-stop catalogue page: the centre's items (retired ones too) with their requests, and for
`centre.edit` the forms to add an item, change one and retire it. Thin: one permission check, a form, a
service (services_items), render; a refused write answers 400 with the reason on the page and writes nothing."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gongzhi.accounts.access import can, get_or_404
from gongzhi.centre import selectors_items, services_items
from gongzhi.centre.forms_items import ServiceItemForm
from gongzhi.centre.models import EDIT, VIEW, Centre, ServiceItem

ITEMS = ServiceItem.objects.select_related("centre")


def _page(
    request: HttpRequest,
    centre: Centre,
    *,
    new: forms.Form | None = None,
    failed: tuple[int, forms.Form] | None = None,
    error: tuple[int, str] | None = None,
    status: int = 200,
) -> HttpResponse:
    may_edit = can(request.user, EDIT, centre)
    today = timezone.localdate()
    rows = []
    for item in selectors_items.catalogue(centre.pk):
        form = None
        if may_edit and item.retired_on is None:
            form = (
                failed[1]
                if failed and failed[0] == item.pk
                else ServiceItemForm(
                    initial={
                        "category": item.category,
                        "name": item.name,
                        "handler": item.handler,
                        "limit_days": item.limit_days,
                    },
                    auto_id=f"id_%s_{item.pk}",
                )
            )
        rows.append((item, form, error[1] if error and error[0] == item.pk else ""))
    return render(
        request,
        "centre/items.html",
        {
            "centre": centre,
            "rows": rows,
            "new": (new or ServiceItemForm()) if may_edit else None,
            "today": today,
        },
        status=status,
    )


@login_required
def items(request: HttpRequest, pk: int) -> HttpResponse:
    return _page(request, get_or_404(request.user, Centre.objects.all(), VIEW, pk=pk))


def _errors(form: forms.Form, exc: ValidationError) -> None:
    for message in exc.messages:
        form.add_error(None, message)


def _row(form: ServiceItemForm) -> services_items.NewItem:
    d = form.cleaned_data
    return services_items.NewItem(d["category"], d["name"], d["handler"], d["limit_days"])


@login_required
@require_POST
def item_new(request: HttpRequest, pk: int) -> HttpResponse:
    centre = get_or_404(request.user, Centre.objects.all(), EDIT, pk=pk)
    form = ServiceItemForm(request.POST)
    if form.is_valid():
        try:
            item = services_items.service_item_create(actor=request.user, centre=centre, item=_row(form))
        except ValidationError as exc:
            _errors(form, exc)
        else:
            messages.success(request, _("已加入服务事项%(name)s。") % {"name": item.name})
            return redirect("centre:items", pk=centre.pk)
    return _page(request, centre, new=form, status=400)


@login_required
@require_POST
def item_edit(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_or_404(request.user, ITEMS, EDIT, pk=pk)
    form = ServiceItemForm(request.POST, auto_id=f"id_%s_{item.pk}")
    if form.is_valid():
        try:
            services_items.service_item_update(actor=request.user, item=item, change=_row(form))
        except ValidationError as exc:
            _errors(form, exc)
        else:
            messages.success(request, _("已修改服务事项%(name)s。") % {"name": item.name})
            return redirect("centre:items", pk=item.centre_id)
    return _page(request, item.centre, failed=(item.pk, form), status=400)


@login_required
@require_POST
def item_retire(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_or_404(request.user, ITEMS, EDIT, pk=pk)
    try:
        services_items.service_item_retire(actor=request.user, item=item)
    except ValidationError as exc:
        return _page(request, item.centre, error=(item.pk, "；".join(exc.messages)), status=400)
    messages.success(request, _("服务事项%(name)s已停办。") % {"name": item.name})
    return redirect("centre:items", pk=item.centre_id)
