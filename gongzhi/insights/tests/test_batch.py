"""The batch interface: many places in one call, the same answers as one place at a time, old-style
providers still working through the adapter, and a cost that does not grow with the number of places."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.db.models import Count
from django.test.utils import CaptureQueriesContext

from gongzhi.core import registry
from gongzhi.core.registry import Figure
from gongzhi.insights.batch import Batch, common_prefix
from gongzhi.insights.registry import PlaceScope, values, values_many
from gongzhi.places.models import Compound, Division
from gongzhi.tests.factories import make_compound

pytestmark = pytest.mark.django_db


def everything(tree: Any) -> list[Division | Compound]:
    return [*Division.objects.order_by("code"), *Compound.objects.order_by("code")]


def test_many_places_at_once_answer_as_one_at_a_time(tree: Any) -> None:
    places = everything(tree)
    together = values_many(places)
    for place in places:
        assert together[place.path] == values(place), place


def test_only_the_figures_asked_for_are_answered(tree: Any) -> None:
    district = tree.d("370202")
    assert set(values(district, codes=["homes_total", "matters_total"])) == {"homes_total", "matters_total"}
    with CaptureQueriesContext(connection) as only_places:
        values(district, codes=["homes_total"])
    assert len(only_places) == 0  # the counters are on the place: no provider with queries is asked


def test_the_cost_does_not_grow_with_the_number_of_children(tree: Any) -> None:
    community = tree.d("370202001001")
    few = list(Compound.objects.filter(community=community))
    with CaptureQueriesContext(connection) as before:
        values_many([community, *few])
    for n in range(3):
        make_compound(community, f"加测小区{n}", buildings=1, units=1, floors=1, per_floor=1)
    more = list(Compound.objects.filter(community=community))
    assert len(more) == len(few) + 3
    with CaptureQueriesContext(connection) as after:
        values_many([community, *more])
    assert len(after) == len(before)


def old_style(scope: PlaceScope) -> dict[str, Any]:
    return {"test_old_style_depth": scope.path.count("/")}


def test_an_old_style_provider_keeps_working(tree: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    figure = Figure("test_old_style_depth", "测试层级", "Test depth", "级")
    monkeypatch.setattr(registry, "FIGURES", dict(registry.FIGURES))
    monkeypatch.setattr(registry, "PROVIDERS", list(registry.PROVIDERS))
    monkeypatch.setattr(registry, "PROVIDER_CODES", {k: set(v) for k, v in registry.PROVIDER_CODES.items()})
    registry.register_figures("test_app", f"{__name__}:old_style", [figure])
    places = [tree.d("370202"), tree.d("370202001"), tree.compounds[0]]
    found = values_many(places)
    for place in places:
        assert found[place.path]["test_old_style_depth"] == place.path.count("/")
    assert values(places[0], codes=["test_old_style_depth"]) == {
        "test_old_style_depth": places[0].path.count("/")
    }


def test_grouping_by_prefix_keeps_cousins_apart(tree: Any) -> None:
    subs = list(Division.objects.filter(level="subdistrict").order_by("code"))
    batch = Batch(tuple(subs))
    counted = batch.grouped(Compound.objects.all(), n=Count("id"))
    for sub in subs:
        assert counted[sub.path]["n"] == Compound.objects.filter(path__under=sub.path).count()
    assert common_prefix(["3702/370202/1/", "3702/370202/2/"]) == "3702/370202/"
    assert common_prefix(["3702/", "3703/"]) == ""


def _one_by_one(places: list[Any], **aggregates: Any) -> dict[str, dict[str, Any]]:
    """The aggregates of each place asked alone (one path length: the plain grouped query)."""
    return {p.path: Batch((p,)).grouped(Compound.objects.all(), **aggregates)[p.path] for p in places}


@pytest.mark.parametrize("code", ["3702", "370202", "370202001", "370202001001"])
def test_a_place_and_its_children_are_counted_in_one_query_equal_to_one_by_one(tree: Any, code: str) -> None:
    from django.db.models import Q, Sum

    for i in range(3):
        make_compound(tree.d("370202009001"), f"合并测算{i}", buildings=1, units=1, floors=1, per_floor=1)
    for i, pk in enumerate(Compound.objects.order_by("pk").values_list("pk", flat=True)):
        Compound.objects.filter(pk=pk).update(
            owners_total=i % 4, owners_delivered=0, total_area=i * 10, delivered_area=0
        )  # some 0, some more
    place = Division.objects.get(code=code)
    kids: list[Any] = list(Division.objects.filter(parent=place))
    places: list[Any] = [place, *(kids or Compound.objects.filter(community=place))]
    aggregates: dict[str, Any] = {
        "n": Count("id"),
        "big": Count("id", filter=Q(owners_total__gte=2)),
        "owners": Sum("owners_total"),
        "area": Sum("total_area"),
    }
    with CaptureQueriesContext(connection) as ctx:
        together = Batch(tuple(places)).grouped(Compound.objects.all(), **aggregates)
    assert len(ctx.captured_queries) == 1
    assert together == _one_by_one(places, **aggregates)
    assert together[place.path]["n"] == Compound.objects.filter(path__under=place.path).count() > 0


def test_distinct_counts_and_unrelated_places_keep_one_query_per_length(tree: Any) -> None:
    district = tree.d("370202")
    subs = list(Division.objects.filter(parent=district))
    distinct: dict[str, Any] = {"n": Count("community", distinct=True)}
    with CaptureQueriesContext(connection) as ctx:
        found = Batch((district, *subs)).grouped(Compound.objects.all(), **distinct)
    assert len(ctx.captured_queries) == 2  # a DISTINCT count does not add up over the children
    assert found == _one_by_one([district, *subs], **distinct)
    compound = tree.compounds[0]  # not a child of the district: grouping by its length would read them all
    with CaptureQueriesContext(connection) as ctx:
        found = Batch((district, compound)).grouped(Compound.objects.all(), n=Count("id"))
    assert len(ctx.captured_queries) == 2
    assert found == _one_by_one([district, compound], n=Count("id"))
