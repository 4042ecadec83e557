"""The centre's catalogue figures: every place above a centre answers its centre's figures, computed once for
all the places holding the same centres (a city page and its district's), equal to each place asked alone."""

from __future__ import annotations

import pytest

from gongzhi.centre import indicators
from gongzhi.centre.tests.helpers import make_centre
from gongzhi.insights.batch import Batch
from gongzhi.places.models import Division
from gongzhi.tests.factories import load_divisions
from gongzhi.tests.queries import count_queries

pytestmark = pytest.mark.django_db


def test_places_holding_the_same_centre_share_one_computation() -> None:
    divisions = load_divisions()
    make_centre(divisions["370202001001"], rooms=3)
    city = Division.objects.get(code="3702")
    districts = list(Division.objects.filter(parent=city).order_by("code"))
    places = (city, *districts)
    alone = {p.path: indicators.figures(Batch((p,)))[p.path] for p in places}
    with count_queries() as ctx:
        together = indicators.figures(Batch(places))
    assert together == alone
    shinan = Division.objects.get(code="370202")
    assert together[city.path] == together[shinan.path]
    assert together[city.path]["centre_platforms"] == 3  # make_centre's three platforms, counted
    empty = [d for d in districts if d.code != "370202"]
    assert empty and all(together[d.path]["centre_platforms"] == 0 for d in empty)
    with count_queries() as one:
        indicators.figures(Batch((shinan,)))
    assert len(ctx) == len(one)  # the city costs nothing more than the district holding the centre
