"""Every write of the co-governance community: keyword-only, `actor` first, one transaction, history kept.

Kind-specific rules are checked first (gongzhi.cogovern.rules / property_rules, messages in Chinese),
then the organisations core writes the body, its seats and its coverage. The permission asked is
`cogovern.edit` at the compound (or every compound) concerned.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from gongzhi.accounts.access import At, authorize
from gongzhi.accounts.roles import Action
from gongzhi.cogovern import property_rules as pr
from gongzhi.cogovern import rules, selectors
from gongzhi.cogovern.models import (
    COMPANY,
    EDIT,
    N_KINDS,
    OWNERS,
    PREP,
    SELF,
    TRANSITION,
    AssemblyCase,
    CommitteeMeeting,
    CommitteeTerm,
    CommunityMap,
    CompanyProfile,
    Complaint,
    CompoundStatus,
    Contract,
    Evaluation,
    ListEntry,
    ListKind,
    MeetingDecision,
    Outcome,
    OwnersCommittee,
    Participation,
    PropertyCompany,
    ScoreSheet,
    TransitionGroup,
)
from gongzhi.cogovern.settings_store import committee_rules
from gongzhi.cogovern.statusrows import facts
from gongzhi.core.actors import history_user, stamp
from gongzhi.organisations import services as orgs
from gongzhi.organisations.models import Organisation
from gongzhi.places.models import Compound, Division, Level


def _bad(problems: Sequence[str]) -> None:
    if problems:
        raise ValidationError(list(problems))


def _save(obj: Any, actor: Any, reason: str = "") -> Any:
    stamp(obj, actor, reason)
    obj.full_clean()
    obj.save()
    return obj


# -- Assembly and committee ---------------------------------------------------------------------------------


def _case(compound: Compound) -> AssemblyCase:
    return AssemblyCase.objects.filter(compound=compound).first() or AssemblyCase(
        compound=compound, path=compound.path
    )


@transaction.atomic
def assembly_exempt(*, actor: Any, compound: Compound, reason: str) -> AssemblyCase:
    """《物业管理条例》第十条: one owner, or few owners unanimously deciding not to form an assembly."""
    authorize(actor, EDIT, compound)
    if not reason.strip():
        raise ValidationError("请填写无需成立业主大会的理由（如：全体业主一致同意，共同履行职责）")
    case = _case(compound)
    case.exempt_reason = reason.strip()[:200]
    _save(case, actor)
    _refresh(compound)
    return case


@transaction.atomic
def assembly_apply(
    *,
    actor: Any,
    compound: Compound,
    applied_on: date,
    owners_applying: int | None = None,
    area_applying: Decimal | None = None,
) -> AssemblyCase:
    """Owners holding 5% applied (第二十二条); the preparatory group is due 30 days later. When the
    application's owners or area are given, they are checked against the compound's totals."""
    authorize(actor, EDIT, compound)
    if applied_on > timezone.localdate():
        raise ValidationError("申请日期不能晚于今天")
    if (owners_applying is not None or area_applying is not None) and not rules.may_apply(
        owners_applying=owners_applying or 0,
        owners_total=compound.owners_total,
        area_applying=Decimal(area_applying or 0),
        total_area=Decimal(compound.total_area or 0),
    ):
        raise ValidationError(
            f"申请业主人数和专有部分面积均未达到小区的 5%（业主 {compound.owners_total} 人，"
            f"面积 {compound.total_area} ㎡），不能申请成立业主大会（{rules.SRC_PREP}）"
        )
    case = _case(compound)
    case.applied_on = applied_on
    _save(case, actor)
    _refresh(compound)
    return case


@transaction.atomic
def prep_group_form(
    *,
    actor: Any,
    compound: Compound,
    formed_on: date,
    seats: Sequence[tuple[int, str]],
    code: str = "",
) -> Organisation:
    """The preparatory group (第二十三条): ≥ 7, odd, half owners, the community party organisation in it."""
    authorize(actor, EDIT, compound)
    rs = committee_rules()
    roles = [r for _, r in seats]
    _bad(
        rules.prep_group_problems(
            members=len(seats),
            owners=sum(r in ("owner", "leader") for r in roles),
            party_org_included="party" in roles,
            rules=rs,
        )
    )
    group: Organisation = orgs.organisation_create(
        actor=actor,
        kind=PREP,
        code=code or f"CG-PREP-{compound.code}",
        name=f"{compound.name}业主大会筹备组",
        places=[compound],
        founded_on=formed_on,
    )
    orgs.seats_replace(actor=actor, organisation=group, seats=list(seats), on=formed_on)
    case = _case(compound)
    case.prep_group, case.prep_formed_on = group, formed_on
    _save(case, actor)
    _refresh(compound)
    return group


@transaction.atomic
def first_assembly_extend(*, actor: Any, compound: Compound) -> AssemblyCase:
    """第二十四条: the first assembly may be put off once, by 30 days, after the group has formed."""
    authorize(actor, EDIT, compound)
    case = _case(compound)
    if case.prep_formed_on is None:
        raise ValidationError("筹备组成立后才能决定延期")
    if case.first_assembly_extended:
        raise ValidationError("首次业主大会只能延期一次")
    if case.first_assembly_on is not None:
        raise ValidationError("首次业主大会已经召开")
    case.first_assembly_extended = True
    _save(case, actor)
    _refresh(compound)
    return case


@transaction.atomic
def committee_elect(
    *,
    actor: Any,
    compound: Compound,
    elected_on: date,
    term_start: date,
    term_end: date,
    seats: Sequence[tuple[int, str]],
    vote: Any = None,
    name: str = "",
    code: str = "",
) -> tuple[OwnersCommittee, list[str]]:
    """A committee elected by the owners' vote (affairs, item (三)); the previous one ends. Returns warnings."""
    authorize(actor, EDIT, compound)
    rs = committee_rules()
    errors, warnings = rules.committee_size_problems(len(seats), rs)
    errors += rules.term_problems(term_start, term_end, rs)
    if sum(r == "chair" for _, r in seats) != 1:
        errors.append("业主委员会应有且只有一名主任")
    if vote is not None:
        if vote.compound_id != compound.pk or vote.item != 3:
            errors.append(
                "选举表决应为本小区“选举或者更换业主委员会”（民法典第二百七十八条第（三）项）的表决"
            )
        elif not vote.passed:
            errors.append("选举表决未通过")
    _bad(errors)
    previous = (
        CommitteeTerm.objects.filter(compound=compound, committee__ended_on__isnull=True)
        .select_related("committee")
        .first()
    )
    if previous is not None:
        orgs.organisation_end(actor=actor, organisation=previous.committee, on=term_start, reason="换届")
    n = CommitteeTerm.objects.filter(compound=compound).count() + 1
    committee = orgs.organisation_create(
        actor=actor,
        kind=OWNERS,
        code=code or f"CG-YWH-{compound.code}-{n}",
        name=name or f"{compound.name}第{n}届业主委员会",
        places=[compound],
        founded_on=term_start,
        model=OwnersCommittee,
    )
    orgs.seats_replace(actor=actor, organisation=committee, seats=list(seats), on=term_start)
    _save(
        CommitteeTerm(
            committee=committee,
            compound=compound,
            elected_on=elected_on,
            election_vote=vote,
            term_start=term_start,
            term_end=term_end,
            previous=previous,
            path=compound.path,
        ),
        actor,
    )
    if previous is not None:
        previous.reelection_held_on = previous.reelection_held_on or elected_on
        _save(previous, actor)
    case = _case(compound)
    if case.first_assembly_on is None and previous is None:
        case.first_assembly_on = elected_on
        _save(case, actor)
    _refresh(compound)
    return committee, warnings


@transaction.atomic
def committee_record(
    *,
    actor: Any,
    term: CommitteeTerm,
    filed_on: date | None = None,
    filing_no: str = "",
    handed_over_on: date | None = None,
    term_extended_to: date | None = None,
) -> CommitteeTerm:
    """Filing (备案), the handover of the previous term's records, an extension decided by the assembly."""
    authorize(actor, EDIT, term)
    if filed_on is not None:
        if filed_on < term.elected_on:
            raise ValidationError("备案日期早于选举日期")
        term.filed_on, term.filing_no = filed_on, filing_no.strip()
    if handed_over_on is not None:
        term.handed_over_on = handed_over_on
    if term_extended_to is not None:
        if term_extended_to <= term.term_end:
            raise ValidationError("延长后的任期应晚于原任期结束日期")
        term.term_extended_to = term_extended_to
    _save(term, actor)
    _refresh(term.compound_id)
    return term


@transaction.atomic
def meeting_record(
    *,
    actor: Any,
    term: CommitteeTerm,
    held_on: date,
    present: Sequence[int],
    decisions: Sequence[tuple[str, int, int]],
) -> CommitteeMeeting:
    """A committee meeting: `present` are person ids of seated members; each decision (subject, for,
    against) passes when more than half of ALL members agreed (第三十八条). An inquorate meeting is refused."""
    authorize(actor, EDIT, term)
    if held_on > timezone.localdate():
        raise ValidationError("会议日期不能晚于今天")
    if held_on < term.term_start or held_on > term.effective_end:
        raise ValidationError("会议日期不在本届业主委员会任期内")
    seated = selectors.seated_on(term, held_on)
    came = set(present)
    if not came <= seated:
        raise ValidationError("出席人员应为本届业主委员会委员")
    votes = [(agree, against) for _, agree, against in decisions]
    rs = committee_rules()
    _bad(rules.meeting_problems(present=len(came), members=len(seated), votes=votes, rules=rs))
    if any(not subject.strip() for subject, _, _ in decisions):
        raise ValidationError("请填写决定事项")
    meeting = _save(
        CommitteeMeeting(
            term=term, held_on=held_on, members=len(seated), present=sorted(came), path=term.path
        ),
        actor,
    )
    for subject, agree, against in decisions:
        _save(
            MeetingDecision(
                meeting=meeting,
                subject=subject.strip()[:200],
                votes_for=agree,
                votes_against=against,
                passed=rules.decision_passes(agree, len(seated)),
                path=term.path,
            ),
            actor,
        )
    return meeting


@transaction.atomic
def transition_group_form(
    *, actor: Any, term: CommitteeTerm, formed_on: date, seats: Sequence[tuple[int, str]]
) -> TransitionGroup:
    """第四十一条: a 换届小组 takes over a term whose re-electing assembly was not held in time."""
    authorize(actor, EDIT, term)
    if formed_on > timezone.localdate():
        raise ValidationError("成立日期不能晚于今天")
    if TransitionGroup.objects.filter(term=term).exists():
        raise ValidationError("本届业主委员会已有换届小组")
    _bad(
        rules.transition_group_problems(
            term_end=term.term_end,
            term_extended_to=term.term_extended_to,
            reelection_held_on=term.reelection_held_on,
            formed_on=formed_on,
            rules=committee_rules(),
        )
    )
    if sum(r == "leader" for _, r in seats) != 1:
        raise ValidationError("换届小组应有且只有一名组长")
    compound = term.compound
    group: Organisation = orgs.organisation_create(
        actor=actor,
        kind=TRANSITION,
        code=f"CG-HJ-{compound.code}-{term.pk}",
        name=f"{compound.name}业主委员会换届小组",
        places=[compound],
        founded_on=formed_on,
    )
    orgs.seats_replace(actor=actor, organisation=group, seats=list(seats), on=formed_on)
    return _save(TransitionGroup(term=term, group=group, formed_on=formed_on, path=term.path), actor)


@transaction.atomic
def transition_handover(*, actor: Any, group: TransitionGroup, on: date) -> TransitionGroup:
    """第四十三条: the day the outgoing committee handed its records to the 换届小组 (due in 10 days)."""
    authorize(actor, EDIT, group)
    if on < group.formed_on:
        raise ValidationError("移交日期早于换届小组成立日期")
    if on > timezone.localdate():
        raise ValidationError("移交日期不能晚于今天")
    group.handed_over_on = on
    return _save(group, actor)


# -- Self-management committees and the N ---------------------------------------------------------------------


@transaction.atomic
def self_committee_create(
    *,
    actor: Any,
    compound: Compound,
    name: str,
    seats: Sequence[tuple[int, str]],
    founded_on: date,
    code: str = "",
) -> Organisation:
    """A self-management committee where no property company serves."""
    if Contract.objects.filter(
        compound=compound, terminated_on__isnull=True, starts_on__lte=founded_on, ends_on__gte=founded_on
    ).exists():
        raise ValidationError("该小区有物业服务企业在服务，自管会适用于无物业企业服务的小区")
    org: Organisation = orgs.organisation_create(
        actor=actor,
        kind=SELF,
        code=code or f"CG-ZGH-{compound.code}",
        name=name,
        places=[compound],
        founded_on=founded_on,
    )
    orgs.seats_replace(actor=actor, organisation=org, seats=list(seats), on=founded_on)
    return org


def participation_problems(role: str, contact_name: str, contact_phone: str) -> list[str]:
    """What a participant's link to a compound needs: what it does there, and a contact who can be called."""
    problems = []
    if not role.strip() or not contact_name.strip():
        problems.append("请填写参与内容和联系人")
    phone = contact_phone.strip()
    if not (phone.isdigit() and 7 <= len(phone) <= 12):
        problems.append("联系电话应为 7–12 位数字")
    return problems


@transaction.atomic
def participant_link(
    *,
    actor: Any,
    participant: Organisation,
    compound: Compound,
    role: str,
    contact_name: str,
    contact_phone: str,
    since: date | None = None,
) -> Participation:
    """Link an N participant to a compound with what it does there and a contact."""
    if participant.kind not in N_KINDS:
        raise ValidationError("只有职能部门、驻区单位、社会组织和志愿服务队可以作为共治参与方")
    _bad(participation_problems(role, contact_name, contact_phone))
    phone = contact_phone.strip()
    authorize(actor, EDIT, compound)
    places = [c for c in participant.covered_compounds()]
    if compound not in places:
        orgs.coverage_set(actor=actor, organisation=participant, places=[*places, compound], on=since)
    return _save(
        Participation(
            organisation=participant,
            compound=compound,
            role=role.strip(),
            contact_name=contact_name.strip(),
            contact_phone=phone,
            since=since,
            path=compound.path,
        ),
        actor,
    )


# -- Property companies --------------------------------------------------------------------------------------


@transaction.atomic
def company_create(
    *,
    actor: Any,
    name: str,
    credit_code: str,
    places: Sequence[Any],
    party_org_name: str = "",
    founded_on: date | None = None,
) -> PropertyCompany:
    """A property company, identified by its unified social credit code (checked, unique)."""
    problem = pr.credit_code_problem(credit_code)
    if problem:
        raise ValidationError(problem)
    code = pr.normalise_credit_code(credit_code)
    if CompanyProfile.objects.filter(credit_code=code).exists():
        raise ValidationError(f"统一社会信用代码 {code} 已登记")
    company = orgs.organisation_create(
        actor=actor,
        kind=COMPANY,
        code=f"CG-WY-{code}",
        name=name,
        places=places,
        founded_on=founded_on,
        model=PropertyCompany,
    )
    _save(CompanyProfile(company=company, credit_code=code, party_org_name=party_org_name.strip()), actor)
    return company


@transaction.atomic
def contract_create(
    *,
    actor: Any,
    company: Organisation,
    compound: Compound,
    starts_on: date,
    ends_on: date,
    fee_per_m2: Decimal | str,
    scope: str = "",
) -> Contract:
    """A contract with a compound: the company then covers the compound (its red status reaches the map)."""
    if company.kind != COMPANY:
        raise ValidationError("合同的一方应为物业服务企业")
    if ends_on < starts_on:
        raise ValidationError("合同到期日期早于开始日期")
    try:
        fee = Decimal(str(fee_per_m2))
    except InvalidOperation as exc:
        raise ValidationError("物业费应为数字（元/㎡·月）") from exc
    if not Decimal(0) <= fee <= Decimal(100):
        raise ValidationError("物业费应在 0–100 元/㎡·月之间")
    authorize(actor, EDIT, compound)
    covered = company.covered_compounds()
    if compound not in covered:
        orgs.coverage_set(actor=actor, organisation=company, places=[*covered, compound], on=starts_on)
    contract = _save(
        Contract(
            company=company,
            compound=compound,
            starts_on=starts_on,
            ends_on=ends_on,
            fee_per_m2=fee.quantize(Decimal("0.01")),
            scope=scope.strip()[:200],
            path=compound.path,
        ),
        actor,
    )
    _refresh(compound)
    return contract


@transaction.atomic
def contract_terminate(*, actor: Any, contract: Contract, on: date, for_cause: bool) -> Contract:
    authorize(actor, EDIT, contract)
    if on < contract.starts_on:
        raise ValidationError("解除日期早于合同开始日期")
    contract.terminated_on, contract.terminated_for_cause = on, for_cause
    _save(contract, actor)
    _refresh(contract.compound_id)
    return contract


def default_sheet() -> ScoreSheet:
    sheet = ScoreSheet.objects.filter(is_default=True).first()
    if sheet is None:
        raise ValidationError("尚未设置默认考核评分表")
    return sheet


@transaction.atomic
def score_sheet_save(
    *, actor: Any, name: str, sheet: dict[str, Any], make_default: bool = False
) -> ScoreSheet:
    """A new version of the score sheet (evaluations keep the sheet they were scored on)."""
    authorize(actor, Action.SETTINGS_EDIT, None)  # one sheet for the whole district: a setting
    _bad(pr.sheet_problems(sheet))
    if make_default:
        for old in ScoreSheet.objects.filter(is_default=True):
            old.is_default = False
            _save(old, actor)
    return _save(ScoreSheet(name=name.strip() or "考核评分表", sheet=sheet, is_default=make_default), actor)


@transaction.atomic
def evaluation_record(
    *,
    actor: Any,
    company: Organisation,
    compound: Compound,
    year: int,
    quarter: int,
    evaluator: str,
    scores: Sequence[Any],
    sheet: ScoreSheet | None = None,
) -> Evaluation:
    authorize(actor, EDIT, compound)
    if not 1 <= quarter <= 4:
        raise ValidationError("季度应为 1–4")
    sheet = sheet or default_sheet()
    total, problems = pr.sheet_total(sheet.sheet, scores)
    _bad(problems)
    return _save(
        Evaluation(
            company=company,
            compound=compound,
            year=year,
            quarter=quarter,
            evaluator=evaluator,
            sheet=sheet,
            scores=[str(s) for s in scores],
            total=total.quantize(Decimal("0.1")),
            path=compound.path,
        ),
        actor,
    )


@transaction.atomic
def complaint_record(
    *, actor: Any, company: Organisation, compound: Compound, received_on: date, summary: str
) -> Complaint:
    authorize(actor, EDIT, compound)
    if not summary.strip():
        raise ValidationError("请填写投诉内容")
    return _save(
        Complaint(
            company=company,
            compound=compound,
            received_on=received_on,
            summary=summary.strip()[:300],
            path=compound.path,
        ),
        actor,
    )


@transaction.atomic
def complaint_close(*, actor: Any, complaint: Complaint, outcome: str, closed_on: date) -> Complaint:
    authorize(actor, EDIT, complaint)
    if outcome not in (Outcome.UPHELD, Outcome.REJECTED):
        raise ValidationError("办结结果应为“投诉属实”或“投诉不成立”")
    if closed_on < complaint.received_on:
        raise ValidationError("办结日期早于受理日期")
    complaint.outcome, complaint.closed_on = outcome, closed_on
    return _save(complaint, actor)


@transaction.atomic
def list_entry_publish(
    *,
    actor: Any,
    year: int,
    quarter: int,
    kind: str,
    company: Organisation,
    compound: Compound,
    reason: str,
    published_on: date,
    rectify_by: date | None = None,
    project_manager: Any = None,
) -> ListEntry:
    """A red- or black-list entry; a black one must name the day rectification is due."""
    authorize(actor, EDIT, compound)
    if kind == ListKind.BLACK and rectify_by is None:
        raise ValidationError("上黑榜应明确整改期限")
    if not reason.strip():
        raise ValidationError("请填写上榜理由")
    return _save(
        ListEntry(
            year=year,
            quarter=quarter,
            kind=kind,
            company=company,
            compound=compound,
            project_manager=project_manager,
            reason=reason.strip()[:200],
            published_on=published_on,
            rectify_by=rectify_by if kind == ListKind.BLACK else None,
            path=compound.path,
        ),
        actor,
    )


@transaction.atomic
def list_entry_rectified(*, actor: Any, entry: ListEntry, on: date) -> ListEntry:
    authorize(actor, EDIT, entry)
    if entry.kind != ListKind.BLACK:
        raise ValidationError("只有黑榜需要整改")
    entry.rectified_on = on
    return _save(entry, actor)


@transaction.atomic
def company_profiles_bulk_create(*, actor: Any, profiles: Sequence[CompanyProfile], reason: str = "") -> int:
    """Profiles of companies created in bulk: codes checked and unique, the actor may edit each company."""
    codes = [p.credit_code for p in profiles]
    for p in profiles:
        problem = pr.credit_code_problem(p.credit_code)
        if problem:
            raise ValidationError(f"{p.credit_code}：{problem}")
    if len(set(codes)) != len(codes) or CompanyProfile.objects.filter(credit_code__in=codes).exists():
        raise ValidationError("统一社会信用代码重复或已登记")
    companies = Organisation.objects.filter(pk__in=[p.company_id for p in profiles]).prefetch_related(
        "coverages"
    )
    for company in companies:
        orgs.check(actor, company.kind, company.scope_paths())
    bulk_create_with_history(
        list(profiles),
        CompanyProfile,
        default_user=history_user(actor),
        default_change_reason=reason or str(actor)[:100],
    )
    served = Contract.objects.filter(company_id__in=[p.company_id for p in profiles])
    compound_status_refresh(compounds=Q(pk__in=served.values("compound_id")))
    return len(profiles)


# -- The map's record -----------------------------------------------------------------------------------------


@transaction.atomic
def community_map_mark(*, actor: Any, community: Division, on: date | None = None) -> CommunityMap:
    """Record that the community's map was drawn (first time) or checked (afterwards), and by whom."""
    if community.level not in (Level.COMMUNITY, Level.VILLAGE):
        raise ValidationError("物管地图按社区绘制")
    authorize(actor, EDIT, community)
    day = on or timezone.localdate()
    user, name = history_user(actor), (getattr(actor, "username", "") or str(actor))[:60]
    record = CommunityMap.objects.filter(community=community).first()
    if record is None:
        record = CommunityMap(
            community=community, drawn_on=day, drawn_by=user, drawn_by_name=name, path=community.path
        )
    record.checked_on, record.checked_by, record.checked_by_name = day, user, name
    return _save(record, actor)


# -- Bulk, for the demo and ledgers ----------------------------------------------------------------------------


@dataclass
class Rows:
    """Rows of one model written in bulk with their history (demo, imports)."""

    model: type[Any]
    rows: list[Any]


def bulk_write(*, actor: Any, batches: Sequence[Rows], reason: str = "") -> int:
    """Write prepared rows with one history row each; the caller has checked them with the same rules."""
    for path in {r.path for b in batches for r in b.rows}:
        authorize(actor, EDIT, At(path))
    written = 0
    with transaction.atomic():
        for b in batches:
            if b.rows:
                bulk_create_with_history(
                    b.rows,
                    b.model,
                    default_user=history_user(actor),
                    default_change_reason=reason or str(actor)[:100],
                )
                written += len(b.rows)
        compounds = {r.compound_id for b in batches for r in b.rows if getattr(r, "compound_id", None)}
        if compounds:
            _refresh(*compounds)
    return written


# -- The map's status rows -------------------------------------------------------------------------------------


def compound_status_refresh(*, compounds: Q) -> int:
    """Rewrite the status rows of the compounds matching `compounds` from this app's rows (derived data,
    like the places counters: no actor, no history). Each service below calls it for what it touched;
    `cogovern_status_rebuild` calls it for a whole place after bulk loads."""
    rows = facts(compounds)
    with transaction.atomic():
        CompoundStatus.objects.filter(compound__in=Compound.objects.filter(compounds)).delete()
        CompoundStatus.objects.bulk_create(rows, batch_size=1000)
    return len(rows)


def _refresh(*compounds: Any) -> None:
    compound_status_refresh(compounds=Q(pk__in=[getattr(c, "pk", c) for c in compounds]))
