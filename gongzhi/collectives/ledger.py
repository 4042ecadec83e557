"""The 三资 ledger (村集体三资台账): assets, resources, fund entries and contracts of village collectives.

Keys: a village by its division code; an asset or resource by (village, name); a contract by its number
(a known key changes nothing, so export → import is a round trip; fund entries are appended). Every cell is
checked with the services' own rules, every village must be one the importer may manage, a spending above
the threshold needs the number of a completed decision of the same village; nothing is written unless the
whole file is right. Apply writes through the bulk services (a village without a collective gets one).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from gongzhi.accounts.access import can, scoped
from gongzhi.collectives import rules, services
from gongzhi.collectives.models import (
    MANAGE,
    VIEW,
    Account,
    Asset,
    AssetKind,
    Collective,
    Contract,
    ContractKind,
    Decision,
    Entry,
    Resource,
    ResourceKind,
)
from gongzhi.core.actors import system
from gongzhi.ledgers.base import Book, CellError, Column, Context, SheetSpec, choice, day, text, text_max
from gongzhi.places.models import Division, Level


def yuan(value: Any) -> int:
    s = text(value).replace(",", "")
    if not s.isdigit() or len(s) > 13 or int(s) <= 0:
        raise ValidationError(_("应为正整数（元）"))
    return int(s)


def mu(value: Any) -> Decimal:
    try:
        area = Decimal(text(value))
    except InvalidOperation:
        raise ValidationError(_("应为数字（亩）")) from None
    if not Decimal(0) < area <= Decimal(10**8):
        raise ValidationError(_("面积应大于 0（亩）"))
    return area.quantize(Decimal("0.01"))


def ref(value: Any) -> int | None:
    s = text(value)
    if not s:
        return None
    if not s.isdigit() or len(s) > 12:
        raise ValidationError(_("应为决策编号（数字）"))
    return int(s)


def _labels(choices: Any) -> dict[str, str]:
    return {str(label): value for value, label in choices}


VILLAGE = Column("村代码", "village", text_max(12), required=True, note="12 位区划代码")
ASSETS = SheetSpec(
    "资产",
    (
        VILLAGE,
        Column("名称", "name", text_max(100), required=True, width=24),
        Column("类别", "kind", choice(_labels(AssetKind.choices)), required=True),
        Column("账面价值（元）", "value", yuan, required=True, kind="int"),
        Column("购建日期", "acquired_on", day, kind="date"),
    ),
)
RESOURCES = SheetSpec(
    "资源",
    (
        VILLAGE,
        Column("名称", "name", text_max(100), required=True, width=24),
        Column("类别", "kind", choice(_labels(ResourceKind.choices)), required=True),
        Column("面积（亩）", "area", mu, required=True),
    ),
)
ENTRIES = SheetSpec(
    "收支",
    (
        VILLAGE,
        Column("账户", "account", text_max(100), required=True, width=20),
        Column("日期", "on", day, required=True, kind="date"),
        Column("收支", "direction", choice(_labels(Entry.Direction.choices)), required=True),
        Column("金额（元）", "amount", yuan, required=True, kind="int"),
        Column("摘要", "summary", text_max(200), required=True, width=30),
        Column("决策编号", "decision", ref, note="超过重大事项标准的支出必填"),
    ),
)
CONTRACTS = SheetSpec(
    "合同",
    (
        VILLAGE,
        Column("合同编号", "code", text_max(40), required=True, width=18),
        Column("方式", "kind", choice(_labels(ContractKind.choices)), required=True),
        Column(
            "标的名称", "subject", text_max(100), required=True, width=24, note="“资产”或“资源”表中的名称"
        ),
        Column("承包（承租）方", "party", text_max(100), required=True, width=20),
        Column("起始日期", "starts_on", day, required=True, kind="date"),
        Column("到期日期", "ends_on", day, required=True, kind="date"),
        Column("年租金（元）", "annual", yuan, required=True, kind="int"),
        Column("决策编号", "decision", ref),
    ),
)


@dataclass
class Plan:
    villages: dict[str, Division] = field(default_factory=dict)
    assets: list[dict[str, Any]] = field(default_factory=list)
    resources: list[dict[str, Any]] = field(default_factory=list)
    entries: list[dict[str, Any]] = field(default_factory=list)
    contracts: list[dict[str, Any]] = field(default_factory=list)


class CollectivesLedger:
    slug = "collectives"
    import_action, export_action = MANAGE, VIEW  # the county and towns (gongzhi.ledgers.access)
    personal_data = False  # assets, contracts and accounts: no ID numbers
    title = "村集体三资台账（资产、资源、收支、合同）"
    sheets = (ASSETS, RESOURCES, ENTRIES, CONTRACTS)

    def check(self, book: Book, ctx: Context) -> tuple[Plan, list[CellError]]:
        plan, errors = Plan(), []
        codes = {r.values["village"] for s in self.sheets for r in book.rows(s.name)}
        plan.villages = {v.code: v for v in Division.objects.filter(code__in=codes, level=Level.VILLAGE)}
        paths = [v.path for v in plan.villages.values()]
        threshold = services.major_yuan()

        def village(sheet: str, row: int, code: str) -> Division | None:
            v = plan.villages.get(code)
            if v is None or (ctx.user is not None and not can(ctx.user, MANAGE, v)):
                errors.append(
                    CellError(
                        sheet, row, "村代码", _("村代码 %(code)s 不存在或不在您的管理范围内") % {"code": code}
                    )
                )
                return None
            return v

        have_assets = set(Asset.objects.filter(path__in=paths).values_list("path", "name"))
        have_resources = dict(
            ((p, n), (k, a))
            for p, n, k, a in Resource.objects.filter(path__in=paths).values_list(
                "path", "name", "kind", "area_mu"
            )
        )
        named: dict[tuple[str, str], str] = {k: "a" for k in have_assets} | {k: "r" for k in have_resources}
        for sheet, out, key in ((ASSETS, plan.assets, "a"), (RESOURCES, plan.resources, "r")):
            for r in book.rows(sheet.name):
                v = village(sheet.name, r.row, r.values["village"])
                if v is None:
                    continue
                k = (v.path, r.values["name"])
                if k in named:
                    continue  # known (or twice in the file): a round trip changes nothing
                named[k] = key
                out.append({**r.values, "village": v})
        decisions = {
            d.pk: d
            for d in Decision.objects.filter(
                pk__in={
                    r.values["decision"]
                    for s in (ENTRIES, CONTRACTS)
                    for r in book.rows(s.name)
                    if r.values["decision"]
                }
            )
        }

        def decision(sheet: str, row: int, pk: int | None, v: Division) -> tuple[bool, Decision | None]:
            if pk is None:
                return True, None
            d = decisions.get(pk)
            if d is None or d.path != v.path:
                errors.append(
                    CellError(
                        sheet, row, "决策编号", _("决策 %(number)s 不存在或不属于本村") % {"number": pk}
                    )
                )
                return False, None
            return True, d

        for r in book.rows(ENTRIES.name):
            x = r.values
            v = village(ENTRIES.name, r.row, x["village"])
            if v is None:
                continue
            ok, d = decision(ENTRIES.name, r.row, x["decision"], v)
            if not ok:
                continue
            if x["direction"] == Entry.Direction.SPENDING:
                problem = rules.approval_problem(x["amount"], threshold, d.steps_done if d else None)
                if problem:
                    errors.append(CellError(ENTRIES.name, r.row, "决策编号", problem))
                    continue
            plan.entries.append({**x, "village": v, "decision": d})
        have_codes = set(
            Contract.objects.filter(
                code__in={r.values["code"] for r in book.rows(CONTRACTS.name)}
            ).values_list("code", flat=True)
        )
        seen: set[str] = set()
        for r in book.rows(CONTRACTS.name):
            x = r.values
            v = village(CONTRACTS.name, r.row, x["village"])
            if v is None:
                continue
            if x["ends_on"] <= x["starts_on"]:
                errors.append(CellError(CONTRACTS.name, r.row, "到期日期", _("到期日期须晚于起始日期")))
                continue
            if (v.path, x["subject"]) not in named:
                errors.append(CellError(CONTRACTS.name, r.row, "标的名称", _("本村没有这项资产或资源")))
                continue
            ok, d = decision(CONTRACTS.name, r.row, x["decision"], v)
            if not ok or x["code"] in have_codes or x["code"] in seen:
                continue
            seen.add(x["code"])
            plan.contracts.append({**x, "village": v, "decision": d, "is": named[(v.path, x["subject"])]})
        return plan, errors

    def apply(self, plan: Plan, ctx: Context) -> dict[str, int]:
        actor = ctx.user if ctx.user is not None else system("import_ledger:collectives")
        used = {
            x["village"].code: x["village"]
            for x in (*plan.assets, *plan.resources, *plan.entries, *plan.contracts)
        }
        services.collectives_bulk_create(actor=actor, villages=list(used.values()))
        coll = {c.path: c for c in Collective.objects.filter(path__in=[v.path for v in used.values()])}
        services.holdings_bulk_create(
            actor=actor,
            rows=[
                Asset(
                    collective=coll[x["village"].path],
                    name=x["name"],
                    kind=x["kind"],
                    value_yuan=x["value"],
                    acquired_on=x["acquired_on"],
                )
                for x in plan.assets
            ]
            + [
                Resource(
                    collective=coll[x["village"].path], name=x["name"], kind=x["kind"], area_mu=x["area"]
                )
                for x in plan.resources
            ],
        )
        accounts = {(a.path, a.name): a for a in Account.objects.filter(path__in=list(coll))}
        new = {}
        for x in plan.entries:
            k = (x["village"].path, x["account"])
            if k not in accounts and k not in new:
                new[k] = Account(collective=coll[k[0]], name=k[1])
        services.holdings_bulk_create(actor=actor, rows=list(new.values()))
        accounts |= new
        services.entries_bulk_create(
            actor=actor,
            rows=[
                Entry(
                    account=accounts[(x["village"].path, x["account"])],
                    on=x["on"],
                    direction=x["direction"],
                    amount_yuan=x["amount"],
                    summary=x["summary"],
                    decision=x["decision"],
                )
                for x in plan.entries
            ],
        )
        paths = list(coll)
        assets = {(a.path, a.name): a for a in Asset.objects.filter(path__in=paths)}
        resources = {(r.path, r.name): r for r in Resource.objects.filter(path__in=paths)}
        services.contracts_bulk_create(
            actor=actor,
            rows=[
                Contract(
                    collective=coll[x["village"].path],
                    code=x["code"],
                    kind=x["kind"],
                    asset=assets.get((x["village"].path, x["subject"])) if x["is"] == "a" else None,
                    resource=resources.get((x["village"].path, x["subject"])) if x["is"] == "r" else None,
                    party=x["party"],
                    starts_on=x["starts_on"],
                    ends_on=x["ends_on"],
                    annual_yuan=x["annual"],
                    decision=x["decision"],
                )
                for x in plan.contracts
            ],
        )
        return {
            _("资产"): len(plan.assets),
            pgettext("import count", "资源"): len(plan.resources),
            _("收支"): len(plan.entries),
            pgettext("import count", "合同"): len(plan.contracts),
        }

    def export(self, place_path: str, user: Any) -> Iterator[tuple[SheetSpec, Iterable[list[Any]]]]:
        def rows(model: Any) -> Any:
            qs = model.objects.filter(path__under=place_path)
            return scoped(user, qs, VIEW) if user is not None else qs

        codes = dict(
            Division.objects.filter(path__under=place_path, level=Level.VILLAGE).values_list("path", "code")
        )
        yield (
            ASSETS,
            (
                [codes.get(a.path, ""), a.name, a.get_kind_display(), a.value_yuan, a.acquired_on]
                for a in rows(Asset).order_by("path", "name")
            ),
        )
        yield (
            RESOURCES,
            (
                [codes.get(r.path, ""), r.name, r.get_kind_display(), r.area_mu]
                for r in rows(Resource).order_by("path", "name")
            ),
        )
        yield (
            ENTRIES,
            (
                [
                    codes.get(e.path, ""),
                    e.account.name,
                    e.on,
                    e.get_direction_display(),
                    e.amount_yuan,
                    e.summary,
                    e.decision_id or "",
                ]
                for e in rows(Entry).select_related("account").order_by("path", "on", "id")
            ),
        )
        yield (
            CONTRACTS,
            (
                [
                    codes.get(c.path, ""),
                    c.code,
                    c.get_kind_display(),
                    c.subject.name if c.subject else "",
                    c.party,
                    c.starts_on,
                    c.ends_on,
                    c.annual_yuan,
                    c.decision_id or "",
                ]
                for c in rows(Contract).select_related("asset", "resource").order_by("path", "code")
            ),
        )


COLLECTIVES_LEDGER = CollectivesLedger()
