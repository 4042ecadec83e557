"""Pages of the registry of cooperatives and family farms: lists by town and village with filters and keyset
pages, a detail page with the yearly reports, the forms, and the comparison across the city's districts."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from gongzhi.accounts.access import actor_of, can, get_or_404, scoped
from gongzhi.agribiz import rules, selectors, services
from gongzhi.agribiz.forms import (
    CoopEditForm,
    CoopForm,
    CoopReportForm,
    FarmEditForm,
    FarmForm,
    FarmReportForm,
    MemberJoinForm,
    MemberLeaveForm,
)
from gongzhi.agribiz.models import (
    MANAGE,
    REPORT,
    VIEW,
    CoopMember,
    CoopProfile,
    CoopReport,
    FamilyFarm,
    FarmReport,
)
from gongzhi.people.masking import mask_id_number, mask_name
from gongzhi.places.models import Division


def _need(request: HttpRequest, action: str) -> None:
    if not can(request.user, action):
        raise PermissionDenied


def _form_errors(form: Form, exc: ValidationError) -> None:
    for m in exc.messages:
        form.add_error(None, m)


def _village(request: HttpRequest, form: Form, code: str) -> Division | None:
    village = Division.objects.filter(code=code).first()
    if village is None or not can(request.user, MANAGE, village):
        form.add_error("village", _("在您的管辖范围内找不到该村"))
        return None
    return village


def _home_place(request: HttpRequest) -> Division | None:
    """The widest place the user holds the registry in (the county for the bureau, the town for its staff)."""
    actor = actor_of(request.user)
    if actor.is_superuser:
        return Division.objects.filter(code="370283").first()
    return Division.objects.filter(path__in=actor.paths(VIEW)).order_by("path").first()


@login_required
def home(request: HttpRequest) -> HttpResponse:
    _need(request, VIEW)
    place = _home_place(request)
    rows = selectors.counts_for(selectors.children(place)) if place else []
    total = selectors.counts_for([place])[0] if place else None
    return render(
        request,
        "agribiz/home.html",
        {"place": place, "rows": rows, "total": total, "may_manage": can(request.user, MANAGE)},
    )


def _list(request: HttpRequest, kind: str) -> HttpResponse:
    _need(request, VIEW)
    f = selectors.read_filters(request.GET)
    year = selectors.report_year(timezone.localdate())
    if kind == "coop":
        qs: Any = scoped(request.user, CoopProfile.objects.all(), VIEW)
        qs = selectors.coops(qs, f, year).select_related("organisation", "village__parent")
        model: Any = CoopReport
    else:
        qs = scoped(request.user, FamilyFarm.objects.all(), VIEW)
        qs = selectors.farms(qs, f, year).select_related("village__parent")
        model = FarmReport
    rows, next_key = selectors.keyset_page(qs, request.GET.get("after", ""))
    filed = selectors.reported(model, kind if kind == "coop" else "farm", [r.pk for r in rows], year)
    return render(
        request,
        f"agribiz/{kind}s.html",
        {
            "rows": [(r, r.pk in filed) for r in rows],
            "next_key": next_key,
            "f": f,
            "year": year,
            "products": selectors.products(),
            "grades": selectors.grades(),
            "may_manage": can(request.user, MANAGE),
        },
    )


@login_required
def coops(request: HttpRequest) -> HttpResponse:
    return _list(request, "coop")


@login_required
def farms(request: HttpRequest) -> HttpResponse:
    return _list(request, "farm")


def _reports(reports: list[Any], founded: Any) -> list[tuple[int, Any, str]]:
    """Each year since founding up to the last one due: its report (or None) and its state."""
    today = timezone.localdate()
    by_year = {r.year: r for r in reports}
    first = founded.year if founded else min(by_year, default=today.year - 1)
    out = []
    for year in range(today.year - 1, max(first, today.year - 6) - 1, -1):
        r = by_year.get(year)
        out.append((year, r, rules.report_status(year, r.filed_on if r else None, today).value))
    return out


@login_required
def coop(request: HttpRequest, pk: int) -> HttpResponse:
    qs = CoopProfile.objects.select_related("organisation", "village__parent", "legal_rep")
    profile = get_or_404(request.user, qs, VIEW, pk=pk)
    return render(
        request,
        "agribiz/coop.html",
        {
            "c": profile,
            "rep": mask_name(profile.legal_rep.name),
            "products": list(profile.products.all()),
            "members": _members(profile),
            "reports": _reports(list(profile.reports.all()), profile.organisation.founded_on),
            "report_form": CoopReportForm(),
            "may_manage": can(request.user, MANAGE, profile),
            "may_report": can(request.user, REPORT, profile),
        },
    )


@login_required
def farm(request: HttpRequest, pk: int) -> HttpResponse:
    qs = FamilyFarm.objects.select_related("village__parent", "operator")
    f = get_or_404(request.user, qs, VIEW, pk=pk)
    return render(
        request,
        "agribiz/farm.html",
        {
            "x": f,
            "operator": mask_name(f.operator.name),
            "products": list(f.products.all()),
            "reports": _reports(list(f.reports.all()), f.registered_on),
            "report_form": FarmReportForm(),
            "may_manage": can(request.user, MANAGE, f),
            "may_report": can(request.user, REPORT, f),
        },
    )


@login_required
def coop_new(request: HttpRequest) -> HttpResponse:
    _need(request, MANAGE)
    form = CoopForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        village = _village(request, form, d["village"])
        if village is not None:
            try:
                profile = services.coop_register(
                    actor=request.user,
                    coop=services.NewCoop(
                        village=village,
                        name=d["name"],
                        credit_code=d["credit_code"].strip().upper(),
                        rep_name=d["rep_name"],
                        rep_id_number=d["rep_id_number"],
                        founded_on=d["founded_on"],
                        members_count=d["members_count"],
                        land_mu=d["land_mu"],
                        products=list(d["products"]),
                        grade=d["grade"],
                        grade_year=d["grade_year"],
                    ),
                )
            except ValidationError as exc:
                _form_errors(form, exc)
            else:
                messages.success(request, _("已登记合作社：%(n)s") % {"n": profile.organisation.name})
                return redirect("agribiz:coop", pk=profile.pk)
    return render(request, "agribiz/form.html", {"form": form, "title": _("登记农民专业合作社")})


@login_required
def coop_edit(request: HttpRequest, pk: int) -> HttpResponse:
    qs = CoopProfile.objects.select_related("organisation")
    profile = get_or_404(request.user, qs, MANAGE, pk=pk)
    initial = {
        "members_count": profile.members_count,
        "land_mu": profile.land_mu,
        "grade": profile.grade,
        "grade_year": profile.grade_year,
        "products": [p.code for p in profile.products.all()],
    }
    form = CoopEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.coop_update(
                actor=request.user,
                profile=profile,
                members_count=d["members_count"],
                land_mu=d["land_mu"],
                products=list(d["products"]),
                grade=d["grade"],
                grade_year=d["grade_year"],
            )
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("已保存"))
            return redirect("agribiz:coop", pk=profile.pk)
    title = _("修改合作社档案：%(n)s") % {"n": profile.organisation.name}
    return render(request, "agribiz/form.html", {"form": form, "title": title})


@login_required
def farm_new(request: HttpRequest) -> HttpResponse:
    _need(request, MANAGE)
    form = FarmForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        village = _village(request, form, d["village"])
        if village is not None:
            try:
                farm = services.farm_register(
                    actor=request.user,
                    farm=services.NewFarm(
                        village=village,
                        code=d["code"],
                        name=d["name"],
                        operator_name=d["operator_name"],
                        operator_id_number=d["operator_id_number"],
                        registered_on=d["registered_on"],
                        land_own_mu=d["land_own_mu"],
                        land_transferred_mu=d["land_transferred_mu"],
                        labour=d["labour"],
                        credit_code=d["credit_code"].strip().upper() or None,
                        products=list(d["products"]),
                        grade=d["grade"],
                        grade_year=d["grade_year"],
                    ),
                )
            except ValidationError as exc:
                _form_errors(form, exc)
            else:
                messages.success(request, _("已登记家庭农场：%(n)s") % {"n": farm.name})
                return redirect("agribiz:farm", pk=farm.pk)
    return render(request, "agribiz/form.html", {"form": form, "title": _("登记家庭农场")})


@login_required
def farm_edit(request: HttpRequest, pk: int) -> HttpResponse:
    farm = get_or_404(request.user, FamilyFarm.objects.all(), MANAGE, pk=pk)
    initial = {
        "name": farm.name,
        "land_own_mu": farm.land_own_mu,
        "land_transferred_mu": farm.land_transferred_mu,
        "labour": farm.labour,
        "grade": farm.grade,
        "grade_year": farm.grade_year,
        "products": [p.code for p in farm.products.all()],
    }
    form = FarmEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.farm_update(
                actor=request.user,
                farm=farm,
                name=d["name"],
                land_own_mu=d["land_own_mu"],
                land_transferred_mu=d["land_transferred_mu"],
                labour=d["labour"],
                products=list(d["products"]),
                grade=d["grade"],
                grade_year=d["grade_year"],
            )
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("已保存"))
            return redirect("agribiz:farm", pk=farm.pk)
    title = _("修改家庭农场档案：%(n)s") % {"n": farm.name}
    return render(request, "agribiz/form.html", {"form": form, "title": title})


@login_required
def coop_report(request: HttpRequest, pk: int) -> HttpResponse:
    profile = get_or_404(request.user, CoopProfile.objects.select_related("organisation"), REPORT, pk=pk)
    form = CoopReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.coop_report_file(actor=request.user, profile=profile, **form.cleaned_data)
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("已报送%(y)s年度报告") % {"y": form.cleaned_data["year"]})
            return redirect("agribiz:coop", pk=profile.pk)
    return render(request, "agribiz/form.html", {"form": form, "title": _("报送合作社年度报告")})


@login_required
def farm_report(request: HttpRequest, pk: int) -> HttpResponse:
    farm = get_or_404(request.user, FamilyFarm.objects.all(), REPORT, pk=pk)
    form = FarmReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.farm_report_file(actor=request.user, farm=farm, **form.cleaned_data)
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("已报送%(y)s年度报告") % {"y": form.cleaned_data["year"]})
            return redirect("agribiz:farm", pk=farm.pk)
    return render(request, "agribiz/form.html", {"form": form, "title": _("报送家庭农场年度报告")})


@login_required
def compare(request: HttpRequest) -> HttpResponse:
    """Counts for every district and county-level city of 青岛市 (public statistics, no personal data)."""
    _need(request, VIEW)
    rows = [r for r in selectors.counts_for(selectors.city_districts()) if r.cooperatives or r.family_farms]
    rows.sort(key=lambda r: -(r.cooperatives + r.family_farms))
    return render(request, "agribiz/compare.html", {"rows": rows})


def _members(profile: CoopProfile) -> list[dict[str, Any]]:
    """The current members named on record, masked (name and ID number), at most 200."""
    rows = profile.members.filter(left_on__isnull=True).select_related("person").order_by("pk")[:200]
    return [
        {
            "pk": m.pk,
            "name": mask_name(m.name),
            "id": mask_id_number(m.person.id_number) if m.person and m.person.id_number else "—",
            "joined_on": m.joined_on,
        }
        for m in rows
    ]


@login_required
def coop_members(request: HttpRequest, pk: int) -> HttpResponse:
    """Add or remove a single member (入社 / 退社) of a cooperative the user manages: one service each,
    with history; a leaving that leaves fewer than five members needs a confirmation (rules.leaving_warning)."""
    qs = CoopProfile.objects.select_related("organisation")
    profile = get_or_404(request.user, qs, MANAGE, pk=pk)
    join, leave = MemberJoinForm(prefix="join"), MemberLeaveForm(prefix="leave")
    confirm_for: int | None = None
    if request.method == "POST" and request.POST.get("action") == "join":
        join = MemberJoinForm(request.POST, prefix="join")
        if join.is_valid():
            d = join.cleaned_data
            try:
                services.coop_member_join(
                    actor=request.user,
                    profile=profile,
                    name=d["name"],
                    id_number=d["id_number"] or "",
                    joined_on=d["joined_on"],
                )
            except ValidationError as exc:
                _form_errors(join, exc)
            else:
                messages.success(request, _("已登记入社"))
                return redirect("agribiz:coop_members", pk=profile.pk)
    elif request.method == "POST" and request.POST.get("action") == "leave":
        leave = MemberLeaveForm(request.POST, prefix="leave")
        if leave.is_valid():
            d = leave.cleaned_data
            member = CoopMember.objects.filter(pk=d["member"], coop=profile).first()
            if member is None:
                leave.add_error(None, _("该成员不属于本合作社"))
            else:
                try:
                    warning = services.coop_member_leave(
                        actor=request.user, member=member, left_on=d["left_on"], confirmed=d["confirm"]
                    )
                except ValidationError as exc:
                    _form_errors(leave, exc)
                    confirm_for = member.pk if rules.leaving_warning(profile.members_count - 1) else None
                else:
                    if warning:
                        messages.warning(request, warning)
                    messages.success(request, _("已登记退社"))
                    return redirect("agribiz:coop_members", pk=profile.pk)
    profile.refresh_from_db(fields=["members_count"])
    return render(
        request,
        "agribiz/members.html",
        {
            "c": profile,
            "members": _members(profile),
            "join": join,
            "leave": leave,
            "confirm_for": confirm_for,
            "below_after_leaving": bool(rules.leaving_warning(profile.members_count - 1)),
            "today": timezone.localdate(),
        },
    )
