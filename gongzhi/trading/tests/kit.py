"""A small 平度市 for trading tests: two towns, three villages, a town officer, bidders with accounts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import User

from gongzhi.accounts.roles import Role
from gongzhi.collectives import services as collective_services
from gongzhi.collectives.models import Collective, Decision, DecisionStep, MatterKind, Resource
from gongzhi.places.models import Division
from gongzhi.tests.factories import DIVISIONS, SYSTEM, load_divisions, user_with
from gongzhi.trading import services
from gongzhi.trading.models import Bidder, Listing

PINGDU = [
    ("370283", "平度市", "district", "3702"),
    ("370283001", "东阁街道", "subdistrict", "370283"),
    ("370283122", "旧店镇", "subdistrict", "370283"),
    ("370283001203", "郭家疃村委会", "village", "370283001"),
    ("370283001207", "梅花河村村民委员会", "village", "370283001"),
    ("370283122201", "旧店村村民委员会", "village", "370283122"),
]


@dataclass
class World:
    d: dict[str, Division]
    town_staff: User
    other_town_staff: User
    bidders: list[Bidder]
    users: list[User]


def make_world(bidders: int = 3) -> World:
    d = load_divisions(DIVISIONS + PINGDU)
    users, made = [], []
    for i in range(bidders):
        user = user_with(Role.BIDDER, d["370283"])
        users.append(user)
        made.append(
            services.bidder_register(actor=SYSTEM, name=f"竞买人{i + 1}合作社", place=d["370283"], user=user)
        )
    return World(
        d=d,
        town_staff=user_with(Role.TOWN_STAFF, d["370283001"]),
        other_town_staff=user_with(Role.TOWN_STAFF, d["370283122"]),
        bidders=made,
        users=users,
    )


def decision_for(
    village: Division, steps: int = 6, kind: str = MatterKind.CONTRACT, today: date | None = None
) -> Decision:
    """A 四议两公开 decision of the village's collective (made if missing) with `steps` of its six steps,
    the fourth (the villagers' resolution) 35 days before `today`."""
    today = today or date.today()
    collective_services.collectives_bulk_create(actor=SYSTEM, villages=[village])
    collective = Collective.objects.get(code=f"JT{village.code}")
    opened = today - timedelta(days=50)
    rows = [
        DecisionStep(step=i, on=opened + timedelta(days=5 * i), votes_for=20 if i in (2, 3, 4) else 0)
        for i in range(1, steps + 1)
    ]
    d = Decision(collective=collective, title=f"{village.name}机动地发包", kind=kind, opened_on=opened)
    collective_services.decisions_bulk_create(actor=SYSTEM, rows=[(d, rows)])
    return (
        Decision.objects.get(pk=d.pk) if d.pk else Decision.objects.filter(collective=collective).latest("pk")
    )


def make_listing(village: Division, today: date | None = None, **kw: Any) -> Listing:
    """A listing whose publication ended yesterday: bidding is open today."""
    today = today or date.today()
    values: dict[str, Any] = {
        "code": f"PD-{Listing.objects.count() + 1:04d}",
        "title": "村东机动地经营权",
        "kind": "land",
        "area_mu": Decimal("52.5"),
        "term_years": 10,
        "reserve_yuan": 100_000,
        "step_yuan": 1_000,
        "previous_income_yuan": 0,
        "publish_from": today - timedelta(days=20),
        "publish_until": today - timedelta(days=1),
    }
    values.update(kw)
    if "decision_record" not in values:
        values["decision_record"] = decision_for(village, today=today)
    return services.listing_create(actor=SYSTEM, village=village, **values)


def pay(listing: Listing, *bidders: Bidder) -> None:
    for b in bidders:
        services.deposit_record(actor=SYSTEM, listing=listing, bidder=b, amount_yuan=listing.deposit_yuan)


def resource_for(listing: Listing, kind: str = "land", name: str = "村东机动地") -> Resource:
    """A resource of the listing's village collective, to sign the listing's contract on."""
    collective = Collective.objects.get(code=f"JT{listing.village.code}")
    row = Resource(collective=collective, path=collective.path, name=name, kind=kind, area_mu=listing.area_mu)
    return collective_services.holding_add(actor=SYSTEM, row=row)  # type: ignore[return-value]
