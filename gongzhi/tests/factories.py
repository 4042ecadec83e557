"""Factories for tests: places through the real services, so counters and paths are those of production."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import factory
from django.contrib.auth.models import User

from gongzhi.accounts.services import role_grant
from gongzhi.core.actors import system
from gongzhi.core.pinyin import pinyin_keys
from gongzhi.people.models import Person
from gongzhi.people.services import ownership_add
from gongzhi.places.divisions_csv import DivisionRow
from gongzhi.places.geo import rectangle
from gongzhi.places.models import Building, Compound, Division, Home
from gongzhi.places.services import building_create, compound_create, divisions_load, home_create


class UserFactory(factory.django.DjangoModelFactory[User]):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.PostGenerationMethodCall("set_password", "pw-for-tests")

    @factory.post_generation
    def save_after(obj: User, create: bool, extracted: object, **kwargs: object) -> None:
        if create:
            obj.save()


class PersonFactory(factory.django.DjangoModelFactory[Person]):
    class Meta:
        model = Person

    name = factory.Iterator(["张伟", "王芳", "李娜", "刘洋", "陈静", "杨磊"])
    phone = factory.Sequence(lambda n: f"138{n:08d}")
    pinyin = factory.LazyAttribute(lambda o: pinyin_keys(o.name)[0])
    initials = factory.LazyAttribute(lambda o: pinyin_keys(o.name)[1])


DIVISIONS = [
    ("37", "山东省", "province", ""),
    ("3702", "青岛市", "city", "37"),
    ("370202", "市南区", "district", "3702"),
    ("370203", "市北区", "district", "3702"),
    ("370202001", "香港中路街道", "subdistrict", "370202"),
    ("370202009", "八大关街道", "subdistrict", "370202"),
    ("370203005", "辽宁路街道", "subdistrict", "370203"),
    ("370202001001", "云霄路社区", "community", "370202001"),
    ("370202001002", "湛山社区", "community", "370202001"),
    ("370202009001", "太平角社区", "community", "370202009"),
    ("370202009002", "八大关社区", "community", "370202009"),
    ("370203005001", "辽宁路社区", "community", "370203005"),
]


@dataclass
class Tree:
    divisions: dict[str, Division]
    compounds: list[Compound] = field(default_factory=list)
    buildings: list[Building] = field(default_factory=list)
    homes: list[Home] = field(default_factory=list)

    def d(self, code: str) -> Division:
        return self.divisions[code]


# Tests set up their world as a system job does; requests in tests act as their users.
SYSTEM = system("tests")


def load_divisions(rows: list[tuple[str, str, str, str]] = DIVISIONS) -> dict[str, Division]:
    divisions_load(actor=SYSTEM, rows=[DivisionRow(i + 2, *row) for i, row in enumerate(rows)])
    return {d.code: d for d in Division.objects.all()}


def make_compound(
    community: Division,
    name: str,
    buildings: int = 2,
    units: int = 2,
    floors: int = 3,
    per_floor: int = 2,
    **kw: Any,
) -> tuple[Compound, list[Building], list[Home]]:
    kw.setdefault("outline", rectangle(120.35, 36.06, 0.002, 0.0015))
    compound = compound_create(actor=SYSTEM, community=community, name=name, **kw)
    made_b, made_h = [], []
    for b in range(1, buildings + 1):
        building = building_create(
            actor=SYSTEM, compound=compound, number=f"{b}号楼", units=units, floors=floors
        )
        made_b.append(building)
        for u in range(1, units + 1):
            for f in range(1, floors + 1):
                for k in range(1, per_floor + 1):
                    made_h.append(
                        home_create(
                            actor=SYSTEM,
                            building=building,
                            unit_no=u,
                            room=f"{f}{k:02d}",
                            floor=f,
                            area=Decimal("80.50") + k,
                        )
                    )
    compound.refresh_from_db()
    return compound, made_b, made_h


def make_tree() -> Tree:
    tree = Tree(load_divisions())
    for code, names in [
        ("370202001001", ["金门路小区", "云霄花园"]),
        ("370202001002", ["湛山新村"]),
        ("370202009001", ["太平角公寓"]),
        ("370203005001", ["辽宁路里院"]),
    ]:
        for name in names:
            c, b, h = make_compound(tree.d(code), name, buildings=1, units=1, floors=2, per_floor=2)
            tree.compounds.append(c)
            tree.buildings += b
            tree.homes += h
    for home in tree.homes:
        person = PersonFactory.create()
        ownership_add(actor=SYSTEM, home=home, person=person)
    for d in Division.objects.all():
        tree.divisions[d.code] = d
    tree.compounds = list(Compound.objects.order_by("code"))
    return tree


def user_with(role: str, place: Division | Compound | Building, **kw: Any) -> User:
    user = UserFactory.create(**kw)
    role_grant(actor=SYSTEM, user=user, role=role, place=place)
    return user


# --- the enterprise-service centre (issue 13) --------------------------------------------------------------


def credit_code(serial: int, region: str = "370211") -> str:
    """A made-up unified social credit code with a correct GB 32100 check character."""
    from stdnum.cn import uscc

    body = f"91{region}{serial:09d}"
    return body + uscc.calc_check_digit(body)
