"""Test helpers of the centre: a centre with rooms and a catalogue, written through the services."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from gongzhi.centre import services as centre
from gongzhi.centre.services_items import NewItem, service_items_bulk_create
from gongzhi.places.models import Division
from gongzhi.tests.factories import SYSTEM


@dataclass
class CentreWorld:
    centre: Any
    spaces: list[Any]
    items: list[Any]


def make_centre(division: Division, *, rooms: int = 4) -> CentreWorld:
    """A centre under `division` with its three platforms, `rooms` offices of 100 ㎡ and a catalogue of three
    items (government, finance, talent), written through the services."""
    c = centre.centre_create(actor=SYSTEM, name="测试服务中心", division=division, tower="测试大厦")
    spaces = centre.space_bulk_create(
        actor=SYSTEM,
        centre=c,
        rows=[
            {"floor": 10 + i // 10, "number": f"{1001 + i}", "area": Decimal("100"), "use": "office"}
            for i in range(rooms)
        ],
    )
    items = service_items_bulk_create(
        actor=SYSTEM,
        centre=c,
        rows=[
            NewItem("government", "企业开办", "区行政审批服务局", 3),
            NewItem("finance", "科技信贷", "合作银行", 10),
            NewItem("talent", "人才住房", "区人才服务中心", 5),
        ],
    )
    return CentreWorld(c, spaces, items)
