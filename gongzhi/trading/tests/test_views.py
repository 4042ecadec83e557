"""The pages: scoped lists, the bid form with hostile amounts, the exchange's steps, the certificate PDF."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client

from gongzhi.core.pdf import pdf_text
from gongzhi.trading import services
from gongzhi.trading.models import Bid, Listing, Status
from gongzhi.trading.tests.kit import decision_for, make_listing, make_world, pay, resource_for

pytestmark = pytest.mark.django_db


def _client(user) -> Client:  # type: ignore[no-untyped-def]
    c = Client()
    c.force_login(user)
    return c


def test_bidder_bids_and_sees_own_bids() -> None:
    w = make_world()
    listing = make_listing(w.d["370283001203"])
    pay(listing, w.bidders[0])
    c = _client(w.users[0])
    page = c.get(f"/trading/{listing.pk}/").content.decode()
    assert "我的出价" in page and "100,000" in page
    r = c.post(f"/trading/{listing.pk}/bid/", {"amount": "100000"}, follow=True)
    assert "出价成功" in r.content.decode()
    mine = c.get("/trading/mine/").content.decode()
    assert listing.title in mine and "领先" in mine


@pytest.mark.parametrize("amount", ["", "abc", "-5", "1e9", "100000.5", "9" * 40, "０"])
def test_hostile_amounts_answer_in_chinese_and_write_nothing(amount: str) -> None:
    w = make_world()
    listing = make_listing(w.d["370283001203"])
    pay(listing, w.bidders[0])
    r = _client(w.users[0]).post(f"/trading/{listing.pk}/bid/", {"amount": amount}, follow=True)
    assert r.status_code == 200
    assert "出价须为正整数" in r.content.decode()
    assert not Bid.objects.exists()


def test_bid_below_step_is_refused_on_the_page() -> None:
    w = make_world()
    listing = make_listing(w.d["370283001203"])
    pay(listing, *w.bidders[:2])
    services.bid_place(actor=w.users[0], listing_id=listing.pk, bidder=w.bidders[0], amount_yuan=100_000)
    r = _client(w.users[1]).post(f"/trading/{listing.pk}/bid/", {"amount": "100999"}, follow=True)
    assert "101000" in r.content.decode()
    assert Bid.objects.count() == 1


def test_staff_steps_and_certificate() -> None:
    w = make_world()
    listing = make_listing(w.d["370283001203"])
    c = _client(w.town_staff)
    r = c.post(
        f"/trading/{listing.pk}/deposit/", {"bidder": str(w.bidders[1].pk), "amount": "10000"}, follow=True
    )
    assert "已登记保证金" in r.content.decode()
    r = c.post(f"/trading/{listing.pk}/deposit/", {"bidder": "x' or 1=1", "amount": "10000"}, follow=True)
    assert "请选择竞买人" in r.content.decode()
    services.bid_place(actor=w.users[1], listing_id=listing.pk, bidder=w.bidders[1], amount_yuan=120_000)
    c.post(f"/trading/{listing.pk}/close/")
    r = c.post(f"/trading/{listing.pk}/settle/", {}, follow=True)
    assert "请先签订流转合同" in r.content.decode()
    land = resource_for(listing)
    today = str(date.today())
    sign = {"subject": f"r{land.pk}", "code": "LZ-1", "signed_on": today, "starts_on": today, "yearly": "1"}
    r = c.post(f"/trading/{listing.pk}/contract/", sign, follow=True)
    assert "已签订流转合同" in r.content.decode()
    c.post(f"/trading/{listing.pk}/settle/")
    assert Listing.objects.get(pk=listing.pk).status == Status.SETTLED
    pdf = c.get(f"/trading/{listing.pk}/certificate.pdf")
    assert pdf["Content-Type"] == "application/pdf"
    text = pdf_text(pdf.content).replace(" ", "")
    assert (
        "农村产权交易鉴证书" in text
        and "郭家疃村股份经济合作社" in text
        and "120,000" in text
        and w.bidders[1].name in text
    )


def test_new_listing_form_hostile_and_scope() -> None:
    w = make_world()
    c = _client(w.town_staff)
    form = {
        "village": "370283122201",  # another town's village
        "code": "PD-9",
        "title": "鱼塘",
        "kind": "water",
        "area_mu": "12",
        "term_years": "5",
        "reserve_yuan": "50000",
        "step_yuan": "500",
        "previous_income_yuan": "0",
        "decision": "1",
        "publish_from": "2025-01-10",
        "publish_until": "2025-01-25",
    }
    assert "找不到该村" in c.post("/trading/new/", form).content.decode()
    bad = {**form, "village": "370283001203", "reserve_yuan": "-1", "publish_until": "2025-13-40"}
    assert c.post("/trading/new/", bad).status_code == 200
    assert not Listing.objects.exists()
    elsewhere = decision_for(w.d["370283001207"], today=date(2025, 2, 1))  # another village's collective
    unfinished = decision_for(w.d["370283001203"], steps=4, today=date(2025, 2, 1))
    spending = decision_for(w.d["370283001203"], kind="spending", today=date(2025, 2, 1))
    good = decision_for(w.d["370283001203"], today=date(2025, 2, 1))
    for d, message in (
        ("0", "决策编号"),  # below the form's minimum: the form shows its error beside the field
        ("99999999999999999999999", "决策编号"),
        (str(good.pk + 1000), "找不到该决策"),
        (str(elsewhere.pk), "不属于该村集体经济组织"),
        (str(unfinished.pk), "尚未完成"),
        (str(spending.pk), "不是资产资源发包、租赁事项"),
    ):
        page = c.post("/trading/new/", {**form, "village": "370283001203", "decision": d}).content.decode()
        assert message in page
    assert not Listing.objects.exists()
    r = c.post("/trading/new/", {**form, "village": "370283001203", "decision": str(good.pk)}, follow=True)
    assert "已挂牌" in r.content.decode()
    page = r.content.decode()
    assert f"/collectives/decisions/{good.pk}/" in page  # the listing links to its decision
    assert Listing.objects.get().decision_record == good
    assert Listing.objects.get().deposit_yuan == 5_000


def test_lists_are_scoped() -> None:
    w = make_world()
    mine = make_listing(w.d["370283001203"], title="东阁的地")
    other = make_listing(w.d["370283122201"], title="旧店的地")
    c = _client(w.town_staff)
    page = c.get("/trading/").content.decode()
    assert mine.title in page and other.title not in page
    assert c.get(f"/trading/{other.pk}/").status_code == 404
    assert c.get("/trading/report/").status_code == 200
