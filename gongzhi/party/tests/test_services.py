"""Services: every write keeps the counters, checks the rules, and keeps history."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase as HypothesisTestCase

from gongzhi.accounts.roles import Role
from gongzhi.insights.registry import indicators
from gongzhi.party import services
from gongzhi.party.models import CompoundPartyStats, PartyMember, PartyOrganisation, RelationTransfer
from gongzhi.party.settings_store import thresholds
from gongzhi.party.tests.helpers import SYS, add_member, fill, homes_of
from gongzhi.places.models import Building
from gongzhi.tests.factories import make_compound, make_tree, user_with

pytestmark = pytest.mark.django_db


def figures(place):  # type: ignore[no-untyped-def]
    return indicators(place)


def test_probationary_members_do_not_qualify_a_compound(tree) -> None:  # type: ignore[no-untyped-def]
    c = tree.compounds[0]
    fill(c, full=2, probationary=3)
    stats = CompoundPartyStats.objects.get(compound=c)
    assert (stats.members, stats.counted_members, stats.qualifies) == (5, 2, False)
    fill(c, full=1)
    assert CompoundPartyStats.objects.get(compound=c).qualifies


def test_members_with_their_relation_elsewhere_do_not_count(tree) -> None:  # type: ignore[no-untyped-def]
    c = tree.compounds[0]
    fill(c, full=2)
    add_member(homes_of(c)[3], in_service=True, workplace="海尔集团", relation_elsewhere="海尔集团党委")
    assert not CompoundPartyStats.objects.get(compound=c).qualifies


def test_figures_of_a_district(tree) -> None:  # type: ignore[no-untyped-def]
    a, b, c = tree.compounds[:3]
    fill(a, full=3)
    fill(b, full=1)
    fill(c, full=1)
    shinan = tree.d("370202")
    f = figures(shinan)
    assert (f["compounds_total"], f["compounds_qualifying"], f["compounds_with_party_org"]) == (4, 1, 0)
    assert f["party_org_coverage"] == 0
    services.organisation_create(actor=SYS, kind="branch", name="甲党支部", compounds=[a])
    services.organisation_create(actor=SYS, kind="joint", name="联合党支部", compounds=[b, c])
    f = figures(shinan)
    assert (f["compounds_with_party_org"], f["compounds_covered"], f["party_org_coverage"]) == (1, 3, 0.75)
    assert f["party_members"] == 5
    assert figures(tree.d("370202001001"))["compounds_covered"] == 2


def test_a_joint_branch_covers_two_to_five_compounds(tree) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError):
        services.organisation_create(actor=SYS, kind="joint", name="单个", compounds=tree.compounds[:1])
    with pytest.raises(ValidationError):
        services.organisation_create(actor=SYS, kind="branch", name="两个", compounds=tree.compounds[:2])
    org = services.organisation_create(actor=SYS, kind="joint", name="四个", compounds=tree.compounds[:4])
    # Across communities and subdistricts: the lowest common division, here the district.
    assert org.path == "37/3702/370202/"
    assert services.common_path([tree.compounds[0].path, tree.compounds[4].path]) == "37/3702/"
    with pytest.raises(ValidationError):
        services.organisation_create(actor=SYS, kind="joint", name="重复", compounds=tree.compounds[3:5])
    extra = [
        make_compound(tree.d("370202009002"), f"新院{i}", buildings=1, units=1, floors=1, per_floor=1)[0]
        for i in range(6)
    ]
    with pytest.raises(ValidationError, match="2 至 5"):
        services.organisation_create(actor=SYS, kind="joint", name="六个", compounds=extra)
    assert (
        services.organisation_create(actor=SYS, kind="joint", name="五个", compounds=extra[:5])
        .coverages.current()
        .count()
        == 5
    )


def test_transfer_keeps_history_and_changes_the_count(tree) -> None:  # type: ignore[no-untyped-def]
    c = tree.compounds[0]
    members = fill(c, full=3)
    org = services.organisation_create(actor=SYS, kind="branch", name="甲党支部", compounds=[c])
    services.member_transfer(actor=SYS, member=members[0], to_organisation=org, on=date(2024, 1, 1))
    services.member_transfer(
        actor=SYS, member=members[0], to_text="青岛港集团党委", on=date(2024, 6, 1), note="调动"
    )
    history = list(RelationTransfer.objects.filter(member=members[0]).values_list("from_text", "to_text"))
    assert history == [("", "甲党支部"), ("甲党支部", "青岛港集团党委")]
    assert not CompoundPartyStats.objects.get(compound=c).qualifies
    with pytest.raises(ValidationError):
        services.member_transfer(actor=SYS, member=members[0], on=date(2024, 7, 1))


def test_group_takes_the_members_of_its_buildings(tree) -> None:  # type: ignore[no-untyped-def]
    c = tree.compounds[0]
    members = fill(c, full=3)
    org = services.organisation_create(actor=SYS, kind="branch", name="甲党支部", compounds=[c])
    building = Building.objects.get(compound=c)
    group = services.group_create(
        actor=SYS, organisation=org, compound=c, name="1号楼党小组", buildings=[building], leader=members[0]
    )
    assert set(PartyMember.objects.filter(group=group)) == set(members)
    assert group.path == building.path
    with pytest.raises(ValidationError):
        services.group_create(actor=SYS, organisation=org, compound=c, name="又一个", buildings=[building])
    assert CompoundPartyStats.objects.get(compound=c).building_groups == 1


def test_household_links_respect_the_setting_in_force(tree) -> None:  # type: ignore[no-untyped-def]
    c = tree.compounds[0]
    homes = homes_of(c)
    m = add_member(homes[0])
    services.setting_add(actor=SYS, key="household_max_links", value=2, effective_from=date(2020, 1, 1))
    with pytest.raises(ValidationError):
        services.central_household_designate(actor=SYS, member=m, links=homes[1:4])
    h = services.central_household_designate(actor=SYS, member=m, links=homes[1:3])
    stats = CompoundPartyStats.objects.get(compound=c)
    assert (stats.central_households, stats.homes_linked) == (1, 2)
    with pytest.raises(ValidationError):
        services.central_household_set_links(actor=SYS, household=h, links=[homes[0]])
    other = add_member(homes[3])
    with pytest.raises(ValidationError):
        services.central_household_designate(actor=SYS, member=other, links=[homes[1]])


def test_settings_by_place_and_date(tree) -> None:  # type: ignore[no-untyped-def]
    today = timezone.localdate()
    community = tree.d("370202001001")
    services.setting_add(
        actor=SYS, key="building_group_min_members", value=4, effective_from=today - timedelta(days=9)
    )
    services.setting_add(
        actor=SYS,
        key="building_group_min_members",
        value=6,
        effective_from=today - timedelta(days=1),
        place=tree.d("370202"),
    )
    services.setting_add(
        actor=SYS, key="building_group_min_members", value=8, effective_from=today + timedelta(days=5)
    )
    assert thresholds(community.path).building_group_min_members == 6
    assert thresholds(tree.d("370203").path).building_group_min_members == 4
    assert thresholds(tree.d("370203").path, today + timedelta(days=6)).building_group_min_members == 8
    assert thresholds(community.path).household_max_links == 10


def test_recount_matches_the_incremental_counters(tree) -> None:  # type: ignore[no-untyped-def]
    fill(tree.compounds[0], full=3, probationary=1)
    fill(tree.compounds[1], full=1)
    services.organisation_create(actor=SYS, kind="branch", name="甲党支部", compounds=[tree.compounds[0]])
    before = list(CompoundPartyStats.objects.order_by("pk").values())
    services.party_recount()
    after = list(CompoundPartyStats.objects.filter(members__gt=0).order_by("pk").values())
    assert after == before  # the recount also writes zero rows for compounds without members


class TestCoverageNeverDrops(HypothesisTestCase):
    @settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(st.lists(st.tuples(st.integers(0, 4), st.booleans()), min_size=1, max_size=6))
    def test_adding_a_full_member_never_lowers_coverage(self, steps: list[tuple[int, bool]]) -> None:
        tree = make_tree()
        district = tree.d("370202")
        compounds = tree.compounds
        services.organisation_create(actor=SYS, kind="joint", name="联合", compounds=compounds[3:5])
        for index, organise in steps:
            before = indicators(district)
            compound = compounds[index]
            add_member(homes_of(compound)[0], person=None) if not PartyMember.objects.filter(
                home=homes_of(compound)[0]
            ).exists() else fill(compound, full=1)
            if organise and not PartyOrganisation.objects.active().covering(compound.path).exists():
                services.organisation_create(
                    actor=SYS, kind="branch", name=f"{compound.name}党支部", compounds=[compound]
                )
            after = indicators(tree.d("370202"))
            assert after["party_org_coverage"] >= before["party_org_coverage"]
            assert after["compounds_qualifying"] >= before["compounds_qualifying"]


def test_services_refuse_a_missing_actor_and_an_outsider_and_write_nothing(tree) -> None:  # type: ignore[no-untyped-def]
    c = tree.compounds[0]
    members = fill(c, full=3)
    outsider = user_with(Role.COMMUNITY_WORKER, tree.d("370202009001"))
    for actor in (None, outsider):
        with pytest.raises(PermissionDenied):
            services.organisation_create(actor=actor, kind="branch", name="甲党支部", compounds=[c])
        with pytest.raises(PermissionDenied):
            services.member_make_full(actor=actor, member=members[0], on=date(2025, 1, 1))
    assert not PartyOrganisation.objects.exists()


def test_the_history_names_who_acted(tree) -> None:  # type: ignore[no-untyped-def]
    c = tree.compounds[0]
    worker = user_with(Role.COMMUNITY_WORKER, tree.d("370202001001"))
    member = add_member(homes_of(c)[0], "probationary")
    services.member_make_full(actor=worker, member=member, on=date(2025, 1, 1))
    latest = member.history.first()
    assert latest is not None and latest.history_user == worker and latest.status == "full"
    org = services.organisation_create(actor=worker, kind="branch", name="甲党支部", compounds=[c])
    services.secretary_set(actor=worker, organisation=org, member=member)
    assert org.history.get().history_user == worker
    assert org.secretary_seat is not None and org.secretary_seat.history.get().history_user == worker
