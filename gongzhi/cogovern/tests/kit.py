"""One of each co-governance record at a compound, built through the services (tests and the permission
matrix's sample world use it)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.utils import timezone
from stdnum.cn import uscc

from gongzhi.cogovern import rules, services
from gongzhi.cogovern.models import (
    N_VOLUNTEER,
    AssemblyCase,
    CommitteeMeeting,
    CommitteeTerm,
    CommunityMap,
    Complaint,
    Contract,
    Evaluation,
    ListEntry,
    ListKind,
    Participation,
    TransitionGroup,
)
from gongzhi.core.actors import system
from gongzhi.organisations import services as orgs
from gongzhi.organisations.models import Organisation
from gongzhi.places.models import Compound
from gongzhi.tests.factories import PersonFactory

ACTOR = system("tests")


def credit_code(n: int) -> str:
    body = f"9137020200000{n:04d}"
    return body + uscc.calc_check_digit(body)


@dataclass
class Kit:
    compound: Compound
    committee: Organisation
    term: CommitteeTerm
    company: Organisation
    contract: Contract
    participant: Organisation
    participation: Participation
    self_committee: Organisation
    evaluation: Evaluation
    complaint: Complaint
    list_entry: ListEntry
    meeting: CommitteeMeeting
    transition_group: TransitionGroup  # of the previous term, whose re-election was late


def build_kit(compound: Compound, n: int = 0, actor: Any = ACTOR) -> Kit:
    today = timezone.localdate()
    people = [PersonFactory.create() for _ in range(3)]
    start = today - timedelta(days=400)
    # The first committee's re-election was late: a 换届小组 took over and got the records, then the owners
    # elected the present committee, which got the records from the first.
    first, _warnings = services.committee_elect(
        actor=actor,
        compound=compound,
        elected_on=start - timedelta(days=1800),
        term_start=start - timedelta(days=1800),
        term_end=start - timedelta(days=20),
        seats=[(people[0].pk, "chair"), (people[1].pk, "vice_chair"), (people[2].pk, "member")],
    )
    group = services.transition_group_form(
        actor=actor,
        term=CommitteeTerm.objects.get(committee=first),
        formed_on=start - timedelta(days=70),
        seats=[(people[1].pk, "leader"), (people[2].pk, "member")],
    )
    services.transition_handover(actor=actor, group=group, on=start - timedelta(days=65))
    committee, _warnings = services.committee_elect(
        actor=actor,
        compound=compound,
        elected_on=start,
        term_start=start,
        term_end=rules.latest_term_end(start),
        seats=[(people[0].pk, "chair"), (people[1].pk, "vice_chair"), (people[2].pk, "member")],
    )
    term = services.committee_record(
        actor=actor,
        term=CommitteeTerm.objects.get(committee=committee),
        handed_over_on=start + timedelta(days=5),
    )
    company = services.company_create(
        actor=actor,
        name=f"测试物业{compound.code}",
        credit_code=credit_code(n or compound.pk),
        places=[compound],
        party_org_name="测试物业党支部",
    )
    contract = services.contract_create(
        actor=actor,
        company=company,
        compound=compound,
        starts_on=today - timedelta(days=300),
        ends_on=today + timedelta(days=60),
        fee_per_m2="1.80",
    )
    participant: Organisation = orgs.organisation_create(
        actor=actor, kind=N_VOLUNTEER, code=f"CG-N-T{compound.code}", name="测试志愿服务队", places=[compound]
    )
    participation = services.participant_link(
        actor=actor,
        participant=participant,
        compound=compound,
        role="帮老助困",
        contact_name="赵敏",
        contact_phone="13800001111",
    )
    self_committee = services.self_committee_create(  # before the contract began: allowed
        actor=actor,
        compound=compound,
        name="测试自管会",
        seats=[(people[0].pk, "director")],
        founded_on=today - timedelta(days=400),
        code=f"CG-ZGH-T{compound.code}",
    )
    sheet = services.default_sheet()
    points = [it["points"] for c in sheet.sheet["categories"] for it in c["items"]]
    evaluation = services.evaluation_record(
        actor=actor,
        company=company,
        compound=compound,
        year=today.year,
        quarter=1,
        evaluator="community",
        scores=points,
    )
    complaint = services.complaint_record(
        actor=actor, company=company, compound=compound, received_on=today, summary="电梯维修不及时"
    )
    entry = services.list_entry_publish(
        actor=actor,
        year=today.year,
        quarter=1,
        kind=ListKind.BLACK,
        company=company,
        compound=compound,
        reason="电梯多次停运",
        published_on=today,
        rectify_by=today + timedelta(days=30),
    )
    meeting = services.meeting_record(
        actor=actor,
        term=term,
        held_on=today - timedelta(days=30),
        present=[people[0].pk, people[1].pk],
        decisions=[("续聘物业服务企业", 2, 0)],
    )
    return Kit(
        compound,
        committee,
        term,
        company,
        contract,
        participant,
        participation,
        self_committee,
        evaluation,
        complaint,
        entry,
        meeting,
        group,
    )


PREP_SEATS = ("leader", "owner", "owner", "owner", "party", "subdistrict", "other")  # 7: 4 owners, odd


def build_assembly(compound: Compound, actor: Any = ACTOR) -> AssemblyCase:
    """An application 40 days ago and its 筹备组 formed 10 days later, its first assembly not yet held.
    Apart from the kit: the kit's compound has its committee already (its case is closed by the election)."""
    today = timezone.localdate()
    services.assembly_apply(actor=actor, compound=compound, applied_on=today - timedelta(days=40))
    services.prep_group_form(
        actor=actor,
        compound=compound,
        formed_on=today - timedelta(days=30),
        seats=[(PersonFactory.create().pk, role) for role in PREP_SEATS],
    )
    return AssemblyCase.objects.get(compound=compound)


def mark_map(compound: Compound, actor: Any = ACTOR) -> CommunityMap:
    """The compound's community map, drawn today (apart from the kit: the kit's figures count no map)."""
    return services.community_map_mark(actor=actor, community=compound.community)
