"""Building party groups and party-member central households, with their links.

Building groups stay party models (with history) rather than organisations of the core: they have no
seats beyond a leader and cover buildings of one compound only (see docs/decisions.md, decision 14).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from gongzhi.core.actors import history_user
from gongzhi.party import rules
from gongzhi.party.models import (
    BuildingGroup,
    CentralHousehold,
    HouseholdLink,
    PartyMember,
    PartyOrganisation,
)
from gongzhi.party.services._base import check, fail, stamp
from gongzhi.party.services.counters import stats_refresh
from gongzhi.party.services.organisations import covers
from gongzhi.party.settings_store import thresholds
from gongzhi.places.models import Building, Compound, Home


def _group_path(compound: Compound, buildings: list[Building]) -> str:
    return buildings[0].path if len(buildings) == 1 else compound.path


def _groups_of_buildings(building_ids: Iterable[int]) -> dict[int, int]:
    """building id → id of the party group covering it (a building has at most one)."""
    return dict(
        BuildingGroup.buildings.through.objects.filter(building_id__in=list(building_ids)).values_list(
            "building_id", "buildinggroup_id"
        )
    )


def households_follow_buildings(*, actor: Any, building_ids: Iterable[int], reason: str = "") -> int:
    """After buildings gain, change or lose their party group, the central households in them take the
    group `rules.household_group` gives (with history). Returns how many moved. Callers check permission."""
    ids = sorted(set(building_ids))
    if not ids:
        return 0
    group_of = _groups_of_buildings(ids)
    moved = []
    for h in CentralHousehold.objects.filter(home__building_id__in=ids).annotate(bid=F("home__building_id")):
        want = rules.household_group(h.bid, group_of)
        if h.group_id != want:
            h.group_id = want
            moved.append(h)
    bulk_update_with_history(
        moved,
        CentralHousehold,
        ["group"],
        default_user=history_user(actor),
        default_change_reason=(reason or "随楼栋调整党小组")[:100],
    )
    return len(moved)


@transaction.atomic
def group_create(
    *,
    actor: Any,
    organisation: PartyOrganisation,
    compound: Compound,
    name: str,
    buildings: list[Building],
    leader: PartyMember | None = None,
) -> BuildingGroup:
    """A building party group; the members living in its buildings join it (unless already in another)."""
    check(actor, compound)
    if not organisation.is_active or not covers(organisation, compound.pk):
        raise ValidationError("党小组所属党组织应覆盖该小区")
    if not buildings or any(b.compound_id != compound.pk for b in buildings):
        raise ValidationError("请选择本小区的楼栋")
    if BuildingGroup.objects.filter(compound=compound, name=name.strip()).exists():
        raise ValidationError("本小区已有同名党小组")
    taken = Building.objects.filter(pk__in=[b.pk for b in buildings], party_groups__isnull=False)
    if taken.exists():
        raise ValidationError(f"{'、'.join(b.number for b in taken)} 已有党小组")
    group = BuildingGroup(
        compound=compound,
        organisation=organisation,
        name=name.strip(),
        leader=leader,
        path=_group_path(compound, buildings),
    )
    stamp(group, actor)
    group.save()
    group.buildings.set(buildings)
    joining = list(PartyMember.objects.filter(building__in=buildings, group__isnull=True))
    for m in joining:
        m.group = group
    bulk_update_with_history(
        joining,
        PartyMember,
        ["group"],
        default_user=history_user(actor),
        default_change_reason=f"加入{group.name}"[:100],
    )
    households_follow_buildings(
        actor=actor, building_ids=[b.pk for b in buildings], reason=f"归入{group.name}"
    )
    if leader is not None:
        group_set_leader(actor=actor, group=group, leader=leader)
    stats_refresh(compound_ids=[compound.pk])
    return group


@transaction.atomic
def group_set_leader(*, actor: Any, group: BuildingGroup, leader: PartyMember | None) -> None:
    check(actor, group)
    if leader is not None:
        fail(rules.leader_messages(leader.compound_id == group.compound_id))
        if leader.group_id != group.pk:
            leader.group = group
            stamp(leader, actor, f"{group.name} 组长")
            leader.save(update_fields=["group"])
    group.leader = leader
    stamp(group, actor)
    group.save(update_fields=["leader"])


@transaction.atomic
def group_update(
    *, actor: Any, group: BuildingGroup, name: str | None = None, buildings: list[Building] | None = None
) -> BuildingGroup:
    check(actor, group)
    if name is not None:
        group.name = name.strip()
    if buildings is not None:
        if not buildings or any(b.compound_id != group.compound_id for b in buildings):
            raise ValidationError("请选择本小区的楼栋")
        taken = Building.objects.filter(pk__in=[b.pk for b in buildings], party_groups__isnull=False).exclude(
            party_groups=group
        )
        if taken.exists():
            raise ValidationError(f"{'、'.join(b.number for b in taken)} 已有党小组")
        before = set(group.buildings.values_list("pk", flat=True))
        group.buildings.set(buildings)
        group.path = _group_path(group.compound, buildings)
        households_follow_buildings(actor=actor, building_ids=before | {b.pk for b in buildings})
    stamp(group, actor)
    group.save()
    return group


@transaction.atomic
def group_delete(*, actor: Any, group: BuildingGroup) -> None:
    """A group is disbanded; its history keeps the record (groups are not organisations of the core)."""
    check(actor, group)
    cid = group.compound_id
    released = list(CentralHousehold.objects.filter(group=group))  # their buildings have no group now
    for h in released:
        h.group = None
    bulk_update_with_history(
        released,
        CentralHousehold,
        ["group"],
        default_user=history_user(actor),
        default_change_reason="撤销党小组",
    )
    stamp(group, actor, "撤销党小组")
    group.delete()
    stats_refresh(compound_ids=[cid])


# -- central households -------------------------------------------------------------------------------


def _check_links(household_home: Home, homes: list[Home], limit: int, exclude: int | None = None) -> None:
    fail(rules.links_messages(len(homes), limit))
    for h in homes:
        fail(rules.link_messages(h.pk == household_home.pk, h.compound_id == household_home.compound_id))
    linked = HouseholdLink.objects.filter(home__in=homes)
    if exclude is not None:
        linked = linked.exclude(household_id=exclude)
    if linked.exists():
        raise ValidationError("有的房屋已由其他党员中心户联系")


@transaction.atomic
def central_household_designate(
    *,
    actor: Any,
    member: PartyMember,
    links: list[Home] | None = None,
    group: BuildingGroup | None = None,
    designated_on: date | None = None,
) -> CentralHousehold:
    """A member's home becomes a central household (党员中心户) linking neighbouring homes."""
    check(actor, member)
    if member.home is None:
        raise ValidationError("该党员未登记居住房屋")
    if hasattr(member, "central_household"):
        raise ValidationError("该党员已是党员中心户")
    if CentralHousehold.objects.filter(home=member.home).exists():
        raise ValidationError("该房屋已是党员中心户")
    links = links or []
    th = thresholds(member.path)
    _check_links(member.home, links, th.household_max_links)
    # The home's building decides the group (rules.household_group), never the designating leader's group.
    building_id = member.home.building_id
    own = rules.household_group(building_id, _groups_of_buildings([building_id]))
    if group is not None and group.pk != own:
        raise ValidationError("党员中心户属于其房屋所在楼栋的党小组")
    household = CentralHousehold(
        member=member,
        home=member.home,
        compound_id=member.compound_id,
        group_id=own,
        designated_on=designated_on,
        path=member.home.path,
    )
    stamp(household, actor)
    household.save()
    links_create(actor, household, links)
    stats_refresh(compound_ids=[member.compound_id])
    return household


@transaction.atomic
def central_household_set_links(*, actor: Any, household: CentralHousehold, links: list[Home]) -> None:
    check(actor, household)
    th = thresholds(household.path)
    _check_links(household.home, links, th.household_max_links, exclude=household.pk)
    gone = list(HouseholdLink.objects.filter(household=household))
    bulk_delete_with_history(gone, HouseholdLink, actor)
    links_create(actor, household, links)
    stats_refresh(compound_ids=[household.compound_id])


@transaction.atomic
def central_household_remove(*, actor: Any, household: CentralHousehold) -> None:
    check(actor, household)
    cid = household.compound_id
    bulk_delete_with_history(list(HouseholdLink.objects.filter(household=household)), HouseholdLink, actor)
    stamp(household, actor, "取消党员中心户")
    household.delete()
    stats_refresh(compound_ids=[cid])


def links_create(actor: Any, household: CentralHousehold, homes: list[Home] | list[int]) -> None:
    """Link homes (or home ids) to a household in bulk, with history."""
    rows = [
        HouseholdLink(household=household, home_id=h)
        if isinstance(h, int)
        else HouseholdLink(household=household, home=h)
        for h in homes
    ]
    if rows:
        bulk_create_with_history(
            rows, HouseholdLink, default_user=history_user(actor), default_change_reason=str(actor)[:100]
        )


def bulk_delete_with_history(rows: list[Any], model: Any, actor: Any) -> None:
    """Delete a few rows one by one, so each leaves a '-' history row naming the actor."""
    for r in rows:
        stamp(r, actor)
        r.delete()


# -- for ledger imports: rows the ledger's check has validated with the same rules -----------------------


@transaction.atomic
def group_save(
    *, actor: Any, group: BuildingGroup, buildings: list[Building] | None = None, reason: str = ""
) -> BuildingGroup:
    """Save a new or changed group (and its buildings) that the party ledger's check has validated."""
    check(actor, group.compound)
    stamp(group, actor, reason)
    group.save()
    if buildings is not None:
        before = set(group.buildings.values_list("pk", flat=True))
        group.buildings.set(buildings)
        households_follow_buildings(
            actor=actor, building_ids=before | {b.pk for b in buildings}, reason=reason
        )
    return group


@transaction.atomic
def household_save(
    *, actor: Any, household: CentralHousehold, link_ids: list[int] | None = None, reason: str = ""
) -> CentralHousehold:
    """Save a new or changed central household the ledger's check has validated; with `link_ids`, its
    links become exactly those homes (taken from any other household that had them)."""
    check(actor, household)
    stamp(household, actor, reason)
    household.save()
    if link_ids is not None:
        gone = HouseholdLink.objects.filter(Q(household=household) | Q(home_id__in=link_ids))
        bulk_delete_with_history(list(gone), HouseholdLink, actor)
        links_create(actor, household, link_ids)
    return household
