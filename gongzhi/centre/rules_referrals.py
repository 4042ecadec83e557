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


PARTNER_NAME_MAX = 100  # Organisation.name's length


def partner_name_problem(name: str) -> str:
    """A partner's name: given, and within the organisation's name field."""
    name = name.strip()
    if not name or len(name) > PARTNER_NAME_MAX:
        return f"请填写机构名称（不超过{PARTNER_NAME_MAX}字）。"
    return ""


def partner_end_problem(ends_on: date, started_on: date, ended_on: date | None) -> str:
    """Ending a partnership: once, and not before it began (the day the partner was registered). A day in the
    future is allowed: the partner is offered for new referrals until then."""
    if ended_on is not None:
        return f"该合作机构已于{ended_on:%Y-%m-%d}终止合作。"
    if ends_on < started_on:
        return f"终止日期不能早于开始合作日期（{started_on:%Y-%m-%d}）。"
    return ""
