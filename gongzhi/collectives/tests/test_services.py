"""Services of 三资 supervision: the 四议两公开 order, contracts and spending above the threshold, warnings,
bulk refusals that write nothing, settings, figures and the rating through the catalogue."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from gongzhi.collectives import selectors, services
from gongzhi.collectives.models import Contract, Criterion, DecisionStep, Entry
from gongzhi.collectives.tests.kit import World, decided, make_world
from gongzhi.insights.registry import values
from gongzhi.tests.factories import SYSTEM

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


@pytest.fixture
def w() -> World:
    return make_world()


def contract(w: World, **kw: object) -> Contract:
    values_: dict[str, object] = {
        "collective": w.c,
        "code": f"HT-{Contract.objects.count() + 1}",
        "kind": "contracting",
        "resource": w.land,
        "party": "王某某",
        "starts_on": TODAY - timedelta(days=30),
        "ends_on": TODAY - timedelta(days=31) + timedelta(days=3653),
        "annual_yuan": 60_000,
    }
    values_.update(kw)
    return Contract(**values_)  # type: ignore[arg-type]


def test_steps_in_order_only(w: World) -> None:
    d = decided(w.c, upto=2)
    with pytest.raises(ValidationError, match="党员大会审议"):
        services.step_record(actor=w.cadre, decision=d, step=4, on=TODAY, votes_for=9, votes_against=1)
    with pytest.raises(ValidationError, match="不能早于"):
        services.step_record(actor=w.cadre, decision=d, step=3, on=d.opened_on, votes_for=9, votes_against=1)
    services.step_record(actor=w.cadre, decision=d, step=3, on=TODAY, votes_for=9, votes_against=1)
    assert d.steps_done == 3 and DecisionStep.objects.filter(decision=d).count() == 3
    with pytest.raises(PermissionDenied):
        services.step_record(actor=w.other_cadre, decision=d, step=4, on=TODAY, votes_for=9, votes_against=1)
    with pytest.raises(PermissionDenied):
        services.step_record(actor=w.household, decision=d, step=4, on=TODAY, votes_for=9, votes_against=1)


def test_a_major_contract_needs_a_completed_decision(w: World) -> None:
    with pytest.raises(ValidationError, match="四议两公开"):
        services.contract_record(actor=w.cadre, contract=contract(w))
    with pytest.raises(ValidationError, match="尚未完成"):
        services.contract_record(actor=w.cadre, contract=contract(w, decision=decided(w.c, upto=5)))
    k = services.contract_record(actor=w.cadre, contract=contract(w, decision=decided(w.c)))
    assert k.pk and not k.unapproved and not k.out_of_range and k.area_mu == 100
    # At the threshold (whole price 50,000 over one year) no decision is needed.
    small = contract(w, annual_yuan=50_000, ends_on=TODAY - timedelta(days=30) + timedelta(days=364))
    assert services.contract_record(actor=w.cadre, contract=small).pk


def test_out_of_range_is_a_warning_not_a_refusal(w: World) -> None:
    k = services.contract_record(
        actor=w.cadre, contract=contract(w, annual_yuan=200_000, decision=decided(w.c))
    )
    assert k.out_of_range
    assert list(selectors.warned(Contract.objects.all(), "range", TODAY)) == [k]


def test_a_decision_of_another_village_is_refused(w: World) -> None:
    theirs = decided(w.other)
    with pytest.raises(ValidationError, match="不属于本村"):
        services.contract_record(actor=SYSTEM, contract=contract(w, decision=theirs))


def test_register_of_existing_contracts_flags_and_refuses_malformed(w: World) -> None:
    n = services.contracts_bulk_create(
        actor=w.cadre, rows=[contract(w), contract(w, code="HT-B", annual_yuan=10)]
    )
    assert n == 2 and Contract.objects.filter(unapproved=True).count() == 1
    assert Contract.objects.filter(out_of_range=True).count() == 1
    bad = contract(w, code="HT-C", ends_on=TODAY - timedelta(days=40))
    with pytest.raises(ValidationError, match="2: 到期日期须晚于起始日期"):
        services.contracts_bulk_create(actor=w.cadre, rows=[contract(w, code="HT-D"), bad])
    with pytest.raises(ValidationError, match="重复或已存在"):
        services.contracts_bulk_create(actor=w.cadre, rows=[contract(w, code="HT-B")])
    assert Contract.objects.count() == 2  # nothing written


def test_spending_above_the_threshold(w: World) -> None:
    big = Entry(account=w.account, on=TODAY, direction="spending", amount_yuan=80_000, summary="道路硬化")
    with pytest.raises(ValidationError, match="四议两公开"):
        services.entry_record(actor=w.cadre, entry=big)
    rows = [
        Entry(account=w.account, on=TODAY, direction="income", amount_yuan=90_000, summary="承包费"),
        Entry(account=w.account, on=TODAY, direction="spending", amount_yuan=80_000, summary="道路硬化"),
    ]
    with pytest.raises(ValidationError, match="2: "):
        services.entries_bulk_create(actor=w.cadre, rows=rows)
    assert Entry.objects.count() == 0
    rows[1].decision = decided(w.c, amount=80_000)
    assert services.entries_bulk_create(actor=w.cadre, rows=rows) == 2


def test_settings_are_validated_and_county_only(w: World) -> None:
    with pytest.raises(PermissionDenied):
        services.threshold_set(actor=w.town, major_yuan=1)
    with pytest.raises(ValidationError):
        services.limit_set(
            actor=w.county, subject="land", max_years=10, min_yuan_per_mu=900, max_yuan_per_mu=100
        )
    with pytest.raises(ValidationError, match="不在指标目录"):
        services.criterion_set(
            actor=w.county,
            figure="towns_exemplary",
            weight=5,
            higher_better=True,
            full_at=Decimal(1),
            half_at=Decimal(0),
            known={"towns_exemplary"},
        )
    with pytest.raises(ValidationError, match="更严"):
        services.criterion_set(
            actor=w.county,
            figure="x",
            weight=5,
            higher_better=True,
            full_at=Decimal(1),
            half_at=Decimal(2),
            known={"x"},
        )
    with pytest.raises(ValidationError, match="高于创优"):
        services.floor_set(actor=w.county, grade="exemplary", min_score=Decimal(50))
    services.threshold_set(actor=w.county, major_yuan=1_000_000)
    assert services.major_yuan() == 1_000_000


def test_figures_follow_the_data(w: World) -> None:
    county = w.d["370283"]
    before = values(county, codes=["collective_assets_yuan", "collective_contracts_expiring_90d"])
    assert before == {"collective_assets_yuan": 1_100_000, "collective_contracts_expiring_90d": 0}
    services.contract_record(
        actor=w.cadre,
        contract=contract(
            w, ends_on=TODAY + timedelta(days=90), annual_yuan=20_000, starts_on=TODAY - timedelta(days=200)
        ),
    )
    after = values(w.d["370283001"], codes=["collective_contracts_expiring_90d", "contracts_unapproved_pct"])
    assert after == {"collective_contracts_expiring_90d": 1, "contracts_unapproved_pct": 0.0}


def test_the_rating_is_computed_from_the_criteria(w: World) -> None:
    # Income per collective in the last year: 东阁街道 has one collective of its two villages.
    services.entries_bulk_create(
        actor=SYSTEM,
        rows=[
            Entry(
                account=w.account,
                on=TODAY - timedelta(days=10),
                direction="income",
                amount_yuan=500_000,
                summary="承包费",
            )
        ],
    )
    rated = {r.town.code: r for r in selectors.rated_towns(w.d["370283"].path)}
    assert set(rated) == {"370283001", "370283122"}  # the development zone is not rated
    assert rated["370283001"].grade == "exemplary" and rated["370283001"].score == 100
    assert rated["370283122"].score == 70 and rated["370283122"].grade == "excellent"
    v = values(w.d["370283"], codes=["towns_exemplary", "towns_excellent", "towns_strengthening"])
    assert v == {"towns_exemplary": 1, "towns_excellent": 1, "towns_strengthening": 0}
    Criterion.objects.filter(figure="collective_income_avg_yuan").update(full_at=10**7, half_at=10**6)
    v = values(w.d["370283"], codes=["towns_exemplary", "towns_excellent", "towns_strengthening"])
    assert v == {"towns_exemplary": 0, "towns_excellent": 2, "towns_strengthening": 0}


def test_disclosure_of_a_quarter(w: World) -> None:
    services.entries_bulk_create(
        actor=SYSTEM,
        rows=[
            Entry(
                account=w.account, on=date(2026, 7, 1), direction="income", amount_yuan=9_000, summary="租金"
            ),
            Entry(
                account=w.account,
                on=date(2026, 9, 30),
                direction="spending",
                amount_yuan=1_000,
                summary="保洁",
            ),
            Entry(
                account=w.account, on=date(2026, 10, 1), direction="income", amount_yuan=5, summary="下季度"
            ),
        ],
    )
    d = selectors.disclosure(w.c.path, "2026Q3")
    assert d is not None and (d.income, d.spending, len(d.entries)) == (9_000, 1_000, 2)
    assert selectors.disclosure(w.c.path, "2026Q5") is None and selectors.disclosure(w.c.path, "x") is None
