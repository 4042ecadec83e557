"""The insights store (gongzhi.insights.store), tested here beside the apps whose writes it must see: stored answers equal the live computation after any write — through the services,
around them (a raw update, a delete, plain SQL) — on another day and under other code; read back in two
queries whatever the data; never stored when a computation read a table without a trigger."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gongzhi.accounts.roles import Role
from gongzhi.affairs import services as affairs
from gongzhi.affairs.models import Matter, MatterCategory, Status
from gongzhi.affairs.seeds import ensure_seeded
from gongzhi.cogovern.services import compound_status_refresh
from gongzhi.core import registry
from gongzhi.core.bulk import insert_rows
from gongzhi.insights import store
from gongzhi.insights.batch import Batch
from gongzhi.insights.models import SourceChanges, StoredFigures
from gongzhi.insights.registry import values_many
from gongzhi.party.models import CompoundPartyStats
from gongzhi.places.models import Compound, Division
from gongzhi.tests.factories import SYSTEM, make_compound, user_with
from gongzhi.tests.queries import count_queries, describe

pytestmark = pytest.mark.django_db


def page(tree: Any) -> list[Division | Compound]:
    """What the district's dashboard asks: the district and its subdistricts, and a few compounds."""
    district = tree.d("370202")
    return [district, *Division.objects.filter(parent=district).order_by("code"), *tree.compounds[:3]]


def live(places: list[Any]) -> dict[str, dict[str, Any]]:
    return values_many(places)


def kept(places: list[Any]) -> dict[str, dict[str, Any]]:
    return values_many(places, stored="keep")


def raise_matter(compound: Compound) -> Matter:
    ensure_seeded()
    return affairs.matter_raise(
        actor=SYSTEM, compound=compound, title="路面坑洼", category=MatterCategory.objects.order_by("pk")[0]
    )


def test_answers_are_stored_and_read_back_in_two_queries(tree: Any) -> None:
    places = page(tree)
    assert kept(places) == live(places)
    assert StoredFigures.objects.filter(path=tree.d("370202").path).count() == len(store.providers_stored())
    with count_queries() as queries:
        again = kept(places)
    assert again == live(places)
    assert len(queries) == 2  # the tables' state, the stored rows — no row any figure counts is read


def test_a_write_through_a_service_is_seen(tree: Any) -> None:
    places = page(tree)
    before = kept(places)
    raise_matter(tree.compounds[0])
    after = kept(places)
    assert after == live(places)
    assert after[tree.d("370202").path]["matters_total"] == before[tree.d("370202").path]["matters_total"] + 1


def test_writes_around_the_services_are_seen(tree: Any) -> None:
    places = page(tree)
    matter = raise_matter(tree.compounds[0])
    raised = matter.status
    kept(places)
    with connection.cursor() as cur:  # plain SQL, as psql would: no service, no signal
        cur.execute(f"UPDATE {Matter._meta.db_table} SET status = %s", [Status.RESOLVED])
    assert kept(places) == live(places)
    assert kept(places)[tree.d("370202").path]["matters_resolved"] == 1
    Matter.objects.filter(pk=matter.pk).update(status=raised)  # a raw update
    assert kept(places) == live(places)
    assert kept(places)[tree.d("370202").path]["matters_resolved"] == 0
    CompoundPartyStats.objects.create(compound=tree.compounds[1], path=tree.compounds[1].path, members=7)
    assert kept(places) == live(places)


def test_a_bulk_load_is_seen(tree: Any) -> None:
    """COPY on PostgreSQL, executemany on SQLite (core.bulk.insert_rows) fire the triggers too."""
    places = page(tree)
    kept(places)
    compound = tree.compounds[0]
    CompoundPartyStats.objects.filter(compound=compound).delete()
    kept(places)
    columns = "compound path members full_members probationary_members counted_members qualifies"
    columns += " has_own_org covered building_groups central_households homes_linked top_ungrouped_building"
    insert_rows(
        CompoundPartyStats,
        [*columns.split(), "top_household_links"],
        [(compound.pk, compound.path, 9, 9, 0, 9, True, False, True, 3, 1, 4, 0, 0)],
    )
    assert kept(places) == live(places)
    assert kept(places)[tree.d("370202").path]["building_party_groups"] >= 3


def test_another_day_or_other_code_computes_again(tree: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    places = page(tree)
    kept(places)
    tomorrow = timezone.localdate() + timedelta(days=1)
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: tomorrow)
    with count_queries() as next_day:
        kept(places)
    assert len(next_day) > 2  # computed again (and stored for the new day)
    monkeypatch.setattr(store, "code_version", lambda: "a newer deploy")
    with count_queries() as new_code:
        kept(places)
    assert len(new_code) > 2


def test_a_table_without_a_trigger_keeps_the_provider_live(
    tree: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    places = page(tree)
    SourceChanges.objects.filter(table_name=Matter._meta.db_table).delete()  # as if never watched
    kept(places)
    affairs_provider = "gongzhi.affairs.indicators:figures"
    assert not StoredFigures.objects.filter(provider=affairs_provider).exists()
    assert StoredFigures.objects.filter(provider="gongzhi.party.indicators:figures").exists()
    raise_matter(tree.compounds[0])
    assert kept(places) == live(places)


def test_every_table_a_provider_reads_is_watched(tree: Any) -> None:
    """The sources each app declares cover what its provider's SQL names (else it is only slower)."""
    watched = set(store.watched_tables())
    raise_matter(tree.compounds[0])
    places = tuple(page(tree))
    for target in store.providers_stored():
        with store.reading() as tables:
            store._load(target)(Batch(places))
        assert tables <= watched, f"{target} reads unwatched {sorted(tables - watched)}"
        declared = {t for t in tables if t not in store.ALWAYS}
        assert declared <= {
            Matter._meta.apps.get_model(label)._meta.db_table for label in registry.PROVIDER_SOURCES[target]
        }


def test_fold_keeps_every_sum(tree: Any) -> None:
    raise_matter(tree.compounds[0])
    before = store.state()
    store.fold()
    assert store.state() == before


def test_the_command_rebuilds_and_checks(tree: Any, capsys: pytest.CaptureFixture[str]) -> None:
    call_command("figures_store", "--rebuild")
    divisions = Division.objects.count()
    assert StoredFigures.objects.count() == divisions * len(store.providers_stored())
    StoredFigures.objects.filter(provider="gongzhi.affairs.indicators:figures").update(
        figures={"matters_total": 999}
    )  # a stored row changed by hand: its stamp still looks fresh, so only --check can tell
    with pytest.raises(SystemExit):
        call_command("figures_store", "--check")
    assert "matters_total" in capsys.readouterr().out
    call_command("figures_store", "--rebuild")
    call_command("figures_store", "--check")


WRITES = st.lists(
    st.tuples(
        st.sampled_from(["raise", "resolve_raw", "reopen_sql", "party_raw", "delivery_raw", "refresh"]),
        st.integers(0, 4),
        st.integers(0, 30),
    ),
    min_size=1,
    max_size=6,
)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(writes=WRITES)
def test_stored_equals_live_after_random_writes(tree: Any, writes: list[tuple[str, int, int]]) -> None:
    places = page(tree)
    kept(places)
    for kind, i, n in writes:
        compound = tree.compounds[i % len(tree.compounds)]
        if kind == "raise":
            raise_matter(compound)
        elif kind == "resolve_raw":
            Matter.objects.filter(compound=compound).update(status=Status.RESOLVED)
        elif kind == "reopen_sql":
            with connection.cursor() as cur:
                cur.execute(
                    f"UPDATE {Matter._meta.db_table} SET status = %s WHERE compound_id = %s",
                    [Status.RAISED, compound.pk],
                )
        elif kind == "party_raw":
            CompoundPartyStats.objects.update_or_create(
                compound=compound, defaults={"path": compound.path, "members": n, "covered": n % 2 == 0}
            )
        elif kind == "delivery_raw":  # art. 21's inputs changed by a bulk import, status rows not refreshed
            Compound.objects.filter(pk=compound.pk).update(
                total_area=Decimal(2000),
                delivered_area=Decimal(40 * n),
                owners_total=30,
                owners_delivered=n,
                first_delivered_on=date(2020, 1, 1),
            )
        else:
            compound_status_refresh(compounds=Q(pk=compound.pk))
        assert kept(places) == live(places), (kind, i, n)


def test_the_dashboard_reads_no_row_a_figure_counts_and_stays_constant(client: Any, tree: Any) -> None:
    """The 驾驶舱 with its answers stored: the same queries however much data lies under the place, and none
    of them reads a table a figure is computed from (only the counts and the stored rows)."""
    client.force_login(user_with(Role.DISTRICT_ADMIN, tree.d("370202")))
    url = reverse("dashboard:place", args=["370202"])
    sources = set(store.watched_tables()) - set(store.ALWAYS)

    def warm() -> tuple[int, str]:
        client.get(url)  # after a write: the stale answers are computed and stored
        with count_queries() as ctx:
            assert client.get(url).status_code == 200
        read = [t for t in sources if any(f'"{t}"' in q["sql"] for q in ctx.captured_queries)]
        assert not read, describe(ctx)
        return len(ctx), describe(ctx)

    before, _ = warm()
    for i in range(4):
        compound, _b, _h = make_compound(
            tree.d("370202001001"), f"新建小区{i}", buildings=1, units=1, floors=1
        )
        raise_matter(compound)
    after, listed = warm()
    assert after == before, listed
