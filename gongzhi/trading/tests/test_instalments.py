"""Later instalments of a trading contract recorded as paid (services.instalment_pay): the rules, the
hostile posts, the overdue marks on the listing page and the town's list, the page's query pin."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from hypothesis import given
from hypothesis import strategies as st

from gongzhi.collectives.models import Resource
from gongzhi.tests.factories import SYSTEM
from gongzhi.tests.queries import assert_queries
from gongzhi.trading import rules, services
from gongzhi.trading.models import Change, Instalment, Listing
from gongzhi.trading.tests.kit import World, make_listing, make_world, pay, resource_for

TODAY = date.today()
PAST = TODAY - timedelta(days=3 * 365 + 30)  # closed and signed a little over three years ago

days = st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 12, 31))


@given(
    amount=st.integers(0, 10**9),
    due=st.integers(1, 10**9),
    paid_on=days,
    earliest=days,
    today=days,
    already=st.booleans(),
    previous=st.booleans(),
)
def test_an_instalment_is_payable_only_whole_once_in_order_on_a_real_date(
    amount: int, due: int, paid_on: date, earliest: date, today: date, already: bool, previous: bool
) -> None:
    out = rules.instalment_problems(
        amount=amount,
        due_amount=due,
        paid_on=paid_on,
        earliest=earliest,
        today=today,
        already_paid=already,
        previous_unpaid=previous,
    )
    fine = amount == due and earliest <= paid_on <= today and not already and not previous
    assert (out == []) == fine
    assert all(isinstance(m, str) and m for m in out)


@given(due=days, paid=st.none() | days, today=days)
def test_overdue_means_due_date_passed_and_unpaid(due: date, paid: date | None, today: date) -> None:
    assert rules.is_overdue(due_on=due, paid_on=paid, today=today) == (paid is None and due < today)


def deal(w: World, years: int = 10, code: str = "") -> Listing:
    """A deal awarded, signed (yearly, starting PAST) and settled at PAST: instalment 1 paid, 2–4 overdue."""
    listing = make_listing(
        w.d["370283001203"], today=PAST, code=code or f"PD-{Listing.objects.count() + 1:04d}"
    )
    pay(listing, w.bidders[0])
    services.bid_place(
        actor=SYSTEM, listing_id=listing.pk, bidder=w.bidders[0], amount_yuan=100_000, today=PAST
    )
    listing = services.listing_close(actor=SYSTEM, listing=listing, today=PAST)
    land = Resource.objects.filter(path=listing.path).first() or resource_for(listing)
    services.contract_sign(
        actor=SYSTEM,
        listing=listing,
        subject=land,
        code=f"LZ-{listing.pk}",
        starts_on=PAST,
        signed_on=PAST,
        yearly=True,
    )
    return services.listing_settle(actor=SYSTEM, listing=listing, on=PAST)


def snapshot(listing: Listing) -> tuple[Any, ...]:
    rows = list(Instalment.objects.filter(listing=listing).order_by("seq").values_list("seq", "paid_on"))
    return rows, Change.objects.count(), Instalment.history.count()


@pytest.mark.django_db
def test_town_staff_record_instalment_two_with_history_and_feed() -> None:
    w = make_world(bidders=1)
    listing = deal(w)
    second = Instalment.objects.get(listing=listing, seq=2)
    assert second.amount_yuan == 10_000 and second.paid_on is None
    on = second.due_on + timedelta(days=3)
    done = services.instalment_pay(actor=w.town_staff, listing=listing, seq=2, amount_yuan=10_000, paid_on=on)
    assert done.paid_on == on
    assert Instalment.objects.get(pk=second.pk).paid_on == on
    last = Instalment.history.filter(id=second.pk).latest("history_id")
    assert last.history_user == w.town_staff and last.history_change_reason == "第2期价款已付"
    row = Change.objects.latest("id")
    assert (row.kind, row.event, row.object_id) == ("contract", "instalment_paid", second.pk)
    assert row.data == {"code": listing.contract_no, "seq": 2, "amount_yuan": 10_000, "on": on.isoformat()}
    # The third may then follow, not before the second's date.
    with pytest.raises(ValidationError):
        services.instalment_pay(
            actor=w.town_staff, listing=listing, seq=3, amount_yuan=10_000, paid_on=on - timedelta(days=1)
        )
    services.instalment_pay(actor=w.town_staff, listing=listing, seq=3, amount_yuan=10_000, paid_on=on)


@pytest.mark.django_db
def test_refusals_write_nothing() -> None:
    w = make_world(bidders=1)
    listing = deal(w)
    due2 = Instalment.objects.get(listing=listing, seq=2).due_on
    before = snapshot(listing)
    cases: list[tuple[dict[str, Any], str]] = [
        ({"seq": 2, "amount_yuan": 9_999, "paid_on": due2}, "应付金额10000元"),
        ({"seq": 2, "amount_yuan": 10_001, "paid_on": due2}, "应付金额"),
        ({"seq": 2, "amount_yuan": 10_000, "paid_on": TODAY + timedelta(days=1)}, "不能晚于今天"),
        ({"seq": 2, "amount_yuan": 10_000, "paid_on": PAST - timedelta(days=1)}, "不能早于"),
        ({"seq": 3, "amount_yuan": 10_000, "paid_on": due2}, "请先登记上一期"),
        ({"seq": 1, "amount_yuan": 10_000, "paid_on": PAST}, "不能重复登记"),
        ({"seq": 11, "amount_yuan": 10_000, "paid_on": due2}, "找不到该期"),
    ]
    for kw, text in cases:
        with pytest.raises(ValidationError) as exc:
            services.instalment_pay(actor=w.town_staff, listing=listing, **kw)
        assert text in "；".join(exc.value.messages), kw
    with pytest.raises(PermissionDenied):
        services.instalment_pay(
            actor=w.other_town_staff, listing=listing, seq=2, amount_yuan=10_000, paid_on=due2
        )
    assert snapshot(listing) == before
    services.instalment_pay(actor=w.town_staff, listing=listing, seq=2, amount_yuan=10_000, paid_on=due2)
    paid = snapshot(listing)
    with pytest.raises(ValidationError, match="不能重复登记"):
        services.instalment_pay(actor=w.town_staff, listing=listing, seq=2, amount_yuan=10_000, paid_on=due2)
    assert snapshot(listing) == paid


@pytest.mark.django_db
def test_first_instalment_goes_with_settlement_and_unsigned_listings_have_none() -> None:
    w = make_world(bidders=1)
    listing = make_listing(w.d["370283001203"], today=PAST)
    pay(listing, w.bidders[0])
    services.bid_place(
        actor=SYSTEM, listing_id=listing.pk, bidder=w.bidders[0], amount_yuan=100_000, today=PAST
    )
    listing = services.listing_close(actor=SYSTEM, listing=listing, today=PAST)
    with pytest.raises(ValidationError, match="找不到该期"):
        services.instalment_pay(actor=w.town_staff, listing=listing, seq=1, amount_yuan=10_000, paid_on=PAST)
    services.contract_sign(
        actor=SYSTEM, listing=listing, subject=resource_for(listing), code="LZ-X1", starts_on=PAST,
        signed_on=PAST, yearly=True,
    )  # fmt: skip
    with pytest.raises(ValidationError, match="随结算登记"):
        services.instalment_pay(actor=w.town_staff, listing=listing, seq=1, amount_yuan=10_000, paid_on=PAST)
    assert not Instalment.objects.filter(listing=listing, paid_on__isnull=False).exists()


def _messages(response: Any) -> str:
    return " ".join(str(m) for m in response.context["messages"]) if response.context else ""


@pytest.mark.django_db
def test_hostile_posts_answer_in_chinese_and_write_nothing() -> None:
    w = make_world(bidders=1)
    listing = deal(w)
    due2 = Instalment.objects.get(listing=listing, seq=2).due_on.isoformat()
    url = f"/trading/{listing.pk}/instalments/2/pay/"
    staff = Client()
    staff.force_login(w.town_staff)
    before = snapshot(listing)
    cases = [
        ({"amount": "abc", "paid_on": due2}, "实付金额须为正整数"),
        ({"amount": "-10000", "paid_on": due2}, "实付金额须为正整数"),
        ({"amount": "", "paid_on": due2}, "实付金额须为正整数"),
        ({"amount": "9" * 40, "paid_on": due2}, "实付金额须为正整数"),
        ({"amount": "10000.5", "paid_on": due2}, "实付金额须为正整数"),
        ({"amount": "9000", "paid_on": due2}, "应付金额10000元"),
        ({"amount": "10000"}, "实付日期格式"),
        ({"amount": "10000", "paid_on": "2026-13-01"}, "实付日期格式"),
        ({"amount": "10000", "paid_on": "x" * 5000}, "实付日期格式"),
        ({"amount": "10000", "paid_on": "\x00"}, "实付日期格式"),
        ({"amount": "10000", "paid_on": (TODAY + timedelta(days=30)).isoformat()}, "不能晚于今天"),
        ({"amount": "10000", "paid_on": "1999-01-01"}, "不能早于"),
    ]
    for data, text in cases:
        response = staff.post(url, data, follow=True)
        assert response.status_code == 200, data
        assert text in _messages(response), (data, _messages(response))
    assert staff.post(f"/trading/{listing.pk}/instalments/3/pay/", {"amount": "10000", "paid_on": due2},
                      follow=True).status_code == 200  # fmt: skip
    for seq in ("0", "99999999999999999999"):
        huge = f"/trading/{listing.pk}/instalments/{seq}/pay/"
        assert staff.post(huge, {"amount": "10000", "paid_on": due2}).status_code == 404
    response = staff.post(f"/trading/{listing.pk}/instalments/12/pay/", {"amount": "10000", "paid_on": due2},
                          follow=True)  # fmt: skip
    assert "找不到该期" in _messages(response)
    assert staff.get(url).status_code == 405
    other = Client()
    other.force_login(w.other_town_staff)
    assert other.post(url, {"amount": "10000", "paid_on": due2}).status_code == 404
    bidder = Client()
    bidder.force_login(w.users[0])
    assert bidder.post(url, {"amount": "10000", "paid_on": due2}).status_code in (403, 404)
    assert snapshot(listing) == before
    response = staff.post(url, {"amount": "10,000", "paid_on": due2}, follow=True)
    assert "已登记第2期价款" in _messages(response)
    paid = snapshot(listing)
    response = staff.post(url, {"amount": "10000", "paid_on": due2}, follow=True)
    assert "不能重复登记" in _messages(response)
    assert snapshot(listing) == paid


@pytest.mark.django_db
def test_overdue_instalments_marked_on_the_page_and_listed_for_the_town() -> None:
    w = make_world(bidders=1)
    listing = deal(w)
    staff = Client()
    staff.force_login(w.town_staff)
    page = staff.get(f"/trading/{listing.pk}/").content.decode()
    overdue = [
        i.seq for i in Instalment.objects.filter(listing=listing) if i.due_on < TODAY and not i.paid_on
    ]
    assert overdue == [2, 3, 4]
    assert page.count("data-overdue") == 3
    assert 'id="pay-2"' in page and 'id="pay-3"' not in page  # only the next one in order
    index = staff.get("/trading/").content.decode()
    assert "逾期未付价款（3）" in index and listing.code in index
    other = Client()
    other.force_login(w.other_town_staff)
    assert "逾期未付价款（0）" in other.get("/trading/").content.decode()
    bidder = Client()
    bidder.force_login(w.users[0])
    assert "逾期未付价款" not in bidder.get("/trading/").content.decode()
    assert "pay-2" not in bidder.get(f"/trading/{listing.pk}/").content.decode()
    due2 = Instalment.objects.get(listing=listing, seq=2).due_on
    services.instalment_pay(actor=w.town_staff, listing=listing, seq=2, amount_yuan=10_000, paid_on=due2)
    assert staff.get(f"/trading/{listing.pk}/").content.decode().count("data-overdue") == 2
    assert "逾期未付价款（2）" in staff.get("/trading/").content.decode()


@pytest.mark.django_db
def test_listing_page_and_overdue_list_cost_fixed_queries() -> None:
    """The schedule and its forms add no query per instalment; the index's overdue list is one query."""
    w = make_world(bidders=1)
    staff = Client()
    staff.force_login(w.town_staff)
    short = deal(w, code="PD-S1")
    Listing.objects.filter(pk=short.pk).update(term_years=3)
    Instalment.objects.filter(listing=short, seq__gt=3).delete()
    for listing in (short, deal(w, code="PD-L1")):
        due2 = Instalment.objects.get(listing=listing, seq=2).due_on
        services.instalment_pay(actor=w.town_staff, listing=listing, seq=2, amount_yuan=10_000, paid_on=due2)
        with assert_queries(9, label="detail"):
            assert staff.get(f"/trading/{listing.pk}/").status_code == 200
        with assert_queries(9, label="index"):
            assert staff.get("/trading/").status_code == 200
