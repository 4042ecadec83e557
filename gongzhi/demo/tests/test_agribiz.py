"""The agribiz demo step on 平度市's real towns and villages: the catalogue's figures count 5,627 cooperatives
and 4,257 family farms (the source's numbers, the generator's input) from the rows; a second run writes nothing
and still reports the counts."""

from __future__ import annotations

import pytest

from gongzhi.agribiz.models import CoopProfile
from gongzhi.demo.agribiz import PINGDU, build_agribiz
from gongzhi.demo.tests.test_collectives import pingdu_rows
from gongzhi.insights.registry import values_many
from gongzhi.places.models import Division
from gongzhi.tests.factories import load_divisions

pytestmark = pytest.mark.django_db


def test_pingdu_counts_come_from_the_rows_through_the_figures() -> None:
    load_divisions(pingdu_rows())
    made = build_agribiz(seed=7)
    pingdu = Division.objects.get(code=PINGDU)
    figures = values_many([pingdu], codes=["cooperatives", "family_farms"])[pingdu.path]
    assert figures == {"cooperatives": 5_627, "family_farms": 4_257}
    assert (made.pingdu_cooperatives, made.pingdu_family_farms) == (5_627, 4_257)
    # Only 平度市 is loaded here: the other districts of the generator's table are skipped, not invented.
    assert made.cooperatives == CoopProfile.objects.count() == 5_627
    # Bulk registers keep history like single ones: one creation row per cooperative, naming why.
    assert CoopProfile.history.filter(history_type="+").count() == 5_627
    again = build_agribiz(seed=7)
    assert not again.created and (again.pingdu_cooperatives, again.reports) == (5_627, made.reports)
