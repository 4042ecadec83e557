"""Bulk variants of the centre's services, for the ledgers (房间 / 企业 / 租约 / 招商项目) and the demo.

Each applies the single-row rules of services.py to every row before writing anything (a refusal names the
row's key and writes nothing), writes one history row per row naming the actor, and is one transaction.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from gongzhi.accounts.access import authorize
from gongzhi.centre import rules
from gongzhi.centre.models import (
    EDIT,
    Centre,
    Enterprise,
    Industry,
    Lease,
    Platform,
    Project,
    Space,
    Stage,
    StageStep,
)
from gongzhi.core.actors import history_user, reason_of


def _refuse(errors: list[str]) -> None:
    if errors:
        raise ValidationError(errors)


def _create(model: Any, objs: list[Any], actor: Any, reason: str) -> None:
    if objs:
        bulk_create_with_history(
            objs, model, default_user=history_user(actor), default_change_reason=reason_of(actor, reason)
        )


def _update(model: Any, changed: Sequence[tuple[Any, Mapping[str, Any]]], actor: Any, reason: str) -> None:
    objs, names = [], set()
    for obj, values in changed:
        for name, value in values.items():
            setattr(obj, name, value)
        names |= set(values)
        objs.append(obj)
    if objs:
        bulk_update_with_history(
            objs,
            model,
            sorted(names),
            default_user=history_user(actor),
            default_change_reason=reason_of(actor, reason),
        )


def _authorize_centres(actor: Any, centres: Sequence[Centre]) -> None:
    for centre in {c.pk: c for c in centres}.values():
        authorize(actor, EDIT, centre)


# -- rooms ---------------------------------------------------------------------------------------------

ROOM_FIELDS = ("floor", "area", "use")


@dataclass
class NewRoom:
    centre: Centre
    number: str
    floor: int
    area: Decimal
    use: str


def room_problems(floor: int, area: Decimal, use: str) -> list[str]:
    problems = []
    if not Decimal(0) < area < Decimal(10**7):
        problems.append("房间面积须大于0且小于1000万平方米。")
    if use not in Space.Use.values:
        problems.append("房间用途无效。")
    if not -10 <= floor <= 200:
        problems.append("楼层须在-10到200之间。")
    return problems


@transaction.atomic
def spaces_bulk_save(
    *,
    actor: Any,
    new: Sequence[NewRoom],
    changed: Sequence[tuple[Space, Mapping[str, Any]]] = (),
    reason: str = "登记房间",
) -> list[Space]:
    """Create rooms and change rooms' floor, area or use; a number is unique within its centre."""
    _authorize_centres(actor, [r.centre for r in new] + [s.centre for s, _ in changed])
    errors = [f"房间{r.number}：{m}" for r in new for m in room_problems(r.floor, r.area, r.use)] + [
        f"房间{s.number}：{m}"
        for s, v in changed
        if set(v) <= set(ROOM_FIELDS)
        for m in room_problems(v.get("floor", s.floor), v.get("area", s.area), v.get("use", s.use))
    ]
    keys = [(r.centre.pk, r.number) for r in new]
    if len(set(keys)) != len(keys):
        errors.append("同一批登记中有重复的房号。")
    taken = Space.objects.filter(
        centre__in={r.centre.pk for r in new}, number__in={r.number for r in new}
    ).values_list("centre_id", "number")
    errors += [f"房间{number}已登记。" for c, number in taken if (c, number) in set(keys)]
    if any(set(v) - set(ROOM_FIELDS) for _, v in changed):
        raise ValueError("only floor, area and use of a room may change")
    _refuse(errors)
    rooms = [
        Space(centre=r.centre, path=r.centre.path, number=r.number, floor=r.floor, area=r.area, use=r.use)
        for r in new
    ]
    _create(Space, rooms, actor, reason)
    _update(Space, changed, actor, reason)
    return rooms


# -- enterprises ---------------------------------------------------------------------------------------

ENTERPRISE_FIELDS = ("name", "industry", "kind", "platform", "incubation", "registered_on")


@dataclass
class NewEnterprise:
    centre: Centre
    name: str
    credit_code: str
    industry: Industry
    kind: str
    platform: Platform | None = None
    incubation: str = ""
    registered_on: date | None = None


def enterprise_problems(centre: Centre, values: Mapping[str, Any]) -> list[str]:
    """The single-row rules of enterprise_register, for a new row or the values an update sets."""
    problems = []
    if "name" in values and not values["name"].strip():
        problems.append("企业名称不能为空。")
    if "kind" in values and values["kind"] not in Enterprise.Kind.values:
        problems.append("企业类型无效。")
    if "incubation" in values and values["incubation"] not in Enterprise.Incubation.values:
        problems.append("孵化状态无效。")
    platform = values.get("platform")
    if platform is not None and platform.centre_id != centre.pk:
        problems.append("所属平台不属于该服务中心。")
    return problems


@transaction.atomic
def enterprises_bulk_save(
    *,
    actor: Any,
    new: Sequence[NewEnterprise],
    changed: Sequence[tuple[Enterprise, Mapping[str, Any]]] = (),
    reason: str = "企业登记",
) -> list[Enterprise]:
    """Register enterprises (a valid, unregistered credit code each) and change registered ones' details."""
    _authorize_centres(actor, [e.centre for e in new] + [e.centre for e, _ in changed])
    if any(set(v) - set(ENTERPRISE_FIELDS) for _, v in changed):
        raise ValueError(f"an enterprise's editable fields are {ENTERPRISE_FIELDS}")
    codes = [e.credit_code.strip().upper() for e in new]
    errors = [
        f"{e.name}：{m}" for e, code in zip(new, codes, strict=True) if (m := rules.credit_code_problem(code))
    ]
    errors += [f"{e.name}：{m}" for e in new for m in enterprise_problems(e.centre, vars(e))]
    errors += [f"{e.name}：{m}" for e, v in changed for m in enterprise_problems(e.centre, v)]
    if len(set(codes)) != len(codes):
        errors.append("同一批登记中有重复的统一社会信用代码。")
    taken = Enterprise.objects.filter(credit_code__in=codes).values_list("credit_code", flat=True)
    errors += [f"统一社会信用代码{code}已登记，不能重复登记。" for code in sorted(taken)]
    _refuse(errors)
    rows = [
        Enterprise(
            centre=e.centre,
            path=e.centre.path,
            name=e.name.strip(),
            credit_code=code,
            industry=e.industry,
            kind=e.kind,
            platform=e.platform,
            incubation=e.incubation,
            registered_on=e.registered_on,
        )
        for e, code in zip(new, codes, strict=True)
    ]
    _create(Enterprise, rows, actor, reason)
    _update(Enterprise, changed, actor, "修改企业信息")
    return rows


# -- leases --------------------------------------------------------------------------------------------


@dataclass
class NewLease:
    space: Space
    enterprise: Enterprise
    starts_on: date
    ends_on: date
    monthly_rent_yuan: Decimal
    area: Decimal | None = None
    incentive: str = ""


@transaction.atomic
def leases_bulk_sign(*, actor: Any, rows: Sequence[NewLease], reason: str = "签订租约") -> list[Lease]:
    """Sign leases as lease_sign does, many at once: the rooms' rows are locked first, then every lease is
    checked against the room's other leases, in the database and in the batch; an enterprise settles on its
    first lease's start."""
    _authorize_centres(actor, [r.space.centre for r in rows])
    errors = []
    for r in rows:
        if r.enterprise.centre_id != r.space.centre_id:
            errors.append(f"房间{r.space.number}：企业{r.enterprise.name}不在该服务中心登记。")
        if r.ends_on < r.starts_on:
            errors.append(f"房间{r.space.number}：到期日不能早于起租日。")
        if r.monthly_rent_yuan < 0:
            errors.append(f"房间{r.space.number}：月租金不能为负数。")
    space_ids = sorted({r.space.pk for r in rows})
    list(Space.objects.select_for_update().filter(pk__in=space_ids).values_list("pk", flat=True))
    held: dict[int, list[tuple[date, date, str]]] = {}
    for other in Lease.objects.filter(space_id__in=space_ids).select_related("enterprise"):
        held.setdefault(other.space_id, []).append((other.starts_on, other.ends_on, other.enterprise.name))
    for r in rows:
        for starts, ends, name in held.get(r.space.pk, []):
            if rules.leases_overlap(r.starts_on, r.ends_on, starts, ends):
                errors.append(f"房间{r.space.number}在{starts}至{ends}已租给{name}，租期不能重叠。")
                break
        held.setdefault(r.space.pk, []).append((r.starts_on, r.ends_on, r.enterprise.name))
    _refuse(errors)
    leases = [
        Lease(
            space=r.space,
            enterprise=r.enterprise,
            starts_on=r.starts_on,
            ends_on=r.ends_on,
            area=r.area if r.area is not None else r.space.area,
            monthly_rent_yuan=r.monthly_rent_yuan,
            incentive=r.incentive,
            path=r.space.path,
        )
        for r in rows
    ]
    try:
        with transaction.atomic():  # PostgreSQL's exclusion constraint (centre.0005) is the last guard
            _create(Lease, leases, actor, reason)
    except IntegrityError:
        raise ValidationError("有房间在该期间已有租约，租期不能重叠。") from None
    first: dict[int, tuple[Enterprise, date]] = {}
    for r in rows:
        e = first.get(r.enterprise.pk, (r.enterprise, r.starts_on))
        first[r.enterprise.pk] = (r.enterprise, min(e[1], r.starts_on))
    settling = [
        (e, {"settled_on": on}) for e, on in first.values() if e.settled_on is None or e.settled_on > on
    ]
    _update(Enterprise, settling, actor, "入驻")
    return leases


# -- projects ------------------------------------------------------------------------------------------


@dataclass
class NewProject:
    platform: Platform
    name: str
    industry: Industry
    kind: str
    created_on: date
    fields: Mapping[str, Any]  # next_action, next_action_on, likelihood, expected_on, needs_area


def project_problems(values: Mapping[str, Any]) -> list[str]:
    problems = []
    if "name" in values and not values["name"].strip():
        problems.append("项目名称不能为空。")
    if "kind" in values and values["kind"] not in Enterprise.Kind.values:
        problems.append("企业类型无效。")
    if m := rules.likelihood_problem(int(values.get("likelihood") or 0)):
        problems.append(m)
    return problems


@transaction.atomic
def projects_bulk_save(
    *,
    actor: Any,
    new: Sequence[NewProject],
    changed: Sequence[tuple[Project, Mapping[str, Any]]] = (),
    reason: str = "登记线索",
) -> list[Project]:
    """New leads at the first stage (with their first step), and changes to projects' descriptions and next
    actions (services.EDITABLE); the stage moves only through services.project_advance, with its evidence."""
    from gongzhi.centre.services import EDITABLE

    _authorize_centres(actor, [p.platform.centre for p in new] + [p.centre for p, _ in changed])
    if any(set(v) - set(EDITABLE) for _, v in changed):
        raise ValueError(f"a project's editable fields are {EDITABLE}")
    first = Stage.objects.order_by("position").first()
    errors = [] if first is not None or not new else ["尚未配置招商阶段。"]
    errors += [
        f"{p.name}：{m}" for p in new for m in project_problems({**p.fields, "name": p.name, "kind": p.kind})
    ]
    errors += [f"{p.name}：{m}" for p, v in changed for m in project_problems(v)]
    _refuse(errors)
    projects = [
        Project(
            centre=p.platform.centre,
            platform=p.platform,
            name=p.name.strip(),
            industry=p.industry,
            kind=p.kind,
            stage=first,
            created_on=p.created_on,
            path=p.platform.centre.path,
            **p.fields,
        )
        for p in new
    ]
    _create(Project, projects, actor, reason)
    _create(
        StageStep,
        [
            StageStep(project=p, stage=first, on=p.created_on, days=0, platform=p.platform, path=p.path)
            for p in projects
        ],
        actor,
        reason,
    )
    _update(Project, changed, actor, "修改项目")
    return projects
