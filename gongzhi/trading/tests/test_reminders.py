"""Reminders of overdue instalments (催缴提醒): the daily job writes one per instalment past due and unpaid,
once per due date however often it runs; the command and the task run the same function; the town's
station and the county bureau see them on /trading/ (collective, payer, amount, days overdue), other towns
and bidders do not; a paid instalment leaves the list."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import IntegrityError, transaction
from django.test import Client
from django.utils import timezone

from gongzhi.accounts.roles import Role
from gongzhi.core.actors import system
from gongzhi.tests.factories import user_with
from gongzhi.trading import services
from gongzhi.trading.models import Instalment, Reminder
from gongzhi.trading.reminders import overdue_remind
from gongzhi.trading.tasks import overdue_reminders
from gongzhi.trading.tests.kit import make_world
from gongzhi.trading.tests.test_instalments import deal

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()  # the pages' and the job's today
JOB = system("test:reminders")


def test_one_reminder_per_overdue_instalment_and_due_date_however_often_it_runs() -> None:
    w = make_world(bidders=1)
    listing = deal(w)  # instalment 1 paid at settlement; 2, 3 and 4 past due
    assert overdue_remind(actor=JOB, on=TODAY) == 3
    assert overdue_remind(actor=JOB, on=TODAY) == 0
    assert overdue_reminders.call() == 0  # the task: the same function, today
    held = list(Reminder.objects.order_by("due_on").values_list("instalment__seq", "due_on", "on"))
    assert [(s, on) for s, _d, on in held] == [(2, TODAY), (3, TODAY), (4, TODAY)]
    assert all(d == Instalment.objects.get(listing=listing, seq=s).due_on for s, d, _on in held)
    assert Reminder.history.filter(history_change_reason__contains="逾期催缴提醒").count() == 3
    # A year on, instalment 5 has fallen due as well: one more, the others not again.
    fifth = Instalment.objects.get(listing=listing, seq=5).due_on
    assert overdue_reminders.call(on=(fifth + timedelta(days=1)).isoformat()) == 1
    # A paid instalment is not reminded; a rescheduled one is reminded of its new due date once.
    second = Instalment.objects.get(listing=listing, seq=2)
    Instalment.objects.filter(listing=listing, seq=6).update(due_on=second.due_on)
    assert overdue_remind(actor=JOB, on=TODAY) == 1
    assert overdue_remind(actor=JOB, on=TODAY) == 0


def test_the_database_refuses_a_second_reminder_of_a_due_date() -> None:
    w = make_world(bidders=1)
    i = Instalment.objects.get(listing=deal(w), seq=2)
    Reminder.objects.create(instalment=i, due_on=i.due_on, on=TODAY, path=i.path)
    with pytest.raises(IntegrityError), transaction.atomic():
        Reminder.objects.create(instalment=i, due_on=i.due_on, on=TODAY, path=i.path)


def test_the_command_runs_it_and_refuses_a_bad_day() -> None:
    w = make_world(bidders=1)
    deal(w)
    out = StringIO()
    call_command("trading_overdue_reminders", stdout=out)
    assert "催缴提醒 3 条" in out.getvalue()
    out = StringIO()
    call_command("trading_overdue_reminders", on=TODAY.isoformat(), stdout=out)
    assert "催缴提醒 0 条" in out.getvalue()
    for bad in ("2025-02-30", "明天", "20250101x"):
        with pytest.raises(CommandError, match="YYYY-MM-DD"):
            call_command("trading_overdue_reminders", on=bad)
    assert Reminder.objects.count() == 3


def test_town_station_and_county_bureau_see_the_reminders_others_do_not() -> None:
    w = make_world(bidders=1)
    listing = deal(w)
    overdue_remind(actor=JOB, on=TODAY)
    town, county, other, bidder = Client(), Client(), Client(), Client()
    town.force_login(w.town_staff)
    county.force_login(user_with(Role.COUNTY_BUREAU, w.d["370283"]))
    other.force_login(w.other_town_staff)
    bidder.force_login(w.users[0])
    second = Instalment.objects.get(listing=listing, seq=2)
    for client in (town, county):
        page = client.get("/trading/").content.decode()
        assert "催缴提醒（<span data-reminders>3</span>）" in page
        assert listing.contract.collective.name in page  # type: ignore[union-attr]
        assert w.bidders[0].name in page and str(w.bidders[0].number) in page
        assert f'<td class="text-end text-danger" data-days>{(TODAY - second.due_on).days}</td>' in page
        assert "10,000" in page
    assert "催缴提醒（<span data-reminders>0</span>）" in other.get("/trading/").content.decode()
    assert "data-reminders" not in bidder.get("/trading/").content.decode()
    services.instalment_pay(
        actor=w.town_staff, listing=listing, seq=2, amount_yuan=10_000, paid_on=second.due_on
    )
    assert "催缴提醒（<span data-reminders>2</span>）" in town.get("/trading/").content.decode()
