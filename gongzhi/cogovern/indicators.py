"""The co-governance figures for the indicator catalogue, computed from live rows under the place's path.

The committee figures count the per-compound status rows in SQL: each row stores the day art. 21 first
requires the compound's assembly (rules.required_from), its exemption and its committee
(mapstatus.committee_counts; equal to selectors.compound_states' counts, tests/test_required_from.py); the
demo's formation rate is the outcome of its rows.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q

from gongzhi.cogovern.mapstatus import committee_counts
from gongzhi.cogovern.models import COMPANY
from gongzhi.cogovern.selectors import community_maps, contracts_expiring, rate
from gongzhi.core.registry import Figure
from gongzhi.insights.batch import Batch, batched
from gongzhi.organisations.models import Coverage, Organisation
from gongzhi.places.models import Compound

ALL = frozenset({"province", "city", "district", "subdistrict", "community", "village", "compound"})
ABOVE_COMPOUND = ALL - {"compound"}

FIGURES = [
    Figure(
        "owners_committee_required",
        "应建业委会小区数",
        "Compounds that must have an owners' committee",
        "个",
        ALL,
    ),
    Figure(
        "owners_committee_formed",
        "已建业委会小区数",
        "Compounds required to have one that have one",
        "个",
        ALL,
    ),
    Figure("owners_committee_rate", "业委会组建率", "Owners' committee formation rate", "比例", ALL),
    Figure("property_companies", "物业服务企业数", "Property companies serving the place", "家", ALL),
    Figure(
        "red_property_companies",
        "红色物业企业数",
        "Property companies with their own party organisation",
        "家",
        ALL,
    ),
    Figure(
        "community_maps",
        "已绘制物管地图社区数",
        "Communities with a drawn property-management map",
        "个",
        ABOVE_COMPOUND,
        dated=True,
    ),
    Figure(
        "contracts_expiring_90d",
        "90日内到期物业合同数",
        "Property contracts ending within 90 days",
        "份",
        ALL,
    ),
]


@batched
def figures(batch: Batch) -> dict[str, dict[str, Any]]:
    """Every place asked about at once: committees, companies, contracts and maps in grouped queries.

    Only the community maps keep the day they were drawn (dated); committees, companies and contracts are
    counted as they stand, so a past snapshot holds them as on the day it was taken."""
    out: dict[str, dict[str, Any]] = {p: {} for p in batch.paths}
    if batch.wants("owners_committee_required", "owners_committee_formed", "owners_committee_rate"):
        for path, (required, formed) in committee_counts(batch).items():  # SQL counts of the status rows
            out[path].update(
                owners_committee_required=required,
                owners_committee_formed=formed,
                owners_committee_rate=rate(formed, required),
            )
    if batch.wants("property_companies", "red_property_companies"):
        companies = Organisation.objects.active().filter(kind=COMPANY)
        red = companies.filter(
            Q(company_profile__party_org__isnull=False) | ~Q(company_profile__party_org_name="")
        )
        covering = Coverage.objects.current().filter(organisation__in=companies.values("pk"))
        counts = batch.grouped(
            covering,
            all=Count("organisation", distinct=True),
            red=Count("organisation", distinct=True, filter=Q(organisation__in=red.values("pk"))),
        )
        for path, agg in counts.items():
            out[path].update(property_companies=agg["all"], red_property_companies=agg["red"])
    if batch.wants("contracts_expiring_90d"):
        expiring = batch.grouped(contracts_expiring(""), n=Count("id"))
        for path, agg in expiring.items():
            out[path]["contracts_expiring_90d"] = agg["n"]
    above = [p for p in batch.places if not isinstance(p, Compound)]
    if above and batch.wants("community_maps"):
        maps = community_maps("")
        if batch.as_of is not None:
            maps = maps.filter(drawn_on__lte=batch.as_of)
        drawn = Batch(tuple(above)).grouped(maps, n=Count("id"))
        for path, agg in drawn.items():
            out[path]["community_maps"] = agg["n"]
    return out
