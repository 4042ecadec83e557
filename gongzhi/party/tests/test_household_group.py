"""A central household belongs to the party group of its home's building, whoever designates it (issue 9).

The leader of a group may live in another building; designating them (or anyone) must not put the household
under the leader's group. When a building gains, changes or loses its group, its households follow, by the
services and by the party ledger alike.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import xlsxwriter
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from gongzhi.ledgers.base import Context
from gongzhi.ledgers.importer import export_file, get_ledger, import_file
from gongzhi.ledgers.xlsx import read_workbook
from gongzhi.party import rules, services
from gongzhi.party.models import CentralHousehold, PartyMember
from gongzhi.party.tests.helpers import SYS, add_member
from gongzhi.tests.factories import PersonFactory, make_compound

pytestmark = pytest.mark.django_db


@given(
    st.one_of(st.none(), st.integers(1, 50)),
    st.dictionaries(st.integers(1, 50), st.integers(1, 9), max_size=20),
)
def test_the_rule_is_the_buildings_group_or_none(building: int | None, groups: dict[int, int]) -> None:
    got = rules.household_group(building, groups)
    assert got == (groups.get(building) if building is not None else None)


def two_buildings(tree: Any) -> dict[str, Any]:
    """A compound of two buildings: a group over building 1 led by a member who lives in building 2."""
    c, buildings, homes = make_compound(
        tree.d("370202001001"), "两楼小区", buildings=2, units=1, floors=2, per_floor=2
    )
    first, second = ([h for h in homes if h.building_id == b.pk] for b in buildings)
    org = services.organisation_create(actor=SYS, kind="branch", name="两楼党支部", compounds=[c])
    for h in first[:3]:
        add_member(h, person=PersonFactory())
    leader = add_member(second[0], person=PersonFactory())
    group = services.group_create(
        actor=SYS, organisation=org, compound=c, name="1号楼党小组", buildings=[buildings[0]], leader=leader
    )
    leader.refresh_from_db()
    assert leader.group_id == group.pk  # the leader belongs to the group, though living in building 2
    return {
        "compound": c,
        "buildings": buildings,
        "first": first,
        "second": second,
        "group": group,
        "leader": leader,
    }


def test_a_leader_from_another_building_is_designated_under_their_buildings_group(tree) -> None:  # type: ignore[no-untyped-def]
    w = two_buildings(tree)
    household = services.central_household_designate(actor=SYS, member=w["leader"], links=[w["second"][1]])
    assert household.group_id is None  # building 2 has no group: not the leader's group
    with pytest.raises(ValidationError, match="所在楼栋的党小组"):
        services.central_household_designate(
            actor=SYS, member=add_member(w["second"][2], person=PersonFactory()), group=w["group"]
        )
    assert CentralHousehold.objects.count() == 1


def test_a_leader_whose_building_has_another_group_lands_in_that_group(tree) -> None:  # type: ignore[no-untyped-def]
    w = two_buildings(tree)
    other = services.group_create(
        actor=SYS,
        organisation=w["group"].organisation,
        compound=w["compound"],
        name="2号楼党小组",
        buildings=[w["buildings"][1]],
    )
    household = services.central_household_designate(actor=SYS, member=w["leader"])
    assert household.group_id == other.pk
    neighbour = PartyMember.objects.filter(home__in=w["first"]).earliest("pk")
    in_first = services.central_household_designate(actor=SYS, member=neighbour)
    assert in_first.group_id == w["group"].pk


def test_households_follow_when_their_building_is_regrouped(tree) -> None:  # type: ignore[no-untyped-def]
    w = two_buildings(tree)
    resident = add_member(w["second"][1], person=PersonFactory())  # no leader involved
    household = services.central_household_designate(actor=SYS, member=resident)
    assert household.group_id is None
    group = w["group"]
    services.group_update(actor=SYS, group=group, buildings=list(w["buildings"]))
    household.refresh_from_db()
    assert household.group_id == group.pk
    assert household.history.first().history_change_reason == "随楼栋调整党小组"
    services.group_update(actor=SYS, group=group, buildings=[w["buildings"][0]])
    household.refresh_from_db()
    assert household.group_id is None
    new = services.group_create(
        actor=SYS,
        organisation=group.organisation,
        compound=w["compound"],
        name="2号楼党小组",
        buildings=[w["buildings"][1]],
    )
    household.refresh_from_db()
    assert household.group_id == new.pk
    services.group_delete(actor=SYS, group=new)
    household.refresh_from_db()
    assert household.group_id is None
    assert household.history.first().history_change_reason == "撤销党小组"


def test_the_ledger_moves_households_when_a_groups_buildings_change(tree, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    w = two_buildings(tree)
    household = services.central_household_designate(actor=SYS, member=w["leader"])
    assert household.group_id is None
    ledger = get_ledger("party")
    exported = tmp_path / "all.xlsx"
    export_file(ledger, exported, w["compound"].path, None)
    sheet = read_workbook(exported)["楼栋党小组"]
    assert len(sheet) == 2
    header, row = sheet
    row = list(row)
    row[header.index("覆盖楼号")] = "；".join(b.number for b in w["buildings"])
    only = tmp_path / "groups.xlsx"
    write_book(only, {"楼栋党小组": [list(header), row]})
    outcome = import_file(ledger, only, Context(None))
    assert outcome.ok, outcome.errors
    household.refresh_from_db()
    assert household.group_id == w["group"].pk


def write_book(path: Path, sheets: dict[str, list[list[Any]]]) -> None:
    wb = xlsxwriter.Workbook(str(path))
    for name, rows in sheets.items():
        ws = wb.add_worksheet(name)
        for r, cells in enumerate(rows):
            ws.write_row(r, 0, cells)
    wb.close()
