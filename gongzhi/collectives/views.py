"""Pages of collective "三资" supervision. Thin: parse, check with gongzhi.accounts.access, call a selector or
a service."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gongzhi.accounts.access import actor_of, can, get_or_404, require, scoped
from gongzhi.collectives import rules, selectors, services
from gongzhi.collectives.forms import (
    ContractForm,
    CriterionForm,
    DecisionForm,
    EntryForm,
    FloorForm,
    LimitForm,
    StepForm,
    ThresholdForm,
)
from gongzhi.collectives.indicators import FIGURES
from gongzhi.collectives.models import (
    DISCLOSURE,
    MANAGE,
    SETTINGS,
    VIEW,
    Account,
    Asset,
    Collective,
    Contract,
    ContractLimit,
    Criterion,
    Decision,
    Entry,
    GradeFloor,
    Resource,
    ResourceKind,
)
from gongzhi.insights.registry import catalogue, values
from gongzhi.places.models import Division

SHOWS = {"expiring": _("90天内到期"), "range": _("期限或价格超出规定"), "unapproved": _("未经民主决策")}


def _place(request: HttpRequest, action: str = VIEW) -> Division:
    """The division named by ?place= inside the user's places, else the highest one where they may act."""
    code = request.GET.get("place", "")[:12]
    if code:
        division = Division.objects.filter(code=code).first()
        if division is None:
            raise Http404
        require(request.user, action, division)
        return division
    actor = actor_of(request.user)
    if actor.is_superuser:
        top = Division.objects.filter(code="370283").first()
    else:
        paths = sorted(actor.paths(action), key=len)
        parts = paths[0].strip("/").split("/") if paths else []
        prefixes = ["/".join(parts[:i]) + "/" for i in range(1, len(parts) + 1)]
        top = Division.objects.filter(path__in=prefixes).order_by("-path").first() if prefixes else None
    if top is None:
        raise PermissionDenied
    return top


def _collective(request: HttpRequest, pk: int, action: str = VIEW) -> Collective:
    found = get_or_404(request.user, Collective.objects.all(), action, pk=pk)
    return found  # type: ignore[return-value]  # the proxy's manager returns Organisation rows


def _day(request: HttpRequest) -> date:
    return timezone.localdate()


@login_required
def home(request: HttpRequest) -> HttpResponse:
    place = _place(request)
    rows = (
        scoped(request.user, Collective.objects.active(), VIEW)
        .filter(path__under=place.path)
        .order_by("path")
    )
    codes = [f.code for f in FIGURES if place.level in f.levels]
    got = values(place, codes=codes)
    return render(
        request,
        "collectives/home.html",
        {
            "place": place,
            "children": Division.objects.filter(parent=place).order_by("code"),
            "page": Paginator(rows, 50).get_page(request.GET.get("page")),
            "figures": [(f, got.get(f.code)) for f in FIGURES if f.code in got],
            "shows": SHOWS,
        },
    )


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    c = _collective(request, pk)
    today = _day(request)
    return render(
        request,
        "collectives/detail.html",
        {
            "c": c,
            "village": Division.objects.filter(path=c.path).select_related("parent").first(),
            "assets": Asset.objects.filter(path=c.path).order_by("name"),
            "resources": Resource.objects.filter(path=c.path).order_by("name"),
            "accounts": Account.objects.filter(path=c.path).order_by("name"),
            "entries": Entry.objects.filter(path=c.path).select_related("account")[:30],
            "contracts": Contract.objects.filter(path=c.path).select_related("asset", "resource")[:100],
            "decisions": Decision.objects.filter(path=c.path)[:50],
            "totals": selectors.totals(c.path),
            "today": today,
            "soon": selectors.expiring_q(today),
            "may_manage": can(request.user, MANAGE, c),
            "quarter": selectors.quarter_of(today),
        },
    )


@login_required
def contracts(request: HttpRequest) -> HttpResponse:
    place = _place(request)
    show = request.GET.get("show", "expiring")
    if show not in SHOWS:
        show = "expiring"
    qs = scoped(request.user, Contract.objects.filter(path__under=place.path), VIEW)
    rows = selectors.warned(qs, show, _day(request)).select_related("asset", "resource", "collective")
    return render(
        request,
        "collectives/contracts.html",
        {
            "place": place,
            "show": show,
            "shows": SHOWS,
            "page": Paginator(rows, 50).get_page(request.GET.get("page")),
        },
    )


def _subjects(path: str) -> list[tuple[str, str]]:
    assets = [(f"a{a.pk}", f"{a.name}（{a.get_kind_display()}）") for a in Asset.objects.filter(path=path)]
    resources = [
        (
            f"r{r.pk}",
            _("%(name)s（%(kind)s %(area)s 亩）")
            % {"name": r.name, "kind": r.get_kind_display(), "area": r.area_mu},
        )
        for r in Resource.objects.filter(path=path)
    ]
    return resources + assets


def _decision_of(path: str, raw: str) -> Decision | None:
    return Decision.objects.filter(path=path, pk=int(raw)).first() if raw.isdigit() else None


def _form_errors(form: Any, exc: ValidationError) -> None:
    for m in exc.messages:
        form.add_error(None, m)


@login_required
def contract_new(request: HttpRequest, pk: int) -> HttpResponse:
    c = _collective(request, pk, MANAGE)
    form = ContractForm(
        request.POST if request.method == "POST" else None, subjects=_subjects(c.path), path=c.path
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        sid = int(d["subject"][1:])
        contract = Contract(
            collective=c,
            code=d["code"],
            kind=d["kind"],
            asset=Asset.objects.filter(pk=sid, path=c.path).first() if d["subject"][0] == "a" else None,
            resource=Resource.objects.filter(pk=sid, path=c.path).first() if d["subject"][0] == "r" else None,
            party=d["party"],
            starts_on=d["starts_on"],
            ends_on=d["ends_on"],
            annual_yuan=d["annual_yuan"],
            decision=_decision_of(c.path, d["decision"]),
        )
        if Contract.objects.filter(code=d["code"]).exists():
            form.add_error("code", _("合同编号已存在"))
        else:
            try:
                services.contract_record(actor=request.user, contract=contract)
            except ValidationError as exc:
                _form_errors(form, exc)
            else:
                text = _("已登记合同 %(c)s") % {"c": contract.code}
                if contract.out_of_range:
                    text += _("（期限或价格超出规定，已列入预警）")
                messages.success(request, text)
                return redirect("collectives:detail", pk=c.pk)
    return render(request, "collectives/form.html", {"c": c, "form": form, "title": _("登记合同")})


@login_required
def entry_new(request: HttpRequest, pk: int) -> HttpResponse:
    c = _collective(request, pk, MANAGE)
    form = EntryForm(request.POST if request.method == "POST" else None, path=c.path)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        entry = Entry(
            account=Account.objects.get(pk=int(d["account"]), path=c.path),
            on=d["on"],
            direction=d["direction"],
            amount_yuan=d["amount_yuan"],
            summary=d["summary"],
            decision=_decision_of(c.path, d["decision"]),
        )
        try:
            services.entry_record(actor=request.user, entry=entry)
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("已记录收支"))
            return redirect("collectives:detail", pk=c.pk)
    return render(request, "collectives/form.html", {"c": c, "form": form, "title": _("记录收支")})


@login_required
def decision_new(request: HttpRequest, pk: int) -> HttpResponse:
    c = _collective(request, pk, MANAGE)
    form = DecisionForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            d = services.decision_open(actor=request.user, collective=c, **form.cleaned_data)
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("已提出重大事项，请按“四议两公开”逐步记录"))
            return redirect("collectives:decision", pk=d.pk)
    return render(request, "collectives/form.html", {"c": c, "form": form, "title": _("提出重大事项")})


@login_required
def decision(request: HttpRequest, pk: int) -> HttpResponse:
    d = get_or_404(request.user, Decision.objects.all(), VIEW, pk=pk)
    done = {s.step: s for s in d.steps.all()}
    nxt = d.steps_done + 1
    return render(
        request,
        "collectives/decision.html",
        {
            "d": d,
            "c": Collective.objects.get(pk=d.collective_id),
            "steps": [(i + 1, label, done.get(i + 1)) for i, label in enumerate(rules.STEPS)],
            "next": nxt if nxt <= len(rules.STEPS) else None,
            "next_voted": nxt in rules.VOTED,
            "form": StepForm(initial={"step": nxt, "on": timezone.localdate()}),
            "may_manage": can(request.user, MANAGE, d),
            "threshold": services.major_yuan(),
        },
    )


@login_required
@require_POST
def step(request: HttpRequest, pk: int) -> HttpResponse:
    d = get_or_404(request.user, Decision.objects.all(), MANAGE, pk=pk)
    form = StepForm(request.POST)
    if not form.is_valid():
        messages.error(request, "；".join(str(m) for errs in form.errors.values() for m in errs))
        return redirect("collectives:decision", pk=d.pk)
    v = form.cleaned_data
    try:
        services.step_record(
            actor=request.user,
            decision=d,
            step=v["step"],
            on=v["on"],
            votes_for=v["votes_for"] or 0,
            votes_against=v["votes_against"] or 0,
            votes_abstain=v["votes_abstain"] or 0,
            note=v["note"],
        )
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, _("已记录：%(s)s") % {"s": rules.STEPS[v["step"] - 1]})
    return redirect("collectives:decision", pk=d.pk)


@login_required
def rating(request: HttpRequest) -> HttpResponse:
    place = _place(request)
    rated = selectors.rated_towns(place.path)
    criteria = list(Criterion.objects.all())
    labels = {f.code: f for f in catalogue()}
    return render(
        request,
        "collectives/rating.html",
        {
            "place": place,
            "rated": rated,
            "criteria": [(c, labels.get(c.figure)) for c in criteria],
            "floors": GradeFloor.objects.all(),
            "counts": {
                g: sum(1 for r in rated if r.grade == g) for g in ("exemplary", "excellent", "strengthening")
            },
            "rows": [
                (
                    r,
                    [
                        (
                            c,
                            r.values.get(c.figure),
                            rules.criterion_points(selectors.as_rule(c), r.values.get(c.figure)),
                            labels[c.figure].unit if c.figure in labels else "",
                        )
                        for c in criteria
                    ],
                )
                for r in rated
            ],
            "may_set": can(request.user, SETTINGS),
        },
    )


def _setting_post(request: HttpRequest) -> None:
    which = request.POST.get("which", "")
    known = {f.code for f in catalogue()}
    forms = {"threshold": ThresholdForm, "limit": LimitForm, "criterion": CriterionForm, "floor": FloorForm}
    if which not in forms:
        raise ValidationError(_("请选择要修改的设置"))
    form = forms[which](request.POST)
    if not form.is_valid():
        raise ValidationError([str(m) for errs in form.errors.values() for m in errs])
    v = form.cleaned_data
    if which == "threshold":
        services.threshold_set(actor=request.user, **v)
    elif which == "limit":
        if v["subject"] not in {*ResourceKind.values, "asset"}:
            raise ValidationError(_("没有这类标的"))
        services.limit_set(actor=request.user, **v)
    elif which == "criterion":
        services.criterion_set(actor=request.user, known=known, **v)
    else:
        services.floor_set(actor=request.user, grade=v["grade"], min_score=Decimal(v["min_score"]))


@login_required
def settings_page(request: HttpRequest) -> HttpResponse:
    if not can(request.user, SETTINGS):
        raise PermissionDenied
    if request.method == "POST":
        try:
            _setting_post(request)
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        else:
            messages.success(request, _("设置已保存"))
        return redirect("collectives:settings")
    labels = dict(ResourceKind.choices) | {"asset": _("资产（房屋、设施）")}
    return render(
        request,
        "collectives/settings.html",
        {
            "threshold": services.major_yuan(),
            "limits": [(x, labels.get(x.subject, x.subject)) for x in ContractLimit.objects.all()],
            "criteria": Criterion.objects.all(),
            "floors": GradeFloor.objects.all(),
            "catalogue": [f for f in catalogue() if f.code not in selectors.OWN_FIGURES],
        },
    )


@login_required
def public(request: HttpRequest) -> HttpResponse:
    """The collectives whose 公开栏 the user may read (a household: its own village's)."""
    if not can(request.user, DISCLOSURE):
        raise PermissionDenied
    rows = scoped(request.user, Collective.objects.active(), DISCLOSURE).order_by("path")
    return render(
        request,
        "collectives/public.html",
        {
            "page": Paginator(rows, 50).get_page(request.GET.get("page")),
            "quarters": selectors.previous_quarters(_day(request), 4),
        },
    )


def _disclosure(request: HttpRequest, pk: int, quarter: str) -> tuple[Collective, selectors.Disclosure]:
    c = _collective(request, pk, DISCLOSURE)
    found = selectors.disclosure(c.path, quarter)
    if found is None:
        raise Http404
    return c, found


@login_required
def disclosure(request: HttpRequest, pk: int, quarter: str) -> HttpResponse:
    c, d = _disclosure(request, pk, quarter)
    return render(
        request,
        "collectives/disclosure.html",
        {"c": c, "d": d, "steps": rules.STEPS, "quarters": selectors.previous_quarters(_day(request))},
    )


@login_required
def disclosure_pdf(request: HttpRequest, pk: int, quarter: str) -> HttpResponse:
    from gongzhi.core.pdf import pdf_response, render_pdf

    c, d = _disclosure(request, pk, quarter)
    pdf = render_pdf(
        "collectives/print/disclosure.html", {"c": c, "d": d, "steps": rules.STEPS, "today": _day(request)}
    )
    return pdf_response(pdf, f"三资公开{c.code}-{quarter}.pdf", inline=True)
