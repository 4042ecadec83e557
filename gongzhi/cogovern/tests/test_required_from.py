"""The stored day art. 21 first requires a compound's first assembly (`CompoundStatus.required_from`) and the
committee figures counted from it in SQL: the day equals the rule on every day (hypothesis, boundaries
included), every row equals the rule for its compound, and the counts equal the full computation — with
fresh rows, stale rows (delivery data changed behind the services' back) and missing rows.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.db.models import Q
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gongzhi.cogovern import mapstatus, rules, selectors, services
from gongzhi.cogovern.models import AssemblyCase, CompoundStatus
from gongzhi.cogovern.statusrows import DELIVERY
from gongzhi.cogovern.tests.kit import build_kit
from gongzhi.core.paths import under
from gongzhi.demo.cogovern import build_cogovern
from gongzhi.insights.batch import Batch
from gongzhi.places.models import Compound, Division
from gongzhi.tests.factories import make_compound
from gongzhi.tests.queries import count_queries

DAYS = st.dates(min_value=date(1990, 1, 1), max_value=date(2060, 12, 31))


def _required_on(starts: date | None, day: date) -> bool:
    return starts is not None and starts <= day


@given(
    total=st.integers(0, 10**6),
    delivered=st.integers(0, 10**6),
    owners=st.integers(0, 5000),
    owners_delivered=st.integers(0, 5000),
    first=st.none() | DAYS,
    day=DAYS,
)
def test_the_stored_day_answers_like_the_rule_on_every_day(
    total: int, delivered: int, owners: int, owners_delivered: int, first: date | None, day: date
) -> None:
    data: dict[str, Any] = {
        "total_area": Decimal(total) / 100,
        "delivered_area": Decimal(min(delivered, total)) / 100,
        "owners_total": owners,
        "owners_delivered": min(owners_delivered, owners),
        "first_delivered_on": first,
    }
    starts = rules.required_from(**data)
    assert _required_on(starts, day) == rules.first_assembly(**data, on=day).required


@pytest.mark.parametrize(
    ("owners_delivered", "first", "want"),
    [
        (25, date(2022, 3, 15), date(2024, 3, 15)),  # exactly 25 %: the second anniversary
        (24, date(2022, 3, 15), None),  # below 25 %: no day
        (50, date(2022, 3, 15), date.min),  # exactly half the owners: any day
        (25, date(2024, 2, 29), date(2026, 2, 28)),  # no corresponding day: the month's end (民法典 202)
        (25, None, None),  # no delivery day: time cannot trigger
    ],
)
def test_boundaries(owners_delivered: int, first: date | None, want: date | None) -> None:
    data: dict[str, Any] = {
        "total_area": Decimal("1000.00"),
        "delivered_area": Decimal("499.99"),
        "owners_total": 100,
        "owners_delivered": owners_delivered,
        "first_delivered_on": first,
    }
    assert rules.required_from(**data) == want
    if want not in (None, date.min):
        assert want is not None
        assert rules.first_assembly(**data, on=want).required
        assert not rules.first_assembly(**data, on=want - timedelta(days=1)).required


def _full(batch: Batch, day: date) -> dict[str, tuple[int, int]]:
    """The figures as the full computation gives them, place by place."""
    return {p.path: selectors.committee_figures(selectors.compound_states(p.path, day)) for p in batch.places}


def _every_row_equals_the_rule() -> None:
    rows = CompoundStatus.objects.values("required_from", *(f"compound__{k}" for k in DELIVERY))
    assert rows
    for row in rows:
        assert row["required_from"] == rules.required_from(**{k: row[f"compound__{k}"] for k in DELIVERY})


@pytest.mark.django_db
def test_demo_rows_equal_the_rule_and_the_counts_equal_the_full_computation(tree) -> None:
    for i in range(12):
        make_compound(tree.d("370202001002"), f"演示小区{i}", buildings=1, units=1, floors=2, per_floor=2)
    Compound.objects.filter(name__startswith="演示小区1").update(  # required by time alone, from 2021-06-30
        first_delivered_on=date(2019, 6, 30), delivered_area=0, owners_total=4, owners_delivered=1
    )
    build_cogovern(seed=1, district_code="370202")
    assert CompoundStatus.objects.count() == Compound.objects.count()  # every compound, not only the district
    _every_row_equals_the_rule()
    city = Division.objects.get(code="3702")
    batch = Batch((city, *Division.objects.filter(parent__code="370202")))
    for day in (timezone.localdate(), date(2021, 6, 30), date(2030, 1, 1)):
        assert mapstatus.committee_counts(batch, day) == _full(batch, day), day


@pytest.mark.django_db
def test_stale_and_missing_rows_are_computed_by_the_rule_until_rebuilt(tree) -> None:
    a, b, c, *_ = tree.compounds
    build_kit(a)  # a committee at a
    services.compound_status_refresh(compounds=Q())
    district = tree.d("370202")
    batch = Batch((district, *Division.objects.filter(parent=district)))
    today = timezone.localdate()
    assert mapstatus.committee_counts(batch, today)[district.path] == (4, 1)
    # delivery data moved outside this app (a bulk import): b no longer meets any trigger
    Compound.objects.filter(pk=b.pk).update(owners_delivered=0, delivered_area=0)
    CompoundStatus.objects.filter(compound=c).delete()  # and c's row lost to a bulk load
    assert mapstatus.committee_counts(batch, today) == _full(batch, today)
    assert mapstatus.committee_counts(batch, today)[district.path] == (3, 1)
    with count_queries() as stale_queries:
        mapstatus.committee_counts(batch, today)
    services.compound_status_refresh(compounds=under(district.path))  # the rebuild makes them fresh again
    full = _full(batch, today)
    with count_queries() as queries:
        assert mapstatus.committee_counts(batch, today) == full
    assert (len(stale_queries), len(queries)) == (2, 1)  # the grouped counts, and the stale ones while any


@pytest.mark.django_db
@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    data=st.lists(
        st.tuples(
            st.integers(0, 20),  # delivered homes of 20 (area and owners alike)
            st.integers(0, 20),  # owners delivered of 20
            st.none() | DAYS,
            st.booleans(),  # exempt
        ),
        min_size=5,
        max_size=5,
    ),
    day=DAYS,
)
def test_counts_equal_the_rule_under_generated_delivery_data(tree, data, day) -> None:  # type: ignore[no-untyped-def]
    compounds = tree.compounds[:5]
    for compound, (homes, owners, first, exempt) in zip(compounds, data, strict=True):
        Compound.objects.filter(pk=compound.pk).update(
            total_area=Decimal(2000),
            delivered_area=Decimal(100 * homes),
            owners_total=20,
            owners_delivered=owners,
            first_delivered_on=first,
        )
        AssemblyCase.objects.update_or_create(  # an art. 10 exemption as the case records it
            compound=compound, defaults={"path": compound.path, "exempt_reason": "一致同意" if exempt else ""}
        )
    services.compound_status_refresh(compounds=Q())
    _every_row_equals_the_rule()
    city = Division.objects.get(code="3702")
    batch = Batch((city, *Division.objects.filter(parent=city)))
    assert mapstatus.committee_counts(batch, day) == _full(batch, day)
