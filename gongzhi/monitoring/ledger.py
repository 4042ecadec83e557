"""The monitoring households ledger (监测农户台账): households, their members, and income checks.

Keys: a household by its 户编号; a member by ID number; an income check by (户编号, date). A known household
is left as it is (members of a registered household change on its page, not by import); a known income check
with another amount is updated. Every cell is checked with the services' rules (ID numbers with their check
character, dates, amounts), every village must be one the importer may visit, and nothing is written unless
the whole file is right. Apply writes through the services' bulk variants (history rows, the importer named).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, pgettext

from gongzhi.accounts.access import can, scoped
from gongzhi.core.actors import system
from gongzhi.core.paths import under
from gongzhi.ledgers.base import Book, CellError, Column, Context, SheetSpec, choice, day, text, text_max
from gongzhi.monitoring import services
from gongzhi.monitoring.models import VIEW, VISIT, Household, Income, Labour, Member
from gongzhi.people.identity import clean_id_number
from gongzhi.people.models import Person
from gongzhi.places.models import Division

LABOURS = {str(label): value for value, label in Labour.choices}
VILLAGE_LEVELS = ("village", "community")


def id_number(value: Any) -> str:
    return clean_id_number(text(value))


def income_yuan(value: Any) -> Decimal:
    try:
        amount = Decimal(text(value))
    except InvalidOperation:
        raise ValidationError(_("应为数字（元/人·年）")) from None
    if not amount.is_finite() or not Decimal(0) <= amount <= Decimal(10_000_000):
        raise ValidationError(_("应在 0–10,000,000 元之间"))
    return amount.quantize(Decimal("0.01"))


HOUSEHOLDS = SheetSpec(
    "农户",
    (
        Column("户编号", "number", text_max(32), required=True, field="monitoring.Household.number"),
        Column("村编码", "village", text_max(12), required=True, note="12 位行政区划代码"),
    ),
)
MEMBERS = SheetSpec(
    "成员",
    (
        Column("户编号", "number", text_max(32), required=True),
        Column("姓名", "name", text_max(100), required=True, field="people.Person.name"),
        Column("身份证号", "id_number", id_number, required=True, width=22, note="18 位，含校验码"),
        Column("与户主关系", "relation", text_max(16), note="每户第一行为户主"),
        Column("劳动能力", "labour", choice(LABOURS), required=True, note="、".join(LABOURS)),
    ),
)
INCOMES = SheetSpec(
    "收入核查",
    (
        Column("户编号", "number", text_max(32), required=True),
        Column("核查日期", "measured_on", day, required=True, kind="date"),
        Column("人均纯收入（元/年）", "yuan", income_yuan, required=True),
    ),
)


@dataclass
class Plan:
    households: list[services.NewHousehold] = field(default_factory=list)
    incomes: list[tuple[Any, date, Decimal]] = field(default_factory=list)  # (household number, day, yuan)


class MonitoringLedger:
    slug = "monitoring_households"
    import_action, export_action = VISIT, VIEW  # towns, village cadres, officers (gongzhi.ledgers.access)
    title = gettext_noop(
        "监测农户台账（农户、成员、收入核查）"
    )  # shown translated; file names keep the Chinese
    sheets = (HOUSEHOLDS, MEMBERS, INCOMES)

    def check(self, book: Book, ctx: Context) -> tuple[Plan, list[CellError]]:
        plan, errors = Plan(), []
        rows = book.rows(HOUSEHOLDS.name)
        codes = {r.values["village"] for r in rows}
        villages = {d.code: d for d in Division.objects.filter(code__in=codes, level__in=VILLAGE_LEVELS)}
        numbers = {r.values["number"] for s in self.sheets for r in book.rows(s.name)}
        known = {h.number: h for h in Household.objects.filter(number__in=numbers)}
        members: dict[str, list[services.MemberRow]] = {}
        seen_ids: set[str] = set()
        ids = {r.values["id_number"] for r in book.rows(MEMBERS.name)}
        member_of = dict(
            Member.objects.filter(
                person__in=Person.objects.filter(id_number__in=ids).values("pk")
            ).values_list("person__id_number", "household__number")
        )
        for r in book.rows(MEMBERS.name):
            v = r.values
            if v["id_number"] in seen_ids:
                errors.append(CellError(MEMBERS.name, r.row, "身份证号", _("文件中重复")))
                continue
            seen_ids.add(v["id_number"])
            registered = member_of.get(v["id_number"])
            if registered is not None and registered != v["number"]:
                errors.append(
                    CellError(
                        MEMBERS.name,
                        r.row,
                        "身份证号",
                        _("已是农户 %(number)s 的成员") % {"number": registered},
                    )
                )
            elif v["number"] in known:
                if registered is None:
                    errors.append(
                        CellError(MEMBERS.name, r.row, "户编号", _("已登记农户的成员变动请在农户页面办理"))
                    )
            else:
                members.setdefault(v["number"], []).append(
                    services.MemberRow(v["name"], v["id_number"], v["relation"] or "本人", v["labour"])
                )
        in_file: set[str] = set()
        for r in rows:
            v = r.values
            if v["number"] in in_file:
                errors.append(CellError(HOUSEHOLDS.name, r.row, "户编号", _("文件中重复")))
                continue
            in_file.add(v["number"])
            village = villages.get(v["village"])
            if village is None or (ctx.user is not None and not can(ctx.user, VISIT, village)):
                errors.append(
                    CellError(
                        HOUSEHOLDS.name,
                        r.row,
                        "村编码",
                        _("村编码 %(code)s 不存在或不在您的管理范围内") % {"code": v["village"]},
                    )
                )
                continue
            old = known.get(v["number"])
            if old is not None:
                if old.village_id != village.pk:
                    errors.append(CellError(HOUSEHOLDS.name, r.row, "户编号", _("该户编号已登记在其他村")))
                continue
            if v["number"] not in members:
                errors.append(
                    CellError(HOUSEHOLDS.name, r.row, "户编号", _("新登记的农户应在“成员”表中列出成员"))
                )
                continue
            plan.households.append(
                services.NewHousehold(village.pk, village.path, v["number"], members[v["number"]])
            )
        for r in book.rows(MEMBERS.name):
            if r.values["number"] not in in_file and r.values["number"] not in known:
                errors.append(CellError(MEMBERS.name, r.row, "户编号", _("该户未登记，请在“农户”表中列出")))
        today = timezone.localdate()
        for r in book.rows(INCOMES.name):
            v = r.values
            if v["number"] not in in_file and v["number"] not in known:
                errors.append(CellError(INCOMES.name, r.row, "户编号", _("该户未登记，请在“农户”表中列出")))
            elif v["measured_on"] > today:
                errors.append(CellError(INCOMES.name, r.row, "核查日期", _("核查日期不能晚于今天")))
            elif (
                v["number"] in known and ctx.user is not None and not can(ctx.user, VISIT, known[v["number"]])
            ):
                errors.append(CellError(INCOMES.name, r.row, "户编号", _("该户不在您的管理范围内")))
            else:
                plan.incomes.append((v["number"], v["measured_on"], v["yuan"]))
        return plan, errors

    def apply(self, plan: Plan, ctx: Context) -> dict[str, int]:
        actor = ctx.user if ctx.user is not None else system("import_ledger:monitoring_households")
        if plan.households:
            services.households_create_bulk(actor=actor, households=plan.households, reason="台账导入")
        by_number = {
            h.number: h for h in Household.objects.filter(number__in={n for n, _d, _y in plan.incomes})
        }
        added, changed = services.incomes_record_bulk(
            actor=actor, rows=[(by_number[n], on, yuan) for n, on, yuan in plan.incomes], reason="台账导入"
        )
        return {
            pgettext("import count", "农户"): len(plan.households),
            pgettext("import count", "成员"): sum(len(h.members) for h in plan.households),
            _("收入核查"): added + changed,
        }

    def export(self, place_path: str, user: Any) -> Iterator[tuple[SheetSpec, Iterable[list[Any]]]]:
        households = Household.objects.filter(under(place_path))
        if user is not None:
            households = scoped(user, households, VIEW)
        yield (
            HOUSEHOLDS,
            (
                [n, c]
                for n, c in households.order_by("number").values_list("number", "village__code").iterator()
            ),
        )
        members = Member.objects.filter(household__in=households.values("pk")).select_related(
            "person", "household"
        )
        yield (
            MEMBERS,
            (
                [
                    m.household.number,
                    m.person.name,
                    m.person.id_number,
                    m.relation,
                    m.get_labour_display(),
                ]
                for m in members.order_by("household__number", "pk").iterator(chunk_size=2000)
            ),
        )
        incomes = Income.objects.filter(household__in=households.values("pk"))
        yield (
            INCOMES,
            (
                [n, on, y]
                for n, on, y in incomes.order_by("household__number", "measured_on")
                .values_list("household__number", "measured_on", "yuan_per_person")
                .iterator()
            ),
        )


MONITORING_LEDGER = MonitoringLedger()
