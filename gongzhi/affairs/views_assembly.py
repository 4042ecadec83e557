"""The assembly's pages: post the notice (the register frozen with it), record and answer objections, and
the public notice with the register (names masked)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gongzhi.accounts.access import get_or_404
from gongzhi.accounts.roles import Action
from gongzhi.affairs import forms, selectors, services
from gongzhi.affairs.models import Matter, Notice, RegisterObjection
from gongzhi.people.masking import mask_name


def _matter(request: HttpRequest, pk: int) -> Matter:
    return get_or_404(request.user, Matter.objects.select_related("compound"), Action.VOTE_MANAGE, pk=pk)


def _errors(request: HttpRequest, form: forms.forms.Form) -> None:
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        text = "；".join(str(e) for e in errors)
        messages.error(request, f"{label}：{text}" if label else text)


def _refuse(request: HttpRequest, exc: ValidationError) -> None:
    for text in exc.messages:
        messages.error(request, str(text))


@login_required
@require_POST
def notice_new(request: HttpRequest, pk: int) -> HttpResponse:
    matter = _matter(request, pk)
    form = forms.NoticeForm(request.POST, prefix="n")
    if not form.is_valid():
        _errors(request, form)
        return redirect("affairs:matter", pk=pk)
    try:
        services.notice_post(
            actor=request.user,
            matter=matter,
            voting_from=form.cleaned_data["voting_from"],
            text=form.cleaned_data["text"],
            items=[services.ItemText(t, x) for t, x in form.item_texts()],
        )
        messages.success(request, _("表决公告和业主名册已公布。"))
    except ValidationError as exc:
        _refuse(request, exc)
    return redirect("affairs:matter", pk=pk)


@login_required
@require_POST
def objection_new(request: HttpRequest, pk: int) -> HttpResponse:
    matter = _matter(request, pk)
    notice = selectors.notice_of(matter)
    form = forms.ObjectionForm(request.POST, prefix="o")
    if notice is None:
        messages.error(request, _("该事务还没有发布表决公告。"))
    elif not form.is_valid():
        _errors(request, form)
    else:
        try:
            services.objection_record(actor=request.user, notice=notice, **form.cleaned_data)
            messages.success(request, _("异议已登记。"))
        except ValidationError as exc:
            _refuse(request, exc)
    return redirect("affairs:matter", pk=pk)


@login_required
@require_POST
def objection_answer(request: HttpRequest, pk: int) -> HttpResponse:
    matter = _matter(request, pk)
    form = forms.AnswerForm(request.POST)
    if not form.is_valid():
        _errors(request, form)
        return redirect("affairs:matter", pk=pk)
    objection = RegisterObjection.objects.filter(
        pk=form.cleaned_data["objection"], notice__matter=matter
    ).first()
    if objection is None:
        messages.error(request, _("找不到该异议。"))
        return redirect("affairs:matter", pk=pk)
    try:
        services.objection_answer(actor=request.user, objection=objection, answer=form.cleaned_data["answer"])
        messages.success(request, _("已答复。"))
    except ValidationError as exc:
        _refuse(request, exc)
    return redirect("affairs:matter", pk=pk)


def notice_public(request: HttpRequest, public_id: str) -> HttpResponse:
    """The published notice and register for everyone: items in full, owners' names masked."""
    notice = get_object_or_404(Notice.objects.select_related("matter__compound"), public_id=public_id)
    rows = selectors.register_rows(notice)
    for row in rows:
        row.masked_name = mask_name(row.owner.name) if row.owner else "—"  # type: ignore[attr-defined]
    context = {"notice": notice, "matter": notice.matter, "items": list(notice.items.all()), "rows": rows}
    return render(request, "affairs/notice_public.html", context)
