"""Registering compounds and buildings from the place browser: rights, validation, nothing half-written."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client

from gongzhi.accounts.roles import Role
from gongzhi.places.models import Building, Compound, Division, Home
from gongzhi.tests.factories import user_with


def client_for(user) -> Client:  # type: ignore[no-untyped-def]
    c = Client()
    c.force_login(user)
    return c


@pytest.mark.django_db
def test_worker_registers_compound_and_building_with_homes(tree):
    community = tree.compounds[0].community
    c = client_for(user_with(Role.COMMUNITY_WORKER, community))
    assert "登记小区" in c.get(f"/places/d/{community.code}/").content.decode()
    response = c.post(
        f"/places/d/{community.code}/compounds/new/",
        {
            "name": "海逸新苑",
            "address": "云霄路 9 号",
            "management_type": "professional",
            "first_delivered_on": "2019-06-01",
        },
    )
    compound = Compound.objects.get(name="海逸新苑")
    assert response["Location"] == f"/places/c/{compound.code}/"
    assert compound.initials == "hyxy" and compound.code == f"{community.code}003"
    response = c.post(
        f"/places/c/{compound.code}/buildings/new/",
        {"number": "1号楼", "units": 2, "floors": 6, "per_floor": 2, "area": "88.50", "has_elevator": ""},
    )
    building = Building.objects.get(compound=compound)
    assert response["Location"] == f"/places/b/{building.pk}/"
    assert building.homes_count == Home.objects.filter(building=building).count() == 24
    compound.refresh_from_db()
    assert compound.homes_count == 24 and compound.total_area == Decimal("2124.00")
    assert Division.objects.get(code="370202").homes_count == 16 + 24


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"name": "", "management_type": "professional"}, "该字段是必填项"),
        ({"name": "金门路小区", "management_type": "professional"}, "同名"),
        ({"name": "新区", "management_type": "palace"}, "选择一个有效的选项"),
        ({"name": "新区", "management_type": "none", "outline": "{not json"}, "JSON"),
        (
            {
                "name": "新区",
                "management_type": "none",
                "outline": '{"type": "Point", "coordinates": [120, 36]}',
            },
            "Polygon",
        ),
    ],
)
def test_bad_compound_input_is_refused_and_nothing_changes(tree, data, message):
    community = tree.compounds[0].community
    c = client_for(user_with(Role.COMMUNITY_WORKER, community))
    before = Compound.objects.count()
    response = c.post(f"/places/d/{community.code}/compounds/new/", data)
    assert response.status_code == 200 and message in response.content.decode()
    assert Compound.objects.count() == before


@pytest.mark.django_db
def test_bad_building_input_is_refused(tree):
    compound = tree.compounds[0]
    c = client_for(user_with(Role.COMMUNITY_WORKER, compound.community))
    for data in (
        {"number": "1号楼", "units": 1, "floors": 1, "per_floor": 1, "area": "80"},  # number taken
        {"number": "9号楼", "units": 0, "floors": 1, "per_floor": 1, "area": "80"},
        {"number": "9号楼", "units": 1, "floors": 1, "per_floor": 1, "area": "0"},
    ):
        response = c.post(f"/places/c/{compound.code}/buildings/new/", data)
        assert response.status_code == 200 and "invalid-feedback" in response.content.decode()
    assert Building.objects.filter(compound=compound).count() == 1


@pytest.mark.django_db
def test_edit_rights(tree):
    compound, other = tree.compounds[0], tree.compounds[-1]
    resident = client_for(user_with(Role.RESIDENT, compound))
    assert resident.get(f"/places/c/{compound.code}/edit/").status_code == 403
    assert "修改" not in resident.get(f"/places/c/{compound.code}/").content.decode()
    worker = client_for(user_with(Role.COMMUNITY_WORKER, compound.community))
    assert worker.get(f"/places/c/{other.code}/edit/").status_code == 404
    assert worker.get(f"/places/d/{other.community.code}/compounds/new/").status_code == 404
    response = worker.post(
        f"/places/c/{compound.code}/edit/",
        {"name": "金门路小区", "management_type": "fallback", "address": "x"},
    )
    assert response.status_code == 302
    compound.refresh_from_db()
    assert compound.management_type == "fallback"


@pytest.mark.django_db
def test_homes_ledger_export_from_the_place_pages(tree):
    from io import BytesIO

    from python_calamine import CalamineWorkbook

    compound = tree.compounds[0]
    worker = client_for(user_with(Role.COMMUNITY_WORKER, compound.community))
    page = worker.get(f"/places/c/{compound.code}/").content.decode()
    assert "导出房屋业主台账" in page
    response = worker.get(f"/ledgers/homes/export/?place={compound.code}")
    assert response.status_code == 200
    book = CalamineWorkbook.from_filelike(BytesIO(response.getvalue()))
    homes = book.get_sheet_by_name("房屋").to_python()
    assert len(homes) == 1 + compound.homes_count
    secretary = client_for(user_with(Role.PARTY_SECRETARY, compound))
    assert "导出房屋业主台账" not in secretary.get(f"/places/c/{compound.code}/").content.decode()
    assert secretary.get(f"/ledgers/homes/export/?place={compound.code}").status_code == 403
