"""The auction's rules as pure functions (no database): what a bid, a close and a tenant's match may do.

Sources: 国务院办公厅《关于引导农村产权流转交易市场健康发展的意见》(国办发〔2014〕71号) — open, fair
trading of collective property through a market, with public notice; 《农村土地承包法》第三十八条(五)
— under equal conditions the members of the collective, and 《民法典》第七百二十六条 the sitting lessee,
have the right of first refusal (同等条件优先). The publication period and the deposit share are the
exchange's settings (`GONGZHI_TRADING_*`, defaults below), not law.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.utils.translation import gettext as _

MIN_PUBLICITY_DAYS = 10  # default of GONGZHI_TRADING_PUBLICITY_DAYS
DEPOSIT_PERCENT = 10  # default of GONGZHI_TRADING_DEPOSIT_PERCENT, of the reserve price


def listing_problems(
    *,
    reserve: int,
    step: int,
    term_years: int,
    decided_on: date,
    publish_from: date,
    publish_until: date,
    min_days: int = MIN_PUBLICITY_DAYS,
) -> list[str]:
    """Why a listing may not be published (empty when it may)."""
    out = []
    if reserve <= 0:
        out.append(_("底价须大于0元"))
    if step <= 0:
        out.append(_("加价幅度须大于0元"))
    if not 1 <= term_years <= 30:
        out.append(_("流转年限须在1至30年之间"))
    if decided_on > publish_from:
        out.append(_("须先有集体经济组织的决议，再挂牌公告"))
    if (publish_until - publish_from).days + 1 < min_days:
        out.append(_("公告期不得少于%(n)s日") % {"n": min_days})
    return out


def deposit_required(reserve: int, percent: int = DEPOSIT_PERCENT) -> int:
    """The deposit: `percent` of the reserve, rounded up to the yuan."""
    return -(-reserve * percent // 100)


def bid_problem(*, amount: int, reserve: int, step: int, price: int, has_bids: bool) -> str | None:
    """Open ascending auction: the first bid at least the reserve, each next at least one step higher."""
    if not has_bids:
        if amount < reserve:
            return _("首次出价不得低于底价%(r)s元") % {"r": reserve}
        return None
    if amount < price + step:
        return _("出价须不低于当前最高价加一个加价幅度，即%(m)s元") % {"m": price + step}
    return None


@dataclass(frozen=True)
class Outcome:
    status: str  # "failed", "tenant" (the sitting tenant decides) or "awarded"
    winner_id: int | None


def close_outcome(
    *, bids: int, leader_id: int | None, tenant_id: int | None, tenant_registered: bool
) -> Outcome:
    """At the end of bidding: no bid fails the auction; a registered sitting tenant who is not already
    the highest bidder may match the highest price (同等条件优先); otherwise the highest bidder wins."""
    if bids == 0 or leader_id is None:
        return Outcome("failed", None)
    if tenant_id is not None and tenant_registered and tenant_id != leader_id:
        return Outcome("tenant", None)
    return Outcome("awarded", leader_id)


def collective_income(*, price: int, reserve: int, previous_income: int) -> int:
    """The collective's income the trade brought: the whole price where the asset earned nothing before
    (new income), else what the price fetched above the reserve."""
    if previous_income == 0:
        return price
    return max(price - reserve, 0)


def decision_problem(*, same_collective: bool, for_contracting: bool, complete: bool) -> str:
    """Why a 四议两公开 decision cannot carry a listing ('' when it can): it must be the listed asset's own
    collective's, about letting its assets or resources (资产资源发包、租赁), and past all six steps — the
    collectives' rule for any contract above the major-matter threshold (collectives.rules.approval_problem);
    《村民委员会组织法》第二十四条 puts the letting of collective property before the villagers' meeting."""
    if not same_collective:
        return _("所选决策不属于该村集体经济组织")
    if not for_contracting:
        return _("所选决策不是资产资源发包、租赁事项")
    if not complete:
        return _("所选决策尚未完成“四议两公开”全部六个步骤")
    return ""


def contract_end(starts_on: date, term_years: int) -> date:
    """The last day of a term of whole years from `starts_on` (29 February starts end on 27/28 February)."""
    try:
        after = starts_on.replace(year=starts_on.year + term_years)
    except ValueError:  # 29 February into a common year
        after = starts_on.replace(year=starts_on.year + term_years, day=28) + timedelta(days=1)
    return after - timedelta(days=1)


def payment_schedule(*, price: int, term_years: int, starts_on: date, yearly: bool) -> list[tuple[date, int]]:
    """The price paid to the collective: at once on the first day, or in equal yearly instalments due on
    each year's first day (whole yuan; the remainder goes into the first). The amounts sum to the price."""
    if price <= 0 or term_years <= 0:
        return []
    if not yearly or term_years == 1:
        return [(starts_on, price)]
    share, rest = divmod(price, term_years)
    out = []
    for i in range(term_years):
        due = starts_on if i == 0 else contract_end(starts_on, i) + timedelta(days=1)
        out.append((due, share + (rest if i == 0 else 0)))
    return out


def instalment_problems(
    *,
    amount: int,
    due_amount: int,
    paid_on: date,
    earliest: date,
    today: date,
    already_paid: bool,
    previous_unpaid: bool,
) -> list[str]:
    """Why a later instalment (付款计划的一期) may not be recorded as paid (empty when it may).

    The contract fixes each instalment's amount (《民法典》第五百零九条: perform as agreed), so the whole
    due amount is recorded, once, in the schedule's order; the payment date is a real one: not in the
    future, and not before the signing or the previous instalment's payment (`earliest`)."""
    out = []
    if already_paid:
        out.append(_("该期价款已登记为已付，不能重复登记"))
    if previous_unpaid:
        out.append(_("请先登记上一期价款"))
    if amount != due_amount:
        out.append(_("实付金额须等于该期应付金额%(d)s元") % {"d": due_amount})
    if paid_on > today:
        out.append(_("实付日期不能晚于今天"))
    if paid_on < earliest:
        out.append(_("实付日期不能早于签约日期或上一期的实付日期（%(d)s）") % {"d": earliest.isoformat()})
    return out


def is_overdue(*, due_on: date, paid_on: date | None, today: date) -> bool:
    """An instalment whose due date has passed and which is still unpaid."""
    return paid_on is None and due_on < today
