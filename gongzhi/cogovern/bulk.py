"""Bulk variants of the co-governance services, for ledger imports: the same rules, history for every row.

Each checks its rows with the functions the single-row services call (gongzhi.cogovern.rules and
property_rules), refuses the whole batch with a Chinese message if one row is wrong, and writes through the
organisations core's bulk create and `services.bulk_write` (history rows, the map's status rows refreshed),
all in one transaction. The actor's right is checked by those two at every place written.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count

from gongzhi.cogovern import property_rules as pr
from gongzhi.cogovern import rules
from gongzhi.cogovern.models import (
    N_KINDS,
    OWNERS,
    SELF,
    CommitteeTerm,
    Contract,
    Evaluation,
    Participation,
)
from gongzhi.cogovern.services import Rows, bulk_write, default_sheet, participation_problems
from gongzhi.cogovern.settings_store import committee_rules
from gongzhi.organisations import services as orgs
from gongzhi.organisations.models import Organisation
from gongzhi.organisations.services import NewOrganisation, organisations_bulk_create
from gongzhi.places.models import Compound


@dataclass
class NewCommittee:
    """An owners' committee recorded from paper: its term, filing and members ((person_id, role) pairs)."""

    compound: Compound
    name: str
    elected_on: date
    term_start: date
    term_end: date
    seats: list[tuple[int, str]]
    term_extended_to: date | None = None
    filed_on: date | None = None
    filing_no: str = ""


def committee_problems(c: NewCommittee, rs: rules.CommitteeRules) -> list[str]:
    """What committee_elect refuses, for a committee entered from a ledger."""
    errors, _warnings = rules.committee_size_problems(len(c.seats), rs)
    errors += rules.term_problems(c.term_start, c.term_end, rs)
    if sum(r == "chair" for _, r in c.seats) != 1:
        errors.append("业主委员会应有且只有一名主任")
    if c.filed_on is not None and c.filed_on < c.elected_on:
        errors.append("备案日期早于选举日期")
    if c.term_extended_to is not None and c.term_extended_to <= c.term_end:
        errors.append("延长后的任期应晚于原任期结束日期")
    return errors


@transaction.atomic
def committees_bulk_create(*, actor: object, rows: Sequence[NewCommittee], reason: str = "") -> int:
    """Committees of compounds that have none on record yet (a re-election goes through committee_elect,
    which ends the sitting committee and tracks the handover)."""
    rs = committee_rules()
    for c in rows:
        problems = committee_problems(c, rs)
        if problems:
            raise ValidationError([f"{c.compound.code}：{p}" for p in problems])
    sitting = set(
        CommitteeTerm.objects.filter(
            compound__in=[c.compound for c in rows], committee__ended_on__isnull=True
        ).values_list("compound__code", flat=True)
    )
    codes = [c.compound.code for c in rows]
    if sitting or len(set(codes)) != len(codes):
        raise ValidationError(f"小区已有在任业主委员会或重复：{'、'.join(sorted(sitting) or codes)}")
    terms_so_far = dict(
        CommitteeTerm.objects.filter(compound__in=[c.compound for c in rows])
        .values_list("compound_id")
        .annotate(n=Count("id"))
    )
    code_of = {
        c.compound.pk: f"CG-YWH-{c.compound.code}-{terms_so_far.get(c.compound.pk, 0) + 1}" for c in rows
    }
    organisations_bulk_create(
        actor=actor,
        rows=[
            NewOrganisation(
                Organisation(kind=OWNERS, code=code_of[c.compound.pk], name=c.name, founded_on=c.term_start),
                [c.compound],
                c.seats,
            )
            for c in rows
        ],
        reason=reason,
    )
    ids = dict(Organisation.objects.filter(code__in=code_of.values()).values_list("code", "pk"))
    terms = [
        CommitteeTerm(
            committee_id=ids[code_of[c.compound.pk]],
            compound=c.compound,
            elected_on=c.elected_on,
            term_start=c.term_start,
            term_end=c.term_end,
            term_extended_to=c.term_extended_to,
            filed_on=c.filed_on,
            filing_no=c.filing_no,
            path=c.compound.path,
        )
        for c in rows
    ]
    return bulk_write(actor=actor, batches=[Rows(CommitteeTerm, terms)], reason=reason)


@dataclass
class NewSelfCommittee:
    compound: Compound
    name: str
    founded_on: date
    seats: list[tuple[int, str]] = field(default_factory=list)


def serving_on(compounds: Sequence[Compound], day_of: dict[int, date]) -> set[int]:
    """Compounds (ids) a property company serves on their given day: a self-management committee is for
    compounds no company serves (the rule self_committee_create applies)."""
    served = set()
    for compound_id, starts, ends in Contract.objects.filter(
        compound__in=compounds, terminated_on__isnull=True
    ).values_list("compound_id", "starts_on", "ends_on"):
        day = day_of.get(compound_id)
        if day is not None and starts <= day <= ends:
            served.add(compound_id)
    return served


@transaction.atomic
def self_committees_bulk_create(*, actor: object, rows: Sequence[NewSelfCommittee], reason: str = "") -> int:
    compounds = [r.compound for r in rows]
    served = serving_on(compounds, {r.compound.pk: r.founded_on for r in rows})
    if served:
        names = "、".join(r.compound.code for r in rows if r.compound.pk in served)
        raise ValidationError(f"有物业服务企业在服务的小区不设自管会：{names}")
    if any(sum(role == "director" for _, role in r.seats) != 1 for r in rows):
        raise ValidationError("自管会应有且只有一名主任")
    return organisations_bulk_create(
        actor=actor,
        rows=[
            NewOrganisation(
                Organisation(
                    kind=SELF, code=f"CG-ZGH-{r.compound.code}", name=r.name, founded_on=r.founded_on
                ),
                [r.compound],
                r.seats,
            )
            for r in rows
        ],
        reason=reason,
    )


@dataclass
class NewParticipation:
    """A link of an N participant to a compound; `organisation` is saved, or new (created with it)."""

    organisation: Organisation
    compound: Compound
    role: str
    contact_name: str
    contact_phone: str
    since: date | None = None


@transaction.atomic
def participations_bulk_create(*, actor: object, rows: Sequence[NewParticipation], reason: str = "") -> int:
    """New participants are created covering their compounds in the file; known ones gain coverage."""
    for r in rows:
        if r.organisation.kind not in N_KINDS:
            raise ValidationError("只有职能部门、驻区单位、社会组织和志愿服务队可以作为共治参与方")
        problems = participation_problems(r.role, r.contact_name, r.contact_phone)
        if problems:
            raise ValidationError([f"{r.compound.code}：{p}" for p in problems])
    new: dict[str, NewOrganisation] = {}
    known: dict[int, list[Compound]] = {}
    for r in rows:
        if r.organisation.pk is None:
            new.setdefault(r.organisation.code, NewOrganisation(r.organisation, [], [])).places.append(
                r.compound
            )
        else:
            known.setdefault(r.organisation.pk, []).append(r.compound)
    organisations_bulk_create(actor=actor, rows=list(new.values()), reason=reason)
    for org in Organisation.objects.filter(pk__in=known).prefetch_related("coverages__compound"):
        covered = org.covered_compounds()
        more = [c for c in known[org.pk] if c not in covered]
        if more:
            orgs.coverage_set(actor=actor, organisation=org, places=[*covered, *more], reason=reason)
    ids = dict(Organisation.objects.filter(code__in=new).values_list("code", "pk"))
    links = [
        Participation(
            organisation_id=r.organisation.pk or ids[r.organisation.code],
            compound=r.compound,
            role=r.role.strip(),
            contact_name=r.contact_name.strip(),
            contact_phone=r.contact_phone.strip(),
            since=r.since,
            path=r.compound.path,
        )
        for r in rows
    ]
    return bulk_write(actor=actor, batches=[Rows(Participation, links)], reason=reason)


@dataclass
class NewEvaluation:
    company: Organisation
    compound: Compound
    year: int
    quarter: int
    evaluator: str
    scores: list[Decimal]


@transaction.atomic
def evaluations_bulk_record(*, actor: object, rows: Sequence[NewEvaluation], reason: str = "") -> int:
    """Quarterly evaluations on the default score sheet, each total computed by the sheet's rule."""
    sheet = default_sheet()
    out = []
    for r in rows:
        if not 1 <= r.quarter <= 4:
            raise ValidationError("季度应为 1–4")
        total, problems = pr.sheet_total(sheet.sheet, r.scores)
        if problems:
            raise ValidationError([f"{r.compound.code}：{p}" for p in problems])
        out.append(
            Evaluation(
                company=r.company,
                compound=r.compound,
                year=r.year,
                quarter=r.quarter,
                evaluator=r.evaluator,
                sheet=sheet,
                scores=[str(s) for s in r.scores],
                total=total.quantize(Decimal("0.1")),
                path=r.compound.path,
            )
        )
    return bulk_write(actor=actor, batches=[Rows(Evaluation, out)], reason=reason)
