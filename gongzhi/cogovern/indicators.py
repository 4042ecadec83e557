"""The co-governance figures for the indicator catalogue, computed from live rows under the place's path.

The committee figures come from compound_states (the rule of art. 21 applied to each compound's delivery
data, the exemptions and the committees recorded), so 89.09% in the demo is the outcome of its rows.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from gongzhi.cogovern.models import COMPANY
from gongzhi.cogovern.selectors import (
    committee_figures,
    community_maps,
    compound_states,
    contracts_expiring,
    rate,
)
from gongzhi.core.registry import Figure
from gongzhi.insights.registry import PlaceScope
from gongzhi.organisations.models import Organisation

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
    ),
    Figure(
        "contracts_expiring_90d",
        "90日内到期物业合同数",
        "Property contracts ending within 90 days",
        "份",
        ALL,
    ),
]


def figures(scope: PlaceScope) -> dict[str, Any]:
    required, formed = committee_figures(compound_states(scope.path))
    companies = Organisation.objects.active().filter(kind=COMPANY).covering(scope.path)
    red = companies.filter(
        Q(company_profile__party_org__isnull=False) | ~Q(company_profile__party_org_name="")
    )
    out = {
        "owners_committee_required": required,
        "owners_committee_formed": formed,
        "owners_committee_rate": rate(formed, required),
        "property_companies": companies.count(),
        "red_property_companies": red.count(),
        "contracts_expiring_90d": contracts_expiring(scope.path).count(),
    }
    if not scope.is_compound:
        out["community_maps"] = community_maps(scope.path).count()
    return out
