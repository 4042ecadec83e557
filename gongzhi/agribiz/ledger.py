"""The county's ledger of cooperatives, their members and family farms (新型农业经营主体台账).

Three sheets. Keys: a cooperative by its credit code, a farm by its 名录编号, a member by its cooperative and
ID number (or name, where the ledger gives none); a known key changes nothing, so export →
import is a round trip. Every row is checked with the services' own rules (credit code, members, land,
grade, ID numbers) and its village must be one the importer may edit; nothing is written unless the whole
file is right. Apply writes through the services' bulk variants. Exports carry full ID numbers (the
framework requires `person.unmask` and logs the export).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone

from gongzhi.accounts.access import can, scoped
from gongzhi.agribiz import services
from gongzhi.agribiz.models import MANAGE, VIEW, CoopMember, CoopProfile, FamilyFarm, Grade, Product
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
    listing,
    text,
    text_max,
)
from gongzhi.people.identity import clean_id_number
from gongzhi.places.models import Division

GRADES = {str(label): value for value, label in Grade.choices if value}
GRADE_LABELS = {v: k for k, v in GRADES.items()}


def mu(value: Any) -> Decimal:
    try:
        amount = Decimal(text(value) or "0")
    except InvalidOperation:
        raise ValidationError("面积应为数字（亩）") from None
    if not Decimal(0) <= amount < Decimal(10**9):
        raise ValidationError("面积应在0到10亿亩之间")
    return amount.quantize(Decimal("0.01"))


def id_number(value: Any) -> str:
    return clean_id_number(text(value))


def optional_id_number(value: Any) -> str:
    return clean_id_number(text(value)) if text(value) else ""


def _grade(value: Any) -> str:
    return choice(GRADES)(value) if text(value) else ""


COOPS = SheetSpec(
    "合作社",
    (
        Column("村区划代码", "village", text_max(12), required=True),
        Column("合作社名称", "name", text_max(100), required=True, width=30),
        Column(
            "统一社会信用代码", "credit_code", text_max(18), required=True, width=22, note="18 位，含校验位"
        ),
        Column("法定代表人", "rep_name", text_max(100), required=True),
        Column("法定代表人身份证号", "rep_id", id_number, required=True, width=22),
        Column("成立日期", "founded_on", day, required=True, kind="date"),
        Column("成员数", "members", integer, required=True, kind="int"),
        Column("经营土地（亩）", "land", mu, required=True),
        Column("主要产品", "products", listing, width=20, note="多个用；分隔"),
        Column("示范等级", "grade", _grade, note="国家级示范、省级示范、市级示范或空"),
        Column("评定年度", "grade_year", integer, kind="int"),
    ),
)
FARMS = SheetSpec(
    "家庭农场",
    (
        Column("村区划代码", "village", text_max(12), required=True),
        Column("名录编号", "code", text_max(32), required=True),
        Column("家庭农场名称", "name", text_max(100), required=True, width=30),
        Column("经营者", "op_name", text_max(100), required=True),
        Column("经营者身份证号", "op_id", id_number, required=True, width=22),
        Column("统一社会信用代码", "credit_code", text_max(18), width=22, note="个体可不填"),
        Column("登记日期", "registered_on", day, required=True, kind="date"),
        Column("自有承包地（亩）", "own", mu, required=True),
        Column("流转土地（亩）", "transferred", mu, required=True),
        Column("家庭劳动力（人）", "labour", integer, required=True, kind="int"),
        Column("主要产品", "products", listing, width=20, note="多个用；分隔"),
        Column("示范等级", "grade", _grade, note="国家级示范、省级示范、市级示范或空"),
        Column("评定年度", "grade_year", integer, kind="int"),
    ),
)


MEMBERS = SheetSpec(
    "合作社成员",
    (
        Column("统一社会信用代码", "credit_code", text_max(18), required=True, width=22, note="所在合作社的"),
        Column("成员姓名", "name", text_max(100), required=True),
        Column("身份证号", "id_number", optional_id_number, width=22, note="可不填；填写的须正确"),
        Column("入社日期", "joined_on", day, kind="date"),
    ),
)


@dataclass
class Plan:
    coops: list[services.NewCoop] = field(default_factory=list)
    farms: list[services.NewFarm] = field(default_factory=list)
    members: list[services.NewMember] = field(default_factory=list)


class AgribizLedger:
    slug = "agribiz"
    import_action, export_action = MANAGE, VIEW  # the county and towns (gongzhi.ledgers.access)
    title = "新型农业经营主体台账（合作社、家庭农场）"
    sheets = (COOPS, FARMS, MEMBERS)

    def check(self, book: Book, ctx: Context) -> tuple[Plan, list[CellError]]:
        plan, errors, today = Plan(), [], timezone.localdate()
        codes = {r.values["village"] for s in (COOPS, FARMS) for r in book.rows(s.name)}
        villages = {d.code: d for d in Division.objects.filter(code__in=codes)}
        products = {p.name: p for p in Product.objects.all()}
        known_coops = set(CoopProfile.objects.values_list("credit_code", flat=True))
        known_farms = set(FamilyFarm.objects.values_list("code", flat=True))

        def village(sheet: str, row: int, code: str) -> Division | None:
            v = villages.get(code)
            if v is None or v.level not in services.VILLAGE_LEVELS or not can(ctx.user, MANAGE, v):
                errors.append(CellError(sheet, row, "村区划代码", f"村 {code} 不存在或不在您的管理范围内"))
                return None
            return v

        def wares(sheet: str, row: int, names: list[str]) -> list[Product]:
            unknown = [n for n in names if n not in products]
            if unknown:
                errors.append(CellError(sheet, row, "主要产品", f"未知的产品：{'、'.join(unknown)}"))
            return [products[n] for n in names if n in products]

        seen: set[str] = set()
        for r in book.rows(COOPS.name):
            v = r.values
            code = v["credit_code"].upper()
            if code in seen:
                errors.append(CellError(COOPS.name, r.row, "统一社会信用代码", "文件中重复"))
                continue
            seen.add(code)
            place, items = village(COOPS.name, r.row, v["village"]), wares(COOPS.name, r.row, v["products"])
            if code in known_coops or place is None:
                continue
            new = services.NewCoop(
                place,
                v["name"],
                code,
                v["rep_name"],
                v["rep_id"],
                v["founded_on"],
                v["members"],
                v["land"],
                items,
                v["grade"],
                v["grade_year"],
            )
            problems = services.coop_problems(new, today)
            errors += [CellError(COOPS.name, r.row, "合作社名称", m) for m in problems]
            plan.coops.append(new)
        seen = set()
        for r in book.rows(FARMS.name):
            v = r.values
            if v["code"] in seen:
                errors.append(CellError(FARMS.name, r.row, "名录编号", "文件中重复"))
                continue
            seen.add(v["code"])
            place, items = village(FARMS.name, r.row, v["village"]), wares(FARMS.name, r.row, v["products"])
            if v["code"] in known_farms or place is None:
                continue
            farm = services.NewFarm(
                place,
                v["code"],
                v["name"],
                v["op_name"],
                v["op_id"],
                v["registered_on"],
                v["own"],
                v["transferred"],
                v["labour"],
                v["credit_code"].upper() or None,
                items,
                v["grade"],
                v["grade_year"],
            )
            errors += [
                CellError(FARMS.name, r.row, "家庭农场名称", m) for m in services.farm_problems(farm, today)
            ]
            plan.farms.append(farm)
        self._check_members(book, ctx, plan, errors, today)
        return plan, errors

    def _check_members(
        self, book: Book, ctx: Context, plan: Plan, errors: list[CellError], today: date
    ) -> None:
        """Members of a cooperative on record (one the importer manages) or registered by this file; a
        member already on record is left alone (the round trip), one named twice in the file is an error."""
        rows = book.rows(MEMBERS.name)
        if not rows:
            return
        codes = {r.values["credit_code"].upper() for r in rows}
        on_record = {p.credit_code: p for p in CoopProfile.objects.filter(credit_code__in=codes)}
        founded: dict[str, date | None] = {c.credit_code: c.founded_on for c in plan.coops}
        founded |= dict(
            CoopProfile.objects.filter(credit_code__in=codes).values_list(
                "credit_code", "organisation__founded_on"
            )
        )
        known = {
            services.member_key(code, name, idn or "")
            for code, name, idn in CoopMember.objects.filter(
                coop__credit_code__in=codes,
                left_on__isnull=True,  # one who left may join again
            ).values_list("coop__credit_code", "name", "person__id_number")
        }
        seen: set[tuple[str, str]] = set()
        for r in rows:
            v = r.values
            code = v["credit_code"].upper()
            profile = on_record.get(code)
            if code not in founded:
                errors.append(CellError(MEMBERS.name, r.row, "统一社会信用代码", f"合作社 {code} 未登记"))
                continue
            if profile is not None and ctx.user is not None and not can(ctx.user, MANAGE, profile):
                errors.append(
                    CellError(MEMBERS.name, r.row, "统一社会信用代码", f"合作社 {code} 不在您的管理范围内")
                )
                continue
            key = services.member_key(code, v["name"], v["id_number"])
            if key in seen:
                errors.append(CellError(MEMBERS.name, r.row, "成员姓名", "文件中重复"))
                continue
            seen.add(key)
            if key in known:
                continue
            m = services.NewMember(code, v["name"], v["id_number"], v["joined_on"])
            errors += [
                CellError(MEMBERS.name, r.row, "入社日期", x)
                for x in services.member_problems(m, founded[code], today)
            ]
            plan.members.append(m)

    def apply(self, plan: Plan, ctx: Context) -> dict[str, int]:
        actor = ctx.user if ctx.user is not None else system("import_ledger:agribiz")
        if plan.coops:
            services.coops_bulk_register(actor=actor, rows=plan.coops, reason="导入台账")
        if plan.farms:
            services.farms_bulk_register(actor=actor, rows=plan.farms, reason="导入台账")
        if plan.members:
            services.coop_members_add(actor=actor, rows=plan.members, reason="导入台账")
        return {"合作社": len(plan.coops), "家庭农场": len(plan.farms), "合作社成员": len(plan.members)}

    def export(self, place_path: str, user: Any) -> Iterator[tuple[SheetSpec, Iterable[list[Any]]]]:
        coops: Any = CoopProfile.objects.filter(path__under=place_path, organisation__ended_on__isnull=True)
        farms: Any = FamilyFarm.objects.filter(path__under=place_path, ended=False)
        if user is not None:
            coops, farms = scoped(user, coops, VIEW), scoped(user, farms, VIEW)
        yield (
            COOPS,
            (
                [
                    c.village.code,
                    c.organisation.name,
                    c.credit_code,
                    c.legal_rep.name,
                    c.legal_rep.id_number,
                    c.organisation.founded_on,
                    c.members_count,
                    c.land_mu,
                    "；".join(p.name for p in c.products.all()),
                    GRADE_LABELS.get(c.grade, ""),
                    c.grade_year,
                ]
                for c in coops.select_related("organisation", "village", "legal_rep")
                .prefetch_related("products")
                .order_by("pk")
            ),
        )
        yield (
            FARMS,
            (
                [
                    f.village.code,
                    f.code,
                    f.name,
                    f.operator.name,
                    f.operator.id_number,
                    f.credit_code or "",
                    f.registered_on,
                    f.land_own_mu,
                    f.land_transferred_mu,
                    f.labour,
                    "；".join(p.name for p in f.products.all()),
                    GRADE_LABELS.get(f.grade, ""),
                    f.grade_year,
                ]
                for f in farms.select_related("village", "operator")
                .prefetch_related("products")
                .order_by("pk")
            ),
        )
        yield (
            MEMBERS,
            (
                [m.coop.credit_code, m.name, m.person.id_number if m.person else "", m.joined_on]
                for m in CoopMember.objects.filter(coop__in=coops, left_on__isnull=True)  # current members
                .select_related("coop", "person")
                .order_by("coop_id", "pk")
            ),
        )


AGRIBIZ_LEDGER = AgribizLedger()
