"""The finance referrals ledger (融资推介台账): one row per referral of a finance service request to a partner,
with the partner's result — as an office keeps the list it sends to the banks and funds and gets back.

Keys: a referral by its 推介编号 (blank for a new one); a new one names its request by 诉求编号 (the request
must be a finance request the importer may serve, and the credit code must be its enterprise's) and its
partner by name among the centre's partners. A referral's request, partner, product, amount and day are never
changed by import; a pending one may receive its result (approved with an amount, declined with a reason, or
withdrawn), checked by the same rules as the form; a result already recorded is not changed (an equal row
changes nothing, so export → import is a round trip). Nothing is written unless every row is right; the write
is services_referrals.referrals_bulk_save, one history row each.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone

from gongzhi.accounts.access import can, scoped
from gongzhi.centre import rules_referrals as rules
from gongzhi.centre import services_referrals as services
from gongzhi.centre.ledger import credit_code
from gongzhi.centre.models import SERVE, VIEW, Referral, ServiceRequest
from gongzhi.centre.rules import MAX_YUAN
from gongzhi.centre.selectors_referrals import partners_all
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

PRODUCTS = {str(label): value for value, label in Referral.Product.choices}
RESULTS = {str(label): value for value, label in Referral.Result.choices}
PRODUCT_LABEL = {v: k for k, v in PRODUCTS.items()}
RESULT_LABEL = {v: k for k, v in RESULTS.items()}


def amount(value: Any) -> Decimal | None:
    raw = text(value).replace(",", "")
    if not raw:
        return None
    try:
        found = Decimal(raw)
    except ArithmeticError:
        raise ValidationError("应为金额（元），如 5000000") from None
    if not found.is_finite() or not Decimal(0) < found < MAX_YUAN:
        raise ValidationError("金额应为大于0的数字（元）")
    return found.quantize(Decimal("0.01"))


def _result(value: Any) -> str:
    return choice(RESULTS)(value) if text(value) else "pending"


SHEET = SheetSpec(
    "融资推介",
    (
        Column("推介编号", "id", integer, kind="int", note="新推介留空；导出的编号用于登记结果"),
        Column("诉求编号", "request", integer, required=True, kind="int", note="企业服务诉求的编号"),
        Column("统一社会信用代码", "code", credit_code, required=True, width=22, note="诉求企业，用于核对"),
        Column("合作机构", "partner", text_max(100), required=True, width=26, note="已登记的合作机构名称"),
        Column("融资品种", "product", choice(PRODUCTS), required=True, note="、".join(PRODUCTS)),
        Column("申请金额（元）", "asked", amount, required=True, width=16),
        Column("推介日期", "referred_on", day, required=True, kind="date"),
        Column("结果", "result", _result, note="、".join(RESULTS) + "；空为待答复"),
        Column("答复日期", "answered_on", day, kind="date"),
        Column("批准金额（元）", "approved", amount, width=16, note="仅批准时填写"),
        Column("原因", "reason", text_max(200), width=24, note="未获批准须填写"),
    ),
)


@dataclass
class Plan:
    new: list[services.NewReferral] = field(default_factory=list)
    results: list[services.Result] = field(default_factory=list)


class ReferralsLedger:
    slug = "centre_referrals"
    import_action, export_action = SERVE, VIEW  # the handlers of the one-stop service (ledgers.access)
    personal_data = False  # enterprises' finance applications, no persons
    title = "融资推介台账（推介合作机构及其结果）"
    sheets = (SHEET,)

    def check(self, book: Book, ctx: Context) -> tuple[Plan, list[CellError]]:
        rows = book.rows(SHEET.name)
        errors: list[CellError] = []
        plan = Plan()
        requests = {
            r.pk: r
            for r in ServiceRequest.objects.filter(
                pk__in={x.values.get("request") for x in rows if x.values.get("request")}
            ).select_related("item__centre", "enterprise")
        }
        held = {
            r.pk: r
            for r in Referral.objects.filter(
                pk__in={x.values.get("id") for x in rows if x.values.get("id")}
            ).select_related("partner")
        }
        partners: dict[int, dict[str, Any]] = {}
        today = timezone.localdate()
        seen: set[int] = set()

        def err(row: int, column: str, message: str) -> None:
            errors.append(CellError(SHEET.name, row, column, message))

        for r in rows:
            v = r.values
            req = requests.get(v["request"])
            if req is None or (ctx.user is not None and not can(ctx.user, SERVE, req)):
                err(r.row, "诉求编号", "该诉求不存在或不在您办理的服务中心")
                continue
            if req.enterprise.credit_code != v["code"]:
                err(r.row, "统一社会信用代码", "与该诉求的企业不符")
                continue
            centre = req.item.centre
            if centre.pk not in partners:
                # Ended partners too: a held referral keeps its partner (export → import stays a round trip);
                # a new referral may name only an active one (below).
                partners[centre.pk] = {p.name: p for p in partners_all(centre)}
            partner = partners[centre.pk].get(v["partner"])
            if partner is None:
                err(r.row, "合作机构", "不是本服务中心已登记的合作机构")
                continue
            if v["result"] != "approved" and v["approved"] is not None:
                err(r.row, "批准金额（元）", "只有批准的推介填写批准金额")
                continue
            if v["id"] is None:
                if not partner.is_active:
                    err(r.row, "合作机构", "该合作机构已终止合作，不能推介")
                    continue
                problem = _new_problem(req, v, today)
                if problem:
                    err(r.row, "结果" if v["result"] != "pending" else "诉求编号", problem)
                    continue
                plan.new.append(
                    services.NewReferral(
                        req,
                        partner,
                        v["product"],
                        v["asked"],
                        v["referred_on"],
                        v["result"],
                        v["answered_on"],
                        v["approved"],
                        v["reason"],
                    )
                )
                continue
            old = held.get(v["id"])
            if old is None or old.request_id != req.pk:
                err(r.row, "推介编号", "该推介不存在或不属于该诉求")
                continue
            if v["id"] in seen:
                err(r.row, "推介编号", "同一推介在文件中重复")
                continue
            seen.add(v["id"])
            same = (old.partner_id, old.product, old.amount_asked_yuan, old.referred_on) == (
                partner.pk,
                v["product"],
                v["asked"],
                v["referred_on"],
            )
            if not same:
                err(r.row, "推介编号", "推介的合作机构、品种、金额和日期不能通过导入修改")
                continue
            if v["result"] == old.result:
                if old.result != "pending" and (
                    old.answered_on,
                    old.amount_approved_yuan,
                    old.reason,
                ) != (v["answered_on"], v["approved"], v["reason"]):
                    err(r.row, "结果", "该推介已有结果，不能修改")
                continue
            if old.result != "pending":
                err(r.row, "结果", "该推介已有结果，不能修改")
                continue
            if v["answered_on"] is None:
                err(r.row, "答复日期", "登记结果须填写答复日期")
                continue
            problem = rules.result_problem(
                v["result"],
                asked=old.amount_asked_yuan,
                approved=v["approved"],
                reason=v["reason"],
                referred_on=old.referred_on,
                answered_on=v["answered_on"],
                today=today,
            )
            if problem:
                err(r.row, "结果", problem)
                continue
            plan.results.append(
                services.Result(old, v["result"], v["answered_on"], v["approved"], v["reason"])
            )
        return plan, errors

    def apply(self, plan: Plan, ctx: Context) -> dict[str, int]:
        actor = ctx.user if ctx.user is not None else system("import_ledger:centre_referrals")
        created, answered = services.referrals_bulk_save(actor=actor, new=plan.new, results=plan.results)
        return {"新增推介": created, "登记结果": answered}

    def export(self, place_path: str, user: Any) -> Iterator[tuple[SheetSpec, Iterable[list[Any]]]]:
        qs = Referral.objects.filter(path__under=place_path).select_related("enterprise", "partner")
        if user is not None:
            qs = scoped(user, qs, VIEW)
        yield (
            SHEET,
            (
                [
                    r.pk,
                    r.request_id,
                    r.enterprise.credit_code,
                    r.partner.name,
                    PRODUCT_LABEL[r.product],
                    r.amount_asked_yuan,
                    r.referred_on,
                    RESULT_LABEL[r.result] if r.result != "pending" else "",
                    r.answered_on,
                    r.amount_approved_yuan,
                    r.reason,
                ]
                for r in qs.order_by("id")
            ),
        )


def _new_problem(req: ServiceRequest, v: dict[str, Any], today: date) -> str:
    """A new row checked by the rules the form's service applies (the service checks them again)."""
    problem = rules.request_problem(req.item.category, req.status) or rules.referral_day_problem(
        v["referred_on"], req.filed_on, today
    )
    if problem or v["result"] == "pending":
        return problem
    if v["answered_on"] is None:
        return "登记结果须填写答复日期"
    return rules.result_problem(
        v["result"],
        asked=v["asked"],
        approved=v["approved"],
        reason=v["reason"],
        referred_on=v["referred_on"],
        answered_on=v["answered_on"],
        today=today,
    )


REFERRALS_LEDGER = ReferralsLedger()
