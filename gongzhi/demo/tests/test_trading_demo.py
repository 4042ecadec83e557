"""The trading demo on a small 平度市: live listings rest on completed 四议两公开 decisions, the change feed
names every listing, and registrations wait for review at a town's station and at the county's centre."""

from __future__ import annotations

from datetime import date

import pytest

from gongzhi.demo.trading import build_trading
from gongzhi.demo.users import create_trading_users
from gongzhi.tests.factories import DIVISIONS, load_divisions
from gongzhi.trading.models import Bidder, BidderStatus, Change, Instalment, Listing, Reminder, Status
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
    recorded = Change.objects.filter(event="recorded")
    assert recorded.count() == Listing.objects.count()  # one writer: services.changes_bulk
    # Past deals signed through the services with yearly instalments, some left overdue and reminded.
    signed = Listing.objects.filter(contract__isnull=False, status=Status.SETTLED)
    assert signed.exists()
    assert Change.objects.filter(event="signed").count() == signed.count()
    today = date.today()
    overdue = Instalment.objects.filter(listing__in=signed, paid_on__isnull=True, due_on__lt=today)
    assert overdue.exists() and Reminder.objects.count() == overdue.count()
    assert Instalment.objects.filter(listing__in=signed, seq=2, paid_on__isnull=False).count() == 1
    assert demo.settled == Listing.objects.filter(status=Status.SETTLED).count()
    assert demo.turnover == sum(
        Listing.objects.filter(status=Status.SETTLED).values_list("price_yuan", flat=True)
    )
    create_trading_users("x-demo-password-1", "370283")
    pending = Bidder.objects.filter(status=BidderStatus.PENDING)
    assert pending.count() == 3
    assert pending.filter(path=d["370283001"].path).count() == 2  # the first town's station
    create_trading_users("x-demo-password-1", "370283")  # again: nothing more
    assert pending.count() == 3
