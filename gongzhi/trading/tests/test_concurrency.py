"""Bidders bidding at the same moment on one listing: none lost, the order strict, the highest wins (PostgreSQL)."""

from __future__ import annotations

import itertools
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from gongzhi.trading import services
from gongzhi.trading.models import Bid, Listing
from gongzhi.trading.tests.kit import make_listing, make_world, pay


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite serialises every writing transaction, so there is no race to test; CI runs this on PostgreSQL",
)
@pytest.mark.django_db(transaction=True)
def test_concurrent_bids_none_lost_highest_wins() -> None:
    w = make_world(bidders=8)
    listing = make_listing(w.d["370283001203"], reserve_yuan=1_000, step_yuan=10)
    pay(listing, *w.bidders)
    # Each bidder sends 5 strictly rising bids far enough apart that any order of arrival is valid,
    # except a bidder outbidding itself; every attempt ends accepted or refused with a reason.
    jobs = [(i, 1_000 + 1_000 * (k * 8 + i)) for k in range(5) for i in range(8)]
    barrier = threading.Barrier(8)
    accepted: list[int] = []
    refused: list[str] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def work(i: int) -> None:
        try:
            barrier.wait(timeout=30)
            for who, amount in jobs:
                if who != i:
                    continue
                try:
                    services.bid_place(
                        actor=w.users[i], listing_id=listing.pk, bidder=w.bidders[i], amount_yuan=amount
                    )
                except ValidationError as exc:
                    with lock:
                        refused.append(exc.messages[0])
                else:
                    with lock:
                        accepted.append(amount)
        except BaseException as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not errors, errors
    assert len(accepted) + len(refused) == len(jobs)
    rows = list(Bid.objects.filter(listing=listing).order_by("seq").values_list("seq", "amount_yuan"))
    assert len(rows) == len(accepted)  # none lost
    assert [s for s, _a in rows] == list(range(1, len(rows) + 1))  # strict, gapless order
    amounts = [a for _s, a in rows]
    assert all(b >= a + 10 for a, b in itertools.pairwise(amounts))  # each a step above the last
    final = Listing.objects.get(pk=listing.pk)
    assert final.price_yuan == max(accepted) == amounts[-1] and final.bids_count == len(rows)
