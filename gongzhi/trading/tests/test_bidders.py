"""竞买人登记: a person or organisation registers (ID or credit code checked, masked), the exchange approves
it, and only then may it pay a deposit and bid."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client

from gongzhi.accounts.models import RoleAssignment
from gongzhi.accounts.roles import Role
from gongzhi.people.identity import with_check_character
from gongzhi.people.models import Person
from gongzhi.tests.factories import SYSTEM, UserFactory, credit_code, user_with
from gongzhi.trading import services
from gongzhi.trading.models import Bid, Bidder, BidderStatus, Deposit
from gongzhi.trading.tests.kit import make_listing, make_world

pytestmark = pytest.mark.django_db

ID = with_check_character("37028319800101123")


def _client(user) -> Client:  # type: ignore[no-untyped-def]
    c = Client()
    c.force_login(user)
    return c


def _register(w, user, kind="person", name="王大明", document=ID) -> Bidder:  # type: ignore[no-untyped-def]
    return services.bidder_self_register(
        actor=user, kind=kind, name=name, document=document, place=w.d["370283"]
    )


@pytest.mark.parametrize(
    ("kind", "document", "word"),
    [
        ("person", ID[:-1] + ("0" if ID[-1] != "0" else "1"), "校验码"),
        ("person", "12345", "18 位"),
        (
            "organisation",
            credit_code(7)[:-1] + ("0" if credit_code(7)[-1] != "0" else "1"),
            "统一社会信用代码",
        ),
        ("alien", ID, "类型"),
    ],
)
def test_bad_documents_are_refused_and_nothing_written(kind: str, document: str, word: str) -> None:
    w = make_world(0)
    user = UserFactory.create()
    persons = Person.objects.count()
    with pytest.raises(ValidationError, match=word):
        _register(w, user, kind=kind, document=document)
    assert not Bidder.objects.exists() and Person.objects.count() == persons


def test_a_pending_bidder_can_neither_pay_a_deposit_nor_bid_until_approved() -> None:
    w = make_world(0)
    user = UserFactory.create()
    bidder = _register(w, user)
    assert bidder.status == BidderStatus.PENDING and bidder.number == f"JM{bidder.pk:07d}"
    assert bidder.person is not None and bidder.person.id_number == ID
    listing = make_listing(w.d["370283001203"])
    with pytest.raises(ValidationError, match="审核"):
        services.deposit_record(
            actor=SYSTEM, listing=listing, bidder=bidder, amount_yuan=listing.deposit_yuan
        )
    assert not RoleAssignment.objects.filter(user=user, role=Role.BIDDER).exists()
    county = user_with(Role.COUNTY_BUREAU, w.d["370283"])
    bidder = services.bidder_review(actor=county, bidder=bidder, approve=True)
    assert RoleAssignment.objects.filter(user=user, role=Role.BIDDER, path=w.d["370283"].path).exists()
    services.deposit_record(actor=SYSTEM, listing=listing, bidder=bidder, amount_yuan=listing.deposit_yuan)
    services.bid_place(actor=user, listing_id=listing.pk, bidder=bidder, amount_yuan=listing.reserve_yuan)
    assert Bid.objects.get().bidder == bidder


def test_a_refusal_needs_a_reason_and_leaves_the_bidder_out() -> None:
    w = make_world(0)
    user = UserFactory.create()
    bidder = _register(
        w, user, kind="organisation", name="平度市禾丰合作社", document=credit_code(3, "370283")
    )
    county = user_with(Role.COUNTY_BUREAU, w.d["370283"])
    with pytest.raises(ValidationError, match="理由"):
        services.bidder_review(actor=county, bidder=bidder, approve=False)
    services.bidder_review(actor=county, bidder=bidder, approve=False, note="营业执照已注销")
    bidder.refresh_from_db()
    assert bidder.status == BidderStatus.REFUSED and bidder.review_note == "营业执照已注销"
    with pytest.raises(ValidationError, match="已审核"):
        services.bidder_review(actor=county, bidder=bidder, approve=True)
    listing = make_listing(w.d["370283001203"])
    with pytest.raises(ValidationError, match="审核"):
        services.deposit_record(
            actor=SYSTEM, listing=listing, bidder=bidder, amount_yuan=listing.deposit_yuan
        )
    assert not Deposit.objects.exists()


def test_one_registration_per_account_and_per_document() -> None:
    w = make_world(0)
    user = UserFactory.create()
    _register(w, user)
    with pytest.raises(ValidationError, match="已提交"):
        _register(w, user)
    with pytest.raises(ValidationError, match="已登记"):
        _register(w, UserFactory.create())
    with pytest.raises(ValidationError, match="不符"):
        _register(w, UserFactory.create(), name="李四")
    assert Bidder.objects.count() == 1


def test_staff_elsewhere_cannot_review() -> None:
    w = make_world(0)
    bidder = _register(w, UserFactory.create())
    with pytest.raises(PermissionDenied):
        services.bidder_review(actor=w.town_staff, bidder=bidder, approve=True)  # a town, not the exchange
    outsider = user_with(Role.COUNTY_BUREAU, w.d["370202"])
    assert (
        _client(outsider).post(f"/trading/bidders/{bidder.pk}/review/", {"approve": "1"}).status_code == 404
    )
    bidder.refresh_from_db()
    assert bidder.status == BidderStatus.PENDING


def test_the_pages_register_mask_and_approve() -> None:
    w = make_world(0)
    user = UserFactory.create()
    c = _client(user)
    assert 'id="register-form"' in c.get("/trading/register/").content.decode()
    r = c.post(
        "/trading/register/",
        {"kind": "person", "name": "王大明", "document": ID, "place": "370283"},
        follow=True,
    )
    page = r.content.decode()
    assert "待审核" in page and ID not in page and ID[:6] + "********" + ID[-4:] in page
    county = _client(user_with(Role.COUNTY_BUREAU, w.d["370283"]))
    queue = county.get("/trading/bidders/").content.decode()
    assert "王大明" in queue and ID not in queue and ID[-4:] in queue
    bidder = Bidder.objects.get()
    county.post(f"/trading/bidders/{bidder.pk}/review/", {"approve": "1"})
    assert "已审核" in c.get("/trading/register/").content.decode()


@pytest.mark.parametrize(
    "post",
    [
        {"kind": "person", "name": "", "document": ID, "place": "370283"},
        {"kind": "person", "name": "王大明", "document": "x" * 500, "place": "370283"},
        {"kind": "person", "name": "王大明", "document": ID, "place": "999"},
        {
            "kind": "person",
            "name": "王大明",
            "document": ID,
            "place": "370283001203",
        },  # a village: no exchange
        {"kind": "person", "name": "王\x00大明", "document": ID, "place": "370283"},
        {},
    ],
)
def test_bad_registration_forms_answer_in_chinese_and_write_nothing(post: dict[str, str]) -> None:
    make_world(0)
    r = _client(UserFactory.create()).post("/trading/register/", post, follow=True)
    assert r.status_code == 200 and 'class="alert' in r.content.decode()
    assert not Bidder.objects.exists()


def test_a_towns_station_reviews_what_was_filed_there_and_the_bidder_bids_countywide() -> None:
    w = make_world(0)
    town, other_town = w.d["370283001"], w.d["370283122"]
    mine = services.bidder_self_register(
        actor=UserFactory.create(), kind="person", name="王大明", document=ID, place=town
    )
    theirs = services.bidder_self_register(
        actor=UserFactory.create(),
        kind="organisation",
        name="旧店果蔬专业合作社",
        document=credit_code(9, "370283"),
        place=other_town,
    )
    page = _client(w.town_staff).get("/trading/bidders/").content.decode()
    assert "王大明" in page and str(mine.number) in page and "东阁街道农村产权交易服务站" in page
    assert "旧店果蔬" not in page
    with pytest.raises(PermissionDenied):
        services.bidder_review(actor=w.town_staff, bidder=theirs, approve=True)
    assert (
        _client(w.town_staff).post(f"/trading/bidders/{theirs.pk}/review/", {"approve": "1"}).status_code
        == 404
    )
    mine = services.bidder_review(actor=w.town_staff, bidder=mine, approve=True)
    grant = RoleAssignment.objects.get(user=mine.user, role=Role.BIDDER)
    assert grant.place == w.d["370283"]  # the county's market, not the town only
    other_listing = make_listing(w.d["370283122201"])  # a listing in the other town
    services.deposit_record(
        actor=w.other_town_staff, listing=other_listing, bidder=mine, amount_yuan=other_listing.deposit_yuan
    )
    services.bid_place(actor=mine.user, listing_id=other_listing.pk, bidder=mine, amount_yuan=100_000)
    county = user_with(Role.COUNTY_BUREAU, w.d["370283"])
    services.bidder_review(actor=county, bidder=theirs, approve=False, note="营业执照已注销")
    assert Bidder.objects.get(pk=theirs.pk).status == BidderStatus.REFUSED


def test_pages_show_bidders_by_number_never_by_key() -> None:
    w = make_world()
    listing = make_listing(w.d["370283001203"])
    from gongzhi.trading.tests.kit import pay

    pay(listing, w.bidders[0])
    services.bid_place(actor=w.users[0], listing_id=listing.pk, bidder=w.bidders[0], amount_yuan=100_000)
    Bidder.objects.filter(pk=w.bidders[0].pk).update(number="JM0000777")
    page = _client(w.users[1]).get(f"/trading/{listing.pk}/").content.decode()
    assert "JM0000777" in page and w.bidders[0].name not in page
    staff = _client(w.town_staff).get(f"/trading/{listing.pk}/").content.decode()
    assert "JM0000777" in staff and f"{w.bidders[0].name}（{w.bidders[0].pk}）" not in staff
