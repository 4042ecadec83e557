"""Samples of the registry for the generated permission matrix (matrix_world folds FILLERS in): a cooperative
and a family farm inside the demo roles' places and one of each outside, on each side's community."""

from __future__ import annotations

from typing import Any

from gongzhi.agribiz.tests.kit import credit_code, make_coop, make_farm
from gongzhi.tests.matrix import Filler, Sample


def build(world: Any) -> None:
    """Called by matrix_world.build_world, inside the module's transaction."""
    samples = {}
    for inside in (True, False):
        village = world.side(inside).compound.community
        samples[inside] = (make_coop(village, credit_code=credit_code()), make_farm(village))
    world.__dict__["_agribiz"] = samples


def _sample(index: int) -> Filler:
    def fill(world: Any, inside: bool) -> Sample:
        obj = world.__dict__["_agribiz"][inside][index]
        return Sample({"pk": obj.pk}, obj)

    return fill


FILLERS: dict[str, Filler] = {
    **{
        name: _sample(0)
        for name in ("agribiz:coop", "agribiz:coop_edit", "agribiz:coop_report", "agribiz-coop-detail")
    },
    **{
        name: _sample(1)
        for name in ("agribiz:farm", "agribiz:farm_edit", "agribiz:farm_report", "agribiz-farm-detail")
    },
}
