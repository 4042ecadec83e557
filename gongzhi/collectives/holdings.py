"""Pages of one asset, resource or fund account of a collective: add, edit, and its own page with the
contracts on it (or the account's entries) and its history; and the correction of a fund entry.

Writes go through the services (holding_add, holding_update, entry_update), which check the collective,
the permission and the values, and keep one history record per write with the user as its author.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Model
from django.forms import BaseForm
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gongzhi.accounts.access import can, get_or_404
from gongzhi.accounts.history import history_rows
from gongzhi.collectives import selectors, services
from gongzhi.collectives.forms import AccountForm, AssetForm, EntryForm, ResourceForm
from gongzhi.collectives.models import MANAGE, VIEW, Account, Asset, Collective, Contract, Entry, Resource
from gongzhi.collectives.views import _collective, _decision_of, _form_errors
from gongzhi.organisations.models import Organisation

HISTORY_LIMIT = 30


@dataclass(frozen=True)
class Kind:
    model: type[Asset] | type[Resource] | type[Account]
    form: type[Any]
    noun: Any


KINDS = {
    "asset": Kind(Asset, AssetForm, gettext_lazy("资产")),
    "resource": Kind(Resource, ResourceForm, gettext_lazy("资源")),
    "account": Kind(Account, AccountForm, gettext_lazy("资金账户")),
}


def _kind(what: str) -> Kind:
    if what not in KINDS:
        raise Http404
    return KINDS[what]


def _history(obj: Model) -> list[dict[str, Any]]:
    return history_rows(obj)[:HISTORY_LIMIT]


@login_required
def holding_new(request: HttpRequest, pk: int, what: str) -> HttpResponse:
    kind = _kind(what)
    c = _collective(request, pk, MANAGE)
    form = kind.form(request.POST or None, instance=kind.model(collective=c, path=c.path))
    if request.method == "POST" and form.is_valid():
        try:
            row = services.holding_add(actor=request.user, row=form.instance)
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("已登记%(k)s：%(n)s") % {"k": kind.noun, "n": row.name})
            return redirect(f"collectives:{what}", pk=row.pk)
    title = _("登记%(k)s") % {"k": kind.noun}
    return render(request, "collectives/form.html", {"c": c, "form": form, "title": title})


@login_required
def holding_edit(request: HttpRequest, pk: int, what: str) -> HttpResponse:
    kind = _kind(what)
    row = get_or_404(request.user, kind.model.objects.all(), MANAGE, pk=pk)
    c, name = Collective.objects.get(pk=row.collective_id), row.name
    form = kind.form(request.POST or None, instance=row)
    if request.method == "POST" and form.is_valid():
        try:
            services.holding_update(actor=request.user, row=form.instance)
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("已保存"))
            return redirect(f"collectives:{what}", pk=row.pk)
    title = _("修改%(k)s：%(n)s") % {"k": kind.noun, "n": name}
    return render(request, "collectives/form.html", {"c": c, "form": form, "title": title})


@login_required
def holding(request: HttpRequest, pk: int, what: str) -> HttpResponse:
    """One asset, resource or account: its fields, the contracts on it or its entries, and its history."""
    kind = _kind(what)
    row = get_or_404(request.user, kind.model.objects.all(), VIEW, pk=pk)
    context: dict[str, Any] = {
        "row": row,
        "what": what,
        "noun": kind.noun,
        "c": Collective.objects.get(pk=row.collective_id),
        "may_manage": can(request.user, MANAGE, row),
        "history": _history(row),
    }
    if isinstance(row, Account):
        entries = Entry.objects.filter(account=row).select_related("decision").order_by("-on", "-id")
        context["page"] = Paginator(entries, 50).get_page(request.GET.get("page"))
        context["totals"] = selectors.account_totals(row)
    else:
        field = "asset" if isinstance(row, Asset) else "resource"
        contracts = Contract.objects.filter(**{field: row}).select_related("decision").order_by("-ends_on")
        context["contracts"] = contracts[:100]
    return render(request, "collectives/holding.html", context)


def _entry_form(data: Any, c: Organisation, entry: Entry | None = None) -> BaseForm:
    initial = {}
    if entry is not None:
        initial = {
            "account": entry.account_id,
            "on": entry.on,
            "direction": entry.direction,
            "amount_yuan": entry.amount_yuan,
            "summary": entry.summary,
            "decision": entry.decision_id or "",
        }
    return EntryForm(data, path=c.path, initial=initial)


@login_required
def entry_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Correct a fund entry (a wrong amount, date or summary); the history keeps what it said before."""
    entry = get_or_404(request.user, Entry.objects.select_related("account"), MANAGE, pk=pk)
    c = Collective.objects.get(pk=entry.account.collective_id)
    form = _entry_form(request.POST or None, c, entry)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        account = Account.objects.filter(pk=int(d["account"]), path=c.path).first()
        entry.account = account or entry.account
        entry.on, entry.direction = d["on"], d["direction"]
        entry.amount_yuan, entry.summary = d["amount_yuan"], d["summary"]
        entry.decision = _decision_of(c.path, d["decision"])
        try:
            services.entry_update(actor=request.user, entry=entry)
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("已更正收支"))
            return redirect("collectives:account", pk=entry.account_id)
    title = _("更正收支记录")
    return render(
        request,
        "collectives/form.html",
        {"c": c, "form": form, "title": title, "history": _history(entry)},
    )
