"""防止返贫动态监测 pages. Thin: parse, check with gongzhi.accounts.access, call a selector or a service."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gongzhi.accounts.access import actor_of, can, get_or_404, require, scoped
from gongzhi.core.paths import under
from gongzhi.insights.registry import PlaceScope
from gongzhi.monitoring import selectors, services
from gongzhi.monitoring.indicators import FIGURES, figures
from gongzhi.monitoring.models import (
    ASSIST,
    COUNTY_DECIDE,
    SELF,
    SETTINGS,
    TOWN_CHECK,
    VIEW,
    VILLAGE_REVIEW,
    VISIT,
    WARN_IMPORT,
    Case,
    CaseStatus,
    Category,
    Channel,
    Department,
    Hardship,
    Household,
    MeasureKind,
    Step,
    WarningList,
)
from gongzhi.monitoring.sheets import read_warning_sheet
from gongzhi.people.masking import mask_name
from gongzhi.places.models import Division

STEP_ACTIONS = ((Step.VILLAGE, VILLAGE_REVIEW), (Step.TOWN, TOWN_CHECK), (Step.COUNTY, COUNTY_DECIDE))


def _error(exc: ValidationError) -> str:
    return "；".join(exc.messages)


def _date(raw: str) -> date | None:
    try:
        return date.fromisoformat(raw.strip())
    except ValueError:
        return None


def _place(request: HttpRequest, action: str = VIEW) -> Division:
    """The division named by ?place= inside the user's places, else the highest one where they may act."""
    code = request.GET.get("place", "") or request.POST.get("place", "")
    if code:
        division = Division.objects.filter(code=code[:12]).first()
        if division is None:
            raise Http404
        require(request.user, action, division)
        return division
    actor = actor_of(request.user)
    if actor.is_superuser:
        top = Division.objects.filter(code="370283").first() or Division.objects.order_by("code").first()
    else:
        paths = sorted(actor.paths(action), key=len)
        # The division at or above the highest grant (a grant on a compound starts from its community);
        # lists stay scoped to the grants themselves.
        parts = paths[0].strip("/").split("/") if paths else []
        prefixes = ["/".join(parts[:i]) + "/" for i in range(1, len(parts) + 1)]
        top = Division.objects.filter(path__in=prefixes).order_by("-path").first() if prefixes else None
    if top is None:
        raise PermissionDenied
    return top


def _filtered(request: HttpRequest, cases: QuerySet[Case]) -> tuple[QuerySet[Case], dict[str, str]]:
    chosen = {k: request.GET.get(k, "") for k in ("status", "category", "channel")}
    if chosen["status"] in CaseStatus.values:
        cases = cases.filter(status=chosen["status"])
    if chosen["category"] in Category.values:
        cases = cases.filter(category=chosen["category"])
    if chosen["channel"] in Channel.values:
        cases = cases.filter(channel=chosen["channel"])
    return cases, chosen


def _page(request: HttpRequest, rows: Any) -> Any:
    return Paginator(rows, 50).get_page(request.GET.get("page"))


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Cases under a village, town or the county, with filters, and the place's figures."""
    place = _place(request)
    cases = scoped(request.user, Case.objects.filter(under(place.path)), VIEW)
    cases, chosen = _filtered(request, cases)
    cases = cases.select_related("household__village", "household__head").order_by("-opened_on", "-pk")
    values = figures(PlaceScope(place))
    children = Division.objects.filter(parent=place).order_by("code")
    return render(
        request,
        "monitoring/home.html",
        {
            "place": place,
            "children": children,
            "page": _page(request, cases),
            "chosen": chosen,
            "figures": [(f, values[f.code]) for f in FIGURES],
            "statuses": CaseStatus.choices,
            "categories": Category.choices,
            "channels": Channel.choices,
            "may_import": can(request.user, WARN_IMPORT, place),
            "may_settings": can(request.user, SETTINGS),
        },
    )


@login_required
def households(request: HttpRequest) -> HttpResponse:
    place = _place(request)
    rows = scoped(request.user, Household.objects.filter(under(place.path)), VIEW)
    category = request.GET.get("category", "")
    if category in Category.values:
        rows = rows.filter(category=category)
    rows = selectors.with_last_visit(rows.select_related("village", "head")).order_by("number")
    return render(
        request,
        "monitoring/households.html",
        {"place": place, "page": _page(request, rows), "category": category, "categories": Category.choices},
    )


def _case(request: HttpRequest, pk: int, action: str = VIEW) -> Case:
    qs = Case.objects.select_related("household__village", "household__head")
    return get_or_404(request.user, qs, action, pk=pk)


@login_required
def case(request: HttpRequest, pk: int) -> HttpResponse:
    item = _case(request, pk)
    today = timezone.localdate()
    due = selectors.due_step(item)
    steps = [(s, s.label) for s, a in STEP_ACTIONS if s == due and can(request.user, a, item)]
    return render(
        request,
        "monitoring/case.html",
        {
            "case": item,
            "head": mask_name(item.household.head.name),
            "members": item.household.members.select_related("person"),
            "timeline": selectors.case_timeline(item),
            "checklist": selectors.checklist_of(item, today),
            "measures": item.measures.all(),
            "visits": item.household.visits.all()[:20],
            "steps": steps,
            # the village review of an identification is where the cadres set the category
            "sets_category": item.status == CaseStatus.IDENTIFYING and due == Step.VILLAGE,
            "categories": Category.choices,
            "may_eliminate": item.status == CaseStatus.MONITORED and can(request.user, VILLAGE_REVIEW, item),
            "may_assist": can(request.user, ASSIST, item)
            and item.status in (CaseStatus.MONITORED, CaseStatus.ELIMINATING, CaseStatus.PROTECTED),
            "kinds": MeasureKind.choices,
        },
    )


@login_required
def visit(request: HttpRequest, pk: int) -> HttpResponse:
    qs = Household.objects.select_related("village", "head")
    household = get_or_404(request.user, qs, VISIT, pk=pk)
    today = timezone.localdate()
    data = request.POST if request.method == "POST" else None
    if data is not None:
        on, due = _date(data.get("visited_on", "")), _date(data.get("next_due", ""))
        category = data.get("raise_category", "")
        try:
            if on is None or due is None:
                raise ValidationError(_("请填写正确的走访日期和下次走访日期（年-月-日）"))
            if category and category not in Category.values:
                raise ValidationError(_("监测类别无效"))
            services.visit_record(
                actor=request.user,
                household=household,
                visited_on=on,
                findings=data.get("findings", ""),
                next_due=due,
                secure={k: data.get(k) == "on" for k in ("education", "medical", "housing", "water")},
                raise_category=category,
                risk=data.get("risk", ""),
            )
        except ValidationError as exc:
            messages.error(request, _error(exc))
        else:
            messages.success(
                request, _("走访记录已保存") + ("，" + _("已发现风险并提交村级评议") if category else "")
            )
            opened = household.cases.filter(status__in=selectors.OPEN).first()
            return redirect("monitoring:case", opened.pk) if opened else redirect("monitoring:households")
    return render(
        request,
        "monitoring/visit.html",
        {
            "household": household,
            "head": mask_name(household.head.name),
            "today": today,
            "due": today + timedelta(days=30),
            "categories": Category.choices,
            "data": data or {},
        },
    )


@login_required
@require_POST
def decide(request: HttpRequest, pk: int) -> HttpResponse:
    item = Case.objects.filter(pk=pk).first()
    if item is None:
        raise Http404
    if not any(can(request.user, a, item) for _s, a in STEP_ACTIONS):
        require(request.user, VILLAGE_REVIEW, item)  # 403 inside the user's places, 404 outside
    step = request.POST.get("step", "")
    approved = request.POST.get("approved") == "1"
    try:
        services.case_decide(
            actor=request.user,
            case=item,
            step=step,
            approved=approved,
            note=request.POST.get("note", ""),
            category=request.POST.get("category", "") if approved else "",
        )
    except ValidationError as exc:
        messages.error(request, _error(exc))
    else:
        messages.success(request, _("审批意见已记录"))
    return redirect("monitoring:case", item.pk)


@login_required
@require_POST
def eliminate(request: HttpRequest, pk: int) -> HttpResponse:
    item = _case(request, pk, VILLAGE_REVIEW)
    try:
        item = services.case_start_elimination(actor=request.user, case=item)
    except ValidationError as exc:
        messages.error(request, _error(exc))
    else:
        messages.success(request, item.get_status_display())
    return redirect("monitoring:case", item.pk)


@login_required
@require_POST
def measure(request: HttpRequest, pk: int) -> HttpResponse:
    item = _case(request, pk, ASSIST)
    data = request.POST
    try:
        starts = _date(data.get("starts_on", ""))
        ends = _date(data.get("ends_on", "")) if data.get("ends_on") else None
        if starts is None:
            raise ValidationError(_("请填写正确的开始日期（年-月-日）"))
        try:
            amount = Decimal(data.get("amount_yuan", "0") or "0")
            if not amount.is_finite() or amount > Decimal("9999999999"):
                raise InvalidOperation
        except InvalidOperation:
            raise ValidationError(_("金额应为数字")) from None
        services.measure_add(
            actor=request.user,
            case=item,
            kind=data.get("kind", ""),
            starts_on=starts,
            ends_on=ends,
            amount_yuan=amount,
            officer=data.get("officer", ""),
            note=data.get("note", ""),
        )
    except ValidationError as exc:
        messages.error(request, _error(exc))
    else:
        messages.success(request, _("帮扶措施已记录"))
    return redirect("monitoring:case", item.pk)


@login_required
def overdue(request: HttpRequest) -> HttpResponse:
    place = _place(request)
    today = timezone.localdate()
    cases = scoped(request.user, Case.objects.filter(under(place.path)), VIEW)
    rows = (
        selectors.overdue_cases(cases, today).select_related("household__village").order_by("next_due", "pk")
    )
    return render(
        request,
        "monitoring/overdue.html",
        {"place": place, "page": _page(request, rows), "today": today, "days": selectors.first_visit_days()},
    )


@login_required
def stalled(request: HttpRequest) -> HttpResponse:
    place = _place(request)
    today = timezone.localdate()
    cases = scoped(request.user, Case.objects.filter(under(place.path)), VIEW)
    candidates = (
        selectors.stalled_cases(cases, today).select_related("household__village").order_by("opened_on")
    )
    limit = selectors.stall_days()
    rows = [c for c in candidates[:2000] if selectors.is_stalled(c, today, limit)]
    return render(
        request, "monitoring/stalled.html", {"place": place, "rows": rows, "today": today, "days": limit}
    )


@login_required
def warnings(request: HttpRequest) -> HttpResponse:
    """A county officer imports a department's warning list (xlsx: 身份证号, 预警事由) for their place."""
    place = _place(request, WARN_IMPORT)
    report = None
    if request.method == "POST":
        department = request.POST.get("department", "")
        upload = request.FILES.get("file")
        try:
            if department not in Department.values:
                raise ValidationError(_("请选择部门"))
            if upload is None:
                raise ValidationError(_("请选择预警名单文件（.xlsx）"))
            rows = read_warning_sheet(upload)
            report = services.warning_list_import(
                actor=request.user, department=department, path=place.path, rows=rows
            )
        except ValidationError as exc:
            messages.error(request, _error(exc))
        else:
            if report.bad:
                messages.error(request, _("名单中有无效身份证号，未导入任何数据，请改正后重新导入"))
            else:
                messages.success(request, _("预警名单已导入"))
    lists = scoped(request.user, WarningList.objects.filter(under(place.path)), VIEW).order_by(
        "-imported_on", "-pk"
    )[:50]
    return render(
        request,
        "monitoring/warnings.html",
        {"place": place, "report": report, "lists": lists, "departments": Department.choices},
    )


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    """A household's own page (phone width): its cases and measures, and a self-report."""
    if not can(request.user, SELF):
        raise PermissionDenied
    own = Household.objects.filter(account_id=request.user.pk).select_related("village")
    household = own.first()
    if request.method == "POST":
        if household is None:
            messages.error(request, _("您的账号尚未关联农户，请联系村干部。"))
            return redirect("monitoring:mine")
        try:
            services.case_raise(
                actor=request.user,
                household=household,
                channel=Channel.SELF_REPORT,
                hardship=request.POST.get("hardship", ""),
                risk=request.POST.get("risk", ""),
            )
        except ValidationError as exc:
            messages.error(request, _error(exc))
        else:
            messages.success(request, _("申报已提交，村干部将上门核实"))
        return redirect("monitoring:mine")
    cases = (
        Case.objects.filter(household=household).prefetch_related("measures").order_by("-opened_on")
        if household
        else []
    )
    return render(
        request,
        "monitoring/mine.html",
        {"household": household, "cases": cases, "hardships": Hardship.choices},
    )
