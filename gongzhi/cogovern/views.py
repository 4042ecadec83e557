"""Pages of the co-governance community: the property-management map (page, GeoJSON, A3 PDF, drawn/checked
record), the 1+3+N card of a compound, the overdue lists, the companies with their credit, the red and
black list. Thin: check with gongzhi.accounts.access, call a selector or a service, render.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.gzip import gzip_page
from django.views.decorators.http import require_POST

from gongzhi.accounts.access import can, get_or_404, scoped
from gongzhi.cogovern import mapstatus, rules, selectors, services, svgmap
from gongzhi.cogovern import property_rules as pr
from gongzhi.cogovern.models import EDIT, VIEW, CommunityMap, ListEntry, ListKind, PropertyCompany
from gongzhi.cogovern.settings_store import committee_rules, credit_weights
from gongzhi.core.pdf import pdf_response, render_pdf
from gongzhi.people.masking import mask_name, mask_phone
from gongzhi.places.models import Compound, Division, Level
from gongzhi.places.selectors import breadcrumb, top_places


def _card_url(code: str) -> str:
    return reverse("cogovern:card", args=[code])


def _card_urls() -> Callable[[str], str]:
    """The card's URL for each of thousands of compounds: reversed once, then filled in (reversing per
    compound cost more than the map's query)."""
    head, tail = reverse("cogovern:card", args=["0"]).rsplit("0", 1)
    return lambda code: f"{head}{code}{tail}"


@login_required
def home(request: HttpRequest) -> HttpResponse:
    divisions, compounds, buildings = top_places(request.user)
    if divisions:
        return redirect("cogovern:map", code=divisions[0].code)
    if compounds:
        return redirect("cogovern:card", code=compounds[0].code)
    if buildings:
        return redirect("cogovern:card", code=buildings[0].compound.code)
    raise Http404


def _division(request: HttpRequest, code: str, action: str = VIEW) -> Division:
    return get_or_404(request.user, Division.objects.all(), action, code=code)


@login_required
def map_page(request: HttpRequest, code: str) -> HttpResponse:
    place = _division(request, code)
    states = mapstatus.map_states(place.path)
    counts = selectors.counts(states)
    legend = selectors.layer_legend()
    layers = [
        {
            "code": layer,
            "label": selectors.LAYER_LABELS[layer],
            "rows": [(v, label, colour, counts[layer].get(v, 0)) for v, label, colour in legend[layer]],
        }
        for layer in selectors.LAYERS
    ]
    required, formed = selectors.committee_figures(states)
    is_community = place.level in (Level.COMMUNITY, Level.VILLAGE)
    return render(
        request,
        "cogovern/map.html",
        {
            "place": place,
            "crumbs": breadcrumb(place.path, request.user),
            "layers": layers,
            "total": len(states),
            "required": required,
            "formed": formed,
            "rate": f"{selectors.rate(formed, required) * 100:.2f}%",
            "record": CommunityMap.objects.filter(community=place).first() if is_community else None,
            "is_community": is_community,
            "may_mark": is_community and can(request.user, EDIT, place),
            "map_config": {
                "data": reverse("cogovern:map_data", args=[place.code]),
                "colours": selectors.COLOURS,
                "tiles": getattr(settings, "GONGZHI_MAP_TILES", ""),
            },
        },
    )


@login_required
@gzip_page
def map_data(request: HttpRequest, code: str) -> HttpResponse:
    """GeoJSON of every compound under the place with its three layer values: one query at any size.
    Compressed when the browser accepts it: a city's 3 MB of repetitive JSON travels as a tenth of that
    (it holds no secret, so compression leaks nothing)."""
    place = _division(request, code)
    states = mapstatus.map_states(place.path, outlines=True)
    return HttpResponse(selectors.geojson_text(states, _card_urls()), content_type="application/json")


@login_required
def map_pdf(request: HttpRequest, code: str) -> HttpResponse:
    """The A3 wall map of a place: one page per layer, drawn as SVG from the outlines."""
    place = _division(request, code)
    states = mapstatus.map_states(place.path, outlines=True)
    features = selectors.features(states, _card_url)
    counts = selectors.counts(states)
    legend = selectors.layer_legend()
    pages = [
        {
            "label": str(selectors.LAYER_LABELS[layer]),
            "svg": svgmap.render_svg(features, selectors.COLOURS[layer], layer),
            "rows": [(label, colour, counts[layer].get(v, 0)) for v, label, colour in legend[layer]],
        }
        for layer in selectors.LAYERS
    ]
    record = CommunityMap.objects.filter(community=place).first()
    pdf = render_pdf(
        "cogovern/print/map.html",
        {
            "place": place,
            "pages": pages,
            "record": record,
            "total": len(states),
            "today": timezone.localdate(),
        },
    )
    return pdf_response(pdf, f"{place.name}物管地图.pdf", inline=True)


@login_required
@require_POST
def map_mark(request: HttpRequest, code: str) -> HttpResponse:
    place = _division(request, code, EDIT)
    try:
        record = services.community_map_mark(actor=request.user, community=place)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, _("已记录：%(day)s 绘制/核对物管地图") % {"day": record.checked_on})
    return redirect("cogovern:map", code=place.code)


SEAT_ORDER = {"chair": 0, "vice_chair": 1, "member": 2}
MISSING = {
    "party": gettext_lazy("小区党组织"),
    "committee": gettext_lazy("业主委员会"),
    "self": gettext_lazy("自管会"),
    "company": gettext_lazy("物业服务企业"),
    "n": gettext_lazy("共治参与方（N）"),
}


@login_required
def card(request: HttpRequest, code: str) -> HttpResponse:
    compound = get_or_404(request.user, Compound.objects.select_related("community"), VIEW, code=code)
    c = selectors.card(compound)
    fix = {
        "party": reverse("party:chain", args=[compound.code]),
        "committee": reverse("cogovern:steps", args=[compound.code]),
        "self": reverse("ledgers:home"),
        "company": reverse("cogovern:companies"),
        "n": reverse("ledgers:home"),
    }
    missing = [(MISSING[m], fix[m]) for m in c.missing]
    credit = None
    if c.contract is not None:
        found = selectors.companies_with_credit(PropertyCompany.objects.filter(pk=c.contract.company_id))
        credit = found[0] if found else None
    return render(
        request,
        "cogovern/card.html",
        {
            "compound": compound,
            "crumbs": breadcrumb(compound.path, request.user),
            "c": c,
            "status_label": rules.Status(c.state.status).label,
            "red_label": selectors.RedStatus.LABELS[c.state.red],
            "trigger_label": rules.Trigger(c.state.trigger).label if c.state.trigger else "",
            "late": [(rules.Step(step).label, due) for step, due in c.state.late],
            "missing": missing,
            "seats": [
                (s.role_label, mask_name(s.person.name))
                for s in sorted(c.committee_seats, key=lambda s: (SEAT_ORDER.get(s.role, 9), s.pk))
            ],
            "participants": [(p, mask_phone(p.contact_phone)) for p in c.participations],
            "credit": credit,
            "credit_rule": pr.credit_rule_text(credit_weights()),
        },
    )


@login_required
def overdue(request: HttpRequest, code: str) -> HttpResponse:
    place = _division(request, code)
    states = selectors.compound_states(place.path)
    late = selectors.overdue(states)
    steps = [(rules.Step(step).label, rows) for step, rows in late.items()]
    status = Counter(s.status for s in states)
    return render(
        request,
        "cogovern/overdue.html",
        {
            "place": place,
            "crumbs": breadcrumb(place.path, request.user),
            "steps": steps,
            "status": [(label, status.get(v, 0)) for v, label in rules.Status.choices],
            "rule_set": committee_rules().name,
        },
    )


@login_required
def companies(request: HttpRequest) -> HttpResponse:
    qs = scoped(request.user, PropertyCompany.objects.active(), VIEW)
    rows = selectors.companies_with_credit(qs)
    grades = Counter(r.credit.grade for r in rows)
    return render(
        request,
        "cogovern/companies.html",
        {
            "rows": rows,
            "grades": [(g, grades.get(g, 0)) for _f, g in pr.grades(credit_weights())]
            + [(pr.BLACKLIST, grades.get(pr.BLACKLIST, 0))],
            "credit_rule": pr.credit_rule_text(credit_weights()),
        },
    )


@login_required
def company(request: HttpRequest, pk: int) -> HttpResponse:
    org = get_or_404(request.user, PropertyCompany.objects.select_related("company_profile"), VIEW, pk=pk)
    credit = selectors.companies_with_credit(PropertyCompany.objects.filter(pk=org.pk))[0]
    return render(
        request,
        "cogovern/company.html",
        {
            "org": org,
            "credit": credit,
            "credit_rule": pr.credit_rule_text(credit_weights()),
            "contracts": org.contracts.select_related("compound").order_by("ends_on"),  # type: ignore[attr-defined]
            "complaints": org.complaints.select_related("compound")[:50],  # type: ignore[attr-defined]
            "entries": org.list_entries.select_related("compound")[:50],  # type: ignore[attr-defined]
            "evaluations": org.evaluations.select_related("compound").order_by("-year", "-quarter")[:50],  # type: ignore[attr-defined]
        },
    )


def _quarter(request: HttpRequest) -> tuple[int, int]:
    today = timezone.localdate()
    year, quarter = pr.quarter_of(today)
    try:
        year = int(request.GET.get("year", year))
        quarter = int(request.GET.get("quarter", quarter))
    except (TypeError, ValueError):
        raise Http404 from None
    if not (2000 <= year <= today.year + 1 and 1 <= quarter <= 4):
        raise Http404
    return year, quarter


@login_required
def redblack(request: HttpRequest, code: str) -> HttpResponse:
    place = _division(request, code)
    year, quarter = _quarter(request)
    entries = list(
        ListEntry.objects.filter(path__under=place.path, year=year, quarter=quarter)
        .select_related("company", "compound", "project_manager")
        .order_by("kind", "compound__code")
    )
    today = timezone.localdate()
    context: dict[str, Any] = {
        "place": place,
        "crumbs": breadcrumb(place.path, request.user),
        "year": year,
        "quarter": quarter,
        "red": [e for e in entries if e.kind == ListKind.RED],
        "black": [e for e in entries if e.kind == ListKind.BLACK],
        "today": today,
        "previous": pr.quarters_back(year, quarter, 2)[1],
    }
    return render(request, "cogovern/redblack.html", context)
