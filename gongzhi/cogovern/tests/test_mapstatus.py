"""The map's per-compound status rows: kept by the services, rebuilt by the command, and giving the map the
same values as the full computation (selectors.compound_states) on any day."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import timezone

from gongzhi.accounts.roles import Role
from gongzhi.cogovern import mapstatus, rules, selectors, services
from gongzhi.cogovern.models import CompoundStatus
from gongzhi.cogovern.tests.kit import ACTOR, build_kit
from gongzhi.places.models import Compound
from gongzhi.tests.factories import PersonFactory, user_with
from gongzhi.tests.queries import count_queries

pytestmark = pytest.mark.django_db


def _view(states):  # type: ignore[no-untyped-def]
    return {
        s.code: (s.management_type, s.required, s.trigger, s.status, s.red, s.company, s.term_end)
        for s in states
    }


def _world(tree):  # type: ignore[no-untyped-def]
    """Compounds in different states, each made through the services."""
    today = timezone.localdate()
    a, b, c, d = tree.compounds[:4]
    build_kit(a)  # committee formed, red company serving until today + 60
    services.assembly_apply(actor=ACTOR, compound=b, applied_on=today - timedelta(days=5))  # preparing
    services.assembly_exempt(actor=ACTOR, compound=c, reason="全体业主一致同意不成立业主大会")
    people = [PersonFactory.create() for _ in range(3)]
    start = today - timedelta(days=5 * 365 + 30)
    services.committee_elect(  # a term that has run out
        actor=ACTOR,
        compound=d,
        elected_on=start,
        term_start=start,
        term_end=rules.latest_term_end(start),
        seats=[(people[0].pk, "chair"), (people[1].pk, "member"), (people[2].pk, "member")],
    )
    return a, b, c, d


def test_map_states_equal_the_full_computation_on_any_day(tree) -> None:
    _world(tree)
    today = timezone.localdate()
    path = tree.d("370202").path
    for day in (today, today + timedelta(days=61), today + timedelta(days=2000)):
        fast, full = mapstatus.map_states(path, day), selectors.compound_states(path, day)
        assert _view(fast) == _view(full), day
    statuses = {s.status for s in mapstatus.map_states(path)}
    assert {rules.Status.FORMED, rules.Status.PREPARING, rules.Status.EXPIRED} <= statuses


def test_each_service_moves_the_row_of_its_compound(tree) -> None:
    a, *_ = _world(tree)
    path = a.path
    (state,) = mapstatus.map_states(path)
    assert (state.status, state.red) == (rules.Status.FORMED, selectors.RedStatus.RED)
    contract = a.contracts.get()  # type: ignore[attr-defined]
    services.contract_terminate(actor=ACTOR, contract=contract, on=timezone.localdate(), for_cause=False)
    (state,) = mapstatus.map_states(path, timezone.localdate() + timedelta(days=1))
    assert state.red == selectors.RedStatus.NONE
    assert CompoundStatus.objects.get(compound=a).company == ""


def test_the_command_rebuilds_rows_lost_to_a_bulk_load(tree) -> None:
    _world(tree)
    path = tree.d("370202").path
    before = _view(mapstatus.map_states(path))
    CompoundStatus.objects.all().delete()
    assert _view(mapstatus.map_states(path)) != before  # without rows nothing of this app shows
    out = StringIO()
    call_command("cogovern_status_rebuild", place="370202", stdout=out)
    assert f"{Compound.objects.filter(path__under=path).count()} 个小区" in out.getvalue()
    assert _view(mapstatus.map_states(path)) == before


def test_the_command_refuses_an_unknown_place(tree) -> None:
    with pytest.raises(CommandError, match="没有区划代码为 999 的区划"):
        call_command("cogovern_status_rebuild", place="999")


def test_the_map_data_is_one_query_of_compounds(tree) -> None:
    """Query pin: besides the log-in and the place, the GeoJSON reads the compounds with their status rows
    once, and nothing else of this app."""
    _world(tree)
    client = Client()
    client.force_login(user_with(Role.COMMUNITY_WORKER, tree.compounds[0].community))
    with count_queries() as q:
        data = client.get(f"/cogovern/map/{tree.compounds[0].community.code}/data.geojson").json()
    sql = [x["sql"] for x in q.captured_queries]
    assert len(data["features"]) == 2
    reads = [s for s in sql if "places_compound" in s]
    assert len(reads) == 1 and "cogovern_compoundstatus" in reads[0]
    assert not [s for s in sql if "cogovern_" in s and s not in reads]
