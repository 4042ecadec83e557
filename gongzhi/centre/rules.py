"""The centre's rules as pure functions; each answers with the Chinese message a person reads.

Sources: GB 32100-2015 (the unified social credit code and its check character); the State Council's
yearly notice on public holidays (放假调休安排), which makes holidays and adjusted working days data; the
joint-attraction mechanism of the centre (domain.md §7a): signed is not landed, a project is registered
before it is counted as registered and holds a lease before it is counted as moved in.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, timedelta

from stdnum.cn import uscc
from stdnum.exceptions import ValidationError as StdnumError

WHOLE = 100


def credit_code_problem(code: str) -> str:
    """'' when `code` is a valid unified social credit code (GB 32100: 18 characters, check character)."""
    try:
        uscc.validate(code)
    except StdnumError:
        return f"统一社会信用代码“{code[:30]}”无效：应为18位且校验码正确（GB 32100）。"
    return ""


def stage_problem(requires: str, *, registered: bool, leased: bool) -> str:
    """Why a project may not enter a stage that `requires` registration or a lease ('' when it may)."""
    if requires == "registration" and not registered:
        return "项目尚未注册登记（无统一社会信用代码或注册日期），不能进入该阶段。"
    if requires == "lease" and not leased:
        return "项目尚未签订租约，不能进入入驻或投产阶段。"
    return ""


def attribution_problem(shares: Mapping[str, Iterable[int]]) -> str:
    """Per part (found, hosted, signed) the parties' shares must sum to the whole (100%)."""
    for part, values in shares.items():
        values = list(values)
        if any(v < 0 or v > WHOLE for v in values):
            return f"“{part}”环节的份额须在0到100之间。"
        if values and sum(values) != WHOLE:
            return f"“{part}”环节各方份额合计为{sum(values)}%，应为100%。"
    return ""


def leases_overlap(a_start: date, a_end: date, b_start: date, b_end: date) -> bool:
    """Two closed date ranges share a day."""
    return a_start <= b_end and b_start <= a_end


def is_working_day(day: date, overrides: Mapping[date, bool]) -> bool:
    """Monday to Friday, unless the calendar says otherwise (a holiday, or an adjusted working day)."""
    if day in overrides:
        return overrides[day]
    return day.weekday() < 5


def add_working_days(start: date, days: int, overrides: Mapping[date, bool]) -> date:
    """The day on which a time limit of `days` working days, counted from the day after `start`, ends."""
    if days < 0:
        raise ValueError("days must not be negative")
    day, left = start, days
    while left:
        day += timedelta(days=1)
        if is_working_day(day, overrides):
            left -= 1
    return day


def on_time(due: date, answered: date | None) -> bool:
    return answered is not None and answered <= due


def rate(part: int, whole: int) -> float:
    return round(part / whole, 4) if whole else 0.0
