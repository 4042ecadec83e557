"""The centre's rules as pure functions; each answers with the Chinese message a person reads.

Sources: GB 32100-2015 (the unified social credit code and its check character); the State Council's
yearly notice on public holidays (放假调休安排), which makes holidays and adjusted working days data; the
joint-attraction mechanism of the centre (domain.md §7a): signed is not landed, a project is registered
before it is counted as registered and holds a lease before it is counted as moved in.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

# GB 32100's check is one for every app (gongzhi.core.credit_code); re-exported for the centre and agribiz.
from gongzhi.core.credit_code import credit_code_problem as credit_code_problem

WHOLE = 100


def stage_problem(requires: str, *, registered: bool, leased: bool) -> str:
    """Why a project may not enter a stage that `requires` registration or a lease ('' when it may)."""
    if requires == "registration" and not registered:
        return "项目尚未注册登记（无统一社会信用代码或注册日期），不能进入该阶段。"
    if requires == "lease" and not leased:
        return "项目尚未签订租约，不能进入入驻或投产阶段。"
    return ""


def evidence_problem(required: bool, evidence: str, stage_name: str) -> str:
    """A stage that asks for evidence (a visit record, the agreement's number, the licence) refuses a move
    without it: the funnel counts what is shown, not what is said."""
    if required and not evidence.strip():
        return f"进入“{stage_name}”阶段须填写佐证（如考察记录、协议编号、营业执照号）。"
    return ""


def likelihood_problem(likelihood: int) -> str:
    if not 0 <= likelihood <= WHOLE:
        return "落地可能性须在0到100%之间。"
    return ""


def next_action_overdue(next_on: date | None, today: date, landed: bool) -> bool:
    """A next action whose day has passed, on a project that has not landed (a landed one needs none)."""
    return next_on is not None and next_on < today and not landed


def attribution_problem(shares: Mapping[str, Iterable[int]]) -> str:
    """Per part (found, hosted, signed) the parties' shares must sum to the whole (100%)."""
    for part, values in shares.items():
        values = list(values)
        if any(v < 0 or v > WHOLE for v in values):
            return f"“{part}”环节的份额须在0到100之间。"
        if values and sum(values) != WHOLE:
            return f"“{part}”环节各方份额合计为{sum(values)}%，应为100%。"
    return ""


FIRST_YEAR = 1949
MAX_YUAN = Decimal("1e14")  # the model's 16 digits with 2 decimals


def key_figures_problem(year: int, values: Mapping[str, object]) -> str:
    """An enterprise's year: a year from 1949 to 2100, figures not negative and within the columns."""
    if not FIRST_YEAR <= year <= 2100:
        return f"年度{year}无效：应在{FIRST_YEAR}到2100之间。"
    for name, value in values.items():
        if not isinstance(value, int | Decimal) or value < 0:
            return f"{name}不能为负数。"
        if value >= (2**31 if isinstance(value, int) else MAX_YUAN):
            return f"{name}超出可记录的范围。"
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


@dataclass(frozen=True)
class Need:
    """What an enterprise asks of the tower: an area range (㎡), optionally floors, a use, and a day from
    which (and optionally until which) the room must be free."""

    area_min: Decimal
    area_max: Decimal
    from_on: date
    until_on: date | None = None
    floor_min: int | None = None
    floor_max: int | None = None
    use: str = ""


def need_problem(need: Need) -> str:
    if need.area_min < 0 or need.area_max <= 0 or need.area_min > need.area_max:
        return "需求面积应为正数，且下限不大于上限。"
    if need.until_on is not None and need.until_on < need.from_on:
        return "截止日期不能早于起始日期。"
    if need.floor_min is not None and need.floor_max is not None and need.floor_min > need.floor_max:
        return "楼层下限不能大于上限。"
    return ""


def free_reason(need: Need) -> str:
    if need.until_on is None:
        return f"自{need.from_on}起无租约"
    return f"{need.from_on}至{need.until_on}无租约"


def _sq(value: Decimal) -> str:
    return f"{Decimal(value).normalize():f}"


def space_fit(need: Need, *, area: Decimal, floor: int, use: str) -> tuple[int, list[str]] | None:
    """How well a free room fits a need: None when it cannot (another use, an area outside the range),
    else a score (higher is better, at most 100) and the reasons a person reads. The area counts most —
    the nearer the middle of the range, the better — then the floors asked for."""
    if need.use and use != need.use:
        return None
    if not need.area_min <= area <= need.area_max:
        return None
    middle = (need.area_min + need.area_max) / 2
    half = (need.area_max - need.area_min) / 2 or Decimal(1)
    score = 100 - int(40 * abs(area - middle) / half)
    reasons = [f"面积{_sq(area)}㎡，在需求{_sq(need.area_min)}–{_sq(need.area_max)}㎡之内"]
    if need.use:
        reasons.append("用途符合")
    low, high = need.floor_min, need.floor_max
    if low is not None or high is not None:
        if (low is None or floor >= low) and (high is None or floor <= high):
            reasons.append(f"位于{floor}层，符合楼层要求")
        else:
            gap = (low - floor) if low is not None and floor < low else floor - (high or floor)
            score -= min(50, 10 * gap)
            reasons.append(f"位于{floor}层，与要求楼层相差{gap}层")
    return score, reasons


ITEM_TEXT_MAX = 40  # ServiceItem.name and .handler
# A time limit longer than a year of working days is a typo, not a promise (PositiveSmallIntegerField holds
# far more); add_working_days reads a year of the calendar ahead for limits under 200.
ITEM_LIMIT_MAX = 250


def service_item_problems(
    *, category: str, categories: Iterable[str], name: str, handler: str, limit_days: int | None
) -> list[str]:
    """What is wrong with a catalogue item as typed (an empty list when nothing is)."""
    out = []
    if category not in set(categories):
        out.append("请选择类别：政务、金融或人才。")
    if not name.strip() or len(name.strip()) > ITEM_TEXT_MAX:
        out.append(f"请填写事项名称（不超过{ITEM_TEXT_MAX}字）。")
    if not handler.strip() or len(handler.strip()) > ITEM_TEXT_MAX:
        out.append(f"请填写承办部门或银行（不超过{ITEM_TEXT_MAX}字）。")
    if limit_days is None or not 1 <= limit_days <= ITEM_LIMIT_MAX:
        out.append(f"时限须为1到{ITEM_LIMIT_MAX}个工作日。")
    return out
