"""The property ledger (物业企业台账): companies by their unified social credit code, and their contracts.

Keys: a company by its credit code (a known code changes nothing: export → import is a round trip); a
contract by (credit code, compound code, start date). Every cell is checked with the services' own rules
(credit code, dates, fee) and every compound must be one the importer may edit; nothing is written unless
the whole file is right. Apply writes through the services.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_noop

from gongzhi.accounts.access import can, scoped
from gongzhi.cogovern import property_rules as pr
from gongzhi.cogovern import services
from gongzhi.cogovern.models import EDIT, VIEW, CompanyProfile, Contract, PropertyCompany
from gongzhi.core.actors import system
from gongzhi.ledgers.base import Book, CellError, Column, Context, SheetSpec, day, listing, text, text_max
from gongzhi.places.models import Compound


def credit_code(value: Any) -> str:
    problem = pr.credit_code_problem(text(value))
    if problem:
        raise ValidationError(problem)
    return pr.normalise_credit_code(text(value))


def fee(value: Any) -> Decimal:
    try:
        amount = Decimal(text(value))
    except InvalidOperation:
        raise ValidationError("物业费应为数字（元/㎡·月）") from None
    if not Decimal(0) <= amount <= Decimal(100):
        raise ValidationError("物业费应在 0–100 元/㎡·月之间")
    return amount.quantize(Decimal("0.01"))


COMPANIES = SheetSpec(
    "物业企业",
    (
        Column(
            "企业名称",
            "name",
            text_max(100),
            required=True,
            width=30,
            field="organisations.Organisation.name",
        ),
        Column("统一社会信用代码", "code", credit_code, required=True, width=22, note="18 位，含校验位"),
        Column(
            "企业党组织", "party", text_max(100), width=24, field="cogovern.CompanyProfile.party_org_name"
        ),
        Column("服务小区编码", "compounds", listing, required=True, width=30, note="多个用；分隔"),
    ),
)
CONTRACTS = SheetSpec(
    "物业服务合同",
    (
        Column("统一社会信用代码", "code", credit_code, required=True, width=22),
        Column("小区编码", "compound", text_max(16), required=True),
        Column("合同开始", "starts_on", day, required=True, kind="date"),
        Column("合同到期", "ends_on", day, required=True, kind="date"),
        Column("物业费（元/㎡·月）", "fee", fee, required=True),
        Column("服务范围", "scope", text_max(200), width=30, field="cogovern.Contract.scope"),
    ),
)


@dataclass
class Plan:
    companies: list[dict[str, Any]] = field(default_factory=list)
    contracts: list[dict[str, Any]] = field(default_factory=list)
    compounds: dict[str, Compound] = field(default_factory=dict)


class PropertyLedger:
    slug = "property_companies"
    personal_data = False  # companies and their contracts: no ID numbers
    title = gettext_noop("物业企业台账（企业、服务合同）")  # shown translated; file names keep the Chinese
    sheets = (COMPANIES, CONTRACTS)

    def check(self, book: Book, ctx: Context) -> tuple[Plan, list[CellError]]:
        plan, errors = Plan(), []
        codes = {r.values["compound"] for r in book.rows(CONTRACTS.name)}
        codes |= {c for r in book.rows(COMPANIES.name) for c in r.values["compounds"]}
        plan.compounds = {c.code: c for c in Compound.objects.filter(code__in=codes)}
        known = set(CompanyProfile.objects.values_list("credit_code", flat=True))

        def place(sheet: str, row: int, column: str, code: str) -> Compound | None:
            compound = plan.compounds.get(code)
            if compound is None or (ctx.user is not None and not can(ctx.user, EDIT, compound)):
                errors.append(CellError(sheet, row, column, f"小区编码 {code} 不存在或不在您的管理范围内"))
                return None
            return compound

        in_file: set[str] = set()
        for r in book.rows(COMPANIES.name):
            v = r.values
            if v["code"] in in_file:
                errors.append(CellError(COMPANIES.name, r.row, "统一社会信用代码", "文件中重复"))
                continue
            in_file.add(v["code"])
            places = [place(COMPANIES.name, r.row, "服务小区编码", c) for c in v["compounds"]]
            if v["code"] not in known and all(places):
                plan.companies.append({**v, "places": places})
        have = set(
            Contract.objects.values_list(
                "company__company_profile__credit_code", "compound__code", "starts_on"
            )
        )
        for r in book.rows(CONTRACTS.name):
            v = r.values
            if v["ends_on"] < v["starts_on"]:
                errors.append(CellError(CONTRACTS.name, r.row, "合同到期", "合同到期日期早于开始日期"))
                continue
            if v["code"] not in known and v["code"] not in in_file:
                errors.append(
                    CellError(
                        CONTRACTS.name, r.row, "统一社会信用代码", "该企业未登记，请在“物业企业”表中列出"
                    )
                )
                continue
            compound = place(CONTRACTS.name, r.row, "小区编码", v["compound"])
            if compound is not None and (v["code"], v["compound"], v["starts_on"]) not in have:
                plan.contracts.append({**v, "compound": compound})
        return plan, errors

    def apply(self, plan: Plan, ctx: Context) -> dict[str, int]:
        actor = ctx.user if ctx.user is not None else system("import_ledger:property_companies")
        for c in plan.companies:
            services.company_create(
                actor=actor,
                name=c["name"],
                credit_code=c["code"],
                places=c["places"],
                party_org_name=c["party"],
            )
        companies = {
            p.credit_code: p.company
            for p in CompanyProfile.objects.filter(
                credit_code__in={c["code"] for c in plan.contracts}
            ).select_related("company")
        }
        for k in plan.contracts:
            services.contract_create(
                actor=actor,
                company=companies[k["code"]],
                compound=k["compound"],
                starts_on=k["starts_on"],
                ends_on=k["ends_on"],
                fee_per_m2=k["fee"],
                scope=k["scope"],
            )
        return {"物业企业": len(plan.companies), "物业服务合同": len(plan.contracts)}

    def export(self, place_path: str, user: Any) -> Iterator[tuple[SheetSpec, Iterable[list[Any]]]]:
        companies: Any = (
            PropertyCompany.objects.active().covering(place_path).select_related("company_profile")
        )
        if user is not None:
            companies = scoped(user, companies, VIEW)
        rows = []
        for c in companies.prefetch_related("coverages__compound").order_by("pinyin"):
            profile = getattr(c, "company_profile", None)
            served = [cov.compound.code for cov in c.coverages.all() if cov.until is None and cov.compound_id]
            rows.append(
                [
                    c.name,
                    profile.credit_code if profile else "",
                    profile.party_org_name if profile else "",
                    "；".join(served),
                ]
            )
        yield COMPANIES, rows
        contracts = Contract.objects.filter(path__under=place_path, terminated_on__isnull=True)
        if user is not None:
            contracts = scoped(user, contracts, VIEW)
        yield (
            CONTRACTS,
            (
                [
                    k.company.company_profile.credit_code,  # type: ignore[attr-defined]
                    k.compound.code,
                    k.starts_on,
                    k.ends_on,
                    k.fee_per_m2,
                    k.scope,
                ]
                for k in contracts.select_related("company__company_profile", "compound").order_by(
                    "compound__code", "starts_on"
                )
            ),
        )


COMPANIES_LEDGER = PropertyLedger()
