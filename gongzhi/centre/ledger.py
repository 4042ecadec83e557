"""The enterprises' key-figure ledger (企业年度指标台账): one row per enterprise and year — revenue, tax,
employees, R&D spending, patents — as the statistics returns report them.

Keys: the enterprise by its unified social credit code (it must be registered in a centre the importer may
edit), the year; a (code, year) already held is updated, so export → import is a round trip. Nothing is
written unless every cell of the file is right; the write goes through services.key_figures_bulk_set.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError

from gongzhi.accounts.access import can, scoped
from gongzhi.centre import rules, services
from gongzhi.centre.models import EDIT, VIEW, Enterprise, KeyFigures
from gongzhi.core.actors import system
from gongzhi.ledgers.base import Book, CellError, Column, Context, SheetSpec, text


def credit_code(value: Any) -> str:
    code = text(value).upper()
    problem = rules.credit_code_problem(code)
    if problem:
        raise ValidationError(problem)
    return code


def year(value: Any) -> int:
    try:
        found = int(text(value))
    except ValueError:
        raise ValidationError("年度应为四位数字，如 2024") from None
    if not rules.FIRST_YEAR <= found <= 2100:
        raise ValidationError(f"年度应在{rules.FIRST_YEAR}到2100之间")
    return found


def yuan(value: Any) -> Decimal:
    raw = text(value).replace(",", "") or "0"
    try:
        amount = Decimal(raw)
    except InvalidOperation:
        raise ValidationError("应为金额（元），如 1250000.50") from None
    if not amount.is_finite() or amount < 0 or amount >= rules.MAX_YUAN:
        raise ValidationError("金额应为不小于0的数字（元）")
    return amount.quantize(Decimal("0.01"))


def count(value: Any) -> int:
    raw = text(value) or "0"
    if not raw.isdigit() or int(raw) >= 2**31:
        raise ValidationError("应为不小于0的整数")
    return int(raw)


FIGURES = SheetSpec(
    "企业年度指标",
    (
        Column("统一社会信用代码", "code", credit_code, required=True, width=22, note="18 位，含校验位"),
        Column("企业名称", "name", text, width=30, note="仅供核对，不导入"),
        Column("年度", "year", year, required=True, kind="int"),
        Column("营业收入（元）", "revenue_yuan", yuan, width=18),
        Column("纳税额（元）", "tax_yuan", yuan, width=16),
        Column("从业人员", "employees", count, kind="int"),
        Column("研发投入（元）", "rnd_yuan", yuan, width=16),
        Column("专利数", "patents", count, kind="int"),
    ),
)


class KeyFiguresLedger:
    slug = "centre_key_figures"
    import_action, export_action = EDIT, VIEW  # the centre's roles (gongzhi.ledgers.access)
    personal_data = False  # enterprises' yearly figures
    title = "企业年度指标台账（营收、纳税、从业人员、研发、专利）"
    sheets = (FIGURES,)

    def check(
        self, book: Book, ctx: Context
    ) -> tuple[list[tuple[Enterprise, int, dict[str, Any]]], list[CellError]]:
        rows = book.rows(FIGURES.name)
        found = {
            e.credit_code: e
            for e in Enterprise.objects.filter(credit_code__in={r.values.get("code") for r in rows})
        }
        plan: list[tuple[Enterprise, int, dict[str, Any]]] = []
        errors: list[CellError] = []
        seen: set[tuple[str, int]] = set()
        for r in rows:
            v = r.values
            enterprise = found.get(v["code"])
            if enterprise is None or (ctx.user is not None and not can(ctx.user, EDIT, enterprise)):
                errors.append(
                    CellError(FIGURES.name, r.row, "统一社会信用代码", "该企业未在您管理的服务中心登记")
                )
                continue
            if (v["code"], v["year"]) in seen:
                errors.append(CellError(FIGURES.name, r.row, "年度", "同一企业同一年度在文件中重复"))
                continue
            seen.add((v["code"], v["year"]))
            plan.append((enterprise, v["year"], {name: v[name] for name in services.FIGURES}))
        return plan, errors

    def apply(self, plan: list[tuple[Enterprise, int, dict[str, Any]]], ctx: Context) -> dict[str, int]:
        actor = ctx.user if ctx.user is not None else system("import_ledger:centre_key_figures")
        created, updated = services.key_figures_bulk_set(actor=actor, rows=plan, reason="导入年度指标")
        return {"新增年度指标": created, "更新年度指标": updated}

    def export(self, place_path: str, user: Any) -> Iterator[tuple[SheetSpec, Iterable[list[Any]]]]:
        qs = KeyFigures.objects.filter(enterprise__path__under=place_path).select_related("enterprise")
        if user is not None:
            qs = qs.filter(enterprise__in=scoped(user, Enterprise.objects.all(), VIEW))
        yield (
            FIGURES,
            (
                [
                    k.enterprise.credit_code,
                    k.enterprise.name,
                    k.year,
                    k.revenue_yuan,
                    k.tax_yuan,
                    k.employees,
                    k.rnd_yuan,
                    k.patents,
                ]
                for k in qs.order_by("enterprise__credit_code", "year")
            ),
        )


KEY_FIGURES_LEDGER = KeyFiguresLedger()
