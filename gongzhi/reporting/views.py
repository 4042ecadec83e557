"""双报到 pages. Thin: parse, check with gongzhi.accounts.access, call a selector or a service, render.

A member's phone page (/reporting/me/) acts as the person their account is linked to; staff pages are
scoped by the permission check like every other page.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gongzhi.accounts.access import can, get_or_404, require
from gongzhi.core.pdf import pdf_response, render_pdf
from gongzhi.insights.registry import PlaceScope
from gongzhi.ledgers.xlsx import write_workbook
from gongzhi.party.models import PartyMember
from gongzhi.places.models import Compound, Division
from gongzhi.places.selectors import top_places
from gongzhi.reporting import forms, selectors, services
from gongzhi.reporting.indicators import FIGURES, figures
from gongzhi.reporting.ledger import CARD_SHEET, card_rows
from gongzhi.reporting.models import (
    CONFIRM,
    MANAGE,
    SELF,
    VIEW,
    VOCABULARY,
    Channel,
    Match,
    MatchStatus,
    Need,
    NeedStatus,
    Project,
    RecordStatus,
    Report,
    Resource,
    ServicePost,
    ServiceRecord,
    Skill,
    Unit,
)


def _error(exc: ValidationError) -> str:
    return "；".join(exc.messages)


def _year(request: HttpRequest) -> int:
    raw = request.GET.get("year", "")
    return int(raw) if raw.isdigit() and 2000 <= int(raw) <= 2100 else timezone.localdate().year


def _top_place(request: HttpRequest) -> Division | Compound:
    """The place named by ?place= (a division code or compound code) inside the user's places, or the top one."""
    code = request.GET.get("place", "") or request.POST.get("place", "")
    if code:
        division = Division.objects.filter(code=code).first()
        place: Division | Compound | None = division or Compound.objects.filter(code=code).first()
        if place is None:
            raise Http404
        require(request.user, VIEW, place)
        return place
    divisions, compounds, _b = top_places(request.user)
    if divisions:
        return divisions[0]
    if compounds:
        return compounds[0]
    if request.user.is_superuser:
        first = Division.objects.filter(level="district").order_by("code").first()
        if first:
            return first
    raise PermissionDenied


@login_required
def home(request: HttpRequest) -> HttpResponse:
    if can(request.user, VIEW):
        return redirect("reporting:overview")
    if can(request.user, SELF):
        return redirect("reporting:me")
    raise PermissionDenied


@login_required
def overview(request: HttpRequest) -> HttpResponse:
    if not can(request.user, VIEW):
        raise PermissionDenied
    place = _top_place(request)
    values = figures(PlaceScope(place))
    return render(
        request,
        "reporting/overview.html",
        {
            "place": place,
            "figures": [(f, values[f.code]) for f in FIGURES],
            "units": selectors.units(request.user)[:200],
            "may_manage": can(request.user, MANAGE, place),
            "may_skills": can(request.user, VOCABULARY),
            "year": timezone.localdate().year,
        },
    )


@login_required
def unit(request: HttpRequest, pk: int) -> HttpResponse:
    obj = get_or_404(request.user, Unit.objects.active().prefetch_related("coverages"), VIEW, pk=pk)
    year = _year(request)
    page = selectors.unit_page(obj, year)
    return render(
        request,
        "reporting/unit.html",
        {
            "page": page,
            "year": year,
            "quarters": (1, 2, 3, 4),
            "total": sum(page.hours.values(), Decimal(0)),
            "can_manage": can(request.user, MANAGE, obj),
        },
    )


def _card_args(request: HttpRequest, pk: int, year: int, quarter: int) -> tuple[Unit, list[Any]]:
    obj = get_or_404(request.user, Unit.objects.active().prefetch_related("coverages"), VIEW, pk=pk)
    if quarter not in (1, 2, 3, 4) or not 2000 <= year <= 2100:
        raise Http404
    return obj, selectors.card(obj, year, quarter)


@login_required
def card_xlsx(request: HttpRequest, pk: int, year: int, quarter: int) -> HttpResponse:
    import tempfile

    obj, rows = _card_args(request, pk, year, quarter)
    with tempfile.NamedTemporaryFile(suffix=".xlsx") as f:
        write_workbook(f.name, [(CARD_SHEET, card_rows(rows))])
        data = f.read()
    response = HttpResponse(
        data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = (
        content_disposition_header(True, f"{obj.name}{year}年第{quarter}季度服务记实卡.xlsx") or "attachment"
    )
    return response


@login_required
def card_pdf(request: HttpRequest, pk: int, year: int, quarter: int) -> HttpResponse:
    obj, rows = _card_args(request, pk, year, quarter)
    pdf = render_pdf(
        "reporting/card_print.html",
        {
            "unit": obj,
            "year": year,
            "quarter": quarter,
            "rows": rows,
            "total": sum((r.quarter_hours for r in rows), Decimal(0)),
        },
    )
    return pdf_response(pdf, f"{obj.name}{year}年第{quarter}季度服务记实卡.pdf")


@login_required
def staff_report(request: HttpRequest, code: str) -> HttpResponse:
    """Staff enter a member's report (or a member's move to this compound)."""
    compound = get_or_404(request.user, Compound.objects.all(), MANAGE, code=code)
    members = list(
        PartyMember.objects.filter(compound=compound, in_service=True)
        .select_related("person")
        .order_by("person__pinyin")
    )
    form = forms.ReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        person_id = request.POST.get("person", "")
        member = next((m for m in members if str(m.person_id) == person_id), None)
        if member is None:
            form.add_error(None, _("请选择本小区的在职党员"))
        else:
            current = Report.objects.filter(person_id=member.person_id, ended_on=None).first()
            try:
                if current is not None and current.compound_id != compound.pk:
                    services.member_move(actor=request.user, report=current, compound=compound)
                else:
                    services.member_report(
                        actor=request.user,
                        person=member.person,
                        compound=compound,
                        skills=form.cleaned_data["skills"],
                        hours_month=form.cleaned_data["hours_month"],
                        weekdays=form.cleaned_data["weekdays"],
                        weekends=form.cleaned_data["weekends"],
                        strengths=form.cleaned_data["strengths"],
                        workplace=form.cleaned_data["workplace"] or member.workplace,
                        unit=Unit.objects.active()
                        .filter(name=form.cleaned_data["workplace"] or member.workplace)
                        .first(),
                        channel=Channel.STAFF,
                    )
            except ValidationError as exc:
                form.add_error(None, _error(exc))
            else:
                messages.success(request, _("已登记报到"))
                return redirect("reporting:staff_report", code=compound.code)
    reported = set(
        Report.objects.filter(compound=compound, ended_on=None).values_list("person_id", flat=True)
    )
    return render(
        request,
        "reporting/staff_report.html",
        {"compound": compound, "form": form, "members": members, "reported": reported},
        status=400 if request.method == "POST" else 200,
    )


@login_required
def me(request: HttpRequest) -> HttpResponse:
    """The member's phone page: report (once), proposals to answer, notices, hours served."""
    if not can(request.user, SELF):
        raise PermissionDenied
    person = services.person_of(request.user)
    year = timezone.localdate().year
    if person is None:
        return render(request, "reporting/me.html", {"person": None})
    page = selectors.my_page(person, year)
    form = forms.ReportForm(request.POST or None)
    status = 200
    if request.method == "POST":
        member = PartyMember.objects.filter(person=person).select_related("compound").first()
        home = member.compound if member else None
        if home is None:
            form.add_error(None, _("党员名册中没有您的居住小区，请联系社区"))
        elif form.is_valid():
            try:
                services.member_report(
                    actor=request.user,
                    person=person,
                    compound=home,
                    skills=form.cleaned_data["skills"],
                    hours_month=form.cleaned_data["hours_month"],
                    weekdays=form.cleaned_data["weekdays"],
                    weekends=form.cleaned_data["weekends"],
                    strengths=form.cleaned_data["strengths"],
                    workplace=form.cleaned_data["workplace"] or member.workplace,  # type: ignore[union-attr]
                    unit=Unit.objects.active()
                    .filter(name=form.cleaned_data["workplace"] or member.workplace)  # type: ignore[union-attr]
                    .first(),
                    channel=Channel.SELF,
                )
            except ValidationError as exc:
                form.add_error(None, _error(exc))
            else:
                messages.success(request, _("报到成功"))
                return redirect("reporting:me")
        status = 400
    return render(
        request,
        "reporting/me.html",
        {
            "person": person,
            "page": page,
            "form": form,
            "record_form": forms.RecordForm(),
            "year": year,
            "posts": list(selectors.posts_over(page.report.path)) if page.report else [],
            "claimed": set(page.report.posts.values_list("pk", flat=True)) if page.report else set(),
        },
        status=status,
    )


@login_required
@require_POST
def answer(request: HttpRequest, pk: int) -> HttpResponse:
    """Only the member proposed may answer: anyone else gets 404 (the rule is OWN)."""
    person = services.person_of(request.user)
    match = Match.objects.filter(pk=pk, report__person=person).first() if person else None
    if match is None:
        raise Http404
    try:
        services.match_answer(actor=request.user, match=match, accept=request.POST.get("accept") == "1")
    except ValidationError as exc:
        messages.error(request, _error(exc))
    return redirect("reporting:me")


@login_required
@require_POST
def my_record(request: HttpRequest) -> HttpResponse:
    if not can(request.user, SELF):
        raise PermissionDenied
    person = services.person_of(request.user)
    report = Report.objects.filter(person=person, ended_on=None).first() if person else None
    if report is None:
        messages.error(request, _("请先报到"))
        return redirect("reporting:me")
    form = forms.RecordForm(request.POST)
    if not form.is_valid():
        messages.error(request, "；".join(str(e) for errs in form.errors.values() for e in errs))
        return redirect("reporting:me")
    need = None
    need_id = request.POST.get("need", "")
    if need_id.isdigit():
        need = Need.objects.filter(
            pk=int(need_id), matches__report=report, matches__status=MatchStatus.ACCEPTED
        ).first()
    try:
        services.record_add(
            actor=request.user,
            report=report,
            served_on=form.cleaned_data["served_on"],
            hours=form.cleaned_data["hours"],
            note=form.cleaned_data["note"],
            need=need,
        )
    except ValidationError as exc:
        messages.error(request, _error(exc))
    else:
        messages.success(request, _("已提交，待小区党组织书记确认"))
    return redirect("reporting:me")


@login_required
def need_list(request: HttpRequest) -> HttpResponse:
    if not can(request.user, VIEW):
        raise PermissionDenied
    status = request.GET.get("status", "")
    if status not in NeedStatus.values:
        status = ""
    place = _top_place(request)
    return render(
        request,
        "reporting/needs.html",
        {
            "needs": selectors.needs(request.user, status).filter(path__under=place.path)[:200],
            "status": status,
            "statuses": NeedStatus.choices,
            "place": place,
            "may_manage": can(request.user, MANAGE, place),
        },
    )


@login_required
def need_new(request: HttpRequest, code: str) -> HttpResponse:
    compound = get_or_404(request.user, Compound.objects.all(), MANAGE, code=code)
    form = forms.NeedForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            need = services.need_create(actor=request.user, compound=compound, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, _error(exc))
        else:
            return redirect("reporting:need", pk=need.pk)
    return render(
        request,
        "reporting/need_new.html",
        {"compound": compound, "form": form},
        status=400 if request.method == "POST" else 200,
    )


@login_required
def need(request: HttpRequest, pk: int) -> HttpResponse:
    obj = get_or_404(request.user, Need.objects.select_related("compound"), VIEW, pk=pk)
    may = can(request.user, MANAGE, obj)
    candidates = (
        Report.objects.filter(
            path__under=obj.compound.community.path, ended_on=None, skills__in=obj.skills.all()
        )
        .select_related("person", "compound")
        .distinct()
        .order_by("path", "id")[:50]
        if may
        else []
    )
    return render(
        request,
        "reporting/need.html",
        {"need": obj, "matches": selectors.need_matches(obj), "may_manage": may, "candidates": candidates},
    )


@login_required
@require_POST
def propose(request: HttpRequest, pk: int) -> HttpResponse:
    obj = get_or_404(request.user, Need.objects.all(), MANAGE, pk=pk)
    report_id = request.POST.get("report", "")
    report = Report.objects.filter(pk=int(report_id), ended_on=None).first() if report_id.isdigit() else None
    hours = request.POST.get("hours", "")
    try:
        if report is None:
            raise ValidationError(_("请选择报到党员"))
        if not hours.isdigit():
            raise ValidationError(_("建议时长应为正整数"))
        services.match_propose(
            actor=request.user,
            need=obj,
            report=report,
            hours=int(hours),
            reason=request.POST.get("reason", "")[:50],
        )
    except ValidationError as exc:
        messages.error(request, _error(exc))
    return redirect("reporting:need", pk=obj.pk)


@login_required
@require_POST
def withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    match = get_or_404(request.user, Match.objects.all(), MANAGE, pk=pk)
    try:
        services.match_withdraw(actor=request.user, match=match)
    except ValidationError as exc:
        messages.error(request, _error(exc))
    return redirect("reporting:need", pk=match.need_id)


@login_required
@require_POST
def run(request: HttpRequest) -> HttpResponse:
    place = _top_place(request)
    if not can(request.user, MANAGE, place):
        raise PermissionDenied
    summary = services.matching_run(actor=request.user, place=place)
    messages.success(
        request,
        _("匹配完成：%(members)s 名党员、%(needs)s 项需求，推荐 %(proposed)s 人次、%(hours)s 小时")
        % {
            "members": summary.members,
            "needs": summary.needs,
            "proposed": summary.proposed,
            "hours": summary.hours,
        },
    )
    return redirect(f"{_url('reporting:needs')}?place={place.code}")


def _url(name: str) -> str:
    from django.urls import reverse

    return reverse(name)


@login_required
def record_list(request: HttpRequest) -> HttpResponse:
    if not can(request.user, VIEW):
        raise PermissionDenied
    status = request.GET.get("status", RecordStatus.REPORTED)
    if status not in RecordStatus.values:
        status = RecordStatus.REPORTED
    rows = list(selectors.records(request.user, status)[:200])
    return render(
        request,
        "reporting/records.html",
        {
            "records": [(r, can(request.user, CONFIRM, r)) for r in rows],
            "status": status,
            "statuses": RecordStatus.choices,
        },
    )


@login_required
@require_POST
def confirm(request: HttpRequest, pk: int) -> HttpResponse:
    record = get_or_404(request.user, ServiceRecord.objects.all(), CONFIRM, pk=pk)
    try:
        services.record_confirm(actor=request.user, record=record, ok=request.POST.get("ok", "1") == "1")
    except ValidationError as exc:
        messages.error(request, _error(exc))
    return redirect("reporting:records")


@login_required
def shortfall(request: HttpRequest) -> HttpResponse:
    if not can(request.user, VIEW):
        raise PermissionDenied
    place = _top_place(request)
    year = _year(request)
    need, rows = selectors.shortfall(place.path, year)
    return render(
        request, "reporting/shortfall.html", {"place": place, "year": year, "min_hours": need, "rows": rows}
    )


@login_required
def skills(request: HttpRequest) -> HttpResponse:
    if not can(request.user, VOCABULARY):
        raise PermissionDenied
    form = forms.SkillForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.skill_save(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, _error(exc))
        else:
            messages.success(request, _("技能已保存：%(name)s") % {"name": form.cleaned_data["name"]})
            return redirect("reporting:skills")
    return render(
        request,
        "reporting/skills.html",
        {"skills": Skill.objects.all(), "form": form},
        status=400 if request.method == "POST" else 200,
    )


# -- the three lists and the hours setting: edit pages ----------------------------------------------------


def _edit_id(request: HttpRequest) -> int | None:
    raw = request.POST.get("id", "") or request.GET.get("id", "")
    return int(raw) if raw.isdigit() and len(raw) < 12 else None


def _form_errors(form: Any) -> str:
    return "；".join(str(e) for errs in form.errors.values() for e in errs)


@login_required
def unit_resources(request: HttpRequest, pk: int) -> HttpResponse:
    """Add or change what a unit offers (资源清单): staff of a place the unit covers."""
    unit = get_or_404(request.user, Unit.objects.active(), MANAGE, pk=pk)
    rows = list(Resource.objects.filter(unit=unit).order_by("kind", "id"))
    row = next((r for r in rows if r.pk == _edit_id(request)), None)
    initial = {"kind": row.kind, "name": row.name, "quantity": row.quantity} if row else None
    form = forms.ResourceForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.resource_save(actor=request.user, unit=unit, resource=row, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, _error(exc))
        else:
            messages.success(request, _("资源已保存：%(name)s") % {"name": form.cleaned_data["name"]})
            return redirect("reporting:unit", pk=unit.pk)
    items = [(r.pk, f"{r.get_kind_display()}：{r.name} {r.quantity}") for r in rows]
    return _edit_page(request, unit, _("提供资源"), form, row, items, "reporting:resources")


@login_required
def unit_projects(request: HttpRequest, pk: int) -> HttpResponse:
    """Add a project the unit adopted at one of its contact points, or update its progress (项目清单)."""
    unit = get_or_404(request.user, Unit.objects.active(), MANAGE, pk=pk)
    rows = list(Project.objects.filter(unit=unit).select_related("compound").order_by("-adopted_on", "id"))
    row = next((p for p in rows if p.pk == _edit_id(request)), None)
    points = {c.code: c for c in unit.covered_compounds()}
    initial = (
        {
            "compound": row.compound.code,
            "title": row.title,
            "progress": row.progress,
            "adopted_on": row.adopted_on,
        }
        if row
        else {"adopted_on": timezone.localdate()}
    )
    form = forms.ProjectForm(
        request.POST or None, initial=initial, compounds=[(c.code, c.name) for c in points.values()]
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.project_save(
                actor=request.user,
                unit=unit,
                project=row,
                compound=points[data["compound"]],
                title=data["title"],
                progress=data["progress"],
                adopted_on=data["adopted_on"],
            )
        except ValidationError as exc:
            form.add_error(None, _error(exc))
        else:
            messages.success(request, _("项目已保存：%(title)s") % {"title": data["title"]})
            return redirect("reporting:unit", pk=unit.pk)
    items = [(p.pk, f"{p.title}（{p.compound.name}，{p.progress}%）") for p in rows]
    return _edit_page(request, unit, _("认领项目"), form, row, items, "reporting:projects")


def _edit_page(
    request: HttpRequest,
    unit: Unit | None,
    title: str,
    form: Any,
    row: Any,
    items: list[tuple[int, str]],
    url: str,
    **extra: Any,
) -> HttpResponse:
    return render(
        request,
        "reporting/edit.html",
        {"unit": unit, "title": title, "form": form, "row": row, "items": items, "url": url, **extra},
        status=400 if request.method == "POST" else 200,
    )


@login_required
def posts(request: HttpRequest) -> HttpResponse:
    """Service posts with quotas published to the place (and under it): list, publish, change a quota."""
    place = _top_place(request)
    require(request.user, MANAGE, place)
    rows = list(selectors.posts_over(place.path))
    row = next((p for p in rows if p.pk == _edit_id(request)), None)
    form = forms.PostForm(
        request.POST or None, initial={"name": row.name, "quota": row.quota} if row else None
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.post_save(actor=request.user, place=place, post=row, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, _error(exc))
        except PermissionDenied:
            form.add_error(None, _("该岗位由上级发布，您不能修改"))
        else:
            messages.success(request, _("岗位已保存：%(name)s") % {"name": form.cleaned_data["name"]})
            return redirect(f"{_url('reporting:posts')}?place={place.code}")
    items = [
        (p.pk, f"{p.name} · {_('名额')} {p.quota} · {_('已认领人数')} {getattr(p, 'claimed', 0)}")
        for p in rows
    ]
    return _edit_page(request, None, _("服务岗位"), form, row, items, "reporting:posts", place=place)


@login_required
def hours(request: HttpRequest) -> HttpResponse:
    """The yearly hours members should serve, set for a place from a year on (the year-end list reads it)."""
    place = _top_place(request)
    require(request.user, MANAGE, place)
    year = timezone.localdate().year
    form = forms.HoursForm(request.POST or None, initial={"from_year": year})
    if request.method == "POST" and form.is_valid():
        try:
            services.hours_setting_save(actor=request.user, place=place, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, _error(exc))
        else:
            messages.success(
                request,
                _("已设置：%(place)s 自 %(year)s 年起每年最低服务 %(h)s 小时")
                % {
                    "place": place.name,
                    "year": form.cleaned_data["from_year"],
                    "h": form.cleaned_data["min_hours"],
                },
            )
            return redirect(f"{_url('reporting:hours')}?place={place.code}")
    items = [
        (0, f"{s.path or _('全部')} · {s.from_year} {_('年起')} · {s.min_hours} {_('小时')}")
        for s in selectors.hours_settings(place.path)
    ]
    current = selectors.min_hours(place.path, year)
    return _edit_page(request, None, _("服务时长要求"), form, None, items, "", place=place, current=current)


@login_required
@require_POST
def claim(request: HttpRequest) -> HttpResponse:
    """A member claims a service post (or gives it up) on the phone page."""
    if not can(request.user, SELF):
        raise PermissionDenied
    person = services.person_of(request.user)
    report = Report.objects.filter(person=person, ended_on=None).first() if person else None
    post = ServicePost.objects.filter(pk=_edit_id(request) or 0).first()
    if report is None or post is None:
        messages.error(request, _("请先报到，并选择岗位"))
        return redirect("reporting:me")
    try:
        services.post_claim(
            actor=request.user, post=post, report=report, claim=request.POST.get("claim") != "0"
        )
    except ValidationError as exc:
        messages.error(request, _error(exc))
    else:
        messages.success(request, _("岗位已更新：%(name)s") % {"name": post.name})
    return redirect("reporting:me")
