"""双报到 rules: the checks every write and the ledger share, and the year-end review.

None of these is national law with a number: the practice (a quarterly service card to the member's unit,
a yearly review, "members who did not report cannot be rated 合格", some places' ≥50 hours a year) is local
and varies (shared/docs/domain.md §4), so the hours are a setting (HoursSetting), with DEFAULT_MIN_HOURS
where none is recorded. The validators return messages (empty: valid) in Chinese, shown as they are.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

DEFAULT_MIN_HOURS = 50  # some places' yearly setting (domain.md §4); overridden by HoursSetting records
MAX_HOURS_MONTH = 200  # more free hours a month than this is a typing error, not availability
MAX_RECORD_HOURS = Decimal("24")  # one record is one day's service


def availability_messages(hours_month: object, weekdays: bool, weekends: bool) -> list[str]:
    out = []
    if not isinstance(hours_month, int) or isinstance(hours_month, bool):
        out.append("每月可服务时长应为整数")
    elif hours_month <= 0:
        out.append("每月可服务时长应大于 0 小时")
    elif hours_month > MAX_HOURS_MONTH:
        out.append(f"每月可服务时长不能超过 {MAX_HOURS_MONTH} 小时")
    if not (weekdays or weekends):
        out.append("请至少选择工作日或周末中的一项")
    return out


def skills_messages(codes: list[str], known: set[str]) -> list[str]:
    unknown = [c for c in codes if c not in known]
    if unknown:
        return [f"技能目录中没有：{'、'.join(unknown)}"]
    if not codes:
        return ["请至少选择一项技能特长"]
    return []


def record_messages(hours: Decimal, served_on: date, today: date) -> list[str]:
    out = []
    if hours <= 0:
        out.append("服务时长应大于 0")
    elif hours > MAX_RECORD_HOURS:
        out.append(f"一条记录的服务时长不能超过 {MAX_RECORD_HOURS} 小时")
    if served_on > today:
        out.append("服务日期不能晚于今天")
    return out


def need_messages(hours: int, per_member: int, starts_on: date, ends_on: date) -> list[str]:
    out = []
    if hours <= 0:
        out.append("所需总时长应大于 0")
    if per_member <= 0:
        out.append("每人时长应大于 0")
    elif per_member > hours > 0:
        out.append("每人时长不能超过所需总时长")
    if ends_on < starts_on:
        out.append("截止日期早于开始日期")
    return out


def quarter_of(day: date) -> int:
    return (day.month - 1) // 3 + 1


def quarter_range(year: int, quarter: int) -> tuple[date, date]:
    """The first and last day of a quarter."""
    if quarter not in (1, 2, 3, 4):
        raise ValueError("季度应为 1–4")
    start = date(year, 3 * quarter - 2, 1)
    end = date(year + 1, 1, 1) if quarter == 4 else date(year, 3 * quarter + 1, 1)
    return start, date.fromordinal(end.toordinal() - 1)


def review(reported: bool, hours: Decimal, min_hours: int) -> str:
    """The year-end finding for one in-service member: "" (fine), or why they are listed."""
    if not reported:
        return "未报到"
    if hours < min_hours:
        return f"服务时长不足 {min_hours} 小时"
    return ""


MAX_QUOTA = 10_000  # one post's members; more is a typing error
MAX_MIN_HOURS = 1_000  # a year's required hours; more is a typing error


def resource_messages(kind: str, kinds: set[str], name: str, quantity: str) -> list[str]:
    out = []
    if kind not in kinds:
        out.append("请选择资源类别（场地、设备、资金或其他）")
    if not name.strip():
        out.append("请填写资源名称")
    elif len(name.strip()) > 100:
        out.append("资源名称不能超过 100 个字")
    if len(quantity.strip()) > 50:
        out.append("数量或金额不能超过 50 个字")
    return out


def project_messages(title: str, progress: object, adopted_on: date, today: date) -> list[str]:
    out = []
    if not title.strip():
        out.append("请填写项目名称")
    elif len(title.strip()) > 100:
        out.append("项目名称不能超过 100 个字")
    if not isinstance(progress, int) or isinstance(progress, bool) or not 0 <= progress <= 100:
        out.append("进度应为 0 到 100 之间的整数")
    if adopted_on > today:
        out.append("认领日期不能晚于今天")
    return out


def post_messages(name: str, quota: object, claimed: int) -> list[str]:
    """A post's name and quota; the quota may not fall below the members who already claimed it."""
    out = []
    if not name.strip():
        out.append("请填写岗位名称")
    elif len(name.strip()) > 50:
        out.append("岗位名称不能超过 50 个字")
    if not isinstance(quota, int) or isinstance(quota, bool) or quota <= 0:
        out.append("名额应为大于 0 的整数")
    elif quota > MAX_QUOTA:
        out.append(f"名额不能超过 {MAX_QUOTA}")
    elif quota < claimed:
        out.append(f"已有 {claimed} 人认领，名额不能少于 {claimed}")
    return out


def hours_setting_messages(min_hours: object, from_year: object) -> list[str]:
    out = []
    if not isinstance(min_hours, int) or isinstance(min_hours, bool) or min_hours < 0:
        out.append("每年最低服务时长应为不小于 0 的整数")
    elif min_hours > MAX_MIN_HOURS:
        out.append(f"每年最低服务时长不能超过 {MAX_MIN_HOURS} 小时")
    if not isinstance(from_year, int) or isinstance(from_year, bool) or not 2000 <= from_year <= 2100:
        out.append("起始年度应在 2000 到 2100 之间")
    return out
