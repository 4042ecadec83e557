"""Pages, the ledger and the API of 三资 supervision: who sees what, hostile input refused with a message and
nothing written, the disclosure PDF, and query counts pinned."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from gongzhi.collectives.ledger import ASSETS, CONTRACTS, ENTRIES, RESOURCES
from gongzhi.collectives.models import Asset, Contract, Decision, DecisionStep, Entry, Threshold
from gongzhi.collectives.selectors import quarter_of
from gongzhi.collectives.tests.kit import World, decided, make_world
from gongzhi.core.pdf import pdf_text
from gongzhi.ledgers.base import Context
from gongzhi.ledgers.importer import get_ledger, import_book
from gongzhi.tests.queries import assert_queries

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
Q = quarter_of(TODAY)


@pytest.fixture
def w() -> World:
    return make_world()


def client(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


def test_who_sees_what(w: World) -> None:
    for user in (w.county, w.town, w.cadre):
        c = client(user)
        for url in (
            "/collectives/",
            f"/collectives/{w.c.pk}/",
            "/collectives/contracts/",
            "/collectives/rating/",
        ):
            assert c.get(url).status_code == 200, (user, url)
    assert client(w.other_cadre).get(f"/collectives/{w.c.pk}/").status_code == 404
    h = client(w.household)
    assert h.get("/collectives/").status_code == 403
    assert h.get(f"/collectives/{w.c.pk}/").status_code == 403
    assert h.get("/collectives/public/").status_code == 200
    assert h.get(f"/collectives/{w.c.pk}/disclosure/{Q}/").status_code == 200
    assert h.get(f"/collectives/{w.other.pk}/disclosure/{Q}/").status_code == 404
    assert client(w.town).get("/collectives/settings/").status_code == 403
    assert client(w.county).get("/collectives/settings/").status_code == 200


def test_the_household_reads_its_disclosure_and_its_pdf(w: World) -> None:
    Entry.objects.create(
        account=w.account,
        path=w.c.path,
        on=TODAY,
        direction="income",
        amount_yuan=12_345,
        summary="承包费收入",
    )
    h = client(w.household)
    page = h.get(f"/collectives/{w.c.pk}/disclosure/{Q}/").content.decode()
    assert "承包费收入" in page and "12,345" in page
    pdf = h.get(f"/collectives/{w.c.pk}/disclosure/{Q}.pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert "承包费收入" in pdf_text(pdf.content)


@pytest.mark.parametrize("quarter", ["2026Q5", "2026Q0", "abcdef", "1999Q1", "2026q1"])
def test_bad_quarters_are_404(w: World, quarter: str) -> None:
    assert client(w.household).get(f"/collectives/{w.c.pk}/disclosure/{quarter}/").status_code == 404


@pytest.mark.parametrize(
    "query", ["?place=999999999999", "?place=" + "9" * 40, "?show=<script>", "?page=-1", "?page=x"]
)
def test_hostile_query_strings(w: World, query: str) -> None:
    r = client(w.town).get("/collectives/contracts/" + query)
    assert r.status_code in (200, 404)


BAD_CONTRACTS = [
    {},
    {
        "code": "x",
        "kind": "lease",
        "party": "王",
        "starts_on": "2026-01-01",
        "ends_on": "2027-01-01",
        "annual_yuan": "1",
    },
    {
        "code": "HT-1",
        "kind": "nope",
        "subject": "r1",
        "party": "王",
        "starts_on": "2026-01-01",
        "ends_on": "2027-01-01",
        "annual_yuan": "1",
    },
    {
        "code": "HT-1",
        "kind": "lease",
        "subject": "r999999",
        "party": "王",
        "starts_on": "2026-01-01",
        "ends_on": "2027-01-01",
        "annual_yuan": "1",
    },
    {
        "code": "HT-1",
        "kind": "lease",
        "subject": "SUBJ",
        "party": "王",
        "starts_on": "2026-13-01",
        "ends_on": "2027-01-01",
        "annual_yuan": "1",
    },
    {
        "code": "HT-1",
        "kind": "lease",
        "subject": "SUBJ",
        "party": "王",
        "starts_on": "2027-01-01",
        "ends_on": "2026-01-01",
        "annual_yuan": "1",
    },
    {
        "code": "HT-1",
        "kind": "lease",
        "subject": "SUBJ",
        "party": "王",
        "starts_on": "2026-01-01",
        "ends_on": "2027-01-01",
        "annual_yuan": "-5",
    },
    {
        "code": "HT-1",
        "kind": "lease",
        "subject": "SUBJ",
        "party": "王",
        "starts_on": "2026-01-01",
        "ends_on": "2036-01-01",
        "annual_yuan": "90000",
    },
    {
        "code": "HT-1",
        "kind": "lease",
        "subject": "SUBJ",
        "party": "王",
        "starts_on": "2026-01-01",
        "ends_on": "2027-01-01",
        "annual_yuan": "1",
        "decision": "99999999999999",
    },
]


@pytest.mark.parametrize("data", BAD_CONTRACTS)
def test_bad_contracts_are_refused_with_a_message(w: World, data: dict[str, str]) -> None:
    data = {k: (f"r{w.land.pk}" if v == "SUBJ" else v) for k, v in data.items()}
    r = client(w.cadre).post(f"/collectives/{w.c.pk}/contracts/new/", data)
    assert r.status_code == 200 and (
        "text-danger" in r.content.decode() or "alert-danger" in r.content.decode()
    )
    assert not Contract.objects.exists()


def test_a_contract_through_the_form(w: World) -> None:
    d = decided(w.c)
    r = client(w.cadre).post(
        f"/collectives/{w.c.pk}/contracts/new/",
        {
            "code": "HT-2026-1",
            "kind": "contracting",
            "subject": f"r{w.land.pk}",
            "party": "王某",
            "starts_on": TODAY.isoformat(),
            "ends_on": (TODAY + timedelta(days=3000)).isoformat(),
            "annual_yuan": "80000",
            "decision": str(d.pk),
        },
    )
    assert r.status_code == 302
    assert Contract.objects.get(code="HT-2026-1").decision == d
    assert client(w.other_cadre).post(f"/collectives/{w.c.pk}/contracts/new/", {}).status_code == 404


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"account": "999", "on": "2026-01-01", "direction": "income", "amount_yuan": "5", "summary": "x"},
        {"account": "ACC", "on": "x", "direction": "income", "amount_yuan": "5", "summary": "x"},
        {"account": "ACC", "on": "2026-01-01", "direction": "gift", "amount_yuan": "5", "summary": "x"},
        {"account": "ACC", "on": "2026-01-01", "direction": "spending", "amount_yuan": "1e9", "summary": "x"},
        {
            "account": "ACC",
            "on": "2026-01-01",
            "direction": "spending",
            "amount_yuan": "60000",
            "summary": "x",
        },
    ],
)
def test_bad_entries(w: World, data: dict[str, str]) -> None:
    data = {k: (str(w.account.pk) if v == "ACC" else v) for k, v in data.items()}
    r = client(w.cadre).post(f"/collectives/{w.c.pk}/entries/new/", data)
    assert r.status_code == 200 and not Entry.objects.exists()


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"title": "", "kind": "other", "amount_yuan": "0", "opened_on": "2026-01-01"},
        {"title": "x", "kind": "other", "amount_yuan": "-1", "opened_on": "2026-01-01"},
        {"title": "x" * 201, "kind": "other", "amount_yuan": "1", "opened_on": "2026-01-01"},
    ],
)
def test_bad_decisions(w: World, data: dict[str, str]) -> None:
    r = client(w.cadre).post(f"/collectives/{w.c.pk}/decisions/new/", data)
    assert r.status_code == 200 and not Decision.objects.exists()


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"step": "3", "on": TODAY.isoformat(), "votes_for": "9"},
        {"step": "1", "on": "nope"},
        {"step": "x"},
        {"step": "2", "on": TODAY.isoformat(), "votes_for": "-1"},
        {"step": "2", "on": TODAY.isoformat(), "votes_for": "1", "votes_against": "1"},
        {"step": "2", "on": TODAY.isoformat()},
    ],
)
def test_bad_steps_write_nothing(w: World, data: dict[str, str]) -> None:
    d = decided(w.c, upto=1)
    c = client(w.cadre)
    r = c.post(f"/collectives/decisions/{d.pk}/step/", data, follow=True)
    assert r.status_code == 200 and "alert-danger" in r.content.decode()
    assert DecisionStep.objects.filter(decision=d).count() == 1


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"which": "threshold", "major_yuan": "abc"},
        {"which": "threshold", "major_yuan": "0"},
        {"which": "limit", "subject": "moon", "max_years": "5"},
        {"which": "limit", "subject": "land", "max_years": "0"},
        {"which": "criterion", "figure": "nope", "weight": "5", "full_at": "1", "half_at": "0"},
        {"which": "floor", "grade": "excellent", "min_score": "101"},
        {"which": "floor", "grade": "excellent", "min_score": "99"},
    ],
)
def test_bad_settings_change_nothing(w: World, data: dict[str, str]) -> None:
    r = client(w.county).post("/collectives/settings/", data, follow=True)
    assert r.status_code == 200 and "alert-danger" in r.content.decode()
    assert Threshold.objects.get(pk=1).major_yuan == 50_000


def sheet(spec: Any, rows: list[dict[str, Any]]) -> list[list[Any]]:
    return [spec.headers, *[[r.get(h, "") for h in spec.headers] for r in rows]]


def test_ledger_refuses_a_bad_file_and_writes_nothing(w: World) -> None:
    v = "370283001203"
    raw = {
        ASSETS.name: sheet(
            ASSETS,
            [
                {"村代码": v, "名称": "新仓库", "类别": "设施", "账面价值（元）": "100000"},
                {"村代码": "370283122201", "名称": "越界", "类别": "设施", "账面价值（元）": "1"},
            ],
        ),
        RESOURCES.name: sheet(RESOURCES, [{"村代码": v, "名称": "西岭", "类别": "林地", "面积（亩）": "-3"}]),
        ENTRIES.name: sheet(
            ENTRIES,
            [
                {
                    "村代码": v,
                    "账户": "基本存款账户",
                    "日期": "2026-02-01",
                    "收支": "支出",
                    "金额（元）": "90000",
                    "摘要": "修路",
                }
            ],
        ),
        CONTRACTS.name: sheet(
            CONTRACTS,
            [
                {
                    "村代码": v,
                    "合同编号": "HT-9",
                    "方式": "承包",
                    "标的名称": "不存在",
                    "承包（承租）方": "李",
                    "起始日期": "2026-01-01",
                    "到期日期": "2030-01-01",
                    "年租金（元）": "1000",
                }
            ],
        ),
    }
    outcome = import_book(get_ledger("collectives"), raw, Context(w.cadre))
    assert not outcome.ok
    found = {(e.sheet, e.column) for e in outcome.errors}
    assert {
        ("资产", "村代码"),
        ("资源", "面积（亩）"),
        ("收支", "决策编号"),
        ("合同", "标的名称"),
    } <= found, outcome.errors
    assert Asset.objects.count() == 2 and not Entry.objects.exists() and not Contract.objects.exists()


def test_ledger_imports_and_round_trips(w: World) -> None:
    v = "370283001203"
    raw = {
        ASSETS.name: sheet(
            ASSETS, [{"村代码": v, "名称": "新仓库", "类别": "设施", "账面价值（元）": "100000"}]
        ),
        ENTRIES.name: sheet(
            ENTRIES,
            [
                {
                    "村代码": v,
                    "账户": "专项资金户",
                    "日期": "2026-02-01",
                    "收支": "收入",
                    "金额（元）": "3000",
                    "摘要": "补助",
                }
            ],
        ),
        CONTRACTS.name: sheet(
            CONTRACTS,
            [
                {
                    "村代码": v,
                    "合同编号": "HT-9",
                    "方式": "租赁",
                    "标的名称": "新仓库",
                    "承包（承租）方": "李",
                    "起始日期": "2026-01-01",
                    "到期日期": "2030-01-01",
                    "年租金（元）": "10000",
                }
            ],
        ),
    }
    outcome = import_book(get_ledger("collectives"), raw, Context(w.cadre))
    assert outcome.ok, outcome.errors
    k = Contract.objects.get(code="HT-9")
    assert k.asset and k.asset.name == "新仓库" and not k.unapproved  # 40,000 over four years: not major
    exported = {
        spec.name: [spec.headers, *[list(r) for r in rows]]
        for spec, rows in get_ledger("collectives").export(w.c.path, w.cadre)
    }
    again = import_book(
        get_ledger("collectives"),
        {k_: v_ for k_, v_ in exported.items() if k_ != ENTRIES.name},
        Context(w.cadre),
    )
    assert again.ok and again.counts == {"资产": 0, "资源": 0, "收支": 0, "合同": 0}


def test_api_is_scoped(w: World) -> None:
    mine = client(w.cadre).get("/api/v1/collectives/assets/").json()
    names = {a["name"] for a in mine["results"]} if isinstance(mine, dict) else {a["name"] for a in mine}
    assert names == {"村东耕地", "村办公楼"} - {"村东耕地"}
    assert client(w.other_cadre).get(f"/api/v1/collectives/collectives/{w.c.pk}/").status_code == 404
    assert client(w.household).get("/api/v1/collectives/contracts/").status_code == 200


def grow(w: World, n: int) -> None:
    """n more villages in 东阁街道, each with a collective, holdings, an entry, a contract and a decision."""
    from decimal import Decimal

    from gongzhi.collectives import services
    from gongzhi.collectives.models import Account, Resource
    from gongzhi.places.models import Division
    from gongzhi.tests.factories import SYSTEM

    town = w.d["370283001"]
    for i in range(n):
        code = f"370283001{300 + i + Division.objects.filter(parent=town).count()}"
        v = Division.objects.create(
            code=code, name=f"新村{i}", level="village", parent=town, path=f"{town.path}{code}/"
        )
        c = services.collective_create(actor=SYSTEM, village=v)
        r = Resource(collective=c, name="耕地", kind="land", area_mu=Decimal(10))
        a = Account(collective=c, name="基本存款账户")
        services.holdings_bulk_create(
            actor=SYSTEM, rows=[r, a, Asset(collective=c, name="楼", kind="building", value_yuan=9)]
        )
        services.entries_bulk_create(
            actor=SYSTEM, rows=[Entry(account=a, on=TODAY, direction="income", amount_yuan=5, summary="x")]
        )
        services.contracts_bulk_create(
            actor=SYSTEM,
            rows=[
                Contract(
                    collective=c,
                    code=f"G-{code}",
                    kind="lease",
                    resource=r,
                    party="甲",
                    starts_on=TODAY - timedelta(days=9),
                    ends_on=TODAY + timedelta(days=30),
                    annual_yuan=99_000,
                )
            ],
        )
        decided(c, upto=i % 7)


# Pinned: session, user, grants (+ the page's own reads, listed in the failure message when they change).
# home: + the place, the figures (4 grouped reads; the rating's collectives, towns, criteria, floors and its 4 grouped
# reads), the page count, children and rows. Same numbers with ten more villages.
PINS = [
    ("/collectives/?place=370283001", 18),
    ("/collectives/{pk}/", 15),  # + the accounts, listed with links to their pages
    ("/collectives/contracts/?show=range&place=370283001", 6),
    ("/collectives/contracts/?show=expiring&place=370283001", 6),
    ("/collectives/rating/?place=370283001", 13),
    ("/collectives/decisions/{d}/", 7),
    ("/collectives/{pk}/disclosure/{q}/", 8),
    ("/collectives/public/", 5),
]


def test_query_counts_stay_fixed(w: World) -> None:
    d = decided(w.c, upto=3)
    grow(w, 1)
    for round_ in (0, 1):
        if round_:
            grow(w, 10)
        for url, n in PINS:
            user = w.household if "disclosure" in url or "public" in url else w.town
            c = client(user)
            with assert_queries(n, label=f"{url} (round {round_})"):
                assert c.get(url.format(pk=w.c.pk, d=d.pk, q=Q)).status_code == 200
