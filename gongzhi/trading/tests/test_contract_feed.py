"""The contract as the collectives' record, the payment schedule, the read API for bidders, bids and
deposits, and the change feed with its cursor (hostile cursors included)."""

from __future__ import annotations

import base64
from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from hypothesis import given
from hypothesis import strategies as st

from gongzhi.accounts.roles import Role
from gongzhi.collectives.models import Contract
from gongzhi.collectives.services import contracts_bulk_create
from gongzhi.core.pdf import pdf_text
from gongzhi.tests.factories import SYSTEM, user_with
from gongzhi.trading import rules, selectors, services
from gongzhi.trading.models import Change, Instalment, Listing, Status
from gongzhi.trading.tests.kit import make_listing, make_world, pay, resource_for

pytestmark = pytest.mark.django_db


def _client(user) -> Client:  # type: ignore[no-untyped-def]
    c = Client()
    c.force_login(user)
    return c


def _awarded(w, price: int = 120_000, **kw) -> Listing:  # type: ignore[no-untyped-def]
    listing = make_listing(w.d["370283001203"], **kw)
    pay(listing, *w.bidders[:2])
    services.bid_place(actor=w.users[0], listing_id=listing.pk, bidder=w.bidders[0], amount_yuan=100_000)
    services.bid_place(actor=w.users[1], listing_id=listing.pk, bidder=w.bidders[1], amount_yuan=price)
    return services.listing_close(actor=w.town_staff, listing=listing)


# -- rules ---------------------------------------------------------------------------------------------


@given(
    price=st.integers(min_value=1, max_value=10**12),
    years=st.integers(min_value=1, max_value=30),
    yearly=st.booleans(),
    start=st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 12, 31)),
)
def test_schedule_sums_to_the_price_yearly_on_each_anniversary(
    price: int, years: int, yearly: bool, start: date
) -> None:
    plan = rules.payment_schedule(price=price, term_years=years, starts_on=start, yearly=yearly)
    assert sum(a for _d, a in plan) == price
    assert plan[0][0] == start
    assert len(plan) == (years if yearly else 1)
    dues = [d for d, _a in plan]
    assert dues == sorted(dues) and all(d <= rules.contract_end(start, years) for d in dues)
    assert max(a for _d, a in plan) - min(a for _d, a in plan) < years  # equal shares, the rest first


def test_contract_end_boundaries() -> None:
    assert rules.contract_end(date(2025, 1, 1), 10) == date(2034, 12, 31)
    assert rules.contract_end(date(2024, 2, 29), 1) == date(2025, 2, 28)
    assert rules.contract_end(date(2024, 3, 1), 1) == date(2025, 2, 28)


def test_decision_problem_says_which_condition_fails() -> None:
    ok = {"same_collective": True, "for_contracting": True, "complete": True}
    assert rules.decision_problem(**ok) == ""
    assert "不属于" in rules.decision_problem(**{**ok, "same_collective": False})
    assert "发包、租赁" in rules.decision_problem(**{**ok, "for_contracting": False})
    assert "六个步骤" in rules.decision_problem(**{**ok, "complete": False})


# -- the decision link ---------------------------------------------------------------------------------


def test_listing_needs_its_own_collectives_completed_contract_decision() -> None:
    from gongzhi.trading.tests.kit import decision_for

    w = make_world()
    village = w.d["370283001203"]
    for bad, word in (
        (decision_for(w.d["370283001207"]), "不属于"),  # the neighbouring village's collective
        (decision_for(village, steps=5), "六个步骤"),  # 决议公开 done, 实施结果公开 not yet
        (decision_for(village, kind="other"), "发包、租赁"),
    ):
        with pytest.raises(ValidationError, match=word):
            make_listing(village, decision_record=bad)
    with pytest.raises(ValidationError, match="四议两公开"):
        make_listing(village, decision_record=None)
    assert not Listing.objects.exists() and not Change.objects.exists()
    good = make_listing(village)
    assert good.decided_on == date.today() - timedelta(days=30)  # step 4, the villagers' resolution
    assert good.decision == good.decision_record.title  # type: ignore[union-attr]


def test_a_listing_from_before_the_link_stays_readable_and_relists_under_its_text() -> None:
    w = make_world()
    old = make_listing(w.d["370283001203"])
    Listing.objects.filter(pk=old.pk).update(decision_record=None, decision="村民代表会议决议（2023）第2号")
    services.listing_close(actor=w.town_staff, listing=old)  # no bids: failed
    page = _client(w.town_staff).get(f"/trading/{old.pk}/").content.decode()
    assert "村民代表会议决议（2023）第2号" in page and "/collectives/decisions/" not in page
    new = services.listing_relist(
        actor=w.town_staff,
        listing=Listing.objects.get(pk=old.pk),
        code="PD-R",
        reserve_yuan=80_000,
        publish_from=date.today(),
        publish_until=date.today() + timedelta(days=12),
    )
    assert new.decision == "村民代表会议决议（2023）第2号" and new.decision_record is None


# -- the contract --------------------------------------------------------------------------------------


def test_contract_from_the_award_is_the_collectives_contract_with_its_schedule() -> None:
    w = make_world()
    listing = _awarded(w)
    land = resource_for(listing)
    start = date.today()
    contract = services.contract_sign(
        actor=w.town_staff, listing=listing, subject=land, code="LZ-2026-7", starts_on=start, yearly=True
    )
    assert contract.party == w.bidders[1].name and contract.collective.code == "JT370283001203"
    assert (contract.starts_on, contract.ends_on) == (start, rules.contract_end(start, 10))
    assert contract.annual_yuan == 12_000 and contract.decision == listing.decision_record
    assert not contract.unapproved
    plan = list(Instalment.objects.filter(listing=listing).values_list("amount_yuan", flat=True))
    assert len(plan) == 10 and sum(plan) == 120_000
    listing.refresh_from_db()
    assert listing.contract == contract and listing.contract_no == "LZ-2026-7"
    # The collectives' supervision sees it: 12,000 a year for 52.5 亩 is 228.57 元/亩, below land's 300.
    assert Contract.objects.get(code="LZ-2026-7").out_of_range
    c = _client(w.town_staff)
    assert "LZ-2026-7" in c.get("/collectives/contracts/?show=range").content.decode()
    services.listing_settle(actor=w.town_staff, listing=listing)
    listing.refresh_from_db()
    assert listing.status == Status.SETTLED
    assert Instalment.objects.get(listing=listing, seq=1).paid_on == date.today()
    text = pdf_text(c.get(f"/trading/{listing.pk}/certificate.pdf").content).replace(" ", "")
    assert "LZ-2026-7" in text and rules.contract_end(start, 10).isoformat() in text


def test_contract_refusals_write_nothing() -> None:
    w = make_world()
    listing = _awarded(w)
    land = resource_for(listing)
    pond = resource_for(listing, kind="water", name="南塘")
    other = make_listing(w.d["370283001207"])
    elsewhere = resource_for(other, name="梅花河机动地")
    taken = Contract(
        collective=land.collective,
        code="LZ-TAKEN",
        kind="contracting",
        resource=land,
        party="某人",
        starts_on=date(2020, 1, 1),
        ends_on=date(2024, 12, 31),
        annual_yuan=10_000,
    )
    contracts_bulk_create(actor=SYSTEM, rows=[taken])
    today = date.today()
    for subject, code, kw, word in (
        (pond, "LZ-1", {}, "类别"),
        (elsewhere, "LZ-1", {}, "资产或资源"),
        (land, "LZ-TAKEN", {}, "已存在"),
        (land, "", {}, "合同编号"),
        (land, "LZ-1", {"signed_on": today + timedelta(days=1)}, "不能晚于今天"),
        (land, "LZ-1", {"starts_on": today - timedelta(days=400)}, "起始日期"),
    ):
        with pytest.raises(ValidationError, match=word):
            services.contract_sign(
                actor=w.town_staff,
                listing=listing,
                subject=subject,
                code=code,
                starts_on=kw.get("starts_on", today),
                signed_on=kw.get("signed_on"),
            )
    with pytest.raises(ValidationError, match="已成交"):
        services.contract_sign(
            actor=w.town_staff, listing=other, subject=elsewhere, code="X-1", starts_on=today
        )
    assert Contract.objects.count() == 1 and not Instalment.objects.exists()
    assert Listing.objects.get(pk=listing.pk).contract is None


@pytest.mark.parametrize(
    "post",
    [
        {},
        {
            "subject": "r999999",
            "code": "LZ-1",
            "signed_on": "2026-01-01",
            "starts_on": "2026-01-01",
            "yearly": "0",
        },
        {"subject": "x' or 1=1", "code": "LZ-1", "signed_on": "2026-01-01", "starts_on": "2026-01-01"},
        {"subject": "r1", "code": "<script>", "signed_on": "2026-13-40", "starts_on": "\x00", "yearly": "9"},
    ],
)
def test_hostile_contract_forms_answer_in_chinese(post: dict[str, str]) -> None:
    w = make_world()
    listing = _awarded(w)
    resource_for(listing)
    r = _client(w.town_staff).post(f"/trading/{listing.pk}/contract/", post, follow=True)
    assert r.status_code == 200 and "alert-danger" in r.content.decode()
    assert not Contract.objects.exists()


# -- the read API --------------------------------------------------------------------------------------


def test_api_bidders_and_deposits_staff_in_place_and_a_bidder_its_own_masked() -> None:
    w = make_world()
    listing = make_listing(w.d["370283001203"])
    pay(listing, *w.bidders)
    services.bid_place(actor=w.users[0], listing_id=listing.pk, bidder=w.bidders[0], amount_yuan=100_000)
    county = user_with(Role.COUNTY_BUREAU, w.d["370283"])
    staff = _client(county).get("/api/v1/trading/bidders/").json()
    assert {b["number"] for b in staff["results"]} == {b.number for b in w.bidders}
    assert all("*" in b["name"] for b in staff["results"])  # registered by name only: masked
    own = _client(w.users[0]).get("/api/v1/trading/bidders/").json()["results"]
    assert [b["number"] for b in own] == [w.bidders[0].number]
    assert _client(w.users[0]).get(f"/api/v1/trading/bidders/{w.bidders[1].pk}/").status_code in (403, 404)
    deposits = _client(w.users[1]).get("/api/v1/trading/deposits/").json()["results"]
    assert [d["bidder"] for d in deposits] == [w.bidders[1].number]
    assert len(_client(county).get("/api/v1/trading/deposits/").json()["results"]) == 3
    bids = _client(w.users[2]).get("/api/v1/trading/bids/").json()["results"]
    assert bids[0]["bidder"] == w.bidders[0].number and "name" not in bids[0]
    assert _client(w.other_town_staff).get("/api/v1/trading/bids/").json()["results"] == []


# -- the change feed -----------------------------------------------------------------------------------


def _feed(c: Client, since: str = "", limit: str = "") -> dict:  # type: ignore[type-arg]
    q = "&".join(x for x in (f"since={since}" if since else "", f"limit={limit}" if limit else "") if x)
    r = c.get(f"/api/v1/trading/changes/?{q}")
    assert r.status_code == 200, r.content
    return r.json()  # type: ignore[no-any-return]


def test_feed_lists_every_change_in_order_and_pages_by_cursor() -> None:
    w = make_world()
    listing = _awarded(w)
    land = resource_for(listing)
    services.contract_sign(
        actor=w.town_staff, listing=listing, subject=land, code="LZ-9", starts_on=date.today()
    )
    services.listing_settle(actor=w.town_staff, listing=listing)
    c = _client(w.town_staff)
    seen, cursor = [], ""
    for _page in range(10):
        answer = _feed(c, cursor, "2")
        seen += [(x["kind"], x["event"]) for x in answer["results"]]
        cursor = answer["cursor"]
        if not answer["more"]:
            break
    assert seen == [
        ("listing", "published"),
        ("bid", "placed"),
        ("bid", "placed"),
        ("auction", "closed"),
        ("award", "awarded"),
        ("contract", "signed"),
        ("contract", "settled"),
    ]
    assert _feed(c, cursor)["results"] == []  # read to the end: the same cursor waits for more
    second = make_listing(w.d["370283001203"])
    after = _feed(c, cursor)
    assert [(x["kind"], x["listing"]) for x in after["results"]] == [("listing", second.pk)]
    bid = next(x for x in _feed(c)["results"] if x["kind"] == "bid")
    assert bid["data"]["bidder"] == w.bidders[0].number and "name" not in str(bid["data"])


def test_feed_is_scoped_like_the_pages() -> None:
    w = make_world()
    make_listing(w.d["370283001203"])
    assert len(_feed(_client(w.town_staff))["results"]) == 1
    assert _feed(_client(w.other_town_staff))["results"] == []
    assert (
        _client(user_with(Role.HOUSEHOLD, w.d["370283001203"])).get("/api/v1/trading/changes/").status_code
        == 403
    )
    assert Client().get("/api/v1/trading/changes/").status_code in (401, 403)


def _b64(text: str) -> str:
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


@pytest.mark.parametrize(
    "since",
    [
        "garbage",
        "!!!",
        "%00",
        _b64("v1.1"),
        _b64("v1.-1.5"),
        _b64("v2.1.1"),
        _b64("v1.1.1.1"),
        _b64(f"v1.{2**63}.1"),
        _b64("v1.1." + "9" * 40),
        _b64("v1.１.1"),  # a full-width digit
        "A" * 65,
        "djEuMS4x====",
        "'; DROP TABLE trading_change; --",
    ],
)
def test_hostile_cursors_get_a_clear_400(since: str) -> None:
    w = make_world()
    make_listing(w.d["370283001203"])
    r = _client(w.town_staff).get("/api/v1/trading/changes/", {"since": since})
    assert r.status_code == 400 and "游标无效" in r.json()["detail"]
    assert Change.objects.count() == 1


@pytest.mark.parametrize("limit", ["0", "-1", "501", "abc", "1e3", "９", "9" * 30])
def test_hostile_limits_get_a_clear_400(limit: str) -> None:
    w = make_world()
    r = _client(w.town_staff).get("/api/v1/trading/changes/", {"limit": limit})
    assert r.status_code == 400 and "limit" in r.json()["detail"]


def test_cursor_round_trip() -> None:
    for pair in ((0, 1), (2**63 - 1, 2**63 - 1), (123456, 7)):
        assert selectors.cursor_decode(selectors.cursor_encode(*pair)) == pair
