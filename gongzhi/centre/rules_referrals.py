"""Rules of a finance referral (融资推介), pure functions answering with the message a person reads.

Issue 13 item 5: the one-stop service refers an enterprise's loan or fund application to a partner (a bank,
a fund, a guarantor) and records its result. What a result needs: an approval names the amount approved, at
most the amount asked (a partner that would lend more is asked for a new referral); a refusal names its
reason; a withdrawal may say why. An answer is dated between the referral and today. The partner is asked to
answer within ANSWER_DAYS working days (the centre's own service promise, not a rule of law: a setting,
GONGZHI_CENTRE_REFERRAL_ANSWER_DAYS); a referral still pending after that is overdue.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from gongzhi.centre.rules import MAX_YUAN

ANSWER_DAYS = 15
PENDING, APPROVED, DECLINED, WITHDRAWN = "pending", "approved", "declined", "withdrawn"
RESULTS = (APPROVED, DECLINED, WITHDRAWN)


def request_problem(category: str, status: str) -> str:
    """Only an open finance request is referred."""
    if category != "finance":
        return "只有金融类服务诉求可以推介给合作机构。"
    if status != "open":
        return "该诉求已办结，不能再推介。"
    return ""


def amount_problem(amount: Decimal | None, label: str = "申请金额") -> str:
    if amount is None or not amount.is_finite() or not Decimal(0) < amount < MAX_YUAN:
        return f"{label}须为大于0的金额（元）。"
    return ""


def referral_day_problem(referred_on: date, filed_on: date, today: date) -> str:
    if referred_on < filed_on:
        return "推介日期不能早于诉求提出日期。"
    if referred_on > today:
        return "推介日期不能晚于今天。"
    return ""


def result_problem(
    result: str,
    *,
    asked: Decimal,
    approved: Decimal | None,
    reason: str,
    referred_on: date,
    answered_on: date,
    today: date,
) -> str:
    """Why a result may not be recorded ('' when it may)."""
    if result not in RESULTS:
        return "请选择结果：批准、未获批准或撤回。"
    if answered_on < referred_on:
        return "答复日期不能早于推介日期。"
    if answered_on > today:
        return "答复日期不能晚于今天。"
    if result == APPROVED:
        problem = amount_problem(approved, "批准金额")
        if problem:
            return problem
        assert approved is not None
        if approved > asked:
            return f"批准金额不能超过申请金额（{asked:,.2f}元）。"
    elif approved is not None:
        return "只有批准的推介填写批准金额。"
    if result == DECLINED and not reason.strip():
        return "未获批准须填写原因。"
    return ""


def closed_problem(current: str) -> str:
    """A result is recorded once: a closed referral is not answered again."""
    if current != PENDING:
        return "该推介已有结果，不能再次答复。"
    return ""


def answer_overdue(result: str, due: date, today: date) -> bool:
    """Pending after the day its answer was due."""
    return result == PENDING and due < today


def pending_problem(pending: int) -> str:
    """A request is not closed while a partner has not answered one of its referrals."""
    if pending:
        return f"该诉求尚有{pending}项推介待合作机构答复，请先登记结果或撤回。"
    return ""
