"""Rules of collective "三资" supervision, as pure functions over plain values (no database).

Sources:
- 四议两公开: 中共中央办公厅、国务院办公厅《关于加强和改进乡村治理的指导意见》(2019) 第(六)项 — village
  matters are decided by 党组织提议、村“两委”会议商议、党员大会审议、村民会议或村民代表会议决议, and the
  decision and its implementation made public (决议公开、实施结果公开); 《村民委员会组织法》第二十四条 lists
  the matters (the contracting and lease of collective assets and resources among them).
- Contracts: 《民法典》第七百零五条 (a lease runs at most twenty years); 《农村土地承包法》第五十二条 (the
  collective's land let by others than its members needs the villagers' assembly); terms and prices beyond
  that are local settings (ContractLimit rows), checked here.
- Expiry warnings: 90 days before a contract ends (the issue's supervision rule, EXPIRY_DAYS).
- Town rating: 平度市's 三资监管质效提升行动 (the source's third article) rates towns 示范 / 创优 / 强基 by
  criteria and weights that are data (Criterion, GradeFloor); `town_score` and `town_grade` apply them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext_lazy as _

EXPIRY_DAYS = 90

# The six steps, in order (index + 1 is the step number stored).
STEPS = (
    _("党支部提议"),
    _("两委商议"),
    _("党员大会审议"),
    _("村民（代表）会议决议"),
    _("决议公开"),
    _("实施结果公开"),
)
VOTED = frozenset({2, 3, 4})  # steps decided by a meeting's vote
PASSED_BY = 4  # the villagers' (representatives') meeting decides


@dataclass(frozen=True)
class StepDone:
    step: int
    on: date


def step_problem(
    done: Sequence[StepDone], step: int, on: date, votes_for: int = 0, votes_against: int = 0
) -> str:
    """Why `step` on `on` cannot be recorded after `done` ('' when it can): steps go 1…6 with none skipped,
    none dated before the previous one, and a meeting's step carries a vote that passes (more for than
    against)."""
    if not 1 <= step <= len(STEPS):
        return str(_("没有这个步骤"))
    expected = len(done) + 1
    if expected > len(STEPS):
        return str(_("六个步骤都已完成"))
    if step != expected:
        return str(_("须先完成“%(s)s”，步骤不能跳过") % {"s": STEPS[expected - 1]})
    if done and on < done[-1].on:
        return str(_("日期不能早于上一步骤（%(d)s）") % {"d": done[-1].on.isoformat()})
    if step in VOTED:
        if votes_for + votes_against == 0:
            return str(_("请填写表决票数"))
        if votes_for <= votes_against:
            return str(_("赞成票未超过反对票，事项未通过"))
    return ""


def is_complete(steps_done: int) -> bool:
    return steps_done >= len(STEPS)


def needs_decision(amount_yuan: int, threshold_yuan: int) -> bool:
    """A contract (its whole price over the term) or a spending above the threshold is a major matter."""
    return amount_yuan > threshold_yuan


def approval_problem(amount_yuan: int, threshold_yuan: int, steps_done: int | None) -> str:
    """'' when the matter may go ahead: at or below the threshold, or decided through all six steps."""
    if not needs_decision(amount_yuan, threshold_yuan):
        return ""
    if steps_done is None:
        return str(
            _("金额 %(a)s 元超过重大事项标准 %(t)s 元，须经“四议两公开”决策")
            % {"a": amount_yuan, "t": threshold_yuan}
        )
    if not is_complete(steps_done):
        return str(_("所依据的“四议两公开”决策尚未完成全部六个步骤"))
    return ""


def term_years(starts_on: date, ends_on: date) -> Decimal:
    """The term in years (days / 365.25, to two places)."""
    days = (ends_on - starts_on).days + 1
    return (Decimal(days) / Decimal("365.25")).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def whole_price(annual_yuan: int, starts_on: date, ends_on: date) -> int:
    """The contract's whole price: the yearly price over the term."""
    return int((Decimal(annual_yuan) * term_years(starts_on, ends_on)).to_integral_value(ROUND_HALF_UP))


@dataclass(frozen=True)
class Limit:
    max_years: int
    min_per_mu: int | None = None
    max_per_mu: int | None = None


def contract_warnings(
    *, starts_on: date, ends_on: date, annual_yuan: int, area_mu: Decimal, limit: Limit | None
) -> list[str]:
    """The warnings of a contract against its subject's limits: a term longer than the longest allowed,
    a yearly price per 亩 below or above the range (a bound that is unset is not checked)."""
    if limit is None:
        return []
    out = []
    years = term_years(starts_on, ends_on)
    if years > limit.max_years:
        out.append(str(_("期限 %(y)s 年，超过最长 %(m)s 年") % {"y": years, "m": limit.max_years}))
    if area_mu > 0:
        per_mu = (Decimal(annual_yuan) / area_mu).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        if limit.min_per_mu is not None and per_mu < limit.min_per_mu:
            out.append(str(_("每亩年价 %(p)s 元，低于下限 %(m)s 元") % {"p": per_mu, "m": limit.min_per_mu}))
        if limit.max_per_mu is not None and per_mu > limit.max_per_mu:
            out.append(str(_("每亩年价 %(p)s 元，高于上限 %(m)s 元") % {"p": per_mu, "m": limit.max_per_mu}))
    return out


def expiring(ends_on: date, today: date) -> bool:
    """Ends within EXPIRY_DAYS from today (today itself and the 90th day included; ended ones not)."""
    return today <= ends_on <= today + timedelta(days=EXPIRY_DAYS)


# -- the town rating -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Rule:
    figure: str
    weight: int
    higher_better: bool
    full_at: Decimal
    half_at: Decimal


def criterion_points(rule: Rule, value: Decimal | int | float | None) -> Decimal:
    """Full weight when the value reaches `full_at`, half at `half_at`, none otherwise (or unknown)."""
    if value is None:
        return Decimal(0)
    v = Decimal(str(value))

    def reaches(bar: Decimal) -> bool:
        return v >= bar if rule.higher_better else v <= bar

    if reaches(rule.full_at):
        return Decimal(rule.weight)
    if reaches(rule.half_at):
        return Decimal(rule.weight) / 2
    return Decimal(0)


def town_score(rules: Iterable[Rule], values: Mapping[str, Decimal | int | float | None]) -> Decimal:
    """Points earned over the weights, as a score out of 100 (one decimal); 0 without rules."""
    rules = list(rules)
    total = sum((r.weight for r in rules), 0)
    if total == 0:
        return Decimal(0)
    earned = sum((criterion_points(r, values.get(r.figure)) for r in rules), Decimal(0))
    return (earned * 100 / total).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def town_grade(score: Decimal, floors: Mapping[str, Decimal]) -> str:
    """The highest grade whose floor the score reaches ('exemplary' before 'excellent'); else strengthening."""
    for grade in ("exemplary", "excellent"):
        floor = floors.get(grade)
        if floor is not None and score >= floor:
            return grade
    return "strengthening"


def is_rated_town(name: str) -> bool:
    """Towns and subdistricts (镇、街道、乡) are rated — the source's 17 镇街; a development zone is not."""
    return name.endswith(("镇", "街道", "乡"))
