"""Builders for affairs tests: a compound with known owners, written through the real services."""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, cast

import xlsxwriter

from gongzhi.affairs import services
from gongzhi.affairs.models import Matter, MatterCategory, Scope, Vote
from gongzhi.affairs.seeds import ensure_seeded
from gongzhi.people.models import Ownership, Person, PersonKind
from gongzhi.places.models import Building, Compound, Division, Home
from gongzhi.tests.factories import SYSTEM, PersonFactory, make_compound


@dataclass
class Estate:
    """A compound of 1 building, 2 units × 3 floors × 2 homes (12 homes), each with an owner."""

    compound: Compound
    building: Building
    homes: list[Home]
    owners: list[Person]  # owners[i] owns homes[i]

    def unit_homes(self, unit: int) -> list[Home]:
        return [h for h in self.homes if h.unit_no == unit]


def new_person(**kw: Any) -> Person:
    """PersonFactory, typed as what it makes."""
    return cast(Person, PersonFactory(**kw))


def make_estate(community: Division, name: str = "测试小区", *, floors: int = 3) -> Estate:
    ensure_seeded()  # a transactional test elsewhere may have flushed the seeded settings
    compound, buildings, homes = make_compound(
        community, name, buildings=1, units=2, floors=floors, per_floor=2
    )
    owners = []
    rows = []
    for home in homes:
        person = new_person(name=f"业主{home.unit_no}{home.room}")
        owners.append(person)
        rows.append(Ownership(home=home, person=person, compound_id_cache=compound.pk))
    Ownership.objects.bulk_create(rows)
    return Estate(compound, buildings[0], homes, owners)


def give_to_developer(estate: Estate, indexes: Sequence[int], name: str = "青岛测试置业有限公司") -> Person:
    developer = new_person(name=name, kind=PersonKind.DEVELOPER)
    for i in indexes:
        Ownership.objects.filter(home=estate.homes[i]).update(person=developer)
        estate.owners[i] = developer
    return developer


def category(code: str) -> MatterCategory:
    return MatterCategory.objects.get(code=code)


def matter_at_consultation(
    estate: Estate,
    *,
    code: str = "fund_use",
    item: int | None = 5,
    scope: str = Scope.COMPOUND,
    unit: int | None = None,
) -> Matter:
    matter = services.matter_raise(
        actor=SYSTEM,
        compound=estate.compound,
        title="测试事项",
        category=category(code),
        item=item,
        scope=scope,
        building=estate.building if scope != Scope.COMPOUND else None,
        unit_no=unit,
    )
    services.matter_advance(matter=matter, actor=SYSTEM, to="consultation")
    return matter


def open_vote(estate: Estate, **kw: Any) -> Vote:
    matter = matter_at_consultation(estate, **kw)
    return services.vote_open(matter=matter, actor=SYSTEM)


def sheet_bytes(rows: Sequence[Sequence[object]]) -> bytes:
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = workbook.add_worksheet()
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if value is not None:
                sheet.write(r, c, value)
    workbook.close()
    return buffer.getvalue()


HEADER = ["楼栋", "单元", "房号", "业主", "专有部分面积", "表决意见"]


def sheet_rows(estate: Estate, opinions: dict[int, str]) -> list[list[object]]:
    """A sheet of every home of the estate; ``opinions`` maps a home index to 同意/反对/弃权."""
    rows: list[list[object]] = [list(HEADER)]
    for i, home in enumerate(estate.homes):
        rows.append(
            [
                estate.building.number,
                home.unit_no,
                home.room,
                estate.owners[i].name,
                float(Decimal(home.area)),
                opinions.get(i, ""),
            ]
        )
    return rows
