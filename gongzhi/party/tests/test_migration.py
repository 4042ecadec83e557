"""The move of the party chain onto the organisations core keeps every record, with its id.

Migrates back to the old schema, writes old rows (a branch with a committee, a joint branch, a group, a
member whose relation and transfer point at the branch), migrates forward and checks every row and FK.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from gongzhi.core.actors import system
from gongzhi.organisations.models import Coverage, Seat
from gongzhi.party import services
from gongzhi.party.models import BuildingGroup, PartyMember, PartyOrganisation, RelationTransfer
from gongzhi.tests.factories import PersonFactory, make_tree
from gongzhi.tests.migrations import leaves, migrate_to, models_at

OLD = [("party", "0001_initial"), ("organisations", None)]


def _migrate(targets: list[tuple[str, str | None]]) -> Any:
    migrate_to(targets)
    return models_at(targets)


@pytest.mark.django_db(transaction=True)
def test_forward_keeps_every_record_and_id() -> None:
    latest = leaves()
    try:
        old = _migrate(OLD)
        tree = make_tree()
        a, b, c = tree.compounds[0], tree.compounds[1], tree.compounds[2]
        Org = old.get_model("party", "PartyOrganisation")
        Member = old.get_model("party", "PartyMember")
        OldSeat = old.get_model("party", "CommitteeSeat")
        Group = old.get_model("party", "BuildingGroup")
        Transfer = old.get_model("party", "RelationTransfer")
        persons = [PersonFactory.create() for _ in range(4)]
        members = [
            Member.objects.create(person_id=p.pk, status="full", compound_id=a.pk, path=a.path)
            for p in persons[:3]
        ] + [Member.objects.create(person_id=persons[3].pk, status="full", compound_id=b.pk, path=b.path)]
        # Ids far from 1, so a migration that renumbered would be caught.
        branch = Org.objects.create(
            id=41, code="PA", name="甲党支部", kind="branch", path=a.path, founded_on=date(2020, 1, 1)
        )
        branch.compounds.set([a.pk])
        joint = Org.objects.create(
            id=57, code="PJ", name="联合党支部", kind="joint", path=tree.d("370202001").path
        )
        joint.compounds.set([b.pk, c.pk])
        branch.secretary_id = members[0].pk
        branch.save()
        OldSeat.objects.create(organisation_id=41, member_id=members[0].pk, title="secretary")
        OldSeat.objects.create(organisation_id=41, member_id=members[1].pk, title="propaganda")
        OldSeat.objects.create(organisation_id=57, member_id=members[3].pk, title="member")
        Member.objects.filter(pk__in=[m.pk for m in members[:3]]).update(organisation_id=41)
        group = Group.objects.create(compound_id=a.pk, organisation_id=41, name="1号楼党小组", path=a.path)
        Transfer.objects.create(
            member_id=members[2].pk, from_organisation_id=57, to_organisation_id=41, on=date(2024, 1, 1)
        )

        _migrate(latest)

        assert list(
            PartyOrganisation.objects.order_by("pk").values_list("pk", "code", "kind", "founded_on")
        ) == [
            (41, "PA", "branch", date(2020, 1, 1)),
            (57, "PJ", "joint", None),
        ]
        assert sorted(Coverage.objects.current().values_list("organisation_id", "compound_id", "path")) == [
            (41, a.pk, a.path),
            (57, b.pk, b.path),
            (57, c.pk, c.path),
        ]
        assert sorted(Seat.objects.current().values_list("organisation_id", "person_id", "role")) == sorted(
            [
                (41, persons[0].pk, "secretary"),
                (41, persons[1].pk, "propaganda"),
                (57, persons[3].pk, "member"),
            ]
        )
        assert PartyOrganisation.objects.get(pk=41).secretary_name == persons[0].name
        assert set(PartyMember.objects.filter(organisation_id=41).values_list("pk", flat=True)) == {
            m.pk for m in members[:3]
        }
        assert BuildingGroup.objects.get(pk=group.pk).organisation.code == "PA"
        transfer = RelationTransfer.objects.get()
        assert (transfer.from_organisation_id, transfer.to_organisation_id) == (57, 41)
        assert (
            PartyOrganisation.objects.get(pk=57).history.get().history_change_reason == "migration:party.0002"
        )
        # The id sequence continues above the copied rows.
        new = services.organisation_create(
            actor=system("tests"), kind="branch", name="丙党支部", compounds=[tree.compounds[3]]
        )
        assert new.pk > 57
    finally:
        _migrate(latest)
