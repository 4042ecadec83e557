"""Query pins for every trading page: each costs a fixed number of queries, the same with more listings,
deposits, bids and settled deals under the place (no per-row query)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.db import connection
from django.test import Client

from gongzhi.collectives.models import Resource
from gongzhi.tests.factories import SYSTEM, UserFactory, credit_code
from gongzhi.tests.queries import assert_queries
from gongzhi.trading import services
from gongzhi.trading.models import Listing
from gongzhi.trading.tests.kit import make_listing, make_world, pay, resource_for

pytestmark = pytest.mark.django_db

# The feed reads its horizon first on PostgreSQL (selectors.horizon); SQLite needs none.
FEED = 5 if connection.vendor == "postgresql" else 4
# Session, user and grants come first (3); a mismatch lists every query (gongzhi.tests.queries).
STAFF_PINS = {
    "index": 9,  # with the overdue instalments of the staff's places (one query), their reminders (count, list)
    "new": 3,
    "report": 4,
    "detail": 9,
    "certificate": 5,
    "api_bidders": 5,
    "api_bids": 5,
    "api_deposits": 5,
    "api_changes": FEED,
}
BIDDER_PINS = {"index": 6, "mine": 6, "detail": 9, "api_bidders": 5, "api_deposits": 5, "api_changes": FEED}


def _grow(w: Any, n: int) -> Listing:
    """n more settled deals with bids from every bidder, and one listing open with deposits and bids."""
    for _i in range(n):
        deal = make_listing(w.d["370283001203"])
        pay(deal, *w.bidders)
        for k, b in enumerate(w.bidders):
            services.bid_place(actor=SYSTEM, listing_id=deal.pk, bidder=b, amount_yuan=100_000 + 1_000 * k)
        deal = services.listing_close(actor=SYSTEM, listing=deal)
        land = Resource.objects.filter(path=deal.path).first() or resource_for(deal)
        services.contract_sign(
            actor=SYSTEM,
            listing=deal,
            subject=land,
            code=f"LZ-{deal.pk}",
            starts_on=deal.closed_on or date.today(),
            yearly=True,
        )
        services.listing_settle(actor=SYSTEM, listing=deal)
    return Listing.objects.filter(status="settled").latest("pk")


def _urls(deal: Listing) -> dict[str, str]:
    return {
        "index": "/trading/",
        "new": "/trading/new/",
        "mine": "/trading/mine/",
        "report": "/trading/report/",
        "detail": f"/trading/{deal.pk}/",
        "certificate": f"/trading/{deal.pk}/certificate.pdf",
        "api_bidders": "/api/v1/trading/bidders/",
        "api_bids": "/api/v1/trading/bids/",
        "api_deposits": "/api/v1/trading/deposits/",
        "api_changes": "/api/v1/trading/changes/?limit=500",
    }


def _check(client: Client, pins: dict[str, int], deal: Listing) -> None:
    urls = _urls(deal)
    for key, expected in pins.items():
        with assert_queries(expected, label=urls[key]):
            response = client.get(urls[key])
        assert response.status_code == 200, urls[key]


@pytest.mark.parametrize("who", ["staff", "bidder"])
def test_trading_pages_cost_a_fixed_number_of_queries(who: str) -> None:
    w = make_world(bidders=2)
    client = Client()
    client.force_login(w.town_staff if who == "staff" else w.users[0])
    pins = STAFF_PINS if who == "staff" else BIDDER_PINS
    services.bidder_self_register(  # one registration filed at the staff's own town
        actor=UserFactory.create(),
        kind="organisation",
        name="东阁农机专业合作社",
        document=credit_code(3, "370283"),
        place=w.d["370283001"],
    )
    deal = _grow(w, 1)
    _check(client, pins, deal)
    deal = _grow(w, 3)
    _check(client, pins, deal)
