"""The 双报到 ledger on the shared framework: members' reports imported and exported; units, needs and
service records exported; the quarterly service card's sheet.

Import (sheet 报到党员): a row names the person by ID number, the compound where they live by code, the unit
by code (or a workplace's name), skills by their names in the vocabulary. Every cell is checked with the
services' own rules before anything is written; a person already reported at the same compound is left
as is (an exported file imports back unchanged), one reported elsewhere is refused (moving is done on the
member's page, so the history stays). Writes go through services.reports_bulk_create.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Q
from django.utils import timezone

from gongzhi.accounts.access import actor_of, can, scope_q
from gongzhi.accounts.roles import Action
from gongzhi.ledgers.base import (
    Book,
    CellError,
    Column,
    Context,
    SheetSpec,
    day,
    integer,
    listing,
    text,
    text_max,
    yes_no,
)
from gongzhi.people.identity import clean_id_number
from gongzhi.people.masking import unmask_allowed
from gongzhi.people.models import Person
from gongzhi.places.models import Compound
from gongzhi.reporting import rules, services
from gongzhi.reporting.models import (
    UNIT_KINDS,
    ContactPoint,
    Need,
    Report,
    ServiceRecord,
    Skill,
    Unit,
)
from gongzhi.reporting.selectors import CardRow


def _id(value: Any) -> str:
    s = text(value)
    return clean_id_number(s) if s else ""


MEMBERS = SheetSpec(
    "报到党员",
    (
        Column("身份证号", "id_number", _id, required=True, width=22, note="按身份证号找到人员（须已登记）"),
        Column("姓名", "name", text_max(100), width=10, note="仅供核对"),
        Column("居住小区编码", "compound", text_max(32), required=True, width=18),
        Column(
            "工作单位编码",
            "unit",
            text_max(32),
            width=12,
            note="已登记的报到单位；没有则留空并填工作单位名称",
        ),
        Column("工作单位名称", "workplace", text_max(100), width=20, field="reporting.Report.workplace"),
        Column("技能特长", "skills", listing, required=True, width=24, note="技能目录中的名称，多个用；分隔"),
        Column("特长说明", "strengths", text_max(200), width=24, field="reporting.Report.strengths"),
        Column("每月可服务时长", "hours_month", integer, required=True, kind="int", note="小时，1–200"),
        Column("工作日", "weekdays", yes_no, width=8, note="是/否"),
        Column("周末", "weekends", yes_no, width=8, note="是/否"),
        Column("报到日期", "reported_on", day, kind="date", note="空则为导入当天"),
    ),
)
UNITS = SheetSpec(
    "报到单位",
    (
        Column("单位编码", "code", text, width=12),
        Column("单位名称", "name", text, width=24),
        Column("类别", "kind", text, width=10),
        Column("联系点小区", "points", text, width=40),
        Column("报到党员数", "members", integer, kind="int"),
    ),
)
NEEDS = SheetSpec(
    "小区需求",
    (
        Column("小区编码", "compound", text, width=18),
        Column("需求", "title", text, width=24),
        Column("所需技能", "skills", text, width=20),
        Column("所需总时长", "hours", integer, kind="int"),
        Column("开始日期", "starts_on", day, kind="date"),
        Column("截止日期", "ends_on", day, kind="date"),
        Column("状态", "status", text, width=8),
    ),
)
RECORDS = SheetSpec(
    "服务记录",
    (
        Column("姓名", "name", text, width=10),
        Column("居住小区编码", "compound", text, width=18),
        Column("工作单位", "workplace", text, width=20),
        Column("服务日期", "served_on", day, kind="date"),
        Column("服务时长", "hours", text, width=8),
        Column("服务内容", "note", text, width=30),
        Column("状态", "status", text, width=8),
    ),
)
CARD_SHEET = SheetSpec(
    "服务记实卡",
    (
        Column("姓名", "name", text, width=10),
        Column("报到小区", "compound", text, width=18),
        Column("报到日期", "reported_on", day, kind="date"),
        Column("技能特长", "skills", text, width=24),
        Column("本季度服务次数", "times", integer, kind="int"),
        Column("本季度服务时长（小时）", "quarter_hours", text, width=12),
        Column("本年累计（小时）", "year_hours", text, width=12),
    ),
)


def card_rows(rows: Iterable[CardRow]) -> Iterator[list[Any]]:
    for r in rows:
        yield [r.name, r.compound, r.reported_on, r.skills, r.times, f"{r.quarter_hours}", f"{r.year_hours}"]


@dataclass
class Plan:
    rows: list[services.NewReport] = field(default_factory=list)
    skipped: int = 0


class ReportingLedger:
    slug = "reporting"
    title = "双报到台账（报到党员；导出含单位、需求、服务记录）"
    sheets: tuple[SheetSpec, ...] = (MEMBERS,)

    def check(self, book: Book, ctx: Context) -> tuple[Plan, list[CellError]]:
        plan, errors = Plan(), []
        rows = book.rows(MEMBERS.name)

        def err(row: int, key: str, message: str) -> None:
            header = next(c.header for c in MEMBERS.columns if c.key == key)
            errors.append(CellError(MEMBERS.name, row, header, message))

        values = [r.values for r in rows]
        persons = {
            p.id_number: p for p in Person.objects.filter(id_number__in={v["id_number"] for v in values})
        }
        compounds = {c.code: c for c in Compound.objects.filter(code__in={v["compound"] for v in values})}
        units = {
            u.code: u for u in Unit.objects.active().filter(code__in={v["unit"] for v in values if v["unit"]})
        }
        skills = {s.name: s.pk for s in Skill.objects.filter(active=True)}
        current = {
            r.person_id: r.compound_id
            for r in Report.objects.filter(person__in=list(persons.values()), ended_on=None)
        }
        seen: dict[str, int] = {}
        today = timezone.localdate()
        for r in rows:
            v, n = r.values, r.row
            before = len(errors)
            person = persons.get(v["id_number"])
            compound = compounds.get(v["compound"])
            if v["id_number"] in seen:
                err(n, "id_number", f"与第 {seen[v['id_number']]} 行重复：同一党员只能报到一次")
                continue
            seen[v["id_number"]] = n
            if person is None:
                err(n, "id_number", "没有登记此身份证号的人员")
            if compound is None:
                err(n, "compound", f"没有编码为 {v['compound']} 的小区")
            elif not can(ctx.user, Action.LEDGER_IMPORT, compound) or not can(
                ctx.user, "reporting.manage", compound
            ):
                err(n, "compound", f"无权导入 {compound.name} 的报到")
                compound = None
            if v["unit"] and v["unit"] not in units:
                err(n, "unit", f"没有编码为 {v['unit']} 的报到单位")
            for m in rules.skills_messages(v["skills"], set(skills)):
                err(n, "skills", m)
            for m in rules.availability_messages(v["hours_month"], v["weekdays"], v["weekends"]):
                err(n, "hours_month" if "时长" in m else "weekends", m)
            when: date = v["reported_on"] or today
            if when > today:
                err(n, "reported_on", "报到日期不能晚于今天")
            if person is None or compound is None or len(errors) > before:
                continue
            if person.pk in current:
                if current[person.pk] == compound.pk:
                    plan.skipped += 1
                else:
                    err(n, "compound", "该党员已在其他小区报到；搬家请在报到页面办理变更报到")
                continue
            unit = units.get(v["unit"])
            plan.rows.append(
                services.NewReport(
                    person.pk,
                    compound,
                    [skills[s] for s in v["skills"]],
                    v["hours_month"],
                    v["weekdays"],
                    v["weekends"],
                    unit.pk if unit else None,
                    v["workplace"] or (unit.name if unit else ""),
                    when,
                    v["strengths"],
                )
            )
        return plan, errors

    def apply(self, plan: Plan, ctx: Context) -> dict[str, int]:
        made = (
            services.reports_bulk_create(actor=ctx.user, rows=plan.rows, reason="台账导入")
            if plan.rows
            else 0
        )
        return {"报到党员": made, "未变": plan.skipped}

    def export(self, place_path: str, user: Any) -> Iterator[tuple[SheetSpec, Iterable[list[Any]]]]:
        yield MEMBERS, self.member_rows(place_path, user)
        yield UNITS, self.unit_rows(place_path, user)
        yield NEEDS, self.need_rows(place_path, user)
        yield RECORDS, self.record_rows(place_path, user)

    def _scope(self, user: Any, field: str = "path") -> Q:
        return Q() if user is None else scope_q(user, Action.LEDGER_EXPORT, field)

    def member_rows(self, place_path: str, user: Any) -> Iterator[list[Any]]:
        if user is None:
            paths, everywhere = [], True
        else:
            actor = actor_of(user)
            paths, everywhere = actor.paths(Action.PERSON_UNMASK), actor.is_superuser
        qs = (
            Report.objects.filter(path__under=place_path, ended_on=None)
            .filter(self._scope(user))
            .select_related("person", "compound", "unit")
            .prefetch_related("skills")
            .order_by("path", "id")
        )
        for r in qs.iterator(chunk_size=2000):
            full = everywhere or unmask_allowed(paths, (r.path,))
            yield [
                (r.person.id_number or "") if full else "",
                r.person.name,
                r.compound.code,
                r.unit.code if r.unit else "",
                r.workplace,
                "；".join(s.name for s in r.skills.all()),
                r.strengths,
                r.hours_month,
                "是" if r.weekdays else "否",
                "是" if r.weekends else "否",
                r.reported_on,
            ]

    def unit_rows(self, place_path: str, user: Any) -> Iterator[list[Any]]:
        points: dict[int, list[str]] = {}
        for org, name in (
            ContactPoint.objects.filter(path__under=place_path, coverage__until=None)
            .filter(self._scope(user))
            .order_by("path")
            .values_list("coverage__organisation_id", "coverage__compound__name")
        ):
            points.setdefault(org, []).append(name)
        counts: dict[int, int] = {}
        for uid in Report.objects.filter(unit_id__in=list(points), ended_on=None).values_list(
            "unit_id", flat=True
        ):
            counts[uid] = counts.get(uid, 0) + 1
        for u in Unit.objects.filter(pk__in=list(points)).order_by("code"):
            yield [
                u.code,
                u.name,
                str(UNIT_KINDS.get(u.kind, u.kind)),
                "；".join(points[u.pk]),
                counts.get(u.pk, 0),
            ]

    def need_rows(self, place_path: str, user: Any) -> Iterator[list[Any]]:
        qs = Need.objects.filter(path__under=place_path).filter(self._scope(user))
        for n in qs.select_related("compound").prefetch_related("skills").order_by("path", "id"):
            yield [
                n.compound.code,
                n.title,
                "；".join(s.name for s in n.skills.all()),
                n.hours,
                n.starts_on,
                n.ends_on,
                n.get_status_display(),
            ]

    def record_rows(self, place_path: str, user: Any) -> Iterator[list[Any]]:
        qs = ServiceRecord.objects.filter(path__under=place_path).filter(self._scope(user))
        for r in (
            qs.select_related("report__person", "report__compound")
            .order_by("path", "served_on", "id")
            .iterator(chunk_size=2000)
        ):
            yield [
                r.report.person.name,
                r.report.compound.code,
                r.report.workplace,
                r.served_on,
                f"{r.hours}",
                r.note,
                r.get_status_display(),
            ]


REPORTING_LEDGER = ReportingLedger()
