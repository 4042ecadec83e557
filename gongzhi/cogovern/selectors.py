"""Reads of the co-governance community: the status of every compound under a place (five queries whatever
the number of compounds), the map's GeoJSON, the 1+3+N card, overdue lists, companies with their credit.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from json.encoder import encode_basestring as _q  # type: ignore[attr-defined]
from typing import Any

from django.db.models import Avg, Count, Q, TextField
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gongzhi.cogovern import property_rules as pr
from gongzhi.cogovern import rules
from gongzhi.cogovern.models import (
    COMPANY,
    N_KINDS,
    OWNERS,
    SELF,
    AssemblyCase,
    CommitteeTerm,
    CommunityMap,
    Complaint,
    Contract,
    Evaluation,
    ListEntry,
    ListKind,
    Outcome,
    Participation,
)
from gongzhi.cogovern.settings_store import committee_rules, credit_weights
from gongzhi.core.paths import under
from gongzhi.organisations.models import Coverage, Organisation, Seat
from gongzhi.party.models import PartyMember
from gongzhi.places.models import Compound, ManagementType


class RedStatus:
    RED = "red"
    PLAIN = "plain"
    NONE = "none"
    LABELS = {RED: _("红色物业（企业有党组织）"), PLAIN: _("物业企业未建党组织"), NONE: _("无物业服务企业")}


@dataclass
class CompoundState:
    """What the map and the figures need of one compound."""

    id: int
    code: str
    name: str
    path: str
    community_id: int
    management_type: str
    outline: str | None  # the stored GeoJSON as text: passed through to the map's data, never re-encoded
    required: bool
    trigger: str
    status: str
    red: str
    company: str = ""
    committee: str = ""
    term_end: date | None = None
    self_committee: str = ""
    participants: int = 0
    late: list[tuple[str, date | None]] = field(default_factory=list)


# What the states need of a compound's own row: its identity and the delivery data art. 21 reads
# (mapstatus.map_states reads the same, joined to the status rows).
COMPOUND_FIELDS = (
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
)


def compound_states(path: str, on: date | None = None, *, outlines: bool = False) -> list[CompoundState]:
    """Every compound under `path` with its committee status and red-property status: five queries."""
    day = on or timezone.localdate()
    rs = committee_rules()
    fields = list(COMPOUND_FIELDS)
    compounds_qs = Compound.objects.filter(under(path)).order_by("code")
    if outlines:  # as text: decoding and re-encoding 10,000 outlines cost most of a city map's time
        compounds_qs = compounds_qs.annotate(outline_text=Cast("outline", TextField()))
        fields.append("outline_text")
    compounds = list(compounds_qs.values(*fields))
    cases = {c["compound_id"]: c for c in AssemblyCase.objects.filter(under(path)).values()}
    active = Q(committee__ended_on__isnull=True) | Q(committee__ended_on__gt=day)
    terms = {
        t["compound_id"]: t
        for t in CommitteeTerm.objects.filter(under(path))
        .filter(active)
        .order_by("term_start")
        .values(
            "compound_id",
            "committee__name",
            "elected_on",
            "filed_on",
            "term_end",
            "term_extended_to",
            "reelection_held_on",
            "handed_over_on",
            "previous_id",
            "transition_group__formed_on",
            "transition_group__handed_over_on",
        )
    }
    contracts = {
        c["compound_id"]: c
        for c in Contract.objects.filter(
            under(path), terminated_on__isnull=True, starts_on__lte=day, ends_on__gte=day
        )
        .order_by("starts_on")
        .values(
            "compound_id",
            "company__name",
            "company__company_profile__party_org_id",
            "company__company_profile__party_org_name",
        )
    }
    others: dict[int, dict[str, Any]] = defaultdict(lambda: {"self": "", "n": 0})
    for cov in (
        Coverage.objects.current()
        .filter(under(path), compound__isnull=False, organisation__kind__in=(SELF, *N_KINDS))
        .filter(Q(organisation__ended_on__isnull=True) | Q(organisation__ended_on__gt=day))
        .values("compound_id", "organisation__kind", "organisation__name")
    ):
        if cov["organisation__kind"] == SELF:
            others[cov["compound_id"]]["self"] = cov["organisation__name"]
        else:
            others[cov["compound_id"]]["n"] += 1
    states = []
    for c in compounds:
        case, term, contract = cases.get(c["id"]), terms.get(c["id"]), contracts.get(c["id"])
        fa = rules.first_assembly(
            total_area=c["total_area"],
            delivered_area=c["delivered_area"],
            owners_total=c["owners_total"],
            owners_delivered=c["owners_delivered"],
            first_delivered_on=c["first_delivered_on"],
            on=day,
        )
        required = fa.required and not (case and case["exempt_reason"])
        end = (term["term_extended_to"] or term["term_end"]) if term else None
        status = rules.committee_status(
            required=required,
            preparing=bool(case and (case["applied_on"] or case["prep_formed_on"])),
            has_committee=term is not None,
            term_end=end,
            on=day,
        )
        dates = rules.CaseDates(
            required=required,
            applied_on=case and case["applied_on"],
            prep_formed_on=case and case["prep_formed_on"],
            first_assembly_extended=bool(case and case["first_assembly_extended"]),
            elected_on=term and term["elected_on"],
            filed_on=term and term["filed_on"],
            term_end=term and term["term_end"],
            term_extended_to=term and term["term_extended_to"],
            reelection_held_on=term and term["reelection_held_on"],
            handed_over_on=term and term["handed_over_on"],
            previous_committee=bool(term and term["previous_id"]),
            transition_formed_on=term and term["transition_group__formed_on"],
            transition_handed_over_on=term and term["transition_group__handed_over_on"],
        )
        if contract:
            red = (
                RedStatus.RED
                if contract["company__company_profile__party_org_id"]
                or contract["company__company_profile__party_org_name"]
                else RedStatus.PLAIN
            )
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
                status=status,
                red=red,
                company=contract["company__name"] if contract else "",
                committee=term["committee__name"] if term else "",
                term_end=end,
                self_committee=others[c["id"]]["self"],
                participants=others[c["id"]]["n"],
                late=rules.overdue_steps(dates, day, rs),
            )
        )
    return states


def committee_figures(states: list[CompoundState]) -> tuple[int, int]:
    """(required, formed): a required compound counts as formed while it has a committee, term expired or not."""
    required = [s for s in states if s.required]
    formed = [s for s in required if s.status in (rules.Status.FORMED, rules.Status.EXPIRED)]
    return len(required), len(formed)


def rate(part: int, whole: int) -> float:
    return round(part / whole, 4) if whole else 0.0


# -- The map ------------------------------------------------------------------------------------------------

LAYERS = ("management", "committee", "red")


# One place for the map's colours: the page (via the GeoJSON), the legend and the printed map read them.
COLOURS = {
    "management": {"professional": "#1e88e5", "self": "#43a047", "fallback": "#fb8c00", "none": "#9e9e9e"},
    "committee": {
        "not_required": "#bdbdbd",
        "required": "#e53935",
        "preparing": "#fdd835",
        "formed": "#43a047",
        "expired": "#8e24aa",
    },
    "red": {RedStatus.RED: "#c62828", RedStatus.PLAIN: "#90a4ae", RedStatus.NONE: "#eeeeee"},
}
LAYER_LABELS = {"management": _("物业管理方式"), "committee": _("业委会状态"), "red": _("红色物业")}


def layer_legend() -> dict[str, list[tuple[str, str, str]]]:
    """layer → [(value, label, colour)] in display order."""
    labels = {
        "management": [(str(v), str(label)) for v, label in ManagementType.choices],
        "committee": [(str(v), str(label)) for v, label in rules.Status.choices],
        "red": [(k, str(v)) for k, v in RedStatus.LABELS.items()],
    }
    return {layer: [(v, lab, COLOURS[layer][v]) for v, lab in rows] for layer, rows in labels.items()}


def counts(states: list[CompoundState]) -> dict[str, dict[str, int]]:
    """How many compounds fall in each category of each layer (shown beside the map)."""
    out: dict[str, dict[str, int]] = {layer: defaultdict(int) for layer in LAYERS}
    for s in states:
        out["management"][s.management_type] += 1
        out["committee"][s.status] += 1
        out["red"][s.red] += 1
    return {k: dict(v) for k, v in out.items()}


def properties(s: CompoundState, card_url: Any) -> dict[str, Any]:
    """What the map's script and the printed map read of a compound, and nothing more: a city's data is
    10,000 of these (the company's name and the id were sent and never read)."""
    return {
        "code": s.code,
        "name": s.name,
        "management": s.management_type,
        "committee": s.status,
        "red": s.red,
        "url": card_url(s.code),
    }


def _feature(s: CompoundState, card_url: Any) -> str:
    """One Feature as JSON text, the same as `properties` (tests/test_map_data.py compares them), written
    out directly: every value is a string, quoted by the C string encoder, and the stored outline passes
    through. For a city of 10,000 compounds this takes 8 ms where a dict encoded per feature took 45."""
    return (
        f'{{"type":"Feature","geometry":{s.outline},"properties":{{"code":{_q(s.code)},"name":{_q(s.name)},'
        f'"management":{_q(s.management_type)},"committee":{_q(s.status)},"red":{_q(s.red)},'
        f'"url":{_q(card_url(s.code))}}}}}'
    )


def features(states: list[CompoundState], card_url: Any) -> list[dict[str, Any]]:
    """GeoJSON Features (geometry decoded) of the compounds with an outline, for the printed map."""
    return [
        {"type": "Feature", "geometry": json.loads(s.outline), "properties": properties(s, card_url)}
        for s in states
        if s.outline and s.outline != "null"
    ]


def geojson_text(states: list[CompoundState], card_url: Any) -> str:
    """The FeatureCollection as JSON text: each stored outline (validated when it was written) is passed
    through as it is, only the properties are encoded."""
    parts = [_feature(s, card_url) for s in states if s.outline and s.outline != "null"]
    return '{"type":"FeatureCollection","features":[' + ",".join(parts) + "]}"


# -- The 1+3+N card -----------------------------------------------------------------------------------------


@dataclass
class Card:
    compound: Compound
    state: CompoundState
    party_orgs: list[Organisation]
    committee: Organisation | None
    term: CommitteeTerm | None
    committee_seats: list[Seat]
    self_committee: Organisation | None
    contract: Contract | None
    participations: list[Participation]
    case: AssemblyCase | None
    missing: list[str]
    party_members_on_committee: int = 0


def card(compound: Compound, on: date | None = None) -> Card:
    day = on or timezone.localdate()
    state = compound_states(compound.path, day)[0]
    orgs = list(
        Organisation.objects.active(day)
        .covering(compound.path)
        .exclude(kind__startswith="cogovern.")
        .order_by("code")
    )
    term = (
        CommitteeTerm.objects.filter(compound=compound)
        .filter(Q(committee__ended_on__isnull=True) | Q(committee__ended_on__gt=day))
        .select_related("committee")
        .order_by("-term_start")
        .first()
    )
    seats = (
        list(Seat.objects.current().filter(organisation=term.committee).select_related("person"))
        if term
        else []
    )
    self_committee = Organisation.objects.active(day).filter(kind=SELF).covering(compound.path).first()
    contract = (
        Contract.objects.filter(
            compound=compound, terminated_on__isnull=True, starts_on__lte=day, ends_on__gte=day
        )
        .select_related("company", "company__company_profile")
        .order_by("-starts_on")
        .first()
    )
    participations = list(
        Participation.objects.filter(compound=compound, until__isnull=True).select_related("organisation")
    )
    case = AssemblyCase.objects.filter(compound=compound).first()
    on_committee = (
        PartyMember.objects.filter(person_id__in=[s.person_id for s in seats]).count() if seats else 0
    )
    missing = []
    if not orgs:
        missing.append("party")
    if state.required and term is None:
        missing.append("committee")
    if compound.management_type == ManagementType.SELF and self_committee is None:
        missing.append("self")
    if compound.management_type == ManagementType.PROFESSIONAL and contract is None:
        missing.append("company")
    if not participations:
        missing.append("n")
    return Card(
        compound,
        state,
        orgs,
        term.committee if term else None,
        term,
        seats,
        self_committee,
        contract,
        participations,
        case,
        missing,
        on_committee,
    )


# -- Overdue lists -------------------------------------------------------------------------------------------


def overdue(states: list[CompoundState]) -> dict[str, list[tuple[CompoundState, date | None]]]:
    """Step → the compounds late at it, with the day it was due."""
    out: dict[str, list[tuple[CompoundState, date | None]]] = {str(s): [] for s in rules.Step}
    for s in states:
        for step, due in s.late:
            out[step].append((s, due))
    return out


# -- Companies and credit ------------------------------------------------------------------------------------


@dataclass
class CompanyCredit:
    company: Organisation
    credit_code: str
    red: bool
    compounds: int
    evaluation_average: Decimal | None
    complaints_upheld: int
    contracts_terminated: int
    black: int
    red_entries: int
    credit: pr.Credit


def companies_with_credit(companies: Any, on: date | None = None) -> list[CompanyCredit]:
    """Each company with its credit over the last four quarters: five queries for any number of companies."""
    day = on or timezone.localdate()
    quarters = pr.quarters_back(*pr.quarter_of(day), 4)
    in_quarters = Q()
    for y, q in quarters:
        in_quarters |= Q(year=y, quarter=q)
    rows = list(companies.filter(kind=COMPANY).select_related("company_profile").order_by("pinyin"))
    ids = [c.pk for c in rows]
    avg = dict(
        Evaluation.objects.filter(in_quarters, company_id__in=ids)
        .values("company_id")
        .annotate(a=Avg("total"))
        .values_list("company_id", "a")
    )
    complaints = dict(
        Complaint.objects.filter(
            company_id__in=ids, outcome=Outcome.UPHELD, received_on__gt=day - timedelta(days=365)
        )
        .values("company_id")
        .annotate(n=Count("pk"))
        .values_list("company_id", "n")
    )
    contracts = (
        Contract.objects.filter(company_id__in=ids)
        .values("company_id")
        .annotate(
            terminated=Count(
                "pk", filter=Q(terminated_for_cause=True, terminated_on__gt=day - timedelta(days=365))
            ),
            serving=Count(
                "compound",
                filter=Q(terminated_on__isnull=True, starts_on__lte=day, ends_on__gte=day),
                distinct=True,
            ),
        )
    )
    contract_counts = {c["company_id"]: c for c in contracts}
    entries: dict[int, dict[str, int]] = defaultdict(lambda: {ListKind.RED: 0, ListKind.BLACK: 0})
    for e in (
        ListEntry.objects.filter(in_quarters, company_id__in=ids)
        .values("company_id", "kind")
        .annotate(n=Count("pk"))
    ):
        entries[e["company_id"]][e["kind"]] = e["n"]
    out = []
    weights = credit_weights()
    for c in rows:
        a = avg.get(c.pk)
        ev = Decimal(a).quantize(Decimal("0.1")) if a is not None else None
        cc = contract_counts.get(c.pk, {"terminated": 0, "serving": 0})
        black, red = entries[c.pk][ListKind.BLACK], entries[c.pk][ListKind.RED]
        profile = getattr(c, "company_profile", None)
        out.append(
            CompanyCredit(
                company=c,
                credit_code=profile.credit_code if profile else "",
                red=bool(profile and profile.is_red),
                compounds=cc["serving"],
                evaluation_average=ev,
                complaints_upheld=complaints.get(c.pk, 0),
                contracts_terminated=cc["terminated"],
                black=black,
                red_entries=red,
                credit=pr.credit(
                    evaluation_average=ev,
                    complaints_upheld=complaints.get(c.pk, 0),
                    contracts_terminated=cc["terminated"],
                    black_entries=black,
                    red_entries=red,
                    weights=weights,
                ),
            )
        )
    return out


def contracts_expiring(path: str, days: int = 90, on: date | None = None) -> Any:
    day = on or timezone.localdate()
    return Contract.objects.filter(
        under(path), terminated_on__isnull=True, ends_on__gte=day, ends_on__lte=day + timedelta(days=days)
    )


def community_maps(path: str) -> Any:
    return CommunityMap.objects.filter(under(path))


def owners_committees() -> Any:
    return Organisation.objects.filter(kind=OWNERS)


def seated_on(term: CommitteeTerm, day: date) -> set[int]:
    """Person ids of the committee's members seated on `day` (a meeting's quorum counts them, 第三十八条)."""
    return set(
        Seat.objects.filter(organisation_id=term.committee_id)
        .filter(Q(since__isnull=True) | Q(since__lte=day))
        .filter(Q(until__isnull=True) | Q(until__gt=day))
        .values_list("person_id", flat=True)
    )
