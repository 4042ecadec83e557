"""Rules for cooperatives and family farms as pure functions; each answers with the message a person reads.

Sources: GB 32100-2015 (the credit code: the centre's check, `centre.rules.credit_code_problem`, reused);
《中华人民共和国农民专业合作社法》(2017) 第十二条 (five members or more); 《农民专业合作社年度报告公示暂行办法》
第三条 (the report on year Y is filed between 1 January and 30 June of Y+1 — the same window is used for
family farms' 名录 reports; the day is a setting, `GONGZHI_AGRIBIZ_REPORT_DUE`).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from enum import StrEnum

from gongzhi.centre.rules import credit_code_problem

MIN_MEMBERS = 5  # 农民专业合作社法 第十二条第一项
REPORT_DUE = (6, 30)  # month, day of the year after the reported one

__all__ = ["ReportState", "coop_problems", "credit_code_problem", "farm_problems", "report_status"]


class ReportState(StrEnum):
    FILED = "filed"  # filed by the due day
    LATE = "late"  # filed after it
    MISSING = "missing"  # not filed and the due day has passed
    NOT_DUE = "not_due"  # not filed, still in time


def report_due(year: int, due: tuple[int, int] = REPORT_DUE) -> date:
    return date(year + 1, *due)


def report_status(
    year: int, filed_on: date | None, today: date, due: tuple[int, int] = REPORT_DUE
) -> ReportState:
    """The state of the yearly report on `year`: the due day itself is still on time."""
    deadline = report_due(year, due)
    if filed_on is not None:
        return ReportState.FILED if filed_on <= deadline else ReportState.LATE
    return ReportState.MISSING if today > deadline else ReportState.NOT_DUE


def grade_problem(grade: str, grade_year: int | None, founded: date | None, today: date) -> str:
    if not grade:
        return "" if grade_year is None else "未评定示范等级时不应填写评定年度。"
    if grade_year is None:
        return "请填写示范等级的评定年度。"
    if grade_year > today.year:
        return f"评定年度{grade_year}晚于今年。"
    if founded is not None and grade_year < founded.year:
        return f"评定年度{grade_year}早于成立（登记）年度{founded.year}。"
    return ""


def coop_problems(
    *,
    credit_code: str,
    members: int,
    land_mu: Decimal,
    founded: date | None,
    grade: str,
    grade_year: int | None,
    today: date,
) -> list[str]:
    out = [credit_code_problem(credit_code)]
    if members < MIN_MEMBERS:
        out.append(f"合作社成员应不少于{MIN_MEMBERS}名（《农民专业合作社法》第十二条），现为{members}名。")
    if land_mu < 0:
        out.append("经营土地面积不能为负数。")
    if founded is not None and founded > today:
        out.append("成立日期不能晚于今天。")
    out.append(grade_problem(grade, grade_year, founded, today))
    return [m for m in out if m]


def farm_problems(
    *,
    credit_code: str | None,
    own_mu: Decimal,
    transferred_mu: Decimal,
    labour: int,
    registered: date,
    grade: str,
    grade_year: int | None,
    today: date,
) -> list[str]:
    out = [credit_code_problem(credit_code) if credit_code else ""]
    if own_mu < 0 or transferred_mu < 0:
        out.append("土地面积不能为负数。")
    elif own_mu + transferred_mu <= 0:
        out.append("家庭农场应有经营土地（自有承包地或流转土地）。")
    if labour < 1:
        out.append("家庭劳动力应至少1人。")
    if registered > today:
        out.append("登记日期不能晚于今天。")
    out.append(grade_problem(grade, grade_year, registered, today))
    return [m for m in out if m]


def report_problems(
    *, year: int, filed_on: date, founded: date | None, revenue: int, returned: int = 0
) -> list[str]:
    out = []
    if year >= filed_on.year:
        out.append(f"{year}年度的报告须在该年度结束后报送。")
    if founded is not None and year < founded.year:
        out.append(f"{year}年度早于成立（登记）年度{founded.year}。")
    if returned > revenue:
        out.append("返还成员的盈余不能多于经营收入。")
    return out


def leaving_warning(members_after: int) -> str:
    """The warning a member's leaving gives when the cooperative is left with fewer than five members.

    《农民专业合作社法》(2017) 第十二条 makes five members a condition of founding (设立) a cooperative, and
    第二十五条 gives every member the right to leave (退社); the law does not let the cooperative refuse a
    withdrawal. So a leaving that brings the count under five is recorded, after a confirmation, with this
    warning, never refused."""
    if members_after >= MIN_MEMBERS:
        return ""
    return (
        f"退社后成员为{members_after}名，少于《农民专业合作社法》第十二条规定设立合作社所需的{MIN_MEMBERS}名，"
        "请督促合作社及时吸收新成员或依法办理变更、注销登记。"
    )
