"""The auction through its services: deposits, bids, close, the tenant's match, settlement, relisting."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from gongzhi.insights.registry import PlaceScope
from gongzhi.tests.factories import SYSTEM
from gongzhi.trading import indicators, services
from gongzhi.trading.models import Bid, Deposit, Listing, Status
from gongzhi.trading.tests.kit import decision_for, make_listing, make_world, pay

pytestmark = pytest.mark.django_db


def _bid(w, i: int, listing: Listing, amount: int) -> Bid:  # type: ignore[no-untyped-def]
    return services.bid_place(
        actor=w.users[i], listing_id=listing.pk, bidder=w.bidders[i], amount_yuan=amount
    )


def test_full_auction_awards_the_highest_and_settles() -> None:
    w = make_world()
    listing = make_listing(w.d["370283001203"])
    assert listing.deposit_yuan == 10_000
    pay(listing, *w.bidders)
    _bid(w, 0, listing, 100_000)
    with pytest.raises(ValidationError, match="101000"):
        _bid(w, 1, listing, 100_500)  # below the step: refused, nothing written
    _bid(w, 1, listing, 101_000)
    _bid(w, 2, listing, 130_000)
    listing.refresh_from_db()
    assert (listing.price_yuan, listing.leader_id, listing.bids_count) == (130_000, w.bidders[2].pk, 3)
    assert list(listing.bids.values_list("seq", flat=True)) == [1, 2, 3]
    closed = services.listing_close(actor=w.town_staff, listing=listing)
    assert closed.status == Status.AWARDED and closed.winner_id == w.bidders[2].pk
    settled = services.listing_settle(actor=w.town_staff, listing=closed, contract_no="LZ-2025-001")
    assert settled.status == Status.SETTLED
    refunded = set(
        Deposit.objects.filter(listing=listing, refunded_on__isnull=False).values_list("bidder", flat=True)
    )
    assert refunded == {w.bidders[0].pk, w.bidders[1].pk}
    town = PlaceScope(w.d["370283001"])
    assert indicators.figures(town) == {
        "trading_turnover_yuan": 130_000,
        "trading_collective_income_yuan": 130_000,
    }
    assert indicators.figures(PlaceScope(w.d["370283122"]))["trading_turnover_yuan"] == 0


def test_sitting_tenant_matches_at_equal_terms() -> None:
    w = make_world()
    tenant = w.bidders[0]
    listing = make_listing(w.d["370283001203"], tenant=tenant, previous_income_yuan=60_000)
    pay(listing, *w.bidders)
    _bid(w, 1, listing, 100_000)
    _bid(w, 2, listing, 115_000)
    closed = services.listing_close(actor=w.town_staff, listing=listing)
    assert closed.status == Status.TENANT and closed.winner_id is None
    won = services.tenant_decide(actor=w.town_staff, listing=closed, match=True)
    assert won.winner_id == tenant.pk and won.tenant_matched and won.price_yuan == 115_000
    # Income where there was income before: what the price fetched above the reserve.
    figures = indicators.figures(PlaceScope(w.d["370283"]))
    assert figures["trading_collective_income_yuan"] == 15_000


def test_tenant_waives_and_the_highest_bidder_wins() -> None:
    w = make_world()
    listing = make_listing(w.d["370283001203"], tenant=w.bidders[0])
    pay(listing, *w.bidders)
    _bid(w, 1, listing, 100_000)
    closed = services.listing_close(actor=w.town_staff, listing=listing)
    assert (
        services.tenant_decide(actor=w.town_staff, listing=closed, match=False).winner_id == w.bidders[1].pk
    )


def test_refusals_write_nothing() -> None:
    w = make_world()
    listing = make_listing(w.d["370283001203"])
    with pytest.raises(ValidationError, match="保证金"):
        _bid(w, 0, listing, 100_000)
    with pytest.raises(ValidationError, match="保证金不足"):
        services.deposit_record(actor=SYSTEM, listing=listing, bidder=w.bidders[0], amount_yuan=9_999)
    pay(listing, w.bidders[0])
    with pytest.raises(ValidationError, match="底价"):
        _bid(w, 0, listing, 99_999)
    _bid(w, 0, listing, 100_000)
    with pytest.raises(ValidationError, match="最高出价人"):
        _bid(w, 0, listing, 110_000)
    assert Bid.objects.count() == 1
    future = make_listing(w.d["370283001203"], publish_until=date.today() + timedelta(days=3))
    pay(future, w.bidders[1])
    with pytest.raises(ValidationError, match="公告期"):
        _bid(w, 1, future, 200_000)
    with pytest.raises(ValidationError, match="公告期"):
        services.listing_close(actor=w.town_staff, listing=future)


def test_listing_needs_decision_before_publication_and_enough_days() -> None:
    w = make_world()
    today = date.today()
    resolved_today = decision_for(w.d["370283001203"], today=today + timedelta(days=35))  # step 4 today
    with pytest.raises(ValidationError) as exc:
        make_listing(
            w.d["370283001203"],
            decision_record=resolved_today,
            publish_from=today - timedelta(days=1),
            publish_until=today,
        )
    text = "；".join(exc.value.messages)
    assert "决议" in text and "公告期不得少于" in text
    with pytest.raises(ValidationError, match="村"):
        make_listing(w.d["370283001"], decision_record=resolved_today)
    assert not Listing.objects.exists()


def test_town_staff_acts_only_in_their_town() -> None:
    w = make_world()
    listing = make_listing(w.d["370283001203"])
    with pytest.raises(PermissionDenied):
        services.listing_close(actor=w.other_town_staff, listing=listing)
    with pytest.raises(PermissionDenied):
        services.bid_place(
            actor=w.town_staff, listing_id=listing.pk, bidder=w.bidders[0], amount_yuan=100_000
        )


def test_failed_auction_is_relisted_lower() -> None:
    w = make_world()
    listing = make_listing(w.d["370283122201"])
    failed = services.listing_close(actor=w.other_town_staff, listing=listing)
    assert failed.status == Status.FAILED
    today = date.today()
    new = services.listing_relist(
        actor=w.other_town_staff,
        listing=failed,
        code="PD-R-1",
        reserve_yuan=80_000,
        publish_from=today,
        publish_until=today + timedelta(days=9),
    )
    failed.refresh_from_db()
    assert failed.status == Status.RELISTED and new.relisted_from_id == failed.pk
    assert new.reserve_yuan == 80_000 and new.deposit_yuan == 8_000 and new.status == Status.PUBLISHED
    with pytest.raises(ValidationError):
        services.listing_relist(
            actor=w.other_town_staff,
            listing=failed,
            code="PD-R-2",
            reserve_yuan=1,
            publish_from=today,
            publish_until=today + timedelta(days=9),
        )
