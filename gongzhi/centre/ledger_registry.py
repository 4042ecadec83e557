"""The centre's registry ledger (服务中心台账): four sheets — rooms, enterprises, leases, projects.

Keys: a centre by its name (among the centres the importer may edit; two of one name are refused as
ambiguous); a room by (centre, 房号); an enterprise by its credit code; a lease by (room, 起租日); a project by
its 项目编号 (blank for a new lead). A row whose key is held updates what may change (a room's floor, area and
use; an enterprise's details; a project's description and next action) and changes nothing when equal, so
export → import is a round trip. A lease is never changed by import (a different lease on a held key is
refused), and a project's stage moves only on its page, with evidence. A lease may name a room and an
enterprise of the same file. Nothing is written unless every row is right; the writes go through the bulk
services (gongzhi.centre.bulk), one history row each.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError

from gongzhi.accounts.access import can, scoped
from gongzhi.centre import bulk, rules
from gongzhi.centre.ledger import credit_code, yuan
from gongzhi.centre.models import (
    EDIT,
    VIEW,
    Centre,
    Enterprise,
    Industry,
    Lease,
    Platform,
    Project,
    Space,
    Stage,
)
from gongzhi.core.actors import system
from gongzhi.ledgers.base import (
    Book,
    CellError,
    Column,
    Context,
    SheetSpec,
    choice,
    day,
    integer,
    text,
    text_max,
)

USES = {str(label): value for value, label in Space.Use.choices}
KINDS = {str(label): value for value, label in Enterprise.Kind.choices}
INCUBATION = {str(label): value for value, label in Enterprise.Incubation.choices}
LABEL = {**{v: k for k, v in USES.items()}, **{v: k for k, v in KINDS.items()}}
INCUBATION_LABEL = {v: k for k, v in INCUBATION.items()}


def area(value: Any) -> Decimal:
    try:
        found = Decimal(text(value).replace(",", ""))
    except InvalidOperation:
        raise ValidationError("面积应为数字（平方米），如 120.5") from None
    if not found.is_finite() or not Decimal(0) < found < Decimal(10**7):
        raise ValidationError("面积应大于0且小于1000万平方米")
    return found.quantize(Decimal("0.01"))


def optional_area(value: Any) -> Decimal | None:
    return area(value) if text(value) else None


def section(value: Any) -> str:
    """A GB/T 4754 section by its letter ("C", or "C 制造业" as the export writes it)."""
    s = text(value).upper()[:1]
    if not ("A" <= s <= "T"):
        raise ValidationError("应为国民经济行业门类代码 A–T")
    return s


def percent(value: Any) -> int:
    found = integer(value) or 0
    if rules.likelihood_problem(found):
        raise ValidationError("应为0到100的整数")
    return found


def _incubation(value: Any) -> str:
    return choice(INCUBATION)(value) if text(value) else ""


CENTRE = Column("服务中心", "centre", text_max(60), required=True, width=24, note="服务中心名称")
ROOMS = SheetSpec(
    "房间",
    (
        CENTRE,
        Column("房号", "number", text_max(12), required=True, field="centre.Space.number"),
        Column("楼层", "floor", integer, required=True, kind="int", field="centre.Space.floor"),
        Column("面积（平方米）", "area", area, required=True, field="centre.Space.area"),
        Column("用途", "use", choice(USES), required=True, note="、".join(USES)),
    ),
)
ENTERPRISES = SheetSpec(
    "企业",
    (
        CENTRE,
        Column("统一社会信用代码", "code", credit_code, required=True, width=22, note="18 位，含校验位"),
        Column("企业名称", "name", text_max(80), required=True, width=30),
        Column("行业门类", "industry", section, required=True, note="GB/T 4754 门类 A–T"),
        Column("企业类型", "kind", choice(KINDS), required=True, note="、".join(KINDS)),
        Column("所属平台", "platform", text_max(30), width=18, note="平台名称，可空"),
        Column("孵化状态", "incubation", _incubation, note="、".join(k for k in INCUBATION if k)),
        Column("注册日期", "registered_on", day, kind="date"),
    ),
)
LEASES = SheetSpec(
    "租约",
    (
        CENTRE,
        Column("房号", "number", text_max(12), required=True),
        Column("统一社会信用代码", "code", credit_code, required=True, width=22, note="承租企业"),
        Column("起租日", "starts_on", day, required=True, kind="date"),
        Column("到期日", "ends_on", day, required=True, kind="date"),
        Column("计租面积", "area", optional_area, note="空则为房间面积", field="centre.Lease.area"),
        Column("月租金（元）", "rent", yuan, required=True, field="centre.Lease.monthly_rent_yuan"),
        Column("优惠政策", "incentive", text_max(100), width=24),
    ),
)
PROJECTS = SheetSpec(
    "招商项目",
    (
        Column("项目编号", "id", integer, kind="int", note="新线索留空；导出的编号用于更新"),
        CENTRE,
        Column("平台", "platform", text_max(30), required=True, width=18),
        Column("项目名称", "name", text_max(80), required=True, width=30),
        Column("行业门类", "industry", section, required=True),
        Column("企业类型", "kind", choice(KINDS), required=True),
        Column("阶段", "stage", text_max(20), note="新线索留空；阶段在项目页推进（须佐证）"),
        Column("登记日期", "created_on", day, required=True, kind="date"),
        Column("下一步", "next_action", text_max(60), width=20),
        Column("下一步日期", "next_action_on", day, kind="date"),
        Column("落地可能性（%）", "likelihood", percent, kind="int"),
        Column("预计落地日期", "expected_on", day, kind="date"),
        Column("需求面积", "needs_area", optional_area, field="centre.Project.needs_area"),
    ),
)
PROJECT_FIELDS = ("next_action", "next_action_on", "likelihood", "expected_on", "needs_area")

RoomKey = tuple[int, str]


@dataclass
class PlannedLease:
    room: RoomKey
    code: str
    starts_on: date
    ends_on: date
    area: Decimal | None
    rent: Decimal
    incentive: str


@dataclass
class Plan:
    rooms: list[bulk.NewRoom] = field(default_factory=list)
    rooms_changed: list[tuple[Space, dict[str, Any]]] = field(default_factory=list)
    firms: list[bulk.NewEnterprise] = field(default_factory=list)
    firms_changed: list[tuple[Enterprise, dict[str, Any]]] = field(default_factory=list)
    leases: list[PlannedLease] = field(default_factory=list)
    projects: list[bulk.NewProject] = field(default_factory=list)
    projects_changed: list[tuple[Project, dict[str, Any]]] = field(default_factory=list)


def _changes(obj: Any, values: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in values.items() if getattr(obj, k) != v}


class _Check:
    """One check of a book: the lookups it shares across sheets, and the errors it gathers."""

    def __init__(self, book: Book, ctx: Context) -> None:
        self.book, self.ctx, self.errors, self.plan = book, ctx, list[CellError](), Plan()
        names = {r.values.get("centre") for s in REGISTRY_SHEETS for r in book.rows(s.name)}
        self.centres: dict[str, list[Centre]] = {}
        for c in Centre.objects.filter(name__in=names):
            if ctx.user is None or can(ctx.user, EDIT, c):
                self.centres.setdefault(c.name, []).append(c)
        ids = [c.pk for cs in self.centres.values() for c in cs]
        self.spaces = {(s.centre_id, s.number): s for s in Space.objects.filter(centre__in=ids)}
        self.platforms = {(p.centre_id, p.name): p for p in Platform.objects.filter(centre__in=ids)}
        self.industries = {i.code: i for i in Industry.objects.all()}
        codes = {r.values.get("code") for s in (ENTERPRISES, LEASES) for r in book.rows(s.name)}
        self.firms = {
            e.credit_code: e
            for e in Enterprise.objects.filter(credit_code__in=codes).select_related("industry", "platform")
        }
        self.new_rooms: dict[RoomKey, bulk.NewRoom] = {}
        self.new_firms: dict[str, bulk.NewEnterprise] = {}

    def err(self, sheet: SheetSpec, row: int, column: str, message: str) -> None:
        self.errors.append(CellError(sheet.name, row, column, message))

    def centre(self, sheet: SheetSpec, row: int, name: str) -> Centre | None:
        found = self.centres.get(name, [])
        if len(found) == 1:
            return found[0]
        why = (
            f"有多个名为“{name}”的服务中心，无法确定"
            if found
            else f"服务中心“{name}”不存在或不在您的管理范围内"
        )
        self.err(sheet, row, "服务中心", why)
        return None

    def industry(self, sheet: SheetSpec, row: int, code: str) -> Industry | None:
        found = self.industries.get(code)
        if found is None:
            self.err(sheet, row, "行业门类", f"门类{code}未载入")
        return found

    def platform(self, sheet: SheetSpec, row: int, centre: Centre, name: str, header: str) -> Platform | None:
        found = self.platforms.get((centre.pk, name))
        if found is None:
            self.err(sheet, row, header, f"该服务中心没有名为“{name}”的平台")
        return found

    def rooms(self) -> None:
        seen: set[RoomKey] = set()
        for r in self.book.rows(ROOMS.name):
            v = r.values
            centre = self.centre(ROOMS, r.row, v["centre"])
            if centre is None:
                continue
            key = (centre.pk, v["number"])
            if key in seen:
                self.err(ROOMS, r.row, "房号", "文件中重复")
                continue
            seen.add(key)
            for m in bulk.room_problems(v["floor"], v["area"], v["use"]):
                self.err(ROOMS, r.row, "房号", m)
            values = {"floor": v["floor"], "area": v["area"], "use": v["use"]}
            held = self.spaces.get(key)
            if held is None:
                room = bulk.NewRoom(centre, v["number"], **values)
                self.plan.rooms.append(room)
                self.new_rooms[key] = room
            elif changes := _changes(held, values):
                self.plan.rooms_changed.append((held, changes))

    def enterprises(self) -> None:
        seen: set[str] = set()
        for r in self.book.rows(ENTERPRISES.name):
            v = r.values
            centre = self.centre(ENTERPRISES, r.row, v["centre"])
            industry = self.industry(ENTERPRISES, r.row, v["industry"])
            platform = (
                self.platform(ENTERPRISES, r.row, centre, v["platform"], "所属平台")
                if centre is not None and v["platform"]
                else None
            )
            if v["code"] in seen:
                self.err(ENTERPRISES, r.row, "统一社会信用代码", "文件中重复")
                continue
            seen.add(v["code"])
            if centre is None or industry is None or (v["platform"] and platform is None):
                continue
            values = {
                "name": v["name"],
                "industry": industry,
                "kind": v["kind"],
                "platform": platform,
                "incubation": v["incubation"],
                "registered_on": v["registered_on"],
            }
            held = self.firms.get(v["code"])
            if held is None:
                firm = bulk.NewEnterprise(centre, credit_code=v["code"], **values)
                self.plan.firms.append(firm)
                self.new_firms[v["code"]] = firm
            elif held.centre_id != centre.pk:
                self.err(ENTERPRISES, r.row, "统一社会信用代码", "该企业已在其他服务中心登记")
            elif changes := _changes(held, values):
                for m in bulk.enterprise_problems(centre, changes):
                    self.err(ENTERPRISES, r.row, "企业名称", m)
                self.plan.firms_changed.append((held, changes))

    def leases(self) -> None:
        rows = self.book.rows(LEASES.name)
        space_ids = {s.pk for s in self.spaces.values()}
        held: dict[RoomKey, list[Lease]] = {}
        key_of = {s.pk: k for k, s in self.spaces.items()}
        for lease in Lease.objects.filter(space__in=space_ids).select_related("enterprise"):
            held.setdefault(key_of[lease.space_id], []).append(lease)
        taken: dict[RoomKey, list[tuple[date, date]]] = {
            k: [(x.starts_on, x.ends_on) for x in xs] for k, xs in held.items()
        }
        for r in rows:
            v = r.values
            centre = self.centre(LEASES, r.row, v["centre"])
            if centre is None:
                continue
            key = (centre.pk, v["number"])
            if key not in self.spaces and key not in self.new_rooms:
                self.err(LEASES, r.row, "房号", f"房间{v['number']}未登记（可在“房间”表中一并登记）")
                continue
            firm = self.firms.get(v["code"])
            if firm is None and v["code"] not in self.new_firms:
                self.err(LEASES, r.row, "统一社会信用代码", "该企业未登记（可在“企业”表中一并登记）")
                continue
            owner = firm.centre_id if firm is not None else self.new_firms[v["code"]].centre.pk
            if owner != centre.pk:
                self.err(LEASES, r.row, "统一社会信用代码", "该企业不在此服务中心登记")
                continue
            if v["ends_on"] < v["starts_on"]:
                self.err(LEASES, r.row, "到期日", "到期日不能早于起租日")
                continue
            same = [x for x in held.get(key, []) if x.starts_on == v["starts_on"]]
            if same:
                x = same[0]
                room_area = self.spaces[key].area
                wanted = (v["code"], v["ends_on"], v["area"] or room_area, v["rent"], v["incentive"])
                if wanted != (x.enterprise.credit_code, x.ends_on, x.area, x.monthly_rent_yuan, x.incentive):
                    self.err(
                        LEASES, r.row, "起租日", "该房间此起租日的租约已登记且内容不同；租约不能通过导入修改"
                    )
                continue
            clash = next(
                (t for t in taken.get(key, []) if rules.leases_overlap(v["starts_on"], v["ends_on"], *t)),
                None,
            )
            if clash is not None:
                self.err(
                    LEASES,
                    r.row,
                    "起租日",
                    f"房间{v['number']}在{clash[0]}至{clash[1]}已有租约，租期不能重叠",
                )
                continue
            taken.setdefault(key, []).append((v["starts_on"], v["ends_on"]))
            self.plan.leases.append(
                PlannedLease(
                    key, v["code"], v["starts_on"], v["ends_on"], v["area"], v["rent"], v["incentive"]
                )
            )

    def projects(self) -> None:
        rows = self.book.rows(PROJECTS.name)
        ids = {r.values["id"] for r in rows if r.values.get("id") and 0 < r.values["id"] < 2**63}
        held = {p.pk: p for p in Project.objects.filter(pk__in=ids).select_related("stage", "industry")}
        first = Stage.objects.order_by("position").first()
        seen: set[int] = set()
        for r in rows:
            v = r.values
            centre = self.centre(PROJECTS, r.row, v["centre"])
            industry = self.industry(PROJECTS, r.row, v["industry"])
            platform = self.platform(PROJECTS, r.row, centre, v["platform"], "平台") if centre else None
            if centre is None or industry is None or platform is None:
                continue
            values = {k: v[k] for k in PROJECT_FIELDS}
            if v["id"] is None:
                if v["stage"] and (first is None or v["stage"] != first.name):
                    self.err(PROJECTS, r.row, "阶段", "新线索从第一阶段开始；阶段在项目页推进（须佐证）")
                    continue
                for m in bulk.project_problems({**values, "name": v["name"]}):
                    self.err(PROJECTS, r.row, "项目名称", m)
                self.plan.projects.append(
                    bulk.NewProject(platform, v["name"], industry, v["kind"], v["created_on"], values)
                )
                continue
            project = held.get(v["id"])
            if project is None or project.centre_id != centre.pk:
                self.err(PROJECTS, r.row, "项目编号", f"项目{v['id']}不在该服务中心")
                continue
            if v["id"] in seen:
                self.err(PROJECTS, r.row, "项目编号", "文件中重复")
                continue
            seen.add(v["id"])
            fixed = (project.platform_id, project.created_on, project.stage.name)
            if fixed != (platform.pk, v["created_on"], v["stage"]):
                self.err(
                    PROJECTS,
                    r.row,
                    "阶段",
                    "平台、登记日期和阶段不能通过导入修改（阶段在项目页推进，须佐证）",
                )
                continue
            values |= {"name": v["name"], "industry": industry, "kind": v["kind"]}
            if changes := _changes(project, values):
                self.plan.projects_changed.append((project, changes))


REGISTRY_SHEETS = (ROOMS, ENTERPRISES, LEASES, PROJECTS)


class RegistryLedger:
    slug = "centre_registry"
    title = "服务中心台账（房间、企业、租约、招商项目）"
    sheets = REGISTRY_SHEETS
    import_action, export_action = EDIT, VIEW  # the centre's roles (gongzhi.ledgers.access)
    personal_data = False  # rooms, firms, leases and projects: no person's data

    def check(self, book: Book, ctx: Context) -> tuple[Plan, list[CellError]]:
        run = _Check(book, ctx)
        run.rooms()
        run.enterprises()
        run.leases()
        run.projects()
        return run.plan, run.errors

    def apply(self, plan: Plan, ctx: Context) -> dict[str, int]:
        actor = ctx.user if ctx.user is not None else system("import_ledger:centre_registry")
        rooms = bulk.spaces_bulk_save(
            actor=actor, new=plan.rooms, changed=plan.rooms_changed, reason="导入台账"
        )
        firms = bulk.enterprises_bulk_save(
            actor=actor, new=plan.firms, changed=plan.firms_changed, reason="导入台账"
        )
        spaces = {(s.centre_id, s.number): s for s in rooms}
        codes = {e.credit_code: e for e in firms}
        keys = {lease.room for lease in plan.leases} - set(spaces)
        for s in Space.objects.filter(centre__in={c for c, _ in keys}).select_related("centre"):
            spaces.setdefault((s.centre_id, s.number), s)
        wanted = {lease.code for lease in plan.leases} - set(codes)
        codes |= {e.credit_code: e for e in Enterprise.objects.filter(credit_code__in=wanted)}
        leases = bulk.leases_bulk_sign(
            actor=actor,
            rows=[
                bulk.NewLease(
                    spaces[p.room], codes[p.code], p.starts_on, p.ends_on, p.rent, p.area, p.incentive
                )
                for p in plan.leases
            ],
            reason="导入台账",
        )
        bulk.projects_bulk_save(
            actor=actor, new=plan.projects, changed=plan.projects_changed, reason="导入台账"
        )
        return {
            "新增房间": len(plan.rooms),
            "更新房间": len(plan.rooms_changed),
            "新增企业": len(plan.firms),
            "更新企业": len(plan.firms_changed),
            "新增租约": len(leases),
            "新增项目": len(plan.projects),
            "更新项目": len(plan.projects_changed),
        }

    def export(self, place_path: str, user: Any) -> Iterator[tuple[SheetSpec, Iterable[list[Any]]]]:
        def within(qs: Any) -> Any:
            qs = qs.filter(path__under=place_path)
            return scoped(user, qs, VIEW) if user is not None else qs

        spaces = within(Space.objects.select_related("centre")).order_by("centre_id", "floor", "number")
        yield ROOMS, ([s.centre.name, s.number, s.floor, s.area, LABEL[s.use]] for s in spaces)
        firms = within(Enterprise.objects.select_related("centre", "platform")).order_by("pk")
        yield (
            ENTERPRISES,
            (
                [
                    e.centre.name,
                    e.credit_code,
                    e.name,
                    e.industry_id and e.industry.code,
                    LABEL[e.kind],
                    e.platform.name if e.platform else "",
                    INCUBATION_LABEL[e.incubation] if e.incubation else "",
                    e.registered_on,
                ]
                for e in firms.select_related("industry")
            ),
        )
        leases = within(Lease.objects.select_related("space__centre", "enterprise")).order_by("pk")
        yield (
            LEASES,
            (
                [
                    x.space.centre.name,
                    x.space.number,
                    x.enterprise.credit_code,
                    x.starts_on,
                    x.ends_on,
                    x.area,
                    x.monthly_rent_yuan,
                    x.incentive,
                ]
                for x in leases
            ),
        )
        projects = within(Project.objects.select_related("centre", "platform", "industry", "stage")).order_by(
            "pk"
        )
        yield (
            PROJECTS,
            (
                [
                    p.pk,
                    p.centre.name,
                    p.platform.name,
                    p.name,
                    p.industry.code,
                    LABEL[p.kind],
                    p.stage.name,
                    p.created_on,
                    p.next_action,
                    p.next_action_on,
                    p.likelihood,
                    p.expected_on,
                    p.needs_area,
                ]
                for p in projects
            ),
        )


REGISTRY_LEDGER = RegistryLedger()
