"""Test world for 双报到: a unit with a contact point, an in-service member with a phone account."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.contrib.auth.models import User

from gongzhi.accounts.roles import Role
from gongzhi.core.actors import system
from gongzhi.people.models import Person
from gongzhi.places.models import Compound, Division
from gongzhi.reporting import services
from gongzhi.reporting.models import MemberLogin, Report, Unit
from gongzhi.tests.factories import PersonFactory, Tree, user_with

SYS = system("tests")


@dataclass
class World:
    tree: Tree
    compound: Compound
    district: Division
    unit: Unit
    liaison: Person
    member: Person
    member_user: User
    staff: User
    secretary: User


def make_world(tree: Tree) -> World:
    compound = tree.compounds[0]
    district = tree.d("370202")
    liaison = PersonFactory.create(name="联络员")
    (unit,) = services.units_bulk_create(
        actor=SYS,
        rows=[services.NewUnit("reporting.agency", "U001", "市南区司法局", district, [(compound, liaison)])],
    )
    member = PersonFactory.create(name="在职党员")
    member_user = user_with(Role.PARTY_MEMBER, compound, username="dangyuan_t")
    MemberLogin.objects.create(user=member_user, person=member)
    staff = user_with(Role.COMMUNITY_WORKER, compound.community, username="shequ_t")
    secretary = user_with(Role.PARTY_SECRETARY, compound, username="shuji_t")
    return World(tree, compound, district, unit, liaison, member, member_user, staff, secretary)


def report(
    world: World, person: Person | None = None, skills: tuple[str, ...] = ("law",), **kw: object
) -> Report:
    kw.setdefault("hours_month", 8)
    return services.member_report(
        actor=SYS,
        person=person or world.member,
        compound=kw.pop("compound", world.compound),  # type: ignore[arg-type]
        skills=list(skills),
        unit=world.unit,
        on=date(2026, 1, 5),
        **kw,  # type: ignore[arg-type]
    )
