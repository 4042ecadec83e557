"""The indicator catalogue: every figure is declared, returned where it applies, and computed from the data."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from gongzhi.accounts.roles import Role
from gongzhi.affairs import services as affairs
from gongzhi.affairs.models import MatterCategory
from gongzhi.affairs.seeds import ensure_seeded
from gongzhi.core import registry
from gongzhi.insights.batch import Batch
from gongzhi.insights.registry import PlaceScope, batch_providers, catalogue, indicators, values
from gongzhi.places.models import Compound, Division
from gongzhi.tests.factories import make_compound, user_with

pytestmark = pytest.mark.django_db


def places(tree: Any) -> list[Division | Compound]:
    return [tree.d("3702"), tree.d("370202"), tree.d("370202001"), tree.d("370202001001"), tree.compounds[0]]


def test_every_figure_a_provider_returns_is_catalogued(tree: Any) -> None:
    assert batch_providers(), "no app registered a provider"
    batch = Batch(tuple(places(tree)))
    for provider in batch_providers():
        for path, answers in provider(batch).items():
            assert path in batch.paths
            returned = set(answers)
            assert returned <= set(registry.FIGURES), (provider.__module__, returned - set(registry.FIGURES))


def test_every_catalogued_figure_is_returned_where_it_applies(tree: Any) -> None:
    for place in places(tree):
        level = PlaceScope(place).level
        body = indicators(place)
        wanted = {f.code for f in catalogue(level)}
        assert wanted, level
        assert {f["code"] for f in body["figures"]} == wanted
        assert all(code in body for code in wanted)  # the flat values stay for existing clients


def test_each_figure_is_declared_fully() -> None:
    for figure in registry.FIGURES.values():
        assert figure.code and figure.label_zh and figure.label_en and figure.unit and figure.app, figure
        assert figure.levels and figure.levels <= set(registry.LEVELS), figure


def test_figures_follow_the_data(tree: Any) -> None:
    ensure_seeded()
    community = tree.d("370202001001")
    before = values(community)
    compound, _b, homes = make_compound(community, "新建小区", buildings=2, units=1, floors=2, per_floor=2)
    affairs.matter_raise(
        actor=user_with(Role.COMMUNITY_WORKER, community),
        compound=compound,
        title="加装电梯",
        category=MatterCategory.objects.get(code="road"),
    )
    community.refresh_from_db()
    after = values(community)
    assert after["compounds_total"] == before["compounds_total"] + 1
    assert after["buildings_total"] == before["buildings_total"] + 2
    assert after["homes_total"] == before["homes_total"] + len(homes)
    assert after["matters_total"] == before["matters_total"] + 1
    assert values(tree.d("370203"))["matters_total"] == 0  # another district is untouched


def test_the_api_returns_values_with_their_catalogue_entries(tree: Any) -> None:
    client = Client()
    client.force_login(user_with(Role.COMMUNITY_WORKER, tree.d("370202001001")))
    body = client.get("/api/v1/indicators/?place=370202001001").json()
    homes = next(f for f in body["figures"] if f["code"] == "homes_total")
    assert homes["value"] == body["homes_total"] == tree.d("370202001001").homes_count
    assert (homes["label_zh"], homes["label_en"], homes["unit"]) == ("房屋数", "Homes", "户")
    assert "community" in homes["levels"]


def test_the_catalogue_endpoint_lists_every_figure(tree: Any) -> None:
    client = Client()
    client.force_login(user_with(Role.RESIDENT, tree.compounds[0]))
    listed = client.get("/api/v1/indicators/catalogue/").json()["results"]
    assert [f["code"] for f in listed] == list(registry.FIGURES)
    at_compound = client.get("/api/v1/indicators/catalogue/?level=compound").json()["results"]
    assert {f["code"] for f in at_compound} == {f.code for f in catalogue("compound")}
    bad = client.get("/api/v1/indicators/catalogue/?level=galaxy")
    assert bad.status_code == 400 and "unknown level" in bad.json()["level"]


def test_a_figure_code_belongs_to_one_app() -> None:
    figure = next(iter(registry.FIGURES.values()))
    with pytest.raises(ValueError, match="registered by"):
        registry.register_figures("another_app", "x:y", [figure])
