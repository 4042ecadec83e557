"""The party ledger: template, export → import round trip, all-or-nothing, background import, command."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
import xlsxwriter
from django.core.management import CommandError, call_command
from django.test import Client

from gongzhi.accounts.roles import Role
from gongzhi.ledgers.base import Context
from gongzhi.ledgers.importer import export_file, get_ledger, import_file, template_file
from gongzhi.ledgers.models import LedgerImport
from gongzhi.ledgers.xlsx import read_workbook
from gongzhi.organisations.models import Coverage, Seat
from gongzhi.party import services
from gongzhi.party.models import (
    BuildingGroup,
    CentralHousehold,
    HouseholdLink,
    PartyMember,
    PartyOrganisation,
)
from gongzhi.party.tests.helpers import SYS, fill, homes_of
from gongzhi.people.identity import with_check_character
from gongzhi.places.models import Building
from gongzhi.tests.factories import user_with

pytestmark = pytest.mark.django_db
LEDGER = get_ledger("party")


def id_for(n: int) -> str:
    # Primary keys keep growing across tests on PostgreSQL: fold large n into the birth date, keep 18 chars.
    born = date(1980, 1, 1) + timedelta(days=n // 1000)
    return with_check_character(f"370202{born:%Y%m%d}{n % 1000:03d}")


def build_chain(tree: Any) -> None:
    a, b, c = tree.compounds[:3]
    for compound, full in [(a, 4), (b, 1), (c, 1)]:
        for i, m in enumerate(fill(compound, full=full, probationary=1 if compound is a else 0)):
            m.person.id_number = id_for(compound.pk * 10 + i)
            m.person.save()
    members = list(PartyMember.objects.filter(compound=a).order_by("pk"))
    org = services.organisation_create(
        actor=SYS, kind="branch", name="甲党支部", compounds=[a], secretary=members[0]
    )
    services.committee_seat_set(actor=SYS, organisation=org, member=members[1], title="organisation")
    for m in members:
        services.member_transfer(actor=SYS, member=m, to_organisation=org, on=date(2024, 1, 1))
    joint = services.organisation_create(actor=SYS, kind="joint", name="联合党支部", compounds=[b, c])
    services.member_transfer(
        actor=SYS, member=PartyMember.objects.get(compound=b), to_text="青岛港集团党委", on=date(2024, 1, 1)
    )
    _ = joint
    group = services.group_create(
        actor=SYS,
        organisation=org,
        compound=a,
        name="1号楼党小组",
        buildings=list(Building.objects.filter(compound=a)),
        leader=members[0],
    )
    homes = homes_of(a)
    used = {m.home_id for m in members}
    free = [h for h in homes if h.pk not in used]
    services.central_household_designate(actor=SYS, member=members[0], links=free[:1], group=group)


def snapshot() -> dict[str, list[tuple[Any, ...]]]:
    return {
        "members": list(
            PartyMember.objects.order_by("pk").values_list(
                "pk",
                "person_id",
                "status",
                "joined_on",
                "full_on",
                "compound_id",
                "home_id",
                "building_id",
                "in_service",
                "workplace",
                "organisation_id",
                "relation_elsewhere",
                "group_id",
                "path",
            )
        ),
        "orgs": list(
            PartyOrganisation.objects.order_by("pk").values_list(
                "pk", "code", "name", "kind", "founded_on", "ended_on", "path"
            )
        ),
        "covers": sorted(Coverage.objects.current().values_list("organisation_id", "compound_id")),
        "seats": sorted(Seat.objects.current().values_list("organisation_id", "person_id", "role")),
        "groups": list(
            BuildingGroup.objects.order_by("pk").values_list(
                "pk", "compound_id", "organisation_id", "name", "leader_id", "path"
            )
        ),
        "group_buildings": sorted(
            BuildingGroup.buildings.through.objects.values_list("buildinggroup_id", "building_id")
        ),
        "households": list(
            CentralHousehold.objects.order_by("pk").values_list(
                "pk", "member_id", "home_id", "group_id", "designated_on"
            )
        ),
        "links": sorted(HouseholdLink.objects.values_list("household_id", "home_id")),
    }


def test_template_has_every_sheet_and_a_notes_sheet(tmp_path: Path) -> None:
    target = tmp_path / "t.xlsx"
    template_file(LEDGER, target)
    book = read_workbook(target)
    assert list(book) == ["党员", "党组织", "楼栋党小组", "党员中心户", "填写说明"]
    assert book["党员"][0][0] == "身份证号"


def test_export_import_round_trip_changes_nothing(tree, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    build_chain(tree)
    admin = user_with(Role.DISTRICT_ADMIN, tree.d("370202"))
    first = tmp_path / "first.xlsx"
    rows = export_file(LEDGER, first, tree.d("370202").path, admin)
    assert rows > 0
    before = snapshot()
    outcome = import_file(LEDGER, first, Context(admin))
    assert outcome.ok, outcome.errors
    assert outcome.counts == {}
    assert snapshot() == before
    second = tmp_path / "second.xlsx"
    export_file(LEDGER, second, tree.d("370202").path, admin)
    assert read_workbook(first) == read_workbook(second)


def test_import_into_an_empty_chain_rebuilds_it(tree, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    build_chain(tree)
    exported = tmp_path / "x.xlsx"
    export_file(LEDGER, exported, "", None)
    before = read_workbook(exported)
    HouseholdLink.objects.all().delete()
    CentralHousehold.objects.all().delete()
    PartyMember.objects.update(group=None, organisation=None)
    BuildingGroup.objects.all().delete()
    Seat.objects.all().delete()
    Coverage.objects.all().delete()
    PartyMember.objects.all().delete()
    PartyOrganisation.objects.all().delete()
    outcome = import_file(None, exported, Context(None))
    assert outcome.ok, outcome.errors
    assert outcome.counts["党员新增"] == 7
    again = tmp_path / "y.xlsx"
    export_file(LEDGER, again, "", None)
    assert read_workbook(again) == before


def write_book(path: Path, sheets: dict[str, list[list[Any]]]) -> None:
    wb = xlsxwriter.Workbook(str(path))
    for name, rows in sheets.items():
        ws = wb.add_worksheet(name)
        for r, row in enumerate(rows):
            ws.write_row(r, 0, row)
    wb.close()


def test_a_broken_file_writes_nothing_and_lists_every_bad_cell(tree, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    a = tree.compounds[0]
    person = homes_of(a)[0].ownerships.get().person
    person.id_number = id_for(1)
    person.save()
    header = [c.header for c in LEDGER.sheets[0].columns]
    good = [
        id_for(1),
        person.name,
        "正式党员",
        "2000-07-01",
        "2001-07-01",
        a.code,
        "1号楼",
        1,
        "101",
        "否",
        "",
        "",
        "",
        "",
    ]
    bad_id = [
        id_for(2)[:-1] + ("0" if id_for(2)[-1] != "0" else "1"),
        "王五",
        "正式党员",
        "",
        "",
        a.code,
        "",
        "",
        "",
        "否",
        "",
        "",
        "",
        "",
    ]
    bad_status = [id_for(3), "赵六", "党员", "", "", a.code, "", "", "", "否", "", "", "", ""]
    bad_home = [
        id_for(4),
        "钱七",
        "预备党员",
        "2024-01-01",
        "2024-06-01",
        "999999999999999",
        "9号楼",
        1,
        "101",
        "也许",
        "",
        "",
        "",
        "",
    ]
    path = tmp_path / "broken.xlsx"
    write_book(path, {"党员": [header, good, bad_id, bad_status, bad_home]})
    outcome = import_file(LEDGER, path, Context(None))
    assert not outcome.ok
    cells = {(e.sheet, e.row, e.column) for e in outcome.errors}
    assert ("党员", 3, "身份证号") in cells
    assert ("党员", 4, "党员状态") in cells
    assert ("党员", 5, "在职") in cells
    # Rows whose cells parsed are still checked against the database, in the same pass.
    assert ("党员", 2, "身份证号") not in cells
    assert PartyMember.objects.count() == 0
    # Cells fine one by one but wrong together are caught in the second pass, still writing nothing.
    write_book(path, {"党员": [header, good, [*bad_home[:9], "否", "", "", "", ""]]})
    outcome = import_file(LEDGER, path, Context(None))
    messages = {(e.row, e.column): e.message for e in outcome.errors}
    assert messages[(3, "转正日期")] == "预备党员没有转正日期"
    assert "没有编码为" in messages[(3, "小区编码")]
    assert PartyMember.objects.count() == 0


def test_import_outside_the_scope_is_refused(tree, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    build_chain(tree)
    path = tmp_path / "all.xlsx"
    export_file(LEDGER, path, "", None)
    worker = user_with(Role.COMMUNITY_WORKER, tree.d("370202009001"))
    outcome = import_file(LEDGER, path, Context(worker))
    assert not outcome.ok
    assert any("无权导入" in e.message for e in outcome.errors)


def test_background_import_with_progress(tree, tmp_path: Path, settings) -> None:  # type: ignore[no-untyped-def]
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.GONGZHI_VAR_DIR = str(tmp_path)
    build_chain(tree)
    admin = user_with(Role.DISTRICT_ADMIN, tree.d("370202"))
    client = Client()
    client.force_login(admin)
    response = client.get("/ledgers/party/export/?place=370202")
    assert response.status_code == 200
    path = tmp_path / "export.xlsx"
    path.write_bytes(response.getvalue())
    with open(path, "rb") as fh:
        response = client.post("/ledgers/upload/", {"ledger": "party", "file": fh})
    job = LedgerImport.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/ledgers/imports/{job.pk}/"
    assert (job.status, job.percent) == ("done", 100)
    page = client.get(f"/ledgers/imports/{job.pk}/", HTTP_HX_REQUEST="true").content.decode()
    assert 'data-status="done"' in page and "hx-trigger" not in page
    assert client.get("/ledgers/?place=370202").status_code == 200
    assert client.get("/ledgers/party/template/").status_code == 200


def test_export_needs_the_right_to_see_id_numbers(tree) -> None:  # type: ignore[no-untyped-def]
    secretary = user_with(Role.PARTY_SECRETARY, tree.compounds[0])
    client = Client()
    client.force_login(secretary)
    assert client.get(f"/ledgers/party/export/?place={tree.compounds[0].code}").status_code == 403
    assert client.get(f"/ledgers/party/export/?place={tree.compounds[1].code}").status_code == 404


def test_import_ledger_command(tree, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    build_chain(tree)
    path = tmp_path / "c.xlsx"
    export_file(LEDGER, path, "", None)
    call_command("import_ledger", str(path), verbosity=0)
    broken = tmp_path / "b.xlsx"
    write_book(broken, {"党员": [["身份证号"], ["x"]]})
    with pytest.raises(CommandError):
        call_command("import_ledger", str(broken), "--ledger", "party", verbosity=0)


def test_a_households_only_file_links_homes_of_members_already_registered(tree, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    build_chain(tree)
    household = CentralHousehold.objects.get()
    neighbour = next(h for h in homes_of(tree.compounds[0]) if h.pk != household.home_id)
    services.central_household_set_links(actor=SYS, household=household, links=[neighbour])
    exported = tmp_path / "all.xlsx"
    export_file(LEDGER, exported, "", None)
    sheet = read_workbook(exported)["党员中心户"]
    assert len(sheet) == 2 and sheet[1][3]  # one household with a link
    HouseholdLink.objects.all().delete()
    CentralHousehold.objects.all().delete()
    only = tmp_path / "households.xlsx"
    write_book(only, {"党员中心户": [sheet[0], [sheet[1][0], sheet[1][1], "", sheet[1][3]]]})
    outcome = import_file(LEDGER, only, Context(None))
    assert outcome.ok, outcome.errors
    assert CentralHousehold.objects.count() == 1 and HouseholdLink.objects.count() == 1


def test_cell_errors_and_reference_errors_are_listed_together(tree, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    header = [c.header for c in LEDGER.sheets[0].columns]
    bad_cell = [id_for(5), "孙八", "党员", "", "", tree.compounds[0].code, "", "", "", "否", "", "", "", ""]
    bad_ref = [id_for(6), "周九", "正式党员", "", "", "370202999999001", "", "", "", "否", "", "PX", "", ""]
    path = tmp_path / "both.xlsx"
    write_book(path, {"党员": [header, bad_cell, bad_ref]})
    outcome = import_file(LEDGER, path, Context(None))
    cells = {(e.row, e.column) for e in outcome.errors}
    assert {(2, "党员状态"), (3, "小区编码"), (3, "组织关系所在党组织编码")} <= cells
    assert PartyMember.objects.count() == 0
