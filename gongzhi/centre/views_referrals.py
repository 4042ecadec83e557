"""Pages of the finance referrals: a service request's own page (its referrals, the form to refer it to a
partner and to record the partner's result), a centre's referrals with filters (partner, result, overdue
answer) and the form that registers a partner. Thin: one permission check, a form, a service, render; a
refused write answers 400 with the reason on the page and writes nothing."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gongzhi.accounts.access import can, get_or_404, require
from gongzhi.centre import selectors_referrals as selectors
from gongzhi.centre import services_referrals as services
from gongzhi.centre.forms_referrals import (
    PartnerEndForm,
    PartnerForm,
    PartnerRenameForm,
    ReferralForm,
    ResultForm,
)
from gongzhi.centre.models import EDIT, REQUEST, SERVE, VIEW, Centre, Referral, ServiceRequest
from gongzhi.centre.rules_referrals import answer_overdue

REQUEST_QS = ServiceRequest.objects.select_related("item__centre", "enterprise")


def _own(user: Any, req: ServiceRequest) -> bool:
    return can(user, REQUEST, req) and req.enterprise.contacts.filter(pk=user.pk).exists()


def _visible(user: Any, pk: int, action: str = VIEW) -> ServiceRequest:
    """A request the user may do `action` on, or its enterprise's own contact's; 403 to whoever sees the
    place but lacks the right, 404 to anyone else (gongzhi.accounts.access.require)."""
    req = REQUEST_QS.filter(pk=pk).first()
    if req is None:
        raise Http404
    if not _own(user, req):
        require(user, action, req)
    return req


def _request_page(
    request: HttpRequest,
    req: ServiceRequest,
    *,
    form: ReferralForm | None = None,
    failed: tuple[int, ResultForm] | None = None,
    status: int = 200,
) -> HttpResponse:
    user = request.user
    may_serve = can(user, SERVE, req)
    own = _own(user, req)
    today = timezone.localdate()
    partners = selectors.partners_for(req.item.centre)
    referable = may_serve and req.item.category == "finance" and req.status == "open"
    if form is None and referable:
        form = ReferralForm(partners=partners, initial={"referred_on": today})
    rows = []
    for r in selectors.request_referrals(req.pk):
        answer = None
        if r.result == Referral.Result.PENDING and (may_serve or own):
            answer = (
                failed[1]
                if failed and failed[0] == r.pk
                else ResultForm(initial={"answered_on": today}, auto_id=f"id_%s_{r.pk}")
            )
            if not may_serve:  # the enterprise's own contact may only withdraw
                field = answer.fields["result"]
                assert isinstance(field, forms.ChoiceField)
                field.choices = [("withdrawn", Referral.Result.WITHDRAWN.label)]
        rows.append((r, answer, answer_overdue(r.result, r.answer_due_on, today)))
    return render(
        request,
        "centre/request.html",
        {
            "req": req,
            "rows": rows,
            "form": form if referable else None,
            "has_partners": partners.exists() if referable else True,
            "may_serve": may_serve,
            "may_edit": can(user, EDIT, req.item.centre),
            "own": own,
        },
        status=status,
    )


@login_required
def request_page(request: HttpRequest, pk: int) -> HttpResponse:
    return _request_page(request, _visible(request.user, pk))


def _errors(form: Any, exc: ValidationError) -> None:
    for message in exc.messages:
        form.add_error(None, message)


@login_required
@require_POST
def referral_new(request: HttpRequest, pk: int) -> HttpResponse:
    req = get_or_404(request.user, REQUEST_QS, SERVE, pk=pk)
    form = ReferralForm(request.POST, partners=selectors.partners_for(req.item.centre))
    if form.is_valid():
        d = form.cleaned_data
        try:
            services.referral_create(
                actor=request.user,
                request=req,
                partner=d["partner"],
                product=d["product"],
                amount_asked_yuan=d["amount_asked_yuan"],
                referred_on=d["referred_on"],
            )
        except ValidationError as exc:
            _errors(form, exc)
        else:
            messages.success(request, _("已推介给%(partner)s。") % {"partner": d["partner"].name})
            return redirect("centre:request", pk=req.pk)
    return _request_page(request, req, form=form, status=400)


@login_required
@require_POST
def referral_answer(request: HttpRequest, pk: int) -> HttpResponse:
    """The partner's result (handlers), or a withdrawal (also the enterprise's own contact)."""
    referral = Referral.objects.select_related("request", "enterprise").filter(pk=pk).first()
    if referral is None:
        raise Http404
    req = _visible(request.user, referral.request_id, SERVE)
    form = ResultForm(request.POST, auto_id=f"id_%s_{referral.pk}")
    if form.is_valid():
        d = form.cleaned_data
        try:
            services.referral_answer(
                actor=request.user,
                referral=referral,
                result=d["result"],
                answered_on=d["answered_on"],
                amount_approved_yuan=d["amount_approved_yuan"],
                reason=d["reason"],
            )
        except PermissionDenied:
            raise
        except ValidationError as exc:
            _errors(form, exc)
        else:
            messages.success(request, _("已登记推介结果。"))
            return redirect("centre:request", pk=req.pk)
    return _request_page(request, req, failed=(referral.pk, form), status=400)


def _int(value: str | None) -> int:
    try:
        found = int(value or 0)
    except ValueError:
        return 0
    return found if 0 < found < 2**63 else 0


def _after(value: str) -> tuple[date, int] | None:
    day, _sep, pk = value.partition("_")
    try:
        return date.fromisoformat(day), _int(pk)
    except ValueError:
        return None


@login_required
def referrals(request: HttpRequest, pk: int) -> HttpResponse:
    centre = get_or_404(request.user, Centre.objects.all(), VIEW, pk=pk)
    partner = _int(request.GET.get("partner"))
    result = request.GET.get("result", "")
    result = result if result in Referral.Result.values else ""
    overdue = request.GET.get("overdue") == "1"
    rows = selectors.referral_list(
        centre,
        partner=partner,
        result=result,
        overdue=overdue,
        after=_after(request.GET.get("after", "")),
    )
    query = request.GET.copy()
    if len(rows) == selectors.PAGE:
        query["after"] = f"{rows[-1].referred_on.isoformat()}_{rows[-1].pk}"
    today = timezone.localdate()
    return render(
        request,
        "centre/referrals.html",
        {
            "centre": centre,
            "rows": [(r, answer_overdue(r.result, r.answer_due_on, today)) for r in rows],
            "figures": selectors.referral_figures(centre.path),
            "partners": list(selectors.partners_all(centre)),
            "results": Referral.Result.choices,
            "chosen": {"partner": partner, "result": result, "overdue": overdue},
            "next_query": query.urlencode() if len(rows) == selectors.PAGE else "",
            "partner_form": PartnerForm() if can(request.user, EDIT, centre) else None,
        },
    )


@login_required
@require_POST
def partner_new(request: HttpRequest, pk: int) -> HttpResponse:
    centre = get_or_404(request.user, Centre.objects.select_related("division"), EDIT, pk=pk)
    form = PartnerForm(request.POST)
    if form.is_valid():
        try:
            org = services.partner_create(
                actor=request.user,
                centre=centre,
                kind=form.cleaned_data["kind"],
                name=form.cleaned_data["name"],
            )
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
            return redirect("centre:referrals", pk=centre.pk)
        messages.success(request, _("已登记合作机构%(name)s。") % {"name": org.name})
    else:
        messages.error(request, "；".join(str(m) for errs in form.errors.values() for m in errs))
    return redirect("centre:referrals", pk=centre.pk)


def _partners_page(
    request: HttpRequest,
    centre: Centre,
    *,
    failed: tuple[int, str, forms.Form] | None = None,
    status: int = 200,
) -> HttpResponse:
    """The centre's partners, ended ones too: when each began and ended, its referrals here, and (for
    `centre.edit`) a form to rename and one to end each partner still active."""
    may_edit = can(request.user, EDIT, centre)
    today = timezone.localdate()
    rows = []
    for partner, since, used in selectors.partner_rows(centre):
        rename = end = None
        if may_edit:
            rename = PartnerRenameForm(initial={"name": partner.name}, auto_id=f"id_%s_{partner.pk}")
            end = PartnerEndForm(initial={"ends_on": today}, auto_id=f"id_%s_{partner.pk}")
            if failed and failed[0] == partner.pk:
                rename = failed[2] if failed[1] == "rename" else rename  # type: ignore[assignment]
                end = failed[2] if failed[1] == "end" else end  # type: ignore[assignment]
        rows.append((partner, since, used, rename, end if partner.ended_on is None else None))
    return render(
        request,
        "centre/partners.html",
        {"centre": centre, "rows": rows, "may_edit": may_edit, "today": today},
        status=status,
    )


@login_required
def partners(request: HttpRequest, pk: int) -> HttpResponse:
    centre = get_or_404(request.user, Centre.objects.all(), VIEW, pk=pk)
    return _partners_page(request, centre)


def _partner_target(request: HttpRequest, pk: int, partner_pk: int) -> tuple[Centre, Any]:
    """The centre (`centre.edit`, else 403/404) and one of its own partners; any other id is 404."""
    centre = get_or_404(request.user, Centre.objects.all(), EDIT, pk=pk)
    partner = selectors.partners_all(centre).filter(pk=partner_pk).first()
    if partner is None:
        raise Http404
    return centre, partner


@login_required
@require_POST
def partner_rename(request: HttpRequest, pk: int, partner_pk: int) -> HttpResponse:
    centre, partner = _partner_target(request, pk, partner_pk)
    form = PartnerRenameForm(request.POST, auto_id=f"id_%s_{partner.pk}")
    if form.is_valid():
        try:
            services.partner_rename(
                actor=request.user, centre=centre, partner=partner, name=form.cleaned_data["name"]
            )
        except ValidationError as exc:
            _errors(form, exc)
        else:
            messages.success(request, _("已更名为%(name)s。") % {"name": form.cleaned_data["name"].strip()})
            return redirect("centre:partners", pk=centre.pk)
    return _partners_page(request, centre, failed=(partner.pk, "rename", form), status=400)


@login_required
@require_POST
def partner_end(request: HttpRequest, pk: int, partner_pk: int) -> HttpResponse:
    centre, partner = _partner_target(request, pk, partner_pk)
    form = PartnerEndForm(request.POST, auto_id=f"id_%s_{partner.pk}")
    if form.is_valid():
        try:
            services.partner_end(
                actor=request.user, centre=centre, partner=partner, on=form.cleaned_data["ends_on"]
            )
        except ValidationError as exc:
            _errors(form, exc)
        else:
            messages.success(request, _("已终止与%(name)s的合作。") % {"name": partner.name})
            return redirect("centre:partners", pk=centre.pk)
    return _partners_page(request, centre, failed=(partner.pk, "end", form), status=400)
