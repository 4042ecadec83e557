"""The pages of one asset, resource or account: add and edit through the services (history with the user as
author), bad input refused with a message and nothing written, scope, an entry corrected, query pins."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from gongzhi.collectives import services
from gongzhi.collectives.models import Account, Asset, Contract, Entry, Resource
from gongzhi.collectives.tests.kit import World, decided, make_world
from gongzhi.tests.factories import SYSTEM
from gongzhi.tests.queries import assert_queries

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


@pytest.fixture
def w() -> World:
    return make_world()


def client(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


def test_a_cadre_adds_and_edits_an_asset_and_the_history_names_them(w: World) -> None:
    c = client(w.cadre)
    assert "登记资产" in c.get(f"/collectives/{w.c.pk}/").content.decode()
    form = {"name": "村北冷库", "kind": "facility", "value_yuan": "450000", "acquired_on": "2020-05-01"}
    r = c.post(f"/collectives/{w.c.pk}/assets/new/", form, follow=True)
    assert "已登记资产" in r.content.decode()
    a = Asset.objects.get(name="村北冷库")
    assert (a.path, a.collective_id, a.value_yuan) == (w.c.path, w.c.pk, 450_000)
    r = c.post(f"/collectives/assets/{a.pk}/edit/", {**form, "value_yuan": "430000"}, follow=True)
    assert "已保存" in r.content.decode()
    a.refresh_from_db()
    assert a.value_yuan == 430_000
    assert [h.history_user_id for h in a.history.all()] == [w.cadre.pk, w.cadre.pk]
    page = c.get(f"/collectives/assets/{a.pk}/").content.decode()
    assert "450000 → 430000" in page and w.cadre.username in page


@pytest.mark.parametrize(
    ("what", "data", "message"),
    [
        ("assets", {"name": "", "kind": "building", "value_yuan": "1"}, "必填"),
        ("assets", {"name": "新楼", "kind": "castle", "value_yuan": "1"}, "选择"),
        ("assets", {"name": "新楼", "kind": "building", "value_yuan": "0"}, "1"),
        ("assets", {"name": "新楼", "kind": "building", "value_yuan": "abc"}, "整数"),
        ("assets", {"name": "村东耕地", "kind": "building", "value_yuan": "5"}, "本村已有"),
        (
            "assets",
            {"name": "新楼", "kind": "building", "value_yuan": "5", "acquired_on": "2020-13-40"},
            "日期",
        ),
        ("resources", {"name": "西岭", "kind": "land", "area_mu": "0"}, "0.01"),
        ("resources", {"name": "西岭", "kind": "land", "area_mu": "-3"}, "0.01"),
        ("resources", {"name": "村办公楼", "kind": "forest", "area_mu": "3"}, "本村已有"),
        ("accounts", {"name": "基本存款账户", "bank": "农商行"}, "本村已有"),
        ("accounts", {"name": "x" * 101, "bank": ""}, "100"),
    ],
)
def test_bad_holdings_are_refused_and_nothing_is_written(
    w: World, what: str, data: dict[str, str], message: str
) -> None:
    counts = (Asset.objects.count(), Resource.objects.count(), Account.objects.count())
    r = client(w.cadre).post(f"/collectives/{w.c.pk}/{what}/new/", data)
    assert r.status_code == 200
    assert message in r.content.decode()
    assert (Asset.objects.count(), Resource.objects.count(), Account.objects.count()) == counts


def test_bad_edits_change_nothing(w: World) -> None:
    c = client(w.cadre)
    before = w.land.history.count()
    for data in (
        {"name": "村办公楼", "kind": "land", "area_mu": "100"},  # an asset's name
        {"name": "村东耕地", "kind": "land", "area_mu": "0"},
        {"name": "村东耕地", "kind": "moon", "area_mu": "10"},
    ):
        assert c.post(f"/collectives/resources/{w.land.pk}/edit/", data).status_code == 200
    w.land.refresh_from_db()
    assert (w.land.name, w.land.area_mu, w.land.history.count()) == ("村东耕地", 100, before)
    # The same name as itself is no clash.
    ok = c.post(
        f"/collectives/resources/{w.land.pk}/edit/", {"name": "村东耕地", "kind": "land", "area_mu": "120"}
    )
    assert ok.status_code == 302
    w.land.refresh_from_db()
    assert w.land.area_mu == 120 and w.land.history.count() == before + 1


def test_scope_other_village_404_household_403(w: World) -> None:
    theirs = Asset.objects.get(collective=w.other)
    mine = client(w.cadre)
    for url in (f"/collectives/assets/{theirs.pk}/", f"/collectives/assets/{theirs.pk}/edit/"):
        assert mine.get(url).status_code == 404
    assert mine.post(f"/collectives/{w.other.pk}/accounts/new/", {"name": "x"}).status_code == 404
    assert client(w.household).get(f"/collectives/assets/{w.building.pk}/").status_code == 403
    town = client(w.town)
    assert town.get(f"/collectives/accounts/{w.account.pk}/").status_code == 200
    assert town.get(f"/collectives/resources/{w.land.pk}/edit/").status_code == 200
    assert client(w.other_cadre).get(f"/collectives/resources/{w.land.pk}/").status_code == 404


def test_the_service_refuses_moving_a_holding_to_another_collective(w: World) -> None:
    from django.core.exceptions import ValidationError

    w.building.collective = w.other
    with pytest.raises(ValidationError):
        services.holding_update(actor=SYSTEM, row=w.building)
    with pytest.raises(ValidationError):  # the bulk variant checks the values as a single row does
        services.holdings_bulk_create(
            actor=SYSTEM, rows=[Asset(collective=w.c, name="甲", kind="building", value_yuan=0)]
        )
    assert not Asset.objects.filter(name="甲").exists()


def test_the_resource_page_lists_its_contracts_and_the_account_its_entries(w: World) -> None:
    k = Contract(
        collective=w.c,
        code="HT-PAGE-1",
        kind="contracting",
        resource=w.land,
        party="平度市某种植户",
        starts_on=TODAY - timedelta(days=30),
        ends_on=TODAY + timedelta(days=700),
        annual_yuan=40_000,
        decision=decided(w.c, amount=80_000),  # above the threshold: the decision it rests on
    )
    services.contract_record(actor=SYSTEM, contract=k)
    services.entries_bulk_create(
        actor=SYSTEM,
        rows=[
            Entry(account=w.account, on=TODAY, direction="income", amount_yuan=40_000, summary="承包费"),
            Entry(account=w.account, on=TODAY, direction="spending", amount_yuan=1_500, summary="修路"),
        ],
    )
    c = client(w.town)
    page = c.get(f"/collectives/resources/{w.land.pk}/").content.decode()
    assert "HT-PAGE-1" in page and "平度市某种植户" in page and "村东耕地发包" in page
    page = c.get(f"/collectives/accounts/{w.account.pk}/").content.decode()
    assert "承包费" in page and "修路" in page
    assert "38,500" in page  # the balance, 40,000 − 1,500, computed from the entries


def test_an_entry_is_corrected_through_the_rule_and_its_history_kept(w: World) -> None:
    e = Entry(account=w.account, on=TODAY, direction="spending", amount_yuan=2_000, summary="办公用品")
    services.entries_bulk_create(actor=SYSTEM, rows=[e])
    c = client(w.cadre)
    form = {"account": str(w.account.pk), "on": str(TODAY), "direction": "spending", "summary": "办公用品"}
    # Above the threshold without a completed decision: refused, nothing changed.
    r = c.post(f"/collectives/entries/{e.pk}/edit/", {**form, "amount_yuan": "900000"})
    assert r.status_code == 200 and "决策" in r.content.decode()
    for bad in (
        {"amount_yuan": "-5"},
        {"amount_yuan": "10", "on": "昨天"},
        {"amount_yuan": "10", "account": "999"},
    ):
        assert c.post(f"/collectives/entries/{e.pk}/edit/", {**form, **bad}).status_code == 200
    e.refresh_from_db()
    assert (e.amount_yuan, e.history.count()) == (2_000, 1)
    d = decided(w.c, amount=900_000)
    r = c.post(f"/collectives/entries/{e.pk}/edit/", {**form, "amount_yuan": "900000", "decision": str(d.pk)})
    assert r.status_code == 302
    e.refresh_from_db()
    assert (e.amount_yuan, e.decision_id, e.history.count()) == (900_000, d.pk, 2)
    assert e.history.first().history_user_id == w.cadre.pk  # type: ignore[union-attr]
    # Another village's entry is not found.
    assert client(w.other_cadre).get(f"/collectives/entries/{e.pk}/edit/").status_code == 404


# session, user, grants; the row, its collective; may_manage's grants are cached; the contracts or the
# entries (page count and page) and the account's totals; the history with its authors.
HOLDING_PINS = [("assets", "building", 7), ("resources", "land", 7), ("accounts", "account", 9)]


def _more(w: World, i: int) -> None:
    """More contracts on the land, entries on the account and history on every holding."""
    for j in range(3):
        services.contract_record(
            actor=SYSTEM,
            contract=Contract(
                collective=w.c,
                code=f"HT-PIN-{i}-{j}",
                kind="lease",
                resource=w.land,
                party=f"租户{j}",
                starts_on=TODAY,
                ends_on=TODAY + timedelta(days=365),
                annual_yuan=10_000,
            ),
        )
        services.entries_bulk_create(
            actor=SYSTEM,
            rows=[Entry(account=w.account, on=TODAY, direction="income", amount_yuan=7, summary=f"收入{j}")],
        )
    for row in (w.building, w.land, w.account):
        row.name += "新"
        services.holding_update(actor=SYSTEM, row=row)


def test_query_counts_stay_fixed(w: World) -> None:
    c = client(w.town)
    for round_ in (0, 1):
        _more(w, round_)
        if round_:
            _more(w, 9)
        for what, attr, n in HOLDING_PINS:
            pk = getattr(w, attr).pk
            with assert_queries(n, label=f"{what} (round {round_})"):
                assert c.get(f"/collectives/{what}/{pk}/").status_code == 200
            with assert_queries(5, label=f"{what} edit (round {round_})"):
                assert c.get(f"/collectives/{what}/{pk}/edit/").status_code == 200


def test_api_lists_accounts_and_decisions_with_their_steps_in_scope(w: World) -> None:
    d = decided(w.c, upto=4)
    other = decided(w.other, upto=2)
    mine = client(w.cadre)
    accounts = mine.get("/api/v1/collectives/accounts/").json()["results"]
    assert [a["name"] for a in accounts] == ["基本存款账户"]
    got = mine.get("/api/v1/collectives/decisions/").json()["results"]
    assert [x["id"] for x in got] == [d.pk]
    assert [s["step"] for s in got[0]["steps"]] == [1, 2, 3, 4] and got[0]["steps_done"] == 4
    assert mine.get(f"/api/v1/collectives/decisions/{other.pk}/").status_code == 404
    # One query for the decisions' steps, however many decisions there are.
    for _ in range(3):
        decided(w.c, upto=6)
    with assert_queries(6, label="decisions api"):
        assert mine.get("/api/v1/collectives/decisions/").status_code == 200
