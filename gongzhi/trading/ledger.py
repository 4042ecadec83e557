"""The trading ledger (产权交易台账): listings, their bids, results (成交 / 流拍) and settlements.

Keys: a listing by its 挂牌编号, a bidder by its 竞买人编号 (bidders register and are approved on the pages,
not here). A listing whose number is already on record is left as it is: its rows in the other sheets must
then say what the record says (a difference is an error: the exchange's steps on the listing's page change
a live deal), except that an awarded deal may be settled from the 结算 sheet. New listings are recorded with
their bids, result and settlement through `imports.deals_record_bulk`, which checks the auction's rules
(the step, the sequence, the tenant's match, the dates). Nothing is written unless the whole file is right.
Imported bids carry no deposits and are dated at the import: they are the record of a past auction.

The 付款计划 sheet lists the signed contracts' instalments (the staff's own: exported where the user manages
trading). A payment date on an unpaid instalment records the payment through `services.instalments_pay_bulk`
— the rules of the listing page's form (exact amount, in order, dated between the previous payment and
today, once); the rest of a row must say what the record says.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_noop

from gongzhi.accounts.access import can, scoped
from gongzhi.core.actors import system
from gongzhi.core.paths import under
from gongzhi.ledgers.base import (
    Book,
    CellError,
    Column,
    Context,
    SheetSpec,
    choice,
    day,
    int_between,
    text,
    text_max,
    yes_no,
)
from gongzhi.places.models import Division, Level
from gongzhi.trading import imports, services
from gongzhi.trading.models import MANAGE, VIEW, Bid, Bidder, Instalment, Kind, Listing, Status

KINDS = {str(label): value for value, label in Kind.choices}
RESULTS = {"成交": imports.AWARDED, "流拍": imports.FAILED, "待原承租方决定": imports.TENANT}
RESULT_OF = {
    Status.AWARDED: "成交",
    Status.SETTLED: "成交",
    Status.FAILED: "流拍",
    Status.RELISTED: "流拍",
    Status.TENANT: "待原承租方决定",
}


yuan = int_between(0, 10**12, "应为 0 至 1,000,000,000,000 之间的整数（元）")


def positive_yuan(value: Any) -> int:
    n = yuan(value)
    if n <= 0:
        raise ValidationError("应大于 0 元")
    return n


def mu(value: Any) -> Decimal:
    try:
        area = Decimal(text(value) or "0")
    except InvalidOperation:
        raise ValidationError("应为数字（亩）") from None
    if not area.is_finite() or not Decimal(0) <= area < Decimal(10**10):
        raise ValidationError("应在 0 至 10,000,000,000 亩之间")
    return area.quantize(Decimal("0.01"))


years = int_between(1, 30, "应为 1 至 30 的整数（年）")


seq = int_between(1, 100_000, "应为 1 起的整数")


def code(value: Any) -> str:
    s = text_max(32)(value)
    if s and not all(c.isascii() and (c.isalnum() or c == "-") for c in s):
        raise ValidationError("只能由字母、数字和连字符组成")
    return s


LISTINGS = SheetSpec(
    "挂牌项目",
    (
        Column("挂牌编号", "code", code, required=True, field="trading.Listing.code"),
        Column("村编码", "village", text_max(12), required=True, note="12 位行政区划代码"),
        Column("标的名称", "title", text_max(200), required=True, width=24, field="trading.Listing.title"),
        Column("类别", "kind", choice(KINDS), required=True, note="、".join(KINDS)),
        Column("面积（亩）", "area_mu", mu),
        Column("流转年限", "term_years", years, required=True, kind="int"),
        Column("底价（元）", "reserve_yuan", positive_yuan, required=True, kind="int"),
        Column("加价幅度（元）", "step_yuan", positive_yuan, required=True, kind="int"),
        Column("原收益（元）", "previous_income_yuan", yuan, required=True, kind="int", note="无则填 0"),
        Column("集体决议", "decision", text_max(200), required=True, width=24, note="会议和文号"),
        Column("决议日期", "decided_on", day, required=True, kind="date"),
        Column("公告开始", "publish_from", day, required=True, kind="date"),
        Column("公告截止", "publish_until", day, required=True, kind="date"),
        Column("原承租方编号", "tenant", text_max(16), note="竞买人编号，无则留空"),
        Column("重新挂牌自", "relisted_from", code, note="流拍项目的挂牌编号，无则留空"),
    ),
)
BIDS = SheetSpec(
    "出价记录",
    (
        Column("挂牌编号", "code", code, required=True),
        Column("序号", "seq", seq, required=True, kind="int"),
        Column("竞买人编号", "bidder", text_max(16), required=True),
        Column("出价（元）", "amount", positive_yuan, required=True, kind="int"),
    ),
)
CLOSES = SheetSpec(
    "成交",
    (
        Column("挂牌编号", "code", code, required=True),
        Column("结果", "result", choice(RESULTS), required=True, note="、".join(RESULTS)),
        Column("原承租方同等条件优先", "matched", yes_no, note="是 / 否"),
        Column("成交（流拍）日期", "closed_on", day, required=True, kind="date"),
    ),
)
SETTLEMENTS = SheetSpec(
    "结算",
    (
        Column("挂牌编号", "code", code, required=True),
        Column("合同编号", "contract_no", text_max(64), required=True),
        Column("结算日期", "settled_on", day, required=True, kind="date"),
    ),
)
instalment_seq = int_between(1, 100, "应为 1 至 100 的整数（期次）")
INSTALMENTS = SheetSpec(
    "付款计划",
    (
        Column("挂牌编号", "code", code, required=True),
        Column("合同编号", "contract_no", text_max(64), required=True),
        Column("期次", "seq", instalment_seq, required=True, kind="int"),
        Column("应付日期", "due_on", day, required=True, kind="date"),
        Column("金额（元）", "amount", positive_yuan, required=True, kind="int"),
        Column("实付日期", "paid_on", day, kind="date", note="未付留空；填写即登记该期已付"),
    ),
)


@dataclass
class Plan:
    deals: list[imports.Deal] = field(default_factory=list)
    settle: list[tuple[Listing, str, date]] = field(default_factory=list)
    payments: list[services.Payment] = field(default_factory=list)


class TradingLedger:
    slug = "trading_listings"
    title = gettext_noop("产权交易台账（挂牌、出价、成交、结算、付款计划）")
    sheets = (LISTINGS, BIDS, CLOSES, SETTLEMENTS, INSTALMENTS)
    import_action = MANAGE
    export_action = VIEW

    def check(self, book: Book, ctx: Context) -> tuple[Plan, list[CellError]]:
        plan, errors = Plan(), []
        today = timezone.localdate()
        rows = book.rows(LISTINGS.name)
        codes = {r.values["code"] for s in self.sheets for r in book.rows(s.name)} | {
            r.values["relisted_from"] for r in rows if r.values["relisted_from"]
        }
        known = {x.code: x for x in Listing.objects.filter(code__in=codes).select_related("winner", "tenant")}
        numbers = {r.values["bidder"] for r in book.rows(BIDS.name)} | {r.values["tenant"] for r in rows}
        bidders = {b.number: b for b in Bidder.objects.filter(number__in=numbers - {""})}
        villages = {
            d.code: d
            for d in Division.objects.filter(
                code__in={r.values["village"] for r in rows}, level=Level.VILLAGE
            )
        }
        bids: dict[str, list[Any]] = defaultdict(list)
        for r in sorted(book.rows(BIDS.name), key=lambda r: (r.values["code"], r.values["seq"])):
            b = bidders.get(r.values["bidder"])
            if b is None:
                errors.append(CellError(BIDS.name, r.row, "竞买人编号", "没有这个竞买人编号"))
            else:
                bids[r.values["code"]].append((r, b))
        closes: dict[str, Any] = {}
        for r in book.rows(CLOSES.name):
            if r.values["code"] in closes:
                errors.append(CellError(CLOSES.name, r.row, "挂牌编号", "文件中重复"))
            closes[r.values["code"]] = r
        settles: dict[str, Any] = {}
        for r in book.rows(SETTLEMENTS.name):
            if r.values["code"] in settles:
                errors.append(CellError(SETTLEMENTS.name, r.row, "挂牌编号", "文件中重复"))
            settles[r.values["code"]] = r
        in_file: set[str] = set()
        for r in rows:
            v = r.values
            if v["code"] in in_file:
                errors.append(CellError(LISTINGS.name, r.row, "挂牌编号", "文件中重复"))
                continue
            in_file.add(v["code"])
            village = villages.get(v["village"])
            if village is None or (ctx.user is not None and not can(ctx.user, MANAGE, village)):
                errors.append(
                    CellError(
                        LISTINGS.name, r.row, "村编码", f"村编码 {v['village']} 不存在或不在您的管理范围内"
                    )
                )
                continue
            old = known.get(v["code"])
            if old is not None:
                errors += self._same(r.row, old, village, bids.get(v["code"], []), closes.get(v["code"]))
                settle = settles.get(v["code"])
                if settle is not None and old.status == Status.AWARDED:
                    on = settle.values["settled_on"]
                    if not (old.closed_on or on) <= on <= today:
                        errors.append(
                            CellError(
                                SETTLEMENTS.name, settle.row, "结算日期", "结算日期应在成交之后、今天之前"
                            )
                        )
                    else:
                        plan.settle.append((old, settle.values["contract_no"], on))
                elif settle is not None and (old.contract_no, old.settled_on) != (
                    settle.values["contract_no"],
                    settle.values["settled_on"],
                ):
                    errors.append(CellError(SETTLEMENTS.name, settle.row, "合同编号", "与已登记的结算不符"))
                continue
            tenant = bidders.get(v["tenant"]) if v["tenant"] else None
            if v["tenant"] and tenant is None:
                errors.append(CellError(LISTINGS.name, r.row, "原承租方编号", "没有这个竞买人编号"))
                continue
            if (
                v["relisted_from"]
                and v["relisted_from"] not in in_file
                and (v["relisted_from"] not in known or known[v["relisted_from"]].status != Status.FAILED)
            ):
                errors.append(CellError(LISTINGS.name, r.row, "重新挂牌自", "应为已流拍项目的挂牌编号"))
                continue
            close, settle = closes.get(v["code"]), settles.get(v["code"])
            deal = imports.Deal(
                village=village,
                values={k: v[k] for k in LISTING_FIELDS},
                tenant=tenant,
                relisted_from=v["relisted_from"],
                bids=[(b.values["seq"], bidder, b.values["amount"]) for b, bidder in bids.get(v["code"], [])],
                result=close.values["result"] if close else "",
                tenant_matched=bool(close and close.values["matched"]),
                closed_on=close.values["closed_on"] if close else None,
                contract_no=settle.values["contract_no"] if settle else "",
                settled_on=settle.values["settled_on"] if settle else None,
            )
            errors += self._deal_errors(r.row, deal, bids.get(v["code"], []), close, settle, today)
            plan.deals.append(deal)
        for sheet, items in (
            (BIDS, [r for lst in bids.values() for r, _b in lst]),
            (CLOSES, closes.values()),
        ):
            for r in items:
                if r.values["code"] not in in_file:
                    errors.append(CellError(sheet.name, r.row, "挂牌编号", "该项目不在“挂牌项目”表中"))
        for r in settles.values():
            if r.values["code"] not in in_file:
                errors.append(CellError(SETTLEMENTS.name, r.row, "挂牌编号", "该项目不在“挂牌项目”表中"))
        plan.payments, more = self._payments(book.rows(INSTALMENTS.name), known, ctx, today)
        return plan, errors + more

    @staticmethod
    def _payments(
        rows: list[Any], known: dict[str, Listing], ctx: Context, today: date
    ) -> tuple[list[services.Payment], list[CellError]]:
        """The 付款计划 sheet: each row must be an instalment on record (listing, contract, number, due date
        and amount as held); a payment date on an unpaid one records the payment, through the rules of
        `services.instalment_pay` (`services.payment_problems`): exact amount, in order, dated between the
        previous payment and today, once. A paid one must keep its date: the ledger does not undo payments."""
        name = INSTALMENTS.name
        errors: list[CellError] = []
        ids = {x.pk for x in known.values() if x.contract_id is not None}
        held = {(i.listing_id, i.seq): i for i in Instalment.objects.filter(listing_id__in=ids)}
        wanted: list[tuple[Any, services.Payment]] = []
        seen: set[tuple[str, int]] = set()
        for r in sorted(rows, key=lambda r: (r.values["code"], r.values["seq"])):
            v = r.values
            listing = known.get(v["code"])
            if listing is None or (ctx.user is not None and not can(ctx.user, MANAGE, listing)):
                errors.append(CellError(name, r.row, "挂牌编号", "没有这个挂牌编号，或不在您的管理范围内"))
                continue
            if (v["code"], v["seq"]) in seen:
                errors.append(CellError(name, r.row, "期次", "文件中重复"))
                continue
            seen.add((v["code"], v["seq"]))
            if listing.contract_id is None or listing.contract_no != v["contract_no"]:
                errors.append(CellError(name, r.row, "合同编号", "与该项目已签订的流转合同编号不符"))
                continue
            instalment = held.get((listing.pk, v["seq"]))
            if instalment is None:
                errors.append(CellError(name, r.row, "期次", "该合同的付款计划没有这一期"))
                continue
            if instalment.due_on != v["due_on"]:
                errors.append(CellError(name, r.row, "应付日期", "与已登记的付款计划不符"))
                continue
            paying = instalment.paid_on is None and v["paid_on"] is not None
            if not paying and instalment.amount_yuan != v["amount"]:
                errors.append(CellError(name, r.row, "金额（元）", "与已登记的付款计划不符"))
            elif instalment.paid_on is not None and v["paid_on"] != instalment.paid_on:
                errors.append(
                    CellError(name, r.row, "实付日期", f"该期已于 {instalment.paid_on} 登记已付，不能更改")
                )
            elif paying:
                wanted.append((r, services.Payment(listing.pk, v["seq"], v["amount"], v["paid_on"])))
        listings = {x.pk: x for x in known.values()}
        payments = [p for _r, p in wanted]
        for (r, _p), problems in zip(
            wanted, services.payment_problems(payments, listings, held, today), strict=True
        ):
            column = "金额（元）" if any("金额" in m for m in problems) else "实付日期"
            errors += [CellError(name, r.row, column, m) for m in problems]
        return payments, errors

    @staticmethod
    def _deal_errors(
        row: int, deal: imports.Deal, bids: list[Any], close: Any, settle: Any, today: date
    ) -> list[CellError]:
        out = [CellError(LISTINGS.name, row, "挂牌编号", m) for m in imports.listing_problems(deal)]
        out += [CellError(BIDS.name, bids[i][0].row, "出价（元）", m) for i, m in imports.bid_problems(deal)]
        if close is not None:
            out += [
                CellError(CLOSES.name, close.row, "结果", m) for m in imports.result_problems(deal, today)
            ]
        if settle is not None:
            out += [
                CellError(SETTLEMENTS.name, settle.row, "结算日期", m)
                for m in imports.settlement_problems(deal, today)
            ]
        return out

    @staticmethod
    def _same(row: int, old: Listing, village: Division, bids: list[Any], close: Any) -> list[CellError]:
        """A known listing's rows must say what the record says."""
        out = []
        if old.village_id != village.pk:
            out.append(CellError(LISTINGS.name, row, "挂牌编号", f"挂牌编号 {old.code} 已登记在其他村"))
        if bids:
            stated = [(r.values["seq"], b.pk, r.values["amount"]) for r, b in bids]
            held = list(old.bids.order_by("seq").values_list("seq", "bidder_id", "amount_yuan"))
            if stated != held:
                out.append(CellError(BIDS.name, bids[0][0].row, "挂牌编号", "与已登记的出价记录不符"))
        if close is not None and (
            RESULTS[RESULT_OF.get(Status(old.status), "")] if old.status in RESULT_OF else "",
            old.closed_on,
        ) != (close.values["result"], close.values["closed_on"]):
            out.append(CellError(CLOSES.name, close.row, "结果", "与已登记的成交结果不符"))
        return out

    def apply(self, plan: Plan, ctx: Context) -> dict[str, int]:
        actor = ctx.user if ctx.user is not None else system("import_ledger:trading_listings")
        made = imports.deals_record_bulk(actor=actor, deals=plan.deals)
        for listing, contract_no, on in plan.settle:
            services.listing_settle(actor=actor, listing=listing, contract_no=contract_no, on=on)
        paid = services.instalments_pay_bulk(actor=actor, payments=plan.payments) if plan.payments else 0
        return {
            "挂牌项目": made,
            "出价": sum(len(d.bids) for d in plan.deals),
            "结算": len(plan.settle) + sum(1 for d in plan.deals if d.settled_on),
            "价款": paid,
        }

    def export(self, place_path: str, user: Any) -> Iterator[tuple[SheetSpec, Iterable[list[Any]]]]:
        listings = Listing.objects.filter(under(place_path))
        if user is not None:
            listings = scoped(user, listings, VIEW)
        rows = list(listings.order_by("id").select_related("village", "tenant", "relisted_from"))
        yield (
            LISTINGS,
            (
                [
                    x.code,
                    x.village.code,
                    x.title,
                    x.get_kind_display(),
                    x.area_mu,
                    x.term_years,
                    x.reserve_yuan,
                    x.step_yuan,
                    x.previous_income_yuan,
                    x.decision,
                    x.decided_on,
                    x.publish_from,
                    x.publish_until,
                    x.tenant.number if x.tenant else "",
                    x.relisted_from.code if x.relisted_from else "",
                ]
                for x in rows
            ),
        )
        bids = Bid.objects.filter(listing__in=listings.values("pk")).order_by("listing_id", "seq")
        yield (
            BIDS,
            (
                [c, s, n, a]
                for c, s, n, a in bids.values_list(
                    "listing__code", "seq", "bidder__number", "amount_yuan"
                ).iterator()
            ),
        )
        yield (
            CLOSES,
            (
                [x.code, RESULT_OF[Status(x.status)], "是" if x.tenant_matched else "否", x.closed_on]
                for x in rows
                if x.status in RESULT_OF
            ),
        )
        yield (
            SETTLEMENTS,
            ([x.code, x.contract_no, x.settled_on] for x in rows if x.status == Status.SETTLED),
        )
        # Contracts' payment schedules are the exchange's staff's to see: rows where the user manages trading.
        instalments = Instalment.objects.filter(under(place_path))
        if user is not None:
            instalments = scoped(user, instalments, MANAGE)
        yield (
            INSTALMENTS,
            (
                list(row)
                for row in instalments.order_by("listing_id", "seq")
                .values_list(
                    "listing__code", "listing__contract_no", "seq", "due_on", "amount_yuan", "paid_on"
                )
                .iterator()
            ),
        )


LISTING_FIELDS = (
    "code",
    "title",
    "kind",
    "area_mu",
    "term_years",
    "reserve_yuan",
    "step_yuan",
    "previous_income_yuan",
    "decision",
    "decided_on",
    "publish_from",
    "publish_until",
)

TRADING_LEDGER = TradingLedger()
