"""Place browser pages: thin, each a fixed number of queries (see tests/test_query_counts)."""

from __future__ import annotations

from dataclasses import replace

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from gongzhi.accounts.access import authorize, can, get_or_404
from gongzhi.accounts.roles import Action
from gongzhi.core import registry
from gongzhi.core.pickers import picker_response
from gongzhi.insights.registry import Card, cards
from gongzhi.people.masking import mask_name
from gongzhi.people.masking import may_unmask as unmask_rule
from gongzhi.places import selectors, services
from gongzhi.places.forms import BuildingForm, CompoundForm
from gongzhi.places.models import Building, Compound, Division, Home, Level


def may_export_homes(user: object, place: object) -> bool:
    """The homes ledger carries full ID numbers: export needs both rights (as the ledger view checks)."""
    return can(user, Action.LEDGER_EXPORT, place) and can(user, Action.PERSON_UNMASK, place)


@login_required
def home(request: HttpRequest) -> HttpResponse:
    # A centre's or a village's people start on their own system's page (registry.register_start).
    start = registry.start_page(request.user.roles.values_list("role", flat=True))  # type: ignore[union-attr]
    if start is not None:
        return redirect(start)
    divisions, compounds, buildings = selectors.top_places(request.user)
    places = len(divisions) + len(compounds) + len(buildings)
    if places == 1:
        if divisions:
            return redirect("places:division", code=divisions[0].code)
        if compounds:
            return redirect("places:compound", code=compounds[0].code)
        return redirect("places:building", pk=buildings[0].pk)
    return render(
        request,
        "places/start.html",
        {"divisions": divisions, "compounds": compounds, "buildings": buildings},
    )


# The governance figures a division's start page shows, from the indicator catalogue (issue 9).
START_FIGURES = [
    "party_org_coverage",
    "compounds_covered",
    "building_party_groups",
    "central_households",
    "party_members",
    "matters_total",
    "matters_resolved",
    "briefing_sessions",
    "votes_held",
    "votes_passed",
]


def governance_cards(user: object, place: Division) -> list[Card]:
    """The start page's figures; a card links to its drill-down only when the user may open it there."""
    shown = []
    for card in cards(place, START_FIGURES):
        name = registry.FIGURES[card.code].drill.partition("?")[0]
        rule = registry.rule_for(f"{name}")
        action = rule.action if rule else ""
        if card.url and action not in (registry.PUBLIC, registry.SIGNED_IN) and not can(user, action, place):
            card = replace(card, url="")
        shown.append(card)
    return shown


@login_required
def division(request: HttpRequest, code: str) -> HttpResponse:
    obj = get_or_404(request.user, Division.objects.all(), code=code)
    is_community = obj.level in (Level.COMMUNITY, Level.VILLAGE)
    compounds = list(selectors.community_compounds(obj)) if is_community else []
    outlines = [
        {"name": c.name, "url": reverse("places:compound", args=[c.code]), "outline": c.outline}
        for c in compounds
        if c.outline
    ]
    context = {
        "place": obj,
        "crumbs": selectors.breadcrumb(obj.path, request.user)[:-1],
        "children": [] if is_community else list(selectors.child_divisions(obj)),
        "compounds": compounds,
        "outlines": outlines,
        "is_community": is_community,
        "can_edit": is_community and can(request.user, Action.PLACE_EDIT, obj),
        "can_export": may_export_homes(request.user, obj),
        "governance": governance_cards(request.user, obj),
    }
    return render(request, "places/division.html", context)


@login_required
def compound(request: HttpRequest, code: str) -> HttpResponse:
    obj = get_or_404(request.user, Compound.objects.select_related("community"), code=code)
    buildings = list(selectors.compound_buildings(obj))
    for b in buildings:  # a building grant sees its compound, but opens only its own building
        b.visible = can(request.user, Action.PLACE_VIEW, b)  # type: ignore[attr-defined]
    context = {
        "place": obj,
        "crumbs": selectors.breadcrumb(obj.path, request.user),
        "buildings": buildings,
        "can_see_people": can(request.user, Action.PERSON_VIEW, obj),
        "can_edit": can(request.user, Action.PLACE_EDIT, obj),
        "can_export": may_export_homes(request.user, obj),
    }
    return render(request, "places/compound.html", context)


@login_required
def building(request: HttpRequest, pk: int) -> HttpResponse:
    obj = get_or_404(request.user, Building.objects.select_related("compound"), pk=pk)
    homes = list(selectors.building_homes(obj))
    show_people = can(request.user, Action.PERSON_VIEW, obj)
    units: dict[int, list[Home]] = {}
    for h in homes:
        units.setdefault(h.unit_no, []).append(h)
        h.owner_names = (  # type: ignore[attr-defined]
            "、".join(mask_name(o.person.name) for o in h.ownerships.all()) if show_people else ""
        )
    context = {
        "place": obj,
        "compound": obj.compound,
        "crumbs": selectors.breadcrumb(obj.path, request.user),
        "units": sorted(units.items()),
        "show_people": show_people,
        # The building's party group(s), when the party app registers them and the user may see them.
        "groups": list(obj.party_groups.all())
        if hasattr(obj, "party_groups") and can(request.user, Action.PARTY_VIEW, obj)
        else [],
    }
    return render(request, "places/building.html", context)


@login_required
def home_detail(request: HttpRequest, pk: int) -> HttpResponse:
    obj = get_or_404(request.user, Home.objects.select_related("building", "compound"), pk=pk)
    from gongzhi.people.views import people_rows

    show_people = can(request.user, Action.PERSON_VIEW, obj)
    may_unmask = unmask_rule(request.user, (obj.path,))
    unmask = may_unmask and request.GET.get("unmask") == "1"
    owners, residents = people_rows(request.user, obj, unmask=unmask) if show_people else ([], [])
    context = {
        "place": obj,
        "building": obj.building,
        "compound": obj.compound,
        "crumbs": selectors.breadcrumb(obj.path, request.user),
        "owners": owners,
        "residents": residents,
        "show_people": show_people,
        "may_unmask": may_unmask,
        "unmasked": unmask,
        "may_link_owner": show_people and can(request.user, Action.PERSON_EDIT, obj),
    }
    return render(request, "places/home.html", context)


@login_required
def search(request: HttpRequest) -> HttpResponse:
    """The navbar's place search, a tool of 小区治理: refused (403) to roles without `governance.view`."""
    authorize(request.user, Action.GOVERNANCE_VIEW)
    query = request.GET.get("q", "")[:50]
    results = selectors.search(request.user, query)
    template = "places/_search_results.html" if request.headers.get("HX-Request") else "places/search.html"
    return render(request, template, {"q": query, "results": results})


@login_required
def pick_compounds(request: HttpRequest) -> HttpResponse:
    """A compound picker's search: the user's compounds where `?action=` (default place.view) is allowed."""
    action = request.GET.get("action", Action.PLACE_VIEW)
    if action not in Action.values:
        return picker_response(request, lambda text: [])  # an unknown right finds nothing
    return picker_response(request, lambda text: selectors.compound_picks(request.user, text, action))


@login_required
@require_http_methods(["GET", "POST"])
def compound_add(request: HttpRequest, code: str) -> HttpResponse:
    community = get_or_404(request.user, Division.objects.all(), Action.PLACE_EDIT, code=code)
    if community.level not in (Level.COMMUNITY, Level.VILLAGE):
        return redirect("places:division", code=code)
    form = CompoundForm(request.POST or None, community=community)
    if request.method == "POST" and form.is_valid():
        compound = services.compound_create(actor=request.user, community=community, **form.cleaned_data)
        messages.success(request, _("已登记小区“%(name)s”。") % {"name": compound.name})
        return redirect("places:compound", code=compound.code)
    return render(
        request,
        "places/form.html",
        {
            "form": form,
            "title": _("登记小区"),
            "crumbs": selectors.breadcrumb(community.path, request.user),
            "cancel": reverse("places:division", args=[community.code]),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def compound_edit(request: HttpRequest, code: str) -> HttpResponse:
    compound = get_or_404(
        request.user, Compound.objects.select_related("community"), Action.PLACE_EDIT, code=code
    )
    form = CompoundForm(request.POST or None, instance=compound)
    if request.method == "POST" and form.is_valid():
        try:
            services.compound_update(actor=request.user, compound=compound, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("已保存。"))
            return redirect("places:compound", code=compound.code)
    return render(
        request,
        "places/form.html",
        {
            "form": form,
            "title": _("修改小区信息"),
            "crumbs": selectors.breadcrumb(compound.path, request.user),
            "compound": compound,
            "cancel": reverse("places:compound", args=[compound.code]),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def building_add(request: HttpRequest, code: str) -> HttpResponse:
    compound = get_or_404(
        request.user, Compound.objects.select_related("community"), Action.PLACE_EDIT, code=code
    )
    form = BuildingForm(request.POST or None, compound=compound)
    if request.method == "POST" and form.is_valid():
        building = services.building_create_with_homes(
            actor=request.user, compound=compound, **form.cleaned_data
        )
        messages.success(
            request,
            _("已登记 %(number)s，共 %(n)d 户。") % {"number": building.number, "n": building.homes_count},
        )
        return redirect("places:building", pk=building.pk)
    return render(
        request,
        "places/form.html",
        {
            "form": form,
            "title": _("登记楼栋"),
            "crumbs": selectors.breadcrumb(compound.path, request.user),
            "compound": compound,
            "cancel": reverse("places:compound", args=[compound.code]),
        },
    )
