"""Samples of the registry for the generated permission matrix (matrix_world folds FILLERS in): a cooperative
and a family farm inside the demo roles' places and one of each outside, on each side's community."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils import timezone

from gongzhi.agribiz import services
from gongzhi.agribiz.tests.kit import credit_code, make_coop, make_farm
from gongzhi.tests.factories import SYSTEM
from gongzhi.tests.matrix import Filler, Sample


def build(world: Any) -> None:
    """Called by matrix_world.build_world, inside the module's transaction."""
    samples = {}
    for inside in (True, False):
        village = world.side(inside).compound.community
        coop, farm = make_coop(village, credit_code=credit_code()), make_farm(village)
        year = timezone.localdate().year - 1
        coop_report = services.coop_report_file(
            actor=SYSTEM,
            profile=coop,
            year=year,
            members=12,
            revenue_yuan=100_000,
            surplus_returned_yuan=10_000,
            land_mu=Decimal(300),
        )
        farm_report = services.farm_report_file(
            actor=SYSTEM, farm=farm, year=year, revenue_yuan=50_000, land_mu=Decimal(150), labour=3
        )
        samples[inside] = (coop, farm, coop_report, farm_report)
    world.__dict__["_agribiz"] = samples


def _sample(index: int) -> Filler:
    def fill(world: Any, inside: bool) -> Sample:
        obj = world.__dict__["_agribiz"][inside][index]
        return Sample({"pk": obj.pk}, obj)

    return fill


FILLERS: dict[str, Filler] = {
    **{
        name: _sample(0)
        for name in (
            "agribiz:coop",
            "agribiz:coop_edit",
            "agribiz:coop_members",
            "agribiz:coop_report",
            "agribiz-coop-detail",
        )
    },
    **{
        name: _sample(1)
        for name in ("agribiz:farm", "agribiz:farm_edit", "agribiz:farm_report", "agribiz-farm-detail")
    },
    "agribiz-coopreport-detail": _sample(2),
    "agribiz-farmreport-detail": _sample(3),
}
