"""The settings a county starts from (editable on /collectives/settings/), in one place: migration 0002
writes them, `services.settings_ensure` restores any that are missing (a flushed test database)."""

from __future__ import annotations

from decimal import Decimal

# subject: (longest term in years, yearly price per 亩 low, high). Assets: 《民法典》第七百零五条 (20 years).
LIMITS = {
    "land": (30, 300, 1500),
    "forest": (50, 20, 300),
    "water": (30, 200, 2000),
    "wasteland": (50, 20, 500),
    "asset": (20, None, None),
}
# figure: (weight, higher is better, full at, half at).
CRITERIA = {
    "contracts_unapproved_pct": (40, False, Decimal(0), Decimal(5)),
    "contracts_out_of_range_pct": (30, False, Decimal(2), Decimal(10)),
    "collective_income_avg_yuan": (30, True, Decimal(200_000), Decimal(100_000)),
}
FLOORS = {"exemplary": Decimal(85), "excellent": Decimal(60)}
MAJOR_YUAN = 50_000
