"""The organisations core on its own: a kind registered here, the services, history and scope."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from hypothesis import given
from hypothesis import strategies as st

from gongzhi.accounts.access import can, scoped
from gongzhi.accounts.roles import Action, Role
from gongzhi.core.actors import system
from gongzhi.organisations import services
from gongzhi.organisations.kinds import KINDS, register_kind, role_label
from gongzhi.organisations.models import Coverage, Organisation, Seat
from gongzhi.tests.factories import PersonFactory, user_with

pytestmark = pytest.mark.django_db
SYS = system("tests")
# A kind of this test's own, as the next registry (owners' committees) would register it.
KIND = register_kind(
    "tests.committee",
    "测试委员会",
    app="tests",
    view_action=Action.PLACE_VIEW,
    edit_action=Action.PLACE_EDIT,
    roles={"chair": "主任"},
).code


def make(tree, places=None, code="T1", actor=SYS):  # type: ignore[no-untyped-def]
    return services.organisation_create(
        actor=actor,
        kind=KIND,
        code=code,
        name="测试委员会",
        places=places or [tree.compounds[0], tree.compounds[2]],
        founded_on=date(2024, 1, 1),
    )


def test_create_covers_places_under_their_common_path_with_history(tree) -> None:  # type: ignore[no-untyped-def]
    org = make(tree)
    assert org.path == tree.d("370202001").path
    assert sorted(org.scope_paths()) == sorted([tree.compounds[0].path, tree.compounds[2].path])
    assert org.history.get().history_change_reason == "system:tests"
    assert Coverage.history.filter(organisation_id=org.pk).count() == 2
    assert org.kind_label == "测试委员会"


def test_a_kind_code_belongs_to_one_app() -> None:
    with pytest.raises(ValueError):
        register_kind("tests.committee", "x", app="other", view_action="", edit_action="")
    assert KINDS[KIND].app == "tests"
    assert role_label(KIND, "chair") == "主任" and role_label(KIND, "unknown") == "unknown"


def test_services_refuse_anonymous_and_outsiders_and_write_nothing(tree) -> None:  # type: ignore[no-untyped-def]
    outsider = user_with(Role.COMMUNITY_WORKER, tree.d("370202001001"))  # covers only one of the two
    for actor in (None, outsider):
        with pytest.raises(PermissionDenied):
            make(tree, code="T2", actor=actor)
    assert not Organisation.objects.exists() and not Coverage.objects.exists()
    with pytest.raises(ValidationError):
        services.organisation_create(actor=SYS, kind=KIND, code="T9", name=" ", places=[tree.compounds[0]])


def test_ending_keeps_the_rows_and_ends_seats_and_coverage(tree) -> None:  # type: ignore[no-untyped-def]
    org = make(tree)
    person = PersonFactory.create()
    seat = services.seat_set(actor=SYS, organisation=org, person=person, role="chair", since=date(2024, 2, 1))
    assert seat.role_label == "主任"
    services.organisation_end(actor=SYS, organisation=org, on=date(2025, 6, 30))
    org.refresh_from_db()
    assert org.ended_on == date(2025, 6, 30) and not org.is_active
    assert not Organisation.objects.active().exists() and Organisation.objects.ended().get() == org
    assert Seat.objects.get(pk=seat.pk).until == date(2025, 6, 30)
    assert not Coverage.objects.current().filter(organisation=org).exists()
    with pytest.raises(ValidationError):
        services.organisation_end(actor=SYS, organisation=org)
    with pytest.raises(ValidationError):
        services.seat_set(actor=SYS, organisation=org, person=person, role="chair")


def test_seats_and_coverage_change_by_ending_not_deleting(tree) -> None:  # type: ignore[no-untyped-def]
    org = make(tree)
    person = PersonFactory.create()
    first = services.seat_set(actor=SYS, organisation=org, person=person, role="member")
    second = services.seat_set(actor=SYS, organisation=org, person=person, role="chair")
    assert Seat.objects.get(pk=first.pk).until is not None and second.until is None
    assert Seat.objects.filter(organisation=org).count() == 2
    services.coverage_set(actor=SYS, organisation=org, places=[tree.compounds[0]], on=date(2025, 1, 1))
    org.refresh_from_db()
    assert org.path == tree.compounds[0].path
    assert Coverage.objects.filter(organisation=org).count() == 2  # the ended one stays
    assert org.scope_paths() == [tree.compounds[0].path]
    assert services.seats_replace(actor=SYS, organisation=org, seats=[]) is True
    assert not Seat.objects.current().filter(organisation=org).exists()


def test_scope_is_by_coverage_and_lists_each_organisation_once(tree) -> None:  # type: ignore[no-untyped-def]
    org = make(tree)
    inside = user_with(Role.RESIDENT, tree.compounds[2])
    outside = user_with(Role.RESIDENT, tree.compounds[1])
    district = user_with(Role.DISTRICT_ADMIN, tree.d("370202"))
    assert can(inside, Action.PLACE_VIEW, org) and not can(outside, Action.PLACE_VIEW, org)
    assert list(scoped(inside, Organisation.objects.all())) == [org]
    assert list(scoped(outside, Organisation.objects.all())) == []
    assert list(scoped(district, Organisation.objects.all())) == [org]  # two coverages, one row
    assert list(Organisation.objects.covering(tree.d("370202").path)) == [org]


def test_bulk_create_writes_coverage_seats_and_history_in_a_few_queries(
    tree, django_assert_max_num_queries
) -> None:  # type: ignore[no-untyped-def]
    people = [PersonFactory.create() for _ in range(3)]
    rows = [
        services.NewOrganisation(
            Organisation(kind=KIND, code=f"B{i}", name=f"委员会{i}"), [c], [(people[i % 3].pk, "chair")]
        )
        for i, c in enumerate(tree.compounds[:4])
    ]
    with django_assert_max_num_queries(12):
        assert services.organisations_bulk_create(actor=SYS, rows=rows) == 4
    assert Organisation.history.count() == 4 and Seat.history.count() == 4 and Coverage.history.count() == 4
    assert Organisation.objects.get(code="B2").path == tree.compounds[2].path


@given(
    st.lists(st.lists(st.sampled_from(["37", "3702", "370202", "370203", "a", "b"]), min_size=1), min_size=1)
)
def test_common_path_is_a_prefix_of_every_path(parts: list[list[str]]) -> None:
    paths = ["/".join(p) + "/" for p in parts]
    common = services.common_path(paths)
    assert all(p.startswith(common) for p in paths)
    assert services.common_path([paths[0]]) == paths[0]
