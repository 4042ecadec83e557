"""Organisers' paper tools: the pre-filled sheet goes back through the upload as it is (round trip), every
problem of a sheet in one pass, an area that differs from the register is an error, the canvass list and
its export, the printed ballot and signature sheet."""

from __future__ import annotations

import io

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from gongzhi.accounts.roles import Role
from gongzhi.affairs import paper_forms, services
from gongzhi.affairs.models import Ballot, Origin
from gongzhi.affairs.tests.helpers import Estate, make_estate, open_vote, sheet_bytes, sheet_rows
from gongzhi.core.pdf import pdf_page_png, pdf_text
from gongzhi.tests.factories import SYSTEM, user_with

pytestmark = pytest.mark.django_db


@pytest.fixture
def estate(tree) -> Estate:  # type: ignore[no-untyped-def]
    return make_estate(tree.d("370202001001"))


def client_for(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


def test_the_prefilled_sheet_round_trips(estate: Estate) -> None:
    vote = open_vote(estate)
    data = paper_forms.ballot_form_xlsx(
        vote, paper_forms.form_rows(vote, building_id=estate.building.pk, unit_no=1)
    )
    book = load_workbook(io.BytesIO(data))
    sheet = book.active
    assert sheet is not None
    assert [c.value for c in sheet[1]] == [
        "楼栋",
        "单元",
        "房号",
        "业主",
        "专有部分面积",
        "表决意见",
        "业主签字",
    ]
    assert sheet.max_row == 7  # header + the 6 homes of unit 1
    for r in range(2, 8):  # the owners fill in their opinions and sign
        sheet.cell(r, 6, "同意" if r < 7 else "反对")
        sheet.cell(r, 7, "签名")
    filled = io.BytesIO()
    book.save(filled)
    result = services.ballots_import_sheet(vote=vote, actor=SYSTEM, data=filled.getvalue())
    assert not isinstance(result, list), result
    assert (result.rows, result.recorded) == (6, 6)
    assert Ballot.objects.filter(vote=vote, opinion="agree").count() == 5


def test_every_problem_in_one_pass_and_an_area_differing_from_the_register(estate: Estate) -> None:
    vote = open_vote(estate)
    rows = sheet_rows(estate, {i: "同意" for i in range(12)})
    rows[2][5] = "大概同意"  # a cell the reader refuses
    rows[4][4] = float(estate.homes[3].area) + 1  # an area the register does not have
    rows[6][3] = "不认识的人"  # not the registered owner
    result = services.ballots_import_sheet(vote=vote, actor=SYSTEM, data=sheet_bytes(rows))
    assert isinstance(result, list)
    found = [(e.row, e.column) for e in result]
    assert found == [(3, "表决意见"), (5, "专有部分面积"), (7, "业主")]
    assert "与业主名册登记的" in result[1].message
    assert not Ballot.objects.exists()


def test_the_canvass_list_and_its_export(estate: Estate) -> None:
    vote = open_vote(estate)
    estate.owners[0].phone = "13812345678"
    estate.owners[0].save()
    for person in estate.owners[1:4]:
        services.ballot_cast(vote=vote, person=person, opinion="agree", origin=Origin.PAPER, actor=SYSTEM)
    worker = client_for(user_with(Role.COMMUNITY_WORKER, estate.compound.community))
    url = reverse("affairs:vote_canvass", args=[vote.pk])
    page = worker.get(url).content.decode()
    assert "9 户未表决 / 共 12 户" in page and "138****5678" in page and estate.owners[1].name not in page
    unit2 = worker.get(url, {"building": estate.building.pk, "unit": 2}).content.decode()
    assert "6 户未表决 / 共 6 户" in unit2
    for bad in (
        {"building": "x"},
        {"building": "9" * 30},
        {"unit": "-1"},
        {"building": "999999", "unit": "1"},
    ):
        assert worker.get(url, bad).status_code == 200
    export = worker.get(url, {"format": "xlsx"})
    sheet = load_workbook(io.BytesIO(export.content)).active
    assert sheet is not None and sheet.max_row == 10
    assert [c.value for c in sheet[1]][-1] == "手机号（脱敏）"
    # Every role that organises votes may see masked phones today; without person.view the column goes.
    bare = paper_forms.canvass_xlsx(vote, paper_forms.form_rows(vote), phones=False)
    sheet = load_workbook(io.BytesIO(bare)).active
    assert sheet is not None and "手机号（脱敏）" not in [c.value for c in sheet[1]]


def test_the_printed_ballot_and_signature_sheet(estate: Estate, artifacts_dir) -> None:  # type: ignore[no-untyped-def]
    vote = open_vote(estate)
    worker = client_for(user_with(Role.COMMUNITY_WORKER, estate.compound.community))
    response = worker.get(
        reverse("affairs:vote_form", args=[vote.pk]), {"building": estate.building.pk, "unit": 2}
    )
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    assert (
        "业主表决票及签字表" in text and estate.owners[6].name in text and estate.owners[0].name not in text
    )
    png = pdf_page_png(response.content)
    assert len(png) > 10_000  # not a blank page
    (artifacts_dir / "affairs-ballot-form.png").write_bytes(png)
    resident = client_for(user_with(Role.RESIDENT, estate.compound))
    assert resident.get(reverse("affairs:vote_form", args=[vote.pk])).status_code in (403, 404)


def test_a_whole_unit_on_one_screen(estate: Estate) -> None:
    vote = open_vote(estate)
    worker = client_for(user_with(Role.COMMUNITY_WORKER, estate.compound.community))
    url = reverse("affairs:vote_unit", args=[vote.pk])
    query = f"?building={estate.building.pk}&unit=1"
    page = worker.get(url + query).content.decode()
    homes = estate.unit_homes(1)
    assert all(f'name="h{h.pk}"' in page for h in homes)
    bad = {f"h{h.pk}": "同意" for h in homes} | {f"h{homes[2].pk}": "大概同意"}
    response = worker.post(url + query, bad)
    assert response.status_code == 400 and homes[2].room in response.content.decode()
    assert not Ballot.objects.exists()
    good = {f"h{h.pk}": "同意" for h in homes[:5]} | {f"h{homes[5].pk}": "废票"}
    assert worker.post(url + query, good).status_code == 302
    assert Ballot.objects.filter(vote=vote, origin=Origin.PAPER).count() == 6
    assert Ballot.objects.filter(vote=vote, opinion="invalid").count() == 1
    assert "同意" in worker.get(url + query).content.decode()
    other = estate.unit_homes(2)[0]
    result = services.ballots_record_unit(vote=vote, actor=SYSTEM, opinions={other.pk + 10_000: "同意"})
    assert isinstance(result, list) and "不在本次表决范围内" in result[0].message


def test_the_canvass_and_the_owner_page_run_a_fixed_number_of_queries(estate: Estate) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    vote = open_vote(estate)
    worker = client_for(user_with(Role.COMMUNITY_WORKER, estate.compound.community))
    voter, _pw = services.owner_login_link(actor=SYSTEM, home=estate.homes[0], person=estate.owners[0])
    owner = client_for(voter.user)
    counts = []
    for person in (estate.owners[0], estate.owners[1], estate.owners[2]):
        services.ballot_cast(vote=vote, person=person, opinion="agree", origin=Origin.PAPER, actor=SYSTEM)
        with CaptureQueriesContext(connection) as canvass:
            worker.get(reverse("affairs:vote_canvass", args=[vote.pk]))
        with CaptureQueriesContext(connection) as mine:
            owner.get(reverse("affairs:my_page"))
        counts.append((len(canvass.captured_queries), len(mine.captured_queries)))
    assert counts[0] == counts[1] == counts[2]  # more ballots, same number of queries
