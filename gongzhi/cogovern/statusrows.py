"""What the map's per-compound status rows hold: copied from this app's own rows (the assembly case, the
current committee, the current or next contract) and the day art. 21 first requires the compound's
first assembly, with the delivery data it was computed from. Services write them (compound_status_refresh); the map
reads them (mapstatus). Imports models and the pure rules only, so the services may use it.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import Q
from django.utils import timezone

from gongzhi.cogovern import rules
from gongzhi.cogovern.models import AssemblyCase, CommitteeTerm, CompoundStatus, Contract
from gongzhi.places.models import Compound

# What art. 21 reads of a compound (rules.required_from's arguments), copied into the row as its basis.
DELIVERY = ("total_area", "delivered_area", "owners_total", "owners_delivered", "first_delivered_on")


def facts(compounds: Q, on: date | None = None) -> list[CompoundStatus]:
    """Unsaved status rows of the compounds matching `compounds` (a Q on Compound): four queries."""
    day = on or timezone.localdate()
    matching = Compound.objects.filter(compounds)
    rows = list(matching.values_list("id", "path", *DELIVERY))
    ids = matching.values("id")  # a subquery: a city's ids would overflow a parameter list
    cases = {
        c["compound_id"]: c
        for c in AssemblyCase.objects.filter(compound_id__in=ids).values(
            "compound_id", "exempt_reason", "applied_on", "prep_formed_on"
        )
    }
    active = Q(committee__ended_on__isnull=True) | Q(committee__ended_on__gt=day)
    terms = {
        t["compound_id"]: t
        for t in CommitteeTerm.objects.filter(active, compound_id__in=ids)
        .order_by("term_start")
        .values("compound_id", "term_end", "term_extended_to")
    }
    current: dict[int, Any] = {}
    upcoming: dict[int, Any] = {}
    for c in (
        Contract.objects.filter(compound_id__in=ids, terminated_on__isnull=True, ends_on__gte=day)
        .order_by("starts_on")
        .values(
            "compound_id",
            "starts_on",
            "ends_on",
            "company__name",
            "company__company_profile__party_org_id",
            "company__company_profile__party_org_name",
        )
    ):
        if c["starts_on"] <= day:
            current[c["compound_id"]] = c  # the latest-starting current contract, as the card reads it
        else:
            upcoming.setdefault(c["compound_id"], c)  # else the next to start
    out = []
    for pk, path, *delivery in rows:
        basis = dict(zip(DELIVERY, delivery, strict=True))
        case, term = cases.get(pk), terms.get(pk)
        contract = current.get(pk) or upcoming.get(pk)
        out.append(
            CompoundStatus(
                compound_id=pk,
                path=path,
                exempt=bool(case and case["exempt_reason"]),
                preparing=bool(case and (case["applied_on"] or case["prep_formed_on"])),
                has_committee=term is not None,
                committee_until=(term["term_extended_to"] or term["term_end"]) if term else None,
                contract_from=contract["starts_on"] if contract else None,
                contract_until=contract["ends_on"] if contract else None,
                company=(contract["company__name"] or "")[:200] if contract else "",
                company_red=bool(
                    contract
                    and (
                        contract["company__company_profile__party_org_id"]
                        or contract["company__company_profile__party_org_name"]
                    )
                ),
                required_from=rules.required_from(**basis),
                **{f"basis_{k}": v for k, v in basis.items()},
            )
        )
    return out
