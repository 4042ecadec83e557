"""Pages of the chain: coverage dashboard, the chain of a compound (edited with htmx forms), gaps, lists,
settings. Thin: parse, check with gongzhi.accounts.access, call a selector or a service, render.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from gongzhi.accounts.access import actor_of, can, get_or_404, require, scope_q
from gongzhi.accounts.roles import Action
from gongzhi.core.pickers import picker_response
from gongzhi.insights.registry import PlaceScope
from gongzhi.organisations.models import Coverage
from gongzhi.party import forms, selectors, services
from gongzhi.party.indicators import figures
from gongzhi.party.models import (
    BuildingGroup,
    CentralHousehold,
    MemberStatus,
    OrgKind,
    PartyOrganisation,
    PartySetting,
    SettingKey,
)
from gongzhi.party.settings_store import thresholds
from gongzhi.people.selectors import person_picks, search_persons
from gongzhi.places.models import Compound, Division, Home, Level
from gongzhi.places.selectors import breadcrumb, top_places


def percent(value: float) -> str:
    text = f"{value * 100:.2f}".rstrip("0").rstrip(".")
    return f"{text}%"


def place_figures(place: Division | Compound) -> dict[str, Any]:
    scope = PlaceScope(place)
    data = figures(scope)
    data["compounds_total"] = 1 if scope.is_compound else place.compounds_count
    data["coverage_text"] = percent(data["party_org_coverage"])
    return data


@login_required
def home(request: HttpRequest) -> HttpResponse:
    divisions, compounds, buildings = top_places(request.user)
    if divisions:
        return redirect("party:dashboard", code=divisions[0].code)
    if compounds:
        return redirect("party:chain", code=compounds[0].code)
    if buildings:
        return redirect("party:chain", code=buildings[0].compound.code)
    raise Http404


@login_required
def dashboard(request: HttpRequest, code: str) -> HttpResponse:
    place = get_or_404(request.user, Division.objects.all(), Action.PARTY_VIEW, code=code)
    levels: list[dict[str, Any]] = []
    for level, places in selectors.dashboard_levels(place):
        # Sorted by coverage (then size), so the bars read as a ranking at any number of communities.
        rows = sorted(
            selectors.breakdown(places, place.path), key=lambda r: (-r.coverage, -r.compounds, r.code)
        )
        label = {
            Level.CITY: _("按区（市）"),
            Level.DISTRICT: _("按街道"),
            Level.SUBDISTRICT: _("按社区"),
            "grand": _("按社区") if place.level == Level.DISTRICT else _("按街道"),
        }.get(level, _("下级"))
        chart = {
            "names": [r.name for r in rows],
            "qualifying": [r.qualifying for r in rows],
            "covered": [r.covered for r in rows],
            "compounds": [r.compounds for r in rows],
            "groups": [r.groups for r in rows],
            "households": [r.households for r in rows],
            "coverage": [round(r.coverage * 100, 2) for r in rows],
            "labels": {
                "compounds": _("小区"),
                "qualifying": _("应单独建支部"),
                "covered": _("党组织覆盖"),
                "groups": _("楼栋党小组"),
            },
        }
        n = len(levels)
        levels.append(
            {"label": label, "rows": rows, "chart": chart, "id": f"chart-{n}", "data_id": f"chart-{n}-data"}
        )
    is_community = place.level in (Level.COMMUNITY, Level.VILLAGE)
    context = {
        "place": place,
        "crumbs": breadcrumb(place.path, request.user)[:-1],
        "f": place_figures(place),
        "levels": levels,
        "compound_rows": selectors.compound_rows(place) if is_community else [],
        "is_community": is_community,
    }
    return render(request, "party/dashboard.html", context)


def _compound(request: HttpRequest, code: str, action: str = Action.PARTY_VIEW) -> Compound:
    return get_or_404(request.user, Compound.objects.select_related("community"), action, code=code)


def chain_context(request: HttpRequest, compound: Compound) -> dict[str, Any]:
    stats = getattr(compound, "party_stats", None)
    return {
        "place": compound,
        "chain": selectors.chain(compound),
        "stats": stats,
        "f": place_figures(compound),
        "th": thresholds(compound.path),
        "can_edit": can(request.user, Action.PARTY_EDIT, compound),
    }


@login_required
def chain(request: HttpRequest, code: str) -> HttpResponse:
    compound = _compound(request, code)
    context = chain_context(request, compound)
    context["crumbs"] = breadcrumb(compound.path, request.user)
    return render(request, "party/chain.html", context)


@login_required
def chain_tree(request: HttpRequest, code: str) -> HttpResponse:
    compound = _compound(request, code)
    return render(request, "party/_chain.html", chain_context(request, compound))


# -- editing (htmx forms) -----------------------------------------------------------------------------

Apply = Callable[[Any, Compound, Any], None]


def _apply_org(form: Any, compound: Compound, user: Any) -> None:
    compounds = form.compounds()
    for c in compounds:
        require(user, Action.PARTY_EDIT, c)
    services.organisation_create(
        actor=user,
        kind=form.cleaned_data["kind"],
        name=form.cleaned_data["name"],
        compounds=compounds,
        founded_on=form.cleaned_data["founded_on"],
    )


def _apply_secretary(form: Any, compound: Compound, user: Any) -> None:
    services.committee_seat_set(
        actor=user,
        organisation=form.cleaned_data["organisation"],
        member=form.cleaned_data["member"],
        title=form.cleaned_data["title"],
    )


def _apply_group(form: Any, compound: Compound, user: Any) -> None:
    services.group_create(
        actor=user,
        organisation=form.cleaned_data["organisation"],
        compound=compound,
        name=form.cleaned_data["name"],
        buildings=list(form.cleaned_data["buildings"]),
        leader=form.cleaned_data["leader"],
    )


def _apply_household(form: Any, compound: Compound, user: Any) -> None:
    member = form.cleaned_data["member"]
    wanted = form.cleaned_data["links"]
    homes = list(
        Home.objects.filter(building_id=member.home.building_id, household_link__isnull=True)
        .exclude(pk=member.home_id)
        .exclude(central_household__isnull=False)
        .order_by("unit_no", "floor", "room")
    )
    mine = (member.home.unit_no, member.home.floor or 0, member.home.room)
    at = next((i for i, h in enumerate(homes) if (h.unit_no, h.floor or 0, h.room) >= mine), 0)
    order = sorted(range(len(homes)), key=lambda i: (abs(i - at), i))
    homes = [homes[i] for i in order]
    services.central_household_designate(
        actor=user, member=member, links=homes[:wanted], designated_on=form.cleaned_data["designated_on"]
    )


def _apply_member(form: Any, compound: Compound, user: Any) -> None:
    d = form.cleaned_data
    services.member_register(
        actor=user,
        person=d["person"],
        status=d["status"],
        compound=compound,
        home=form.home(),
        joined_on=d["joined_on"],
        full_on=d["full_on"],
        in_service=d["in_service"],
        workplace=d["workplace"],
        organisation=d["organisation"],
        relation_elsewhere=d["relation_elsewhere"],
    )


def _apply_full(form: Any, compound: Compound, user: Any) -> None:
    services.member_make_full(actor=user, member=form.cleaned_data["member"], on=form.cleaned_data["full_on"])


def _apply_transfer(form: Any, compound: Compound, user: Any) -> None:
    d = form.cleaned_data
    services.member_transfer(
        actor=user,
        member=d["member"],
        to_organisation=d["to_organisation"],
        to_text=d["to_text"],
        on=d["on"],
        note=d["note"],
    )


FORMS: dict[str, tuple[type[Any], Apply, Any]] = {
    "org": (forms.OrganisationForm, _apply_org, gettext_lazy("建立党组织")),
    "secretary": (forms.SecretaryForm, _apply_secretary, gettext_lazy("书记和支委")),
    "group": (forms.GroupForm, _apply_group, gettext_lazy("建立楼栋党小组")),
    "household": (forms.HouseholdForm, _apply_household, gettext_lazy("确定党员中心户")),
    "member": (forms.MemberForm, _apply_member, gettext_lazy("登记党员")),
    "full": (forms.FullForm, _apply_full, gettext_lazy("预备党员转正")),
    "transfer": (forms.TransferForm, _apply_transfer, gettext_lazy("组织关系转接")),
}


def _changed(message: str = "") -> HttpResponse:
    """The chain changed: the page reloads its tree (chainChanged) and says what was saved (gzSaved, shown
    by static/gongzhi/site.js). JSON with ASCII escapes, because a header carries no Chinese."""
    response = HttpResponse("")
    response["HX-Trigger"] = json.dumps({"chainChanged": True, "gzSaved": message or _("已保存。")})
    return response


@login_required
def chain_form(request: HttpRequest, code: str, kind: str) -> HttpResponse:
    compound = _compound(request, code, Action.PARTY_EDIT)
    if kind not in FORMS:
        raise Http404
    form_class, apply, title = FORMS[kind]
    form = form_class(request.POST or None, compound=compound)
    if request.method == "POST" and form.is_valid():
        try:
            apply(form, compound, request.user)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return _changed(_("已保存：%(t)s") % {"t": title})
    url = request.path
    return render(request, "party/_form.html", {"form": form, "title": title, "url": url, "place": compound})


@login_required
def household_links(request: HttpRequest, pk: int) -> HttpResponse:
    household = get_or_404(
        request.user, CentralHousehold.objects.select_related("home", "compound"), Action.PARTY_EDIT, pk=pk
    )
    form = forms.LinksForm(request.POST or None, household=household)
    if request.method == "POST" and form.is_valid():
        try:
            services.central_household_set_links(
                actor=request.user, household=household, links=list(form.cleaned_data["homes"])
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return _changed(_("联系户已保存。"))
    title = _("%(name)s 的联系户") % {"name": household.member.person.name}
    return render(
        request,
        "party/_form.html",
        {"form": form, "title": title, "url": request.path, "place": household.compound},
    )


@login_required
@require_POST
def group_remove(request: HttpRequest, pk: int) -> HttpResponse:
    group = get_or_404(request.user, BuildingGroup.objects.all(), Action.PARTY_EDIT, pk=pk)
    services.group_delete(actor=request.user, group=group)
    return _changed(_("已撤销楼栋党小组。"))


@login_required
@require_POST
def organisation_remove(request: HttpRequest, pk: int) -> HttpResponse:
    org = get_or_404(request.user, PartyOrganisation.objects.active(), Action.PARTY_EDIT, pk=pk)
    try:
        services.organisation_dissolve(actor=request.user, organisation=org)
    except ValidationError as exc:
        response = HttpResponse("；".join(exc.messages), status=409)
        return response
    return _changed(_("已撤销党组织。"))


@login_required
@require_POST
def household_remove(request: HttpRequest, pk: int) -> HttpResponse:
    household = get_or_404(request.user, CentralHousehold.objects.all(), Action.PARTY_EDIT, pk=pk)
    services.central_household_remove(actor=request.user, household=household)
    return _changed(_("已撤销党员中心户。"))


# -- gaps, lists, settings ----------------------------------------------------------------------------


@login_required
def gaps(request: HttpRequest, code: str) -> HttpResponse:
    place: Division | Compound
    if len(code) == 15:
        place = _compound(request, code)
    else:
        place = get_or_404(request.user, Division.objects.all(), Action.PARTY_VIEW, code=code)
    lines = selectors.gaps(place)
    # Organisation lines link to the chain of the organisation's first compound.
    org_codes = {g.org_code for g in lines if g.org_code}
    first_compound: dict[str, str] = {}
    for org_code, compound_code in (
        Coverage.objects.current()
        .filter(organisation__code__in=org_codes, compound__isnull=False)
        .order_by("compound__code")
        .values_list("organisation__code", "compound__code")
    ):
        first_compound.setdefault(org_code, compound_code)
    context = {
        "place": place,
        "crumbs": breadcrumb(place.path, request.user),
        "gaps": [(g, g.compound_code or first_compound.get(g.org_code, "")) for g in lines],
        "th": thresholds(place.path),
        "is_compound": isinstance(place, Compound),
    }
    return render(request, "party/gaps.html", context)


def _place_path(request: HttpRequest) -> tuple[str, Division | Compound | None]:
    code = request.GET.get("place", "").strip()
    if not code:
        return "", None
    qs: Any = Compound.objects.all() if len(code) == 15 else Division.objects.all()
    place = get_or_404(request.user, qs, Action.PARTY_VIEW, code=code)
    return place.path, place


MEMBERS_PAGE = 50


def _int(text: str) -> int | None:
    return int(text) if text.isdigit() and len(text) < 19 else None


@login_required
def member_list(request: HttpRequest) -> HttpResponse:
    if not can(request.user, Action.PARTY_VIEW):
        raise PermissionDenied
    path, place = _place_path(request)
    q = request.GET.get("q", "")[:50]
    status = request.GET.get("status", "")
    in_service = {"1": True, "0": False}.get(request.GET.get("in_service", ""))
    qs = selectors.members(request.user, path, q, status=status, in_service=in_service)
    # Keyset pages: `after` is the last member shown; a member outside the list (or none) starts over.
    last = _int(request.GET.get("after", ""))
    start = qs.filter(pk=last).values_list("path", "pk").order_by().first() if last else None
    rows = list((selectors.after_member(qs, *start) if start else qs)[: MEMBERS_PAGE + 1])
    filtered = bool(q.strip()) or in_service is not None
    context = {
        "page": rows[:MEMBERS_PAGE],
        "next_after": rows[MEMBERS_PAGE - 1].pk if len(rows) > MEMBERS_PAGE else None,
        "is_first": start is None,
        "total": None if filtered else selectors.members_total(request.user, path, status),
        "place": place,
        "q": q,
        "status": status,
        "in_service": request.GET.get("in_service", ""),
        "statuses": MemberStatus.choices,
        "may_export": bool(place)
        and can(request.user, Action.LEDGER_EXPORT, place)
        and can(request.user, Action.PERSON_UNMASK, place),
    }
    template = "party/_member_rows.html" if request.headers.get("HX-Request") else "party/members.html"
    return render(request, template, context)


@login_required
def organisation_list(request: HttpRequest) -> HttpResponse:
    if not can(request.user, Action.PARTY_VIEW):
        raise PermissionDenied
    path, place = _place_path(request)
    q = request.GET.get("q", "")[:50]
    kind = request.GET.get("kind", "")
    qs = selectors.organisations(request.user, path, q, kind)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    page.object_list = selectors.count_members(list(page.object_list))
    context = {
        "page": page,
        "place": place,
        "q": q,
        "kind": kind,
        "kinds": OrgKind.choices,
        "may_export": bool(place)
        and can(request.user, Action.LEDGER_EXPORT, place)
        and can(request.user, Action.PERSON_UNMASK, place),
    }
    return render(request, "party/organisations.html", context)


@login_required
def settings_page(request: HttpRequest) -> HttpResponse:
    places = Division.objects.filter(scope_q(request.user, Action.SETTINGS_EDIT)).exclude(
        level__in=[Level.PROVINCE]
    )
    may_edit = can(request.user, Action.SETTINGS_EDIT)
    form = forms.SettingForm(request.POST or None, places=places.order_by("code"))
    if request.method == "POST":
        if not may_edit:
            raise PermissionDenied
        if form.is_valid():
            d = form.cleaned_data
            require(request.user, Action.SETTINGS_EDIT, d["place"])
            services.setting_add(
                actor=request.user,
                key=d["key"],
                value=d["value"],
                effective_from=d["effective_from"],
                place=d["place"],
                note=d["note"],
            )
            messages.success(request, _("参数已保存，自生效日期起适用。"))
            return redirect("party:settings")
    # The records that apply to the user's places: those above them (and everywhere) and those beneath.
    actor = actor_of(request.user)
    mine = [] if actor.is_superuser else actor.paths(Action.PARTY_VIEW)
    above = {p[: i + 1] for p in mine for i, ch in enumerate(p) if ch == "/"}
    visible = PartySetting.objects.filter(
        Q(path="") | Q(path__in=above) | scope_q(request.user, Action.PARTY_VIEW)
    )
    in_force = thresholds(mine[0] if len(mine) == 1 else "", timezone.localdate())
    context = {
        "records": visible.select_related("created_by").order_by("key", "-effective_from", "-id"),
        "form": form if may_edit else None,
        "in_force": [(k.label, getattr(in_force, k.value)) for k in SettingKey],
        "today": date.today(),
    }
    return render(request, "party/settings.html", context)


@login_required
def pick_candidates(request: HttpRequest, code: str) -> HttpResponse:
    """The picker of MemberForm: residents and owners of the compound not yet members, found as typed."""
    compound = _compound(request, code, Action.PARTY_EDIT)
    candidates = selectors.member_candidates(compound)
    return picker_response(request, lambda text: person_picks(search_persons(candidates, text)))
