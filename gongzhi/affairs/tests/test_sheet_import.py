"""Paper ballots from the tally sheet into a vote: checked against the register, all or nothing."""

from __future__ import annotations

import pytest

from gongzhi.affairs import services
from gongzhi.affairs.ballot_sheet import SheetError
from gongzhi.affairs.models import Ballot, BallotChange, Origin
from gongzhi.affairs.services import SheetImport
from gongzhi.affairs.tests.helpers import make_estate, open_vote, sheet_bytes, sheet_rows
from gongzhi.tests.factories import SYSTEM

pytestmark = pytest.mark.django_db


@pytest.fixture
def estate(tree):  # type: ignore[no-untyped-def]
    return make_estate(tree.d("370202001001"))


def test_a_valid_sheet_records_paper_ballots_and_closing_counts_them(estate) -> None:  # type: ignore[no-untyped-def]
    vote = open_vote(estate)
    services.ballot_cast(
        vote=vote, person=estate.owners[0], opinion="against", origin=Origin.ONLINE, actor=SYSTEM
    )
    opinions = {i: "同意" for i in range(9)} | {9: "反对"}
    result = services.ballots_import_sheet(
        vote=vote, actor=SYSTEM, data=sheet_bytes(sheet_rows(estate, opinions))
    )
    assert result == SheetImport(rows=12, recorded=9, changed=1, unchanged=0)
    assert Ballot.objects.filter(vote=vote).count() == 10
    changed = Ballot.objects.get(vote=vote, owner=estate.owners[0])
    assert (changed.opinion, changed.origin, changed.changes) == ("agree", Origin.PAPER, 1)
    assert BallotChange.objects.filter(vote=vote).count() == 11
    closed = services.vote_close(vote=vote, actor=SYSTEM)
    sheet_result = services.read_ballot_sheet(sheet_bytes(sheet_rows(estate, opinions)))
    assert not isinstance(sheet_result, list)
    law = sheet_result.tally(5)
    assert (closed.owners_voted, closed.owners_agree, closed.area_agree, closed.passed) == (
        law.owners_voted,
        law.owners_agree,
        law.area_agree,
        law.passed,
    )


def test_importing_the_same_sheet_twice_changes_nothing(estate) -> None:  # type: ignore[no-untyped-def]
    vote = open_vote(estate)
    data = sheet_bytes(sheet_rows(estate, {0: "同意", 1: "弃权"}))
    services.ballots_import_sheet(vote=vote, actor=SYSTEM, data=data)
    again = services.ballots_import_sheet(vote=vote, actor=SYSTEM, data=data)
    assert again == SheetImport(rows=12, recorded=0, changed=0, unchanged=2)
    assert BallotChange.objects.count() == 2


def errors(result: object) -> list[tuple[int, str]]:
    assert isinstance(result, list), result
    return [(e.row, e.column) for e in result if isinstance(e, SheetError)]


def test_rows_that_do_not_match_the_register_reject_the_whole_sheet(tree, estate) -> None:  # type: ignore[no-untyped-def]
    vote = open_vote(estate)
    rows = sheet_rows(estate, {i: "同意" for i in range(12)})
    rows[2][3] = "冒名者"  # not the owner of that home
    rows[5][2] = "901"  # no such room
    result = services.ballots_import_sheet(vote=vote, actor=SYSTEM, data=sheet_bytes(rows))
    assert errors(result) == [(3, "业主"), (6, "房号")]
    assert not Ballot.objects.exists() and not BallotChange.objects.exists()


def test_homes_outside_a_unit_vote_reject_the_sheet(estate) -> None:  # type: ignore[no-untyped-def]
    vote = open_vote(estate, code="elevator", item=7, scope="unit", unit=1)
    rows = sheet_rows(estate, {i: "同意" for i in range(12)})  # lists unit 2 too
    result = services.ballots_import_sheet(vote=vote, actor=SYSTEM, data=sheet_bytes(rows))
    assert {column for _row, column in errors(result)} == {"房号"}
    assert len(errors(result)) == 6
    assert not Ballot.objects.exists()


def test_an_invalid_sheet_lists_the_reader_s_problems(estate) -> None:  # type: ignore[no-untyped-def]
    vote = open_vote(estate)
    rows = sheet_rows(estate, {0: "同意", 1: "也许"})
    rows[3][4] = -5
    result = services.ballots_import_sheet(vote=vote, actor=SYSTEM, data=sheet_bytes(rows))
    assert errors(result) == [(3, "表决意见"), (4, "专有部分面积")]
    not_xlsx = services.ballots_import_sheet(vote=vote, actor=SYSTEM, data=b"%PDF-1.4 not a sheet")
    assert errors(not_xlsx) == [(1, "（全表）")]
    assert not Ballot.objects.exists()


def test_a_closed_vote_takes_no_sheet(estate) -> None:  # type: ignore[no-untyped-def]
    vote = open_vote(estate)
    services.vote_close(vote=vote, actor=SYSTEM)
    with pytest.raises(services.ValidationError, match="已经结束"):
        services.ballots_import_sheet(
            vote=vote, actor=SYSTEM, data=sheet_bytes(sheet_rows(estate, {0: "同意"}))
        )
    assert not Ballot.objects.exists()


def test_the_result_does_not_depend_on_the_order_of_the_rows(estate) -> None:  # type: ignore[no-untyped-def]
    import random

    opinions = {
        0: "同意",
        1: "反对",
        2: "同意",
        3: "弃权",
        4: "同意",
        5: "同意",
        6: "同意",
        7: "同意",
        9: "反对",
    }
    rows = sheet_rows(estate, opinions)
    shuffled = [rows[0], *random.Random(4).sample(rows[1:], len(rows) - 1)]
    results = []
    for data in (rows, shuffled):
        vote = open_vote(estate)
        services.ballots_import_sheet(vote=vote, actor=SYSTEM, data=sheet_bytes(data))
        closed = services.vote_close(vote=vote, actor=SYSTEM)
        results.append(
            (closed.owners_voted, closed.owners_agree, closed.area_voted, closed.area_agree, closed.passed)
        )
    assert results[0] == results[1]
