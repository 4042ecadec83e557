"""Samples of the trading app for the generated permission matrix (matrix_world folds FILLERS in): a listing
inside the demo roles' places and one outside, placed on each side's compound path so every role's scope
decides as it would for a village's listing."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from gongzhi.tests.matrix import Filler, Sample
from gongzhi.trading.models import Bid, Bidder, Deposit, Listing


def _listing(side: Any, tag: str) -> Listing:
    compound = side.compound
    today = timezone.localdate()
    return Listing.objects.create(
        code=f"MX-{tag}-{compound.pk}",
        village=compound.community,
        path=compound.path,
        title=f"矩阵标的{tag}",
        kind="land",
        term_years=5,
        reserve_yuan=10_000,
        step_yuan=100,
        deposit_yuan=1_000,
        decision="村民代表会议决议",
        decided_on=today - timedelta(days=30),
        publish_from=today - timedelta(days=20),
        publish_until=today - timedelta(days=1),
        status="awarded",
        price_yuan=10_000,
        bids_count=1,
    )


def _bidder(side: Any, tag: str) -> Bidder:
    """A registration waiting for review, filed at the side's compound path."""
    compound = side.compound
    return Bidder.objects.create(
        name=f"矩阵竞买人{tag}",
        number=f"MX-{tag}-{compound.pk}",
        path=compound.path,
        registered_on=timezone.localdate(),
    )


def build(world: Any) -> None:
    """Called by matrix_world.build_world, inside the module's transaction."""
    world.__dict__["_trading"] = {
        inside: _listing(world.side(inside), "in" if inside else "out") for inside in (True, False)
    }
    world.__dict__["_trading_bidders"] = {
        inside: _bidder(world.side(inside), "in" if inside else "out") for inside in (True, False)
    }
    world.__dict__["_trading_deposits"] = {}
    world.__dict__["_trading_bids"] = {}
    for inside in (True, False):
        listing, bidder = world.__dict__["_trading"][inside], world.__dict__["_trading_bidders"][inside]
        world.__dict__["_trading_deposits"][inside] = Deposit.objects.create(
            listing=listing, bidder=bidder, path=listing.path, amount_yuan=1_000, paid_on=listing.publish_from
        )
        world.__dict__["_trading_bids"][inside] = Bid.objects.create(
            listing=listing, bidder=bidder, path=listing.path, seq=1, amount_yuan=10_000
        )


def _pk(world: Any, inside: bool) -> Sample:
    obj = world.__dict__["_trading"][inside]
    return Sample({"pk": obj.pk}, obj)


def _instalment(world: Any, inside: bool) -> Sample:
    """A listing and an instalment number: the view finds the listing in scope first (404 outside)."""
    obj = world.__dict__["_trading"][inside]
    return Sample({"pk": obj.pk, "seq": 2}, obj)


def _bidder_pk(world: Any, inside: bool) -> Sample:
    obj = world.__dict__["_trading_bidders"][inside]
    return Sample({"pk": obj.pk}, obj)


def _sample(key: str) -> Filler:
    def fill(world: Any, inside: bool) -> Sample:
        obj = world.__dict__[key][inside]
        return Sample({"pk": obj.pk}, obj)

    return fill


FILLERS: dict[str, Filler] = {
    "trading:review": _bidder_pk,
    "trading:instalment": _instalment,
    "trading-bidder-detail": _bidder_pk,
    "trading-deposit-detail": _sample("_trading_deposits"),
    "trading-bid-detail": _sample("_trading_bids"),
    **{
        name: _pk
        for name in (
            "trading:detail",
            "trading:deposit",
            "trading:bid",
            "trading:close",
            "trading:tenant",
            "trading:settle",
            "trading:relist",
            "trading:contract",
            "trading:certificate",
            "trading-listing-detail",
        )
    },
}
