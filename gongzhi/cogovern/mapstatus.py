"""The per-compound status rows behind the map: what they hold (computed from this app's own rows) and the
map's states read from them in one query.

`facts` copies, for each compound, the facts of its assembly case, its current committee and its current
(or next) contract; `map_states` joins the rows to the compounds and evaluates art. 21 and the status on
the day asked. The result equals `selectors.compound_states` for the fields the map shows
(tests/test_mapstatus.py compares them), without the overdue steps, which only the overdue list needs.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.db.models import Q, TextField
from django.db.models.functions import Cast
from django.utils import timezone

from gongzhi.cogovern import rules
from gongzhi.cogovern.models import AssemblyCase, CommitteeTerm, CompoundStatus, Contract
from gongzhi.cogovern.selectors import CompoundState, RedStatus
from gongzhi.core.paths import under
from gongzhi.places.models import Compound


def facts(compounds: Q, on: date | None = None) -> list[CompoundStatus]:
    """Unsaved status rows of the compounds matching `compounds` (a Q on Compound): four queries."""
    day = on or timezone.localdate()
    matching = Compound.objects.filter(compounds)
    rows = list(matching.values_list("id", "path"))
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
    current: dict[int, dict[str, Any]] = {}
    upcoming: dict[int, dict[str, Any]] = {}
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
    for pk, path in rows:
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
            )
        )
    return out


S = "cogovern_status__"
FIELDS = (
    "id",
    "code",
    "name",
    "path",
    "community_id",
    "management_type",
    "total_area",
    "delivered_area",
    "owners_total",
    "owners_delivered",
    "first_delivered_on",
    f"{S}exempt",
    f"{S}preparing",
    f"{S}has_committee",
    f"{S}committee_until",
    f"{S}contract_from",
    f"{S}contract_until",
    f"{S}company",
    f"{S}company_red",
)


def map_states(path: str, on: date | None = None, *, outlines: bool = False) -> list[CompoundState]:
    """Every compound under `path` with the three values the map colours by: one query at any size.

    A compound without a status row has none of this app's facts yet (no case, committee or contract),
    which is what the missing row's nulls say.
    """
    day = on or timezone.localdate()
    qs = Compound.objects.filter(under(path)).order_by("code")
    fields: Iterable[str] = FIELDS
    if outlines:  # as text: decoding and re-encoding thousands of outlines would cost most of the time
        qs = qs.annotate(outline_text=Cast("outline", TextField()))
        fields = (*FIELDS, "outline_text")
    states = []
    for c in qs.values(*fields):
        fa = rules.first_assembly(
            total_area=c["total_area"],
            delivered_area=c["delivered_area"],
            owners_total=c["owners_total"],
            owners_delivered=c["owners_delivered"],
            first_delivered_on=c["first_delivered_on"],
            on=day,
        )
        required = fa.required and not c[f"{S}exempt"]
        until = c[f"{S}committee_until"]
        starts, ends = c[f"{S}contract_from"], c[f"{S}contract_until"]
        serving = starts is not None and ends is not None and starts <= day <= ends
        if serving:
            red = RedStatus.RED if c[f"{S}company_red"] else RedStatus.PLAIN
        else:
            red = RedStatus.NONE
        states.append(
            CompoundState(
                id=c["id"],
                code=c["code"],
                name=c["name"],
                path=c["path"],
                community_id=c["community_id"],
                management_type=c["management_type"],
                outline=c.get("outline_text"),
                required=required,
                trigger=fa.trigger if fa.required else "",
                status=rules.committee_status(
                    required=required,
                    preparing=bool(c[f"{S}preparing"]),
                    has_committee=bool(c[f"{S}has_committee"]),
                    term_end=until,
                    on=day,
                ),
                red=red,
                company=(c[f"{S}company"] or "") if serving else "",
                term_end=until,
            )
        )
    return states
