"""Property-service supervision as pure functions: the credit code, the score sheet, the credit grade.

- 统一社会信用代码 (GB 32100-2015): checked once for every app in gongzhi.core.credit_code (python-stdnum).
- Qingdao's quarterly quantitative assessment of property services has 8 categories, 39 items, 100 points
  (domain notes §3). The sheet is data (`score_sheet.json`, editable as a ScoreSheet row); this module only
  checks a sheet's shape and totals a filled one.
- The credit score and grade (AAA … C, blacklist): the sources name the grades but not the formula, so the
  formula is this platform's, stated in CREDIT_RULE and shown beside every grade; its weights are
  `CreditWeights` so a district can change them without code.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from itertools import pairwise
from typing import Any

# The one check for every app (re-exported: this app's callers keep their import).
from gongzhi.core.credit_code import SRC_USCC as SRC_USCC
from gongzhi.core.credit_code import credit_code_problem as credit_code_problem
from gongzhi.core.credit_code import normalise_credit_code as normalise_credit_code

# -- The score sheet ----------------------------------------------------------------------------------------


def sheet_problems(sheet: Mapping[str, Any]) -> list[str]:
    """A sheet is {"categories": [{"name", "items": [{"name", "points"}]}]}; points are positive, total 100."""
    cats = sheet.get("categories") if isinstance(sheet, Mapping) else None
    if not isinstance(cats, list) or not cats:
        return ["评分表应包含至少一个类别"]
    problems: list[str] = []
    total = Decimal(0)
    for i, cat in enumerate(cats, 1):
        items = cat.get("items") if isinstance(cat, Mapping) else None
        if (
            not isinstance(cat, Mapping)
            or not str(cat.get("name", "")).strip()
            or not isinstance(items, list)
        ):
            problems.append(f"第 {i} 个类别缺少名称或评分项")
            continue
        for j, item in enumerate(items, 1):
            try:
                points = Decimal(str(item["points"]))
                if not str(item["name"]).strip() or points <= 0:
                    raise ValueError
            except Exception:
                problems.append(f"第 {i} 类第 {j} 项应有名称和正的分值")
                continue
            total += points
    if not problems and total != 100:
        problems.append(f"评分表总分应为 100 分（现为 {total} 分）")
    return problems


def sheet_shape(sheet: Mapping[str, Any]) -> tuple[int, int, Decimal]:
    """(categories, items, total points)."""
    cats = sheet["categories"]
    items = [it for c in cats for it in c["items"]]
    return len(cats), len(items), sum((Decimal(str(it["points"])) for it in items), Decimal(0))


def sheet_total(sheet: Mapping[str, Any], scores: Sequence[Any]) -> tuple[Decimal, list[str]]:
    """Total of one filled sheet (`scores` in item order); each score within 0 and the item's points."""
    items = [it for c in sheet["categories"] for it in c["items"]]
    if len(scores) != len(items):
        return Decimal(0), [f"应填写 {len(items)} 项得分（现为 {len(scores)} 项）"]
    total, problems = Decimal(0), []
    for n, (item, raw) in enumerate(zip(items, scores, strict=True), 1):
        try:
            value = Decimal(str(raw))
        except Exception:
            problems.append(f"第 {n} 项得分不是数字")
            continue
        if not Decimal(0) <= value <= Decimal(str(item["points"])):
            problems.append(f"第 {n} 项得分应在 0–{item['points']} 之间")
        total += value
    return total, problems


# -- Credit score and grade ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class CreditWeights:
    """The formula's numbers. Invented defaults (the sources name the grades, not the formula): a district
    sets its own in GONGZHI_CREDIT_RULE (settings_store.credit_weights) and the page shows the rule with them."""

    complaint: Decimal = Decimal(2)  # per upheld complaint in the last four quarters
    terminated: Decimal = Decimal(10)  # per contract ended early for cause
    black: Decimal = Decimal(5)  # per black-list entry in the last four quarters
    red: Decimal = Decimal(1)  # per red-list entry (a bonus, capped at 100)
    no_evaluation: Decimal = Decimal(60)  # a company nobody has evaluated starts here
    blacklist_below: Decimal = Decimal(40)
    blacklist_black_entries: int = 3
    aaa: Decimal = Decimal(90)  # the lowest score of each grade; below `b` is C
    aa: Decimal = Decimal(80)
    a: Decimal = Decimal(70)
    b: Decimal = Decimal(60)


DEFAULT_WEIGHTS = CreditWeights()
GRADE_NAMES = ("AAA", "AA", "A", "B", "C")
BLACKLIST = "黑名单"


def grades(w: CreditWeights = DEFAULT_WEIGHTS) -> list[tuple[Decimal, str]]:
    """(lowest score, grade), best first."""
    return [(w.aaa, "AAA"), (w.aa, "AA"), (w.a, "A"), (w.b, "B"), (Decimal(0), "C")]


def weights_problems(w: CreditWeights) -> list[str]:
    """Grade floors must fall strictly from AAA to B within 0–100; penalties and the start are not negative."""
    problems = []
    floors = [w.aaa, w.aa, w.a, w.b]
    if not all(Decimal(100) >= x > y > Decimal(0) for x, y in pairwise(floors)):
        problems.append("信用等级分数线应满足 100 ≥ AAA > AA > A > B > 0")
    if min(w.complaint, w.terminated, w.black, w.red, w.no_evaluation, w.blacklist_below) < 0:
        problems.append("信用分的扣分、加分和起始分不能为负数")
    if w.blacklist_black_entries < 1:
        problems.append("列入黑名单的上黑榜次数应至少为 1")
    return problems


def _n(x: Decimal) -> str:
    return format(x.normalize(), "f")


def credit_rule_text(w: CreditWeights = DEFAULT_WEIGHTS) -> str:
    """The rule in words, with the numbers in force: shown beside every grade."""
    return (
        f"信用分 = 近四个季度考核平均分（无考核时按 {_n(w.no_evaluation)} 分） − {_n(w.complaint)}×成立的投诉"
        f" − {_n(w.terminated)}×因违约提前解除的合同 − {_n(w.black)}×上黑榜次数 + {_n(w.red)}×上红榜次数"
        f"（0–100）；AAA ≥ {_n(w.aaa)}，AA ≥ {_n(w.aa)}，A ≥ {_n(w.a)}，B ≥ {_n(w.b)}，C < {_n(w.b)}；"
        f"信用分低于 {_n(w.blacklist_below)} 或一年内 {w.blacklist_black_entries} 次上黑榜列入黑名单。"
        "此公式为本平台默认，由区里在设置中调整。"
    )


@dataclass(frozen=True)
class Credit:
    score: Decimal
    grade: str


def credit(
    *,
    evaluation_average: Decimal | None,
    complaints_upheld: int,
    contracts_terminated: int,
    black_entries: int,
    red_entries: int,
    weights: CreditWeights = DEFAULT_WEIGHTS,
) -> Credit:
    """The credit score (0–100, one decimal) and grade from the last four quarters (CREDIT_RULE)."""
    w = weights
    base = w.no_evaluation if evaluation_average is None else evaluation_average
    score = (
        base
        - w.complaint * complaints_upheld
        - w.terminated * contracts_terminated
        - w.black * black_entries
        + w.red * red_entries
    )
    score = min(Decimal(100), max(Decimal(0), score)).quantize(Decimal("0.1"), ROUND_HALF_UP)
    if score < w.blacklist_below or black_entries >= w.blacklist_black_entries:
        return Credit(score, BLACKLIST)
    grade = next(g for floor, g in grades(w) if score >= floor)
    return Credit(score, grade)


def quarter_of(day: Any) -> tuple[int, int]:
    return day.year, (day.month - 1) // 3 + 1


def quarters_back(year: int, quarter: int, n: int) -> list[tuple[int, int]]:
    """The `n` quarters ending with (year, quarter), newest first."""
    out = []
    for _ in range(n):
        out.append((year, quarter))
        year, quarter = (year - 1, 4) if quarter == 1 else (year, quarter - 1)
    return out
