"""Every write of the centre: keyword-only, `actor` first, one transaction, a history row naming the actor.

Rules (gongzhi.centre.rules) are checked before anything is written; a refusal is a ValidationError with
the Chinese message and writes nothing.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from gongzhi.accounts.access import At, authorize
from gongzhi.centre import rules, rules_referrals
from gongzhi.centre.models import (
    EDIT,
    REQUEST,
    SERVE,
    Centre,
    Credit,
    Enterprise,
    Industry,
    KeyFigures,
    Lease,
    Platform,
    Project,
    ServiceItem,
    ServiceRequest,
    Space,
    Stage,
    StageStep,
    WorkCalendar,
)
from gongzhi.core.actors import history_user, is_system, reason_of, stamp
from gongzhi.places.models import Division

PLATFORMS = (("kechuang", "科创平台"), ("chuhai", "产业跨境出海平台"), ("shuzhi", "数智贸易平台"))


def _refuse(problem: str) -> None:
    if problem:
        raise ValidationError(problem)


def _contact_of(actor: Any, enterprise: Enterprise) -> None:
    """The enterprise's own contact (or a system actor): a contact of another enterprise is refused."""
    authorize(actor, REQUEST, enterprise)
    if not is_system(actor) and not enterprise.contacts.filter(pk=actor.pk).exists():
        raise PermissionDenied


def _save(obj: Any, actor: Any, reason: str = "") -> Any:
    stamp(obj, actor, reason)
    obj.save()
    return obj


@transaction.atomic
def centre_create(
    *, actor: Any, name: str, division: Division, tower: str = "", opened_on: date | None = None
) -> Centre:
    """A centre under `division`, with the three industry platforms (renamed or added later as data)."""
    authorize(actor, EDIT, At(division.path))
    centre = Centre.objects.create(name=name, division=division, tower=tower, opened_on=opened_on)
    centre.path = f"{division.path}ctr{centre.pk}/"
    centre.save(update_fields=["path"])
    Platform.objects.bulk_create(
        Platform(centre=centre, code=code, name=label, path=centre.path) for code, label in PLATFORMS
    )
    return centre


def space_bulk_create(*, actor: Any, centre: Centre, rows: list[dict[str, Any]]) -> list[Space]:
    authorize(actor, EDIT, centre)
    with transaction.atomic():
        return Space.objects.bulk_create(Space(centre=centre, path=centre.path, **row) for row in rows)


@transaction.atomic
def enterprise_register(
    *,
    actor: Any,
    centre: Centre,
    name: str,
    credit_code: str,
    industry: Industry,
    kind: str,
    platform: Platform | None = None,
    incubation: str = "",
    registered_on: date | None = None,
) -> Enterprise:
    authorize(actor, EDIT, centre)
    code = credit_code.strip().upper()
    _refuse(rules.credit_code_problem(code))
    if Enterprise.objects.filter(credit_code=code).exists():
        raise ValidationError(f"统一社会信用代码{code}已登记，不能重复登记。")
    if kind not in Enterprise.Kind.values:
        raise ValidationError("企业类型无效。")
    ent = Enterprise(
        centre=centre,
        name=name.strip(),
        credit_code=code,
        industry=industry,
        kind=kind,
        platform=platform,
        incubation=incubation,
        registered_on=registered_on,
        path=centre.path,
    )
    return _save(ent, actor, "企业登记")


@transaction.atomic
def lease_sign(
    *,
    actor: Any,
    space: Space,
    enterprise: Enterprise,
    starts_on: date,
    ends_on: date,
    monthly_rent_yuan: Decimal,
    area: Decimal | None = None,
    incentive: str = "",
) -> Lease:
    """A lease of one room; refused when it overlaps another lease of the same room (the room's row is
    locked first, so two clerks cannot both let it)."""
    authorize(actor, EDIT, space.centre)
    if ends_on < starts_on:
        raise ValidationError("到期日不能早于起租日。")
    Space.objects.select_for_update().filter(pk=space.pk).first()
    for other in Lease.objects.filter(space=space).select_related("enterprise"):
        if rules.leases_overlap(starts_on, ends_on, other.starts_on, other.ends_on):
            raise ValidationError(
                f"房间{space.number}在{other.starts_on}至{other.ends_on}已租给{other.enterprise.name}，租期不能重叠。"
            )
    lease = Lease(
        space=space,
        enterprise=enterprise,
        starts_on=starts_on,
        ends_on=ends_on,
        area=area if area is not None else space.area,
        monthly_rent_yuan=monthly_rent_yuan,
        incentive=incentive,
        path=space.path,
    )
    try:
        with transaction.atomic():  # PostgreSQL's exclusion constraint (centre.0005) is the last guard
            _save(lease, actor, "签订租约")
    except IntegrityError:
        raise ValidationError(f"房间{space.number}在该期间已有租约，租期不能重叠。") from None
    if enterprise.settled_on is None or enterprise.settled_on > starts_on:
        enterprise.settled_on = starts_on
        _save(enterprise, actor, "入驻")
    return lease


@transaction.atomic
def project_create(
    *,
    actor: Any,
    platform: Platform,
    name: str,
    industry: Industry,
    kind: str,
    created_on: date,
    credits: Mapping[str, Mapping[str, int]] | None = None,
    **fields: Any,
) -> Project:
    """A new lead at the first stage; `credits` is {part: {party: share}}, each part summing to 100."""
    centre = platform.centre
    authorize(actor, EDIT, centre)
    first = Stage.objects.order_by("position").first()
    if first is None:
        raise ValidationError("尚未配置招商阶段。")
    if kind not in Enterprise.Kind.values:
        raise ValidationError("企业类型无效。")
    _refuse(rules.likelihood_problem(int(fields.get("likelihood", 0))))
    project = Project(
        centre=centre,
        platform=platform,
        name=name.strip(),
        industry=industry,
        kind=kind,
        stage=first,
        created_on=created_on,
        path=centre.path,
        **fields,
    )
    _save(project, actor, "登记线索")
    StageStep.objects.create(
        project=project, stage=first, on=created_on, days=0, platform=platform, path=project.path
    )
    if credits:
        _credits_set(project, credits, actor, "登记线索")
    return project


# What an edit may change; the stage moves only through project_advance (with its evidence and step).
EDITABLE = (
    "name",
    "industry",
    "kind",
    "next_action",
    "next_action_on",
    "likelihood",
    "expected_on",
    "needs_area",
)


@transaction.atomic
def project_update(*, actor: Any, project: Project, **fields: Any) -> Project:
    """Change a project's description and its next action; the history row names the actor."""
    authorize(actor, EDIT, project)
    unknown = set(fields) - set(EDITABLE)
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    if "kind" in fields and fields["kind"] not in Enterprise.Kind.values:
        raise ValidationError("企业类型无效。")
    _refuse(rules.likelihood_problem(int(fields.get("likelihood", project.likelihood))))
    for name, value in fields.items():
        setattr(project, name, value.strip() if isinstance(value, str) else value)
    return _save(project, actor, "修改项目")


def _credits_set(project: Project, credits: Mapping[str, Mapping[str, int]], actor: Any, reason: str) -> None:
    """Set the parties' shares of the parts given, row by row, so that each credit keeps its history: a
    changed share is an update ("~"), a new party a creation ("+"), a party whose share goes to 0 or is left
    out of a part given a deletion ("-"), each history row naming the actor and why; an unchanged share writes
    nothing. Parts not given keep what they had."""
    _refuse(rules.attribution_problem({part: list(by.values()) for part, by in credits.items()}))
    held = {(c.part, c.party): c for c in Credit.objects.filter(project=project, part__in=list(credits))}
    wanted = {(part, party): share for part, by in credits.items() for party, share in by.items() if share}
    for key, credit in held.items():
        if key not in wanted:
            stamp(credit, actor, reason).delete()
    for (part, party), share in wanted.items():
        kept = held.get((part, party))
        if kept is not None and kept.share == share:
            continue
        if kept is None:
            kept = Credit(project=project, part=part, party=party, share=share, path=project.path)
        kept.share = share
        _save(kept, actor, reason)


@transaction.atomic
def project_credit(*, actor: Any, project: Project, credits: Mapping[str, Mapping[str, int]]) -> None:
    authorize(actor, EDIT, project)
    _credits_set(project, credits, actor, "记录各方贡献")
    _save(project, actor, "记录各方贡献")


@transaction.atomic
def project_advance(
    *,
    actor: Any,
    project: Project,
    stage: Stage,
    on: date,
    evidence: str = "",
    credit_code: str = "",
    registered_on: date | None = None,
) -> Project:
    """Move a project to `stage` with its evidence; registration (a valid credit code and date) may be
    given with it. A stage that requires a lease or registration refuses a project without one."""
    authorize(actor, EDIT, project)
    if credit_code:
        code = credit_code.strip().upper()
        _refuse(rules.credit_code_problem(code))
        project.credit_code = code
        project.registered_on = registered_on or on
    leased = (
        project.enterprise_id is not None
        and Lease.objects.filter(enterprise_id=project.enterprise_id).exists()
    )
    registered = bool(project.credit_code and project.registered_on)
    _refuse(rules.stage_problem(stage.requires, registered=registered, leased=leased))
    _refuse(rules.evidence_problem(stage.needs_evidence, evidence, stage.name))
    project.stage = stage
    _save(project, actor, f"进入{stage.name}阶段")
    StageStep.objects.update_or_create(
        project=project,
        stage=stage,
        defaults={
            "on": on,
            "evidence": evidence,
            "days": (on - project.created_on).days,
            "platform_id": project.platform_id,
            "path": project.path,
        },
    )
    return project


@dataclass(frozen=True)
class Landing:
    enterprise: Enterprise
    lease: Lease


@transaction.atomic
def project_land(
    *,
    actor: Any,
    project: Project,
    space: Space,
    starts_on: date,
    ends_on: date,
    monthly_rent_yuan: Decimal,
    incentive: str = "",
) -> Landing:
    """A registered project becomes an enterprise (its name, code, industry, kind and platform carried
    over, nothing retyped) with a lease of `space`, and enters the first stage that requires a lease."""
    authorize(actor, EDIT, project)
    _refuse(
        rules.stage_problem(
            "registration", registered=bool(project.credit_code and project.registered_on), leased=False
        )
    )
    enterprise = project.enterprise or enterprise_register(
        actor=actor,
        centre=project.centre,
        name=project.name,
        credit_code=project.credit_code,
        industry=project.industry,
        kind=project.kind,
        platform=project.platform,
        registered_on=project.registered_on,
    )
    project.enterprise = enterprise
    lease = lease_sign(
        actor=actor,
        space=space,
        enterprise=enterprise,
        starts_on=starts_on,
        ends_on=ends_on,
        monthly_rent_yuan=monthly_rent_yuan,
        incentive=incentive,
    )
    moved_in = Stage.objects.filter(requires=Stage.Requires.LEASE).order_by("position").first()
    if moved_in is not None and moved_in.position > project.stage.position:
        project_advance(
            actor=actor, project=project, stage=moved_in, on=starts_on, evidence=f"租约 {space.number}"
        )
    else:
        _save(project, actor, "落地")
    return Landing(enterprise, lease)


def calendar_overrides(start: date, end: date) -> dict[date, bool]:
    return dict(WorkCalendar.objects.filter(day__gte=start, day__lte=end).values_list("day", "working"))


def due_date(filed_on: date, limit_days: int) -> date:
    """The last day of a limit of working days, with the holidays and adjusted days of the calendar."""
    horizon = filed_on.replace(year=filed_on.year + 1) if limit_days < 200 else date.max
    return rules.add_working_days(filed_on, limit_days, calendar_overrides(filed_on, horizon))


@transaction.atomic
def service_request_file(
    *, actor: Any, enterprise: Enterprise, item: ServiceItem, detail: str, filed_on: date | None = None
) -> ServiceRequest:
    """An enterprise's request, routed to the item's handler, due after the item's working-day limit."""
    _contact_of(actor, enterprise)
    if item.centre_id != enterprise.centre_id:
        raise ValidationError("该服务事项不属于企业所在的服务中心。")
    detail = detail.strip()
    if not detail:
        raise ValidationError("请填写诉求内容。")
    day = filed_on or timezone.localdate()
    if item.retired_on is not None and item.retired_on <= day:
        raise ValidationError(f"服务事项“{item.name}”已停办。")
    req = ServiceRequest(
        item=item,
        enterprise=enterprise,
        detail=detail[:300],
        filed_on=day,
        due_on=due_date(day, item.limit_days),
        path=enterprise.path,
    )
    return _save(req, actor, "提出诉求")


@transaction.atomic
def service_request_answer(
    *,
    actor: Any,
    request: ServiceRequest,
    outcome: str,
    answered_on: date | None = None,
) -> ServiceRequest:
    """Close a request with its outcome. The finance a partner arranged is not typed here: it is the result
    of the request's referrals (services_referrals), and a request waits for their answers."""
    authorize(actor, SERVE, request)
    if request.status != ServiceRequest.Status.OPEN:
        raise ValidationError("该诉求已办结。")
    if not outcome.strip():
        raise ValidationError("请填写办理结果。")
    _refuse(rules_referrals.pending_problem(request.referrals.filter(result="pending").count()))
    request.outcome = outcome.strip()[:300]
    request.answered_on = answered_on or timezone.localdate()
    request.status = ServiceRequest.Status.DONE
    return _save(request, actor, "办结诉求")


@transaction.atomic
def service_request_rate(*, actor: Any, request: ServiceRequest, rating: int) -> ServiceRequest:
    _contact_of(actor, request.enterprise)
    if request.status != ServiceRequest.Status.DONE:
        raise ValidationError("只有已办结且未评价的诉求可以评价。")
    if rating not in range(1, 6):
        raise ValidationError("评价须为1到5星。")
    request.rating = rating
    request.status = ServiceRequest.Status.RATED
    return _save(request, actor, "企业评价")


FIGURES = ("revenue_yuan", "tax_yuan", "employees", "rnd_yuan", "patents")


@transaction.atomic
def key_figures_bulk_set(
    *, actor: Any, rows: Sequence[tuple[Enterprise, int, Mapping[str, Any]]], reason: str = "年度指标"
) -> tuple[int, int]:
    """Enterprises' figures for a year (revenue, tax, employees, R&D, patents): a year already held is
    updated, a new one created; one history row each naming the actor. The ledger import writes through
    this. Returns (created, updated)."""
    for enterprise in {e.pk: e for e, _, _ in rows}.values():
        authorize(actor, EDIT, enterprise)
    for _, year, values in rows:
        _refuse(rules.key_figures_problem(year, values))
    held = {
        (k.enterprise_id, k.year): k
        for k in KeyFigures.objects.filter(
            enterprise__in=[e for e, _, _ in rows], year__in={y for _, y, _ in rows}
        )
    }
    new, changed = [], []
    for enterprise, year, values in rows:
        row = held.get((enterprise.pk, year))
        if row is None:
            new.append(KeyFigures(enterprise=enterprise, year=year, **values))
            continue
        for name, value in values.items():
            setattr(row, name, value)
        changed.append(row)
    user, why = history_user(actor), reason_of(actor, reason)
    if new:
        bulk_create_with_history(new, KeyFigures, default_user=user, default_change_reason=why)
    if changed:
        bulk_update_with_history(
            changed, KeyFigures, list(FIGURES), default_user=user, default_change_reason=why
        )
    return len(new), len(changed)
