"""One actor and one write path for places, people and accounts: services check who acts (None is refused),
and a ledger import leaves the same history as rows typed in, naming the importer."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from gongzhi.accounts.roles import Role
from gongzhi.accounts.services import role_grant, user_create
from gongzhi.ledgers.base import Context
from gongzhi.ledgers.importer import import_file
from gongzhi.people.models import Ownership, Person
from gongzhi.people.services import ownership_add, person_create
from gongzhi.places.ledger import HOMES_LEDGER
from gongzhi.places.models import Building, Compound, Home
from gongzhi.places.services import building_create, compound_create, home_create, places_recount
from gongzhi.places.tests.test_homes_ledger import X, write
from gongzhi.tests.factories import SYSTEM, user_with

pytestmark = pytest.mark.django_db


def test_every_service_refuses_nobody_and_writes_nothing(tree):
    compound, building = tree.compounds[0], tree.buildings[0]
    home, person = tree.homes[0], Person.objects.order_by("pk")[0]
    before = (
        Compound.objects.count(),
        Building.objects.count(),
        Home.objects.count(),
        Ownership.objects.count(),
    )
    calls = [
        lambda: compound_create(actor=None, community=compound.community, name="新小区"),
        lambda: building_create(actor=None, compound=compound, number="9号楼"),
        lambda: home_create(actor=None, building=building, unit_no=1, room="901", area=Decimal("80")),
        lambda: person_create(actor=None, name="张三"),
        lambda: ownership_add(actor=None, home=home, person=person),
        lambda: places_recount(actor=None),
        lambda: user_create(actor=None, username="x", password="y"),
    ]
    for call in calls:
        with pytest.raises(PermissionDenied):
            call()
    assert before == (
        Compound.objects.count(),
        Building.objects.count(),
        Home.objects.count(),
        Ownership.objects.count(),
    )


def test_rights_are_checked_in_the_service(tree):
    secretary = user_with(Role.PARTY_SECRETARY, tree.compounds[0])  # sees places, may not edit them
    worker = user_with(Role.COMMUNITY_WORKER, tree.compounds[0].community)
    with pytest.raises(PermissionDenied):
        building_create(actor=secretary, compound=tree.compounds[0], number="9号楼")
    with pytest.raises(PermissionDenied):
        building_create(actor=worker, compound=tree.compounds[-1], number="9号楼")  # another district
    with pytest.raises(PermissionDenied):
        role_grant(
            actor=worker, user=secretary, role=Role.RESIDENT, place=tree.compounds[0]
        )  # no users.manage
    b = building_create(actor=worker, compound=tree.compounds[0], number="9号楼")
    assert b.history.get().history_user == worker


def test_a_ledger_import_writes_history_naming_the_importer(tree, tmp_path):
    compound = tree.compounds[0]
    worker = user_with(Role.COMMUNITY_WORKER, compound.community)
    f = write(
        tmp_path / "in.xlsx",
        [
            [compound.code, "2号楼", 1, "101", 1, "90.5", "是"],
            [compound.code, "1号楼", 1, "101", 1, "85.00", "是"],
        ],
        [[compound.code, "2号楼", 1, "101", "赵敏", X, "13912345678", ""]],
    )
    assert import_file(HOMES_LEDGER, f, Context(worker)).ok
    new_home = Home.objects.get(building__number="2号楼")
    changed = Home.objects.get(building__compound=compound, building__number="1号楼", unit_no=1, room="101")
    owner = Person.objects.get(id_number=X)
    ownership = Ownership.objects.get(person=owner)
    building = new_home.building
    for record, kind in [
        (new_home.history.get(), "+"),
        (changed.history.order_by("history_id").last(), "~"),
        (owner.history.get(), "+"),
        (ownership.history.get(), "+"),
        (building.history.get(), "+"),
    ]:
        assert (record.history_type, record.history_user, record.history_change_reason) == (
            kind,
            worker,
            "ledger:homes",
        )
    assert owner.history.get().name == "赵敏" and new_home.history.get().area == Decimal("90.50")


def test_a_command_imports_as_a_system_actor_and_nobody_imports_nothing(tree, tmp_path):
    compound = tree.compounds[0]
    f = write(tmp_path / "in.xlsx", [[compound.code, "2号楼", 1, "101", 1, "90.5", "是"]], [])
    refused = import_file(HOMES_LEDGER, f, Context(None))
    assert not refused.ok and "无权导入" in refused.errors[0].message
    assert import_file(HOMES_LEDGER, f, Context(SYSTEM)).ok
    record = Home.objects.get(building__number="2号楼").history.get()
    assert (record.history_user, record.history_change_reason) == (None, "ledger:homes (system:tests)")


def test_bulk_keys_never_reuse_a_deleted_rows_key(tree):
    from gongzhi.core.writes import take_ids

    last = Home.objects.order_by("-pk").first()
    assert last is not None
    Ownership.objects.filter(home=last).delete()
    last_pk = last.pk
    last.delete()
    assert take_ids(Home, 2)[0] > last_pk
