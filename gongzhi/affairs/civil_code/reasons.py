"""One line of why a vote passed or failed, kept as a sentence code and its parameters.

The count decides; its reasons are a record read by owners in either language. So the law stores a code
and language-free parameters (numbers, areas as "1234.50", exact shares, dates, threshold codes) and
gongzhi.affairs.timeline words them when shown, the statute's article numbers in both languages.

Pure, no ORM, no wording: the sentences live beside the timeline's, in one table.
"""

from __future__ import annotations

import decimal
from decimal import Decimal
from fractions import Fraction
from typing import Any, NamedTuple


class Reason(NamedTuple):
    """A reason: ``code`` names the sentence, ``params`` fills it (strings and integers only)."""

    code: str
    params: dict[str, Any]

    def as_json(self) -> dict[str, Any]:
        """As ``Vote.reasons`` stores it."""
        return {"code": self.code, "params": dict(self.params)}


def reason(code: str, /, **params: Any) -> Reason:
    return Reason(code, params)


def met(ok: bool) -> str:
    """The code of a condition's verdict (worded 满足 / 不满足)."""
    return "met" if ok else "unmet"


def share(part: int | Decimal, whole: int | Decimal) -> dict[str, str]:
    """``share``: the exact reduced fraction ("823/1000"), ``percent``: a rounded percentage to read it by."""
    ratio = Fraction(part) / Fraction(whole)
    percent = Decimal(ratio.numerator * 100) / Decimal(ratio.denominator)
    percent = percent.quantize(Decimal("0.01"), rounding=decimal.ROUND_HALF_UP)
    exact = f"{ratio.numerator}/{ratio.denominator}" if ratio.denominator != 1 else str(ratio.numerator)
    return {"share": exact, "percent": str(percent)}
