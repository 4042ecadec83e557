"""The tally of a vote: 民法典 第二百七十八条 第二款, exact arithmetic, with the reasons in words.

Pure functions, no ORM; the sources are cited beside each rule (see gongzhi.affairs.civil_code).
"""

from __future__ import annotations

import decimal
from collections.abc import Hashable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import TypeVar

from gongzhi.affairs.civil_code.electorate import (
    Electorate,
    _exact_context,
)
from gongzhi.affairs.civil_code.items import (
    Item,
    Opinion,
    Threshold,
    participation_threshold,
    threshold_for,
)

OwnerKeyT = TypeVar("OwnerKeyT", bound=Hashable)


# --------------------------------------------------------------------------------------------------------
# The tally: 民法典 第二百七十八条 第二款
# --------------------------------------------------------------------------------------------------------


def format_area(area: Decimal) -> str:
    """Two decimals, as areas are registered (e.g. "1234.50"); display only, never for deciding."""
    return f"{area.quantize(Decimal('0.01'), rounding=decimal.ROUND_HALF_UP, context=_wide()):f}"


def _wide() -> decimal.Context:
    return decimal.Context(prec=200)


def _share(part: int | Decimal, whole: int | Decimal) -> str:
    """ "823/1000（≈82.30%）": the exact reduced fraction, and a rounded percentage to read it by."""
    ratio = Fraction(part) / Fraction(whole)
    percent = Decimal(ratio.numerator * 100) / Decimal(ratio.denominator)
    percent = percent.quantize(Decimal("0.01"), rounding=decimal.ROUND_HALF_UP)
    exact = f"{ratio.numerator}/{ratio.denominator}" if ratio.denominator != 1 else str(ratio.numerator)
    return f"{exact}（≈{percent}%）"


def _verdict(ok: bool) -> str:
    return "满足" if ok else "不满足"


@dataclass(frozen=True)
class TallyResult:
    """Every figure of a closed vote and why it passed or failed.

    ``as_json_dict`` gives the public figures with areas as two-decimal strings.
    """

    item: Item
    homes: int
    owners_total: int
    area_total: Decimal
    owners_voted: int
    area_voted: Decimal
    owners_agree: int
    area_agree: Decimal
    owners_against: int
    area_against: Decimal
    owners_abstain: int
    area_abstain: Decimal
    participation_met: bool
    approval_met: bool
    passed: bool
    threshold: str
    participation: str
    reasons: tuple[str, ...]

    def as_json_dict(self) -> dict[str, object]:
        """The figures the issue fixes for ``tally_ballots --json`` (areas as "1234.50")."""
        return {
            "homes": self.homes,
            "owners_total": self.owners_total,
            "area_total": format_area(self.area_total),
            "owners_voted": self.owners_voted,
            "area_voted": format_area(self.area_voted),
            "owners_agree": self.owners_agree,
            "area_agree": format_area(self.area_agree),
            "participation_met": self.participation_met,
            "approval_met": self.approval_met,
            "passed": self.passed,
            "threshold": self.threshold,
            "reasons": list(self.reasons),
        }


def as_opinion(value: Opinion | str) -> Opinion:
    if isinstance(value, Opinion):
        return value
    try:
        return Opinion(value)
    except ValueError:
        return Opinion.from_label(value)


def tally(
    electorate: Electorate,
    opinions: Mapping[OwnerKeyT, Opinion | str | None],
    item: Item | int,
    *,
    participation: Threshold | None = None,
    approval: Threshold | None = None,
) -> TallyResult:
    """Count a vote on ``item`` of 民法典 第二百七十八条.

    第二百七十八条 第二款: owners holding 2/3 以上 of the exclusive area AND 2/3 以上 of the headcount
    take part; items (六)–(八) pass with 3/4 以上 of the participating area AND participating headcount
    agreeing, the others with 过半数 of each. 第一千二百五十九条: 以上 includes the number itself, so
    exactly 2/3 and exactly 3/4 suffice; 过半数 does not, so exactly 1/2 fails. Abstentions take part but
    do not agree.

    ``opinions`` maps owner keys (as in the electorate; ``DEVELOPER`` for the developer) to an Opinion,
    its value or its Chinese label; a missing key or ``None`` is an owner who did not vote. A key outside
    the electorate raises ``ValueError``: a ballot from someone who is not an owner in scope must not be
    counted, nor silently dropped.

    ``participation`` / ``approval`` let a local rule set (e.g. unit-scope elevator votes) apply stricter
    thresholds; one laxer than the statute raises ``ValueError``, since the Civil Code is the floor.
    """
    item = Item(item)
    statutory_approval = threshold_for(item)
    participation = participation or participation_threshold()
    approval = approval or statutory_approval
    if not participation.at_least_as_strict_as(participation_threshold()):
        raise ValueError(f"participation {participation.code} is laxer than the Civil Code's 2/3")
    if not approval.at_least_as_strict_as(statutory_approval):
        raise ValueError(f"approval {approval.code} is laxer than the Civil Code's {statutory_approval.code}")

    area_by_owner = electorate.area_by_owner
    ctx = _exact_context()
    heads = {Opinion.AGREE: 0, Opinion.AGAINST: 0, Opinion.ABSTAIN: 0}
    areas = {Opinion.AGREE: Decimal(0), Opinion.AGAINST: Decimal(0), Opinion.ABSTAIN: Decimal(0)}
    for owner, raw in opinions.items():
        if raw is None:
            continue
        area = area_by_owner.get(owner)
        if area is None:
            raise ValueError(f"ballot from {owner!r}, who is not an owner in the scope of this vote")
        opinion = as_opinion(raw)
        heads[opinion] += 1
        areas[opinion] = ctx.add(areas[opinion], area)

    owners_total = electorate.owners_total
    area_total = electorate.area_total
    owners_voted = sum(heads.values())
    area_voted = ctx.add(ctx.add(areas[Opinion.AGREE], areas[Opinion.AGAINST]), areas[Opinion.ABSTAIN])
    owners_agree = heads[Opinion.AGREE]
    area_agree = areas[Opinion.AGREE]

    reasons: list[str] = []
    law = "民法典第二百七十八条第二款"
    if owners_total == 0 or area_total == 0:
        reasons.append(
            f"表决范围内没有专有部分（业主人数为 0、总面积为 0），无从计算比例，不能形成决定（{law}）"
        )
        participation_met = approval_met = False
    else:
        area_part_ok = participation.met(area_voted, area_total)
        heads_part_ok = participation.met(owners_voted, owners_total)
        participation_met = area_part_ok and heads_part_ok
        reasons.append(
            f"参与表决专有部分面积 {format_area(area_voted)}㎡ / 总面积 {format_area(area_total)}㎡ = "
            f"{_share(area_voted, area_total)}，要求 {participation.symbol}（{participation.wording}）："
            f"{_verdict(area_part_ok)}"
        )
        reasons.append(
            f"参与表决业主 {owners_voted} 人 / 业主总人数 {owners_total} 人 = "
            f"{_share(owners_voted, owners_total)}，要求 {participation.symbol}（{participation.wording}）："
            f"{_verdict(heads_part_ok)}"
        )
        if owners_voted == 0 or area_voted == 0:
            reasons.append("无人参与表决，同意比例无从计算，不能形成决定")
            approval_met = False
        else:
            area_ok = approval.met(area_agree, area_voted)
            heads_ok = approval.met(owners_agree, owners_voted)
            approval_met = area_ok and heads_ok
            reasons.append(
                f"同意的专有部分面积 {format_area(area_agree)}㎡ / "
                f"参与表决面积 {format_area(area_voted)}㎡ = "
                f"{_share(area_agree, area_voted)}，要求 {approval.symbol}（{approval.wording}）："
                f"{_verdict(area_ok)}"
            )
            reasons.append(
                f"同意业主 {owners_agree} 人 / 参与表决业主 {owners_voted} 人 = "
                f"{_share(owners_agree, owners_voted)}，要求 {approval.symbol}（{approval.wording}）："
                f"{_verdict(heads_ok)}"
            )
        if heads[Opinion.ABSTAIN]:
            reasons.append(f"弃权 {heads[Opinion.ABSTAIN]} 人计入参与表决，但不计入同意")

    passed = participation_met and approval_met
    rule = f"{item.ordinal}，参与表决者{approval.wording}同意"
    if passed:
        reasons.append(f"结论：通过（{law}，{rule}）")
    else:
        missing = []
        if not participation_met:
            missing.append("参与表决的面积和人数未同时达到要求")
        if not approval_met:
            missing.append("同意的面积和人数未同时达到要求")
        reasons.append(f"结论：未通过——{'；'.join(missing)}（{law}，{rule}）")

    return TallyResult(
        item=item,
        homes=electorate.homes,
        owners_total=owners_total,
        area_total=area_total,
        owners_voted=owners_voted,
        area_voted=area_voted,
        owners_agree=owners_agree,
        area_agree=area_agree,
        owners_against=heads[Opinion.AGAINST],
        area_against=areas[Opinion.AGAINST],
        owners_abstain=heads[Opinion.ABSTAIN],
        area_abstain=areas[Opinion.ABSTAIN],
        participation_met=participation_met,
        approval_met=approval_met,
        passed=passed,
        threshold=approval.code,
        participation=participation.code,
        reasons=tuple(reasons),
    )
