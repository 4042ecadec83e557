"""Pages for what the county and the villages enter by hand: registering a household and its members,
recording income checks, and the county's settings (the monitoring line per province and year, the 公示
days of each step). Thin: parse, one permission check, a service; every refusal is a message and nothing
is written."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from gongzhi.accounts.access import get_or_404, require
from gongzhi.monitoring import selectors, services
from gongzhi.monitoring.models import SETTINGS, VISIT, Household, Labour, MonitoringLine, NoticePeriod, Step
from gongzhi.monitoring.views import _date, _error, _place
from gongzhi.people.masking import mask_id_number, mask_name
from gongzhi.places.models import Division

MEMBER_ROWS = 6
VILLAGE_LEVELS = ("village", "community")


def _money(raw: str) -> Decimal:
    try:
        value = Decimal((raw or "").strip())
        if not value.is_finite():
            raise InvalidOperation
    except InvalidOperation:
        raise ValidationError(_("金额应为数字")) from None
    return value


def _members(data: dict[str, str]) -> list[services.MemberRow]:
    """The filled member rows of the form (a row with neither name nor ID number is skipped)."""
    rows = []
    for i in range(MEMBER_ROWS):
        name, number = data.get(f"name_{i}", "").strip(), data.get(f"id_{i}", "").strip()
        if not name and not number:
            continue
        if not name or not number:
            raise ValidationError(_("第 %(n)s 位成员的姓名和身份证号都要填写") % {"n": i + 1})
        labour = data.get(f"labour_{i}", Labour.FULL)
        rows.append(services.MemberRow(name, number, data.get(f"relation_{i}", ""), labour))
    return rows


@login_required
def household_new(request: HttpRequest) -> HttpResponse:
    """A village cadre (or town or county staff) registers a household in a village; the first member is
    the head. ID numbers are checked and shown masked once saved."""
    place = _place(request, VISIT)
    data = request.POST if request.method == "POST" else None
    if data is not None and place.level in VILLAGE_LEVELS:
        try:
            members = _members(data)
            household = services.household_register(
                actor=request.user, village=place, number=data.get("number", ""), members=members
            )
        except ValidationError as exc:
            messages.error(request, _error(exc))
        else:
            shown = "、".join(f"{mask_name(m.name)} {mask_id_number(m.id_number.upper())}" for m in members)
            messages.success(request, _("农户 %(no)s 已登记：%(m)s") % {"no": household.number, "m": shown})
            return redirect(f"{request.path}?place={place.code}")
    villages = (
        Division.objects.filter(parent=place).order_by("code") if place.level not in VILLAGE_LEVELS else []
    )
    return render(
        request,
        "monitoring/household_new.html",
        {
            "place": place,
            "villages": villages,
            "rows": range(MEMBER_ROWS),
            "labours": Labour.choices,
            "data": data or {},
        },
    )


@login_required
def income(request: HttpRequest, pk: int) -> HttpResponse:
    """Record a check of a household's annualised per-capita income; the checks so far, with the line."""
    household = get_or_404(request.user, Household.objects.select_related("village", "head"), VISIT, pk=pk)
    today = timezone.localdate()
    data = request.POST if request.method == "POST" else None
    if data is not None:
        on = _date(data.get("measured_on", ""))
        try:
            if on is None:
                raise ValidationError(_("请填写正确的核查日期（年-月-日）"))
            services.income_record(
                actor=request.user,
                household=household,
                measured_on=on,
                yuan_per_person=_money(data.get("yuan_per_person", "")),
            )
        except ValidationError as exc:
            messages.error(request, _error(exc))
        else:
            messages.success(request, _("收入核查已记录"))
            return redirect("monitoring:income", household.pk)
    lines = selectors.lines_for(selectors.province_of(household.path))
    checks = [
        (on, amount, lines.get(on.year))
        for on, amount in household.incomes.order_by("-measured_on").values_list(
            "measured_on", "yuan_per_person"
        )[:24]
    ]
    return render(
        request,
        "monitoring/income.html",
        {
            "household": household,
            "head": mask_name(household.head.name),
            "checks": checks,
            "today": today,
            "data": data or {},
        },
    )


def _int(raw: str, what: str) -> int:
    try:
        return int((raw or "").strip())
    except ValueError:
        raise ValidationError(_("%(what)s应为整数") % {"what": what}) from None


@login_required
def settings_page(request: HttpRequest) -> HttpResponse:
    """The county sets the monitoring line of a province for a year and the 公示 days after each step."""
    require(request.user, SETTINGS, None)
    if request.method == "POST":
        data = request.POST
        try:
            if data.get("form") == "line":
                row = services.monitoring_line_set(
                    actor=request.user,
                    province=data.get("province", "").strip(),
                    year=_int(data.get("year", ""), _("年度")),
                    yuan_per_person=_money(data.get("yuan_per_person", "")),
                )
                done = _("%(year)s 年监测线已设为 %(yuan)s 元/人·年") % {
                    "year": row.year,
                    "yuan": row.yuan_per_person,
                }
            elif data.get("form") == "notice":
                notice = services.notice_period_set(
                    actor=request.user,
                    step=data.get("step", ""),
                    days=_int(data.get("days", ""), _("公示天数")),
                )
                done = _("%(step)s公示期已设为 %(days)s 天") % {
                    "step": notice.get_step_display(),
                    "days": notice.days,
                }
            else:
                raise ValidationError(_("请求无效"))
        except ValidationError as exc:
            messages.error(request, _error(exc))
        else:
            messages.success(request, done)
            return redirect("monitoring:settings")
    notices = {n.step: n.days for n in NoticePeriod.objects.all()}
    return render(
        request,
        "monitoring/settings.html",
        {
            "lines": MonitoringLine.objects.order_by("-year", "province")[:100],
            "steps": [(s.value, s.label, notices.get(s.value)) for s in Step],
            "this_year": timezone.localdate().year,
            "first_visit_days": selectors.first_visit_days(),
            "stall_days": selectors.stall_days(),
        },
    )
