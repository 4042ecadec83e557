"""The tally of a vote: 民法典 第二百七十八条 第二款, exact arithmetic, with the reasons as codes.

Pure functions, no ORM; the sources are cited beside each rule (see gongzhi.affairs.civil_code).
"""

from __future__ import annotations

import decimal
from collections.abc import Hashable, Mapping
from dataclasses import dataclass
from decimal import Decimal
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
from gongzhi.affairs.civil_code.reasons import Reason, met, reason, share

OwnerKeyT = TypeVar("OwnerKeyT", bound=Hashable)


# --------------------------------------------------------------------------------------------------------
# The tally: 民法典 第二百七十八条 第二款
# --------------------------------------------------------------------------------------------------------


def format_area(area: Decimal) -> str:
    """Two decimals, as areas are registered (e.g. "1234.50"); display only, never for deciding."""
    return f"{area.quantize(Decimal('0.01'), rounding=decimal.ROUND_HALF_UP, context=_wide()):f}"


def _wide() -> decimal.Context:
    return decimal.Context(prec=200)


@dataclass(frozen=True)
class TallyResult:
    """Every figure of a closed vote and why it passed or failed.

    ``as_json_dict`` gives the public figures with areas as two-decimal strings. ``reasons`` are codes and
    parameters (civil_code.reasons), worded in the reader's language where shown.
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
    reasons: tuple[Reason, ...]
    owners_invalid: int = 0
    area_invalid: Decimal = Decimal(0)
    invalid_participates: bool = True

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
            "reasons": [r.as_json() for r in self.reasons],
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
    invalid_participates: bool = True,
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

    An invalid ballot (废票) never agrees. ``invalid_participates`` (a rules-of-procedure setting) says
    whether it takes part: by default it does, since 第二百七十八条 counts the owners who "参与表决", and an
    owner who handed in a ballot took part, as with an abstention.
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
    heads = dict.fromkeys(Opinion, 0)
    areas = dict.fromkeys(Opinion, Decimal(0))
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
    taking_part = [Opinion.AGREE, Opinion.AGAINST, Opinion.ABSTAIN]
    if invalid_participates:
        taking_part.append(Opinion.INVALID)
    owners_voted = sum(heads[o] for o in taking_part)
    area_voted = Decimal(0)
    for o in taking_part:
        area_voted = ctx.add(area_voted, areas[o])
    owners_agree = heads[Opinion.AGREE]
    area_agree = areas[Opinion.AGREE]

    # The sentences (gongzhi.affairs.timeline) cite 民法典第二百七十八条第二款 in every line that decides.
    reasons: list[Reason] = []
    if owners_total == 0 or area_total == 0:
        reasons.append(reason("r.no_owners"))
        participation_met = approval_met = False
    else:
        area_part_ok = participation.met(area_voted, area_total)
        heads_part_ok = participation.met(owners_voted, owners_total)
        participation_met = area_part_ok and heads_part_ok
        need = {"symbol": participation.symbol, "threshold": participation.code}
        reasons.append(
            reason(
                "r.part_area",
                part=format_area(area_voted),
                whole=format_area(area_total),
                **share(area_voted, area_total),
                **need,
                met=met(area_part_ok),
            )
        )
        reasons.append(
            reason(
                "r.part_heads",
                part=owners_voted,
                whole=owners_total,
                **share(owners_voted, owners_total),
                **need,
                met=met(heads_part_ok),
            )
        )
        if owners_voted == 0 or area_voted == 0:
            reasons.append(reason("r.nobody"))
            approval_met = False
        else:
            area_ok = approval.met(area_agree, area_voted)
            heads_ok = approval.met(owners_agree, owners_voted)
            approval_met = area_ok and heads_ok
            need = {"symbol": approval.symbol, "threshold": approval.code}
            reasons.append(
                reason(
                    "r.agree_area",
                    part=format_area(area_agree),
                    whole=format_area(area_voted),
                    **share(area_agree, area_voted),
                    **need,
                    met=met(area_ok),
                )
            )
            reasons.append(
                reason(
                    "r.agree_heads",
                    part=owners_agree,
                    whole=owners_voted,
                    **share(owners_agree, owners_voted),
                    **need,
                    met=met(heads_ok),
                )
            )
        if heads[Opinion.ABSTAIN]:
            reasons.append(reason("r.abstain", n=heads[Opinion.ABSTAIN]))
        if heads[Opinion.INVALID]:
            reasons.append(
                reason(
                    "r.invalid_counted" if invalid_participates else "r.invalid_excluded",
                    n=heads[Opinion.INVALID],
                    area=format_area(areas[Opinion.INVALID]),
                )
            )

    passed = participation_met and approval_met
    rule = {"ordinal": item.value, "threshold": approval.code}
    if passed:
        reasons.append(reason("r.passed", **rule))
    else:
        short = [
            name for name, ok in (("participation", participation_met), ("approval", approval_met)) if not ok
        ]
        reasons.append(reason("r.failed", why="+".join(short), **rule))

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
        owners_invalid=heads[Opinion.INVALID],
        area_invalid=areas[Opinion.INVALID],
        invalid_participates=invalid_participates,
    )
