"""Campaign pages: thin, every read through selectors, every write through services."""

from __future__ import annotations

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gongzhi.accounts.access import can, get_or_404, scope_q
from gongzhi.campaign import selectors, services
from gongzhi.campaign.forms import ReportForm, TargetForm
from gongzhi.campaign.models import Campaign, Target, Update

VIEW, MANAGE, REPORT = "campaign.view", services.MANAGE, services.REPORT


def _errors(exc: ValidationError) -> list[str]:
    if hasattr(exc, "message_dict"):
        return [m for msgs in exc.message_dict.values() for m in msgs]
    return list(exc.messages)


@login_required
def home(request: HttpRequest) -> HttpResponse:
    if not can(request.user, VIEW):
        raise PermissionDenied
    where = scope_q(request.user, VIEW)
    rows = [(c, selectors.rollup(c, where)) for c in selectors.campaigns_visible(where)]
    return render(request, "campaign/home.html", {"rows": rows})


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = Campaign.objects.select_related("division").filter(pk=pk).first()
    if campaign is None:
        raise Http404
    where = scope_q(request.user, VIEW)
    today = timezone.localdate()
    overdue, at_risk = selectors.overdue_and_at_risk(campaign, where, today)
    context = {
        "campaign": campaign,
        "rollup": selectors.rollup(campaign, where),
        "months": selectors.monthly(campaign, where, today),
        "overdue": overdue,
        "at_risk": at_risk,
        "targets": selectors.targets(campaign, where)[:500],
        "may_manage": can(request.user, MANAGE, campaign),
    }
    return render(request, "campaign/detail.html", context)


@login_required
def target(request: HttpRequest, pk: int) -> HttpResponse:
    t = get_or_404(
        request.user,
        Target.objects.select_related("campaign", "phase", "measure", "goal_type", "compound", "community"),
        VIEW,
        pk=pk,
    )
    context = {
        "t": t,
        "updates": t.updates.select_related("recorded_by").order_by("-on", "-id"),
        "form": ReportForm(initial={"on": timezone.localdate(), "progress": (t.progress or 0) * 100}),
        "may_report": not t.automatic and can(request.user, REPORT, t),
    }
    return render(request, "campaign/target.html", context)


@login_required
@require_POST
def target_report(request: HttpRequest, pk: int) -> HttpResponse:
    t = get_or_404(request.user, Target.objects.select_related("goal_type"), REPORT, pk=pk)
    form = ReportForm(request.POST, request.FILES)
    if not form.is_valid():
        for errors in form.errors.values():
            for e in errors:
                messages.error(request, str(e))
        return redirect("campaign:target", pk=t.pk)
    data = form.cleaned_data
    try:
        services.target_report(
            actor=request.user,
            target=t,
            progress=(data["progress"] / Decimal("100")).quantize(Decimal("0.0001")),
            note=data["note"],
            on=data["on"],
            evidence=data["evidence"],
        )
    except ValidationError as exc:
        for text in _errors(exc):
            messages.error(request, text)
    else:
        messages.success(request, _("进度已填报"))
    return redirect("campaign:target", pk=t.pk)


@login_required
def target_new(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = get_or_404(request.user, Campaign.objects.select_related("division"), MANAGE, pk=pk)
    form = TargetForm(request.POST or None, campaign=campaign)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        row = services.TargetRow(
            d["phase"],
            d["measure"],
            d["goal_type"],
            d["place"],
            d["title"],
            d["owner"],
            d["deadline"],
            d["weight"],
        )
        try:
            (created,) = services.targets_add(actor=request.user, campaign=campaign, rows=[row])
        except ValidationError as exc:
            for text in _errors(exc):
                form.add_error(None, text)
        else:
            messages.success(request, _("攻坚目标已添加"))
            return redirect("campaign:target", pk=created.pk)
    return render(request, "campaign/target_new.html", {"campaign": campaign, "form": form})


@login_required
@require_POST
def sync(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = get_or_404(request.user, Campaign.objects.select_related("division"), MANAGE, pk=pk)
    changed = services.targets_sync(actor=request.user, campaign=campaign)
    done = sum(1 for t in changed if t.status == "done")
    messages.success(
        request, _("已按指标更新 %(n)d 个目标，其中 %(d)d 个已完成") % {"n": len(changed), "d": done}
    )
    return redirect("campaign:detail", pk=campaign.pk)


@login_required
def evidence(request: HttpRequest, pk: int) -> FileResponse:
    update = get_or_404(request.user, Update.objects.exclude(evidence=""), VIEW, pk=pk)
    try:
        handle = update.evidence.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return FileResponse(
        handle, as_attachment=True, filename=update.evidence_name, content_type=update.evidence_type
    )
