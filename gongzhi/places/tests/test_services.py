from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from gongzhi.places.models import Division, Home
from gongzhi.places.services import home_create, places_recount
from gongzhi.tests.factories import SYSTEM, make_compound


@pytest.mark.django_db
def test_tree_counters_and_paths(tree):
    shinan = Division.objects.get(code="370202")
    assert shinan.path == "37/3702/370202/"
    assert shinan.compounds_count == 4
    assert shinan.homes_count == 16
    assert Division.objects.get(code="3702").compounds_count == 5
    compound = tree.compounds[0]
    assert compound.path == "37/3702/370202/370202001/370202001001/370202001001001/"
    assert compound.code == "370202001001001"
    assert tree.compounds[1].code == "370202001001002"
    assert compound.owners_total == 4 and compound.total_area == Decimal("328.00")


@pytest.mark.django_db
def test_recount_matches_incremental_counters(tree):
    before = list(
        Division.objects.order_by("code").values_list(
            "code", "compounds_count", "buildings_count", "homes_count"
        )
    )
    Division.objects.update(compounds_count=0, homes_count=0, buildings_count=0)
    places_recount(actor=SYSTEM)
    after = list(
        Division.objects.order_by("code").values_list(
            "code", "compounds_count", "buildings_count", "homes_count"
        )
    )
    assert before == after


@pytest.mark.django_db
def test_home_area_must_be_positive(tree):
    building = tree.buildings[0]
    with pytest.raises(ValueError):
        home_create(actor=SYSTEM, building=building, unit_no=1, room="999", area=Decimal("0"))
    with pytest.raises(IntegrityError), transaction.atomic():
        Home.objects.create(
            building=building,
            compound=building.compound,
            unit_no=1,
            room="998",
            area=Decimal("-1"),
            path=building.path,
        )
    assert not Home.objects.filter(room__in=["998", "999"]).exists()


@pytest.mark.django_db
def test_outline_validated(tree):
    bad = {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]]}
    with pytest.raises(ValidationError, match="中国"):
        make_compound(tree.d("370202001001"), "海外小区", outline=bad)
    bow = {
        "type": "Polygon",
        "coordinates": [[[120.3, 36.0], [120.4, 36.1], [120.4, 36.0], [120.3, 36.1], [120.3, 36.0]]],
    }
    with pytest.raises(ValidationError, match="有效"):
        make_compound(tree.d("370202001001"), "自交小区", outline=bow)


@pytest.mark.django_db
def test_changes_to_compounds_keep_history(tree):
    from gongzhi.places.services import compound_update

    compound = tree.compounds[0]
    compound_update(actor=SYSTEM, compound=compound, name="金门路花园", management_type="self")
    compound.refresh_from_db()
    assert (compound.name, compound.initials) == ("金门路花园", "jmlhy")
    names = list(compound.history.order_by("history_date").values_list("name", flat=True))
    assert names[0] == "金门路小区" and names[-1] == "金门路花园"
    with pytest.raises(ValueError):
        compound_update(actor=SYSTEM, compound=compound, path="x/")


@pytest.mark.django_db
def test_admin_edits_go_through_services_and_stay_in_scope(tree):
    from django.test import Client

    from gongzhi.accounts.roles import Role
    from gongzhi.tests.factories import user_with

    worker = user_with(Role.COMMUNITY_WORKER, tree.compounds[0].community, is_staff=True)
    c = Client()
    c.force_login(worker)
    mine, theirs = tree.compounds[0], tree.compounds[-1]
    assert c.get("/admin/places/compound/add/").status_code == 403
    assert c.get(f"/admin/places/compound/{theirs.pk}/change/").status_code in (302, 404)
    page = c.get(f"/admin/places/compound/{mine.pk}/change/")
    assert page.status_code == 200
    data = {
        "name": "金门路雅苑",
        "address": "金门路 1 号",
        "management_type": "fallback",
        "first_delivered_on": "",
        "outline": '{"type": "Polygon", "coordinates": [[[120.35, 36.06], [120.36, 36.06], [120.36, 36.07], [120.35, 36.06]]]}',
    }
    outside = {**data, "outline": '{"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 0]]]}'}
    refused = c.post(f"/admin/places/compound/{mine.pk}/change/", outside)
    assert refused.status_code == 200 and "中国" in refused.content.decode()
    mine.refresh_from_db()
    assert mine.name == "金门路小区"
    response = c.post(f"/admin/places/compound/{mine.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    mine.refresh_from_db()
    assert (mine.name, mine.initials, mine.management_type) == ("金门路雅苑", "jmlyy", "fallback")
