"""Rules for homes and buildings as pure functions: each returns a message in the reader's language, or "" when the value is fine.

The single-row services, the bulk services and the homes ledger's check all call these, so a rule and its
message live in one place. The 专有部分面积 is the registered exclusive area (Civil Code art. 278 counts
owners' votes by it), hence positive and to the hundredth of a square metre as the register records it.
"""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext as _

MAX_UNITS = 20
MAX_FLOORS = 80
MAX_PER_FLOOR = 12


def area_problem(area: Decimal) -> str:
    if area <= 0:
        return _("面积应大于 0")
    if area != area.quantize(Decimal("0.01")):
        return _("面积最多两位小数")
    return ""


def unit_problem(unit_no: int, units: int = MAX_UNITS) -> str:
    if not 1 <= unit_no <= units:
        return _("单元应在 1–%(units)d 之间") % {"units": units}
    return ""


def building_shape_problem(units: int, floors: int, per_floor: int = 1) -> str:
    if not (1 <= units <= MAX_UNITS and 1 <= floors <= MAX_FLOORS and 1 <= per_floor <= MAX_PER_FLOOR):
        return _("单元 1–%(units)d，层数 1–%(floors)d，每层户数 1–%(per_floor)d") % {
            "units": MAX_UNITS,
            "floors": MAX_FLOORS,
            "per_floor": MAX_PER_FLOOR,
        }
    return ""


def home_problem(*, area: Decimal, unit_no: int | None = None, units: int = MAX_UNITS) -> str:
    """The first thing wrong with a home's figures, or ""."""
    return area_problem(area) or (unit_problem(unit_no, units) if unit_no is not None else "")
