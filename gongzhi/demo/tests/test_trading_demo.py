"""The trading demo on a small 平度市: live listings rest on completed 四议两公开 decisions, the change feed
names every listing, and registrations wait for review at a town's station and at the county's centre."""

from __future__ import annotations

import pytest

from gongzhi.demo.trading import build_trading
from gongzhi.demo.users import create_trading_users
from gongzhi.tests.factories import DIVISIONS, load_divisions
from gongzhi.trading.models import Bidder, BidderStatus, Change, Listing
from gongzhi.trading.tests.kit import PINGDU

pytestmark = pytest.mark.django_db


def test_small_trading_demo() -> None:
    d = load_divisions(DIVISIONS + PINGDU)
    demo = build_trading(seed=3, turnover_yuan=3_000_000)
    assert demo.created and demo.turnover >= 3_000_000
    live = Listing.objects.filter(code__contains="LIVE")
    assert live.count() == 3
    for x in live.select_related("decision_record"):
        assert x.decision_record is not None and x.decision_record.steps_done == 6
        assert x.decision_record.path == x.path and x.decision == x.decision_record.title
    assert Change.objects.count() == Listing.objects.count()
    create_trading_users("x-demo-password-1", "370283")
    pending = Bidder.objects.filter(status=BidderStatus.PENDING)
    assert pending.count() == 3
    assert pending.filter(path=d["370283001"].path).count() == 2  # the first town's station
    create_trading_users("x-demo-password-1", "370283")  # again: nothing more
    assert pending.count() == 3
