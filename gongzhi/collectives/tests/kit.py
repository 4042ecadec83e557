"""A small 平度市 for collectives tests: two towns, three villages, a collective with holdings, and the roles."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.contrib.auth.models import User
from django.utils import timezone

from gongzhi.accounts.roles import Role
from gongzhi.collectives import rules, services
from gongzhi.collectives.models import Account, Asset, Collective, Decision, Resource
from gongzhi.places.models import Division
from gongzhi.tests.factories import DIVISIONS, SYSTEM, load_divisions, user_with

PINGDU = [
    ("370283", "平度市", "district", "3702"),
    ("370283001", "东阁街道", "subdistrict", "370283"),
    ("370283122", "旧店镇", "subdistrict", "370283"),
    ("370283400", "平度经济开发区", "subdistrict", "370283"),
    ("370283001203", "郭家疃村委会", "village", "370283001"),
    ("370283001207", "梅花河村村民委员会", "village", "370283001"),
    ("370283122201", "旧店村村民委员会", "village", "370283122"),
]


@dataclass
class World:
    d: dict[str, Division]
    c: Collective
    other: Collective
    land: Resource
    building: Asset
    account: Account
    county: User
    town: User
    cadre: User
    household: User
    other_cadre: User


def make_world() -> World:
    d = load_divisions(DIVISIONS + PINGDU)
    services.settings_ensure(
        actor=SYSTEM
    )  # a transactional test before may have flushed migration 0002's rows
    c = services.collective_create(actor=SYSTEM, village=d["370283001203"])
    other = services.collective_create(actor=SYSTEM, village=d["370283122201"])
    land = Resource(collective=c, name="村东耕地", kind="land", area_mu=Decimal(100))
    building = Asset(collective=c, name="村办公楼", kind="building", value_yuan=800_000)
    account = Account(collective=c, name="基本存款账户")
    services.holdings_bulk_create(actor=SYSTEM, rows=[land, building, account])
    services.holdings_bulk_create(
        actor=SYSTEM, rows=[Asset(collective=other, name="冷库", kind="facility", value_yuan=300_000)]
    )
    return World(
        d=d,
        c=c,
        other=other,
        land=land,
        building=building,
        account=account,
        county=user_with(Role.COUNTY_BUREAU, d["370283"]),
        town=user_with(Role.TOWN_STAFF, d["370283001"]),
        cadre=user_with(Role.VILLAGE_CADRE, d["370283001203"]),
        household=user_with(Role.HOUSEHOLD, d["370283001203"]),
        other_cadre=user_with(Role.VILLAGE_CADRE, d["370283122201"]),
    )


def decided(c: Collective, amount: int = 500_000, upto: int = 6, opened: date | None = None) -> Decision:
    """A decision taken through `upto` of the six steps, a week apart, with passing votes."""
    opened = opened or timezone.localdate() - timedelta(days=100)
    d = services.decision_open(
        actor=SYSTEM,
        collective=c,
        title="村东耕地发包",
        kind="contract",
        amount_yuan=amount,
        opened_on=opened,
    )
    for n in range(1, upto + 1):
        votes = (20, 3) if n in rules.VOTED else (0, 0)
        services.step_record(
            actor=SYSTEM,
            decision=d,
            step=n,
            on=opened + timedelta(days=7 * n),
            votes_for=votes[0],
            votes_against=votes[1],
        )
    return d
