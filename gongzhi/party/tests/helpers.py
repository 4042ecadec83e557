"""Test helpers: party members on the `tree` fixture's homes, through the real services."""

from __future__ import annotations

from datetime import date
from typing import Any

from gongzhi.core.actors import system
from gongzhi.party import services
from gongzhi.party.models import PartyMember
from gongzhi.places.models import Compound, Home
from gongzhi.tests.factories import PersonFactory

SYS = system("tests")


def add_member(home: Home, status: str = "full", person: Any = None, **kw: Any) -> PartyMember:
    if person is None:
        owner = home.ownerships.select_related("person").first()
        fresh = owner is None or hasattr(owner.person, "party_member")
        person = PersonFactory() if fresh or owner is None else owner.person
    return services.member_register(
        actor=SYS,
        person=person,
        home=home,
        status=status,
        joined_on=date(2000, 7, 1),
        full_on=date(2001, 7, 1) if status == "full" else None,
        **kw,  # type: ignore[arg-type]
    )


def homes_of(compound: Compound) -> list[Home]:
    return list(Home.objects.filter(compound=compound).order_by("pk"))


def fill(compound: Compound, full: int, probationary: int = 0) -> list[PartyMember]:
    homes = homes_of(compound)
    out = []
    for i in range(full + probationary):
        out.append(
            add_member(homes[i % len(homes)], "full" if i < full else "probationary", person=PersonFactory())
        )
    return out
