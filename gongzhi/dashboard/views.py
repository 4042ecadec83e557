"""驾驶舱 and bulletin pages: thin; figures from selectors, writes through services."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.html import format_html_join
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gongzhi.accounts.access import authorize, can, get_or_404, require
from gongzhi.accounts.roles import Action
from gongzhi.core.pdf import pdf_response
from gongzhi.dashboard import bulletin as bulletins
from gongzhi.dashboard import selectors, services
from gongzhi.dashboard.forms import BulletinTemplateForm
from gongzhi.dashboard.templatetags.dashboard_tags import figure_code
from gongzhi.places.models import Division
from gongzhi.places.selectors import breadcrumb, resolve_place, top_places

MAKE, MANAGE = "bulletin.make", services.MANAGE
FORMATS = {"html", "pdf", "docx", "xlsx"}


@login_required
def home(request: HttpRequest) -> HttpResponse:
    authorize(request.user, Action.GOVERNANCE_VIEW)
    divisions, compounds, buildings = top_places(request.user)
    top = (divisions or compounds or [b.compound for b in buildings] or [None])[0]
    if top is None:
        msg = [_("您的账号没有可查看的地区。")]
        return render(request, "dashboard/bulletin_error.html", {"place": None, "errors": msg})
    return redirect("dashboard:place", code=top.code)


def _place(request: HttpRequest, code: str) -> Any:
    return resolve_place(request.user, code)


def _chart_data(
    place: Any,
    cells: list[selectors.Cell],
    history: dict[str, Any],
    rows: list[dict[str, Any]],
    codes: list[str],
) -> dict[str, Any]:
    return {
        "figures": [
            {"code": c.figure.code, "label": c.figure.label_zh, "ratio": selectors.is_ratio(c.figure)}
            for c in cells
        ],
        "history": {code: [[d.isoformat(), v] for d, v in points] for code, points in history.items()},
        "children": {
            "names": [r["name"] for r in rows],
            "codes": codes,
            "values": [r["values"] for r in rows],
        },
    }


def _tds(codes: list[str], values: list[Any]) -> str:
    """A drill-down row's figure cells, written here rather than by a template filter per cell: the city's
    table has ~700 of them, and the filter calls were the largest part of the page's own CPU time."""
    texts = ((figure_code(v, c),) for c, v in zip(codes, values, strict=True))
    return format_html_join("", '<td class="text-end">{}</td>', texts)


@login_required
def place(request: HttpRequest, code: str) -> HttpResponse:
    here = _place(request, code)
    require(request.user, Action.GOVERNANCE_VIEW, here)
    kids = selectors.children(here)
    found, rows, codes = selectors.live_page(here, kids)
    _source, _day, cells = selectors.cells(here, found=found)
    child_level = selectors.level_of(kids[0]) if kids else None
    history = selectors.history(here.code)
    labels = {c: selectors.label(c) for c in codes}
    context = {
        "place": here,
        "crumbs": breadcrumb(here.path, request.user)[:-1],
        "cells": cells,
        "rows": [{**r, "tds": _tds(codes, r["values"])} for r in rows],
        "codes": codes,
        "labels": [labels[c] for c in codes],
        "child_level": child_level,
        "chart": _chart_data(here, cells, history, rows, codes),
        "snapshots": len(next(iter(history.values()), [])),
        "measured_later": selectors.measured_later(here.code) if history else [],
        "may_bulletin": can(request.user, MAKE, here),
        "may_snapshot": isinstance(here, Division) and can(request.user, MANAGE, here),
        "today": timezone.localdate(),
    }
    return render(request, "dashboard/place.html", context)


@login_required
@require_POST
def snapshot(request: HttpRequest, code: str) -> HttpResponse:
    here = get_or_404(request.user, Division.objects.all(), MANAGE, code=code)
    run = services.snapshots_take(actor=request.user, path=here.path)
    messages.success(
        request,
        _("已保存 %(d)s 的快照：%(n)d 个区划，%(r)d 条")
        % {"d": run.taken_on, "n": run.divisions, "r": run.rows},
    )
    return redirect("dashboard:place", code=here.code)


def _day(value: str, today: date) -> date:
    if not value:
        return today
    try:
        day = date.fromisoformat(value)
    except ValueError:
        raise ValidationError(_("日期格式应为 YYYY-MM-DD")) from None
    if day > today:
        raise ValidationError(_("不能为将来的日期生成简报"))
    return day


@login_required
def bulletin(request: HttpRequest, code: str) -> HttpResponse:
    here = _place(request, code)
    require(request.user, MAKE, here)
    today = timezone.localdate()
    fmt = request.GET.get("format", "html")
    try:
        if fmt not in FORMATS:
            raise ValidationError(_("不支持的格式：只能是 html、pdf、docx、xlsx"))
        on = _day(request.GET.get("date", ""), today)
    except ValidationError as exc:
        return render(
            request, "dashboard/bulletin_error.html", {"place": here, "errors": exc.messages}, status=400
        )
    b = bulletins.build(here, on, today)
    if fmt == "pdf":
        return pdf_response(bulletins.to_pdf(b), f"{b.filename}.pdf")
    if fmt in ("docx", "xlsx"):
        data = bulletins.to_docx(b) if fmt == "docx" else bulletins.to_xlsx(b)
        kind = "wordprocessingml.document" if fmt == "docx" else "spreadsheetml.sheet"
        response = HttpResponse(data, content_type=f"application/vnd.openxmlformats-officedocument.{kind}")
        response["Content-Disposition"] = (
            content_disposition_header(True, f"{b.filename}.{fmt}") or "attachment"
        )
        return response
    return render(
        request,
        "dashboard/bulletin.html",
        {"b": b, "place": here, "today": today, "may_edit": can(request.user, MANAGE, here)},
    )


@login_required
def bulletin_template(request: HttpRequest, code: str) -> HttpResponse:
    here = get_or_404(request.user, Division.objects.all(), MANAGE, code=code)
    current = selectors.bulletin_template(here)
    form = BulletinTemplateForm(request.POST or None, instance=current)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.bulletin_template_save(
                actor=request.user,
                division=here,
                title=d["title"],
                body=d["body"],
                table_figures=d["table_figures"],
                chart_figure=d["chart_figure"],
            )
        except ValidationError as exc:
            for field, errs in exc.message_dict.items():
                for e in errs:
                    form.add_error(field if field in form.fields else None, e)
        else:
            messages.success(request, _("简报模板已保存"))
            return redirect("dashboard:bulletin", code=here.code)
    return render(
        request, "dashboard/bulletin_template.html", {"place": here, "form": form, "current": current}
    )
