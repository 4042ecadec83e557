"""The complaints and meetings ledger: a good file written through the services (a meeting's decisions passed
or not by the rule of all members), hostile rows refused cell by cell with nothing written, and export →
import (through real .xlsx files) a round trip."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from gongzhi.accounts.roles import Role
from gongzhi.cogovern import rules
from gongzhi.cogovern.ledger_records import COMPLAINTS, MEETINGS
from gongzhi.cogovern.models import CommitteeMeeting, Complaint, MeetingDecision, Outcome
from gongzhi.cogovern.tests.kit import build_kit
from gongzhi.cogovern.tests.test_ledger_bodies import _round_trip, sheet
from gongzhi.ledgers.base import Context
from gongzhi.ledgers.importer import export_file, get_ledger, import_book
from gongzhi.ledgers.xlsx import read_workbook
from gongzhi.organisations.models import Seat
from gongzhi.people.identity import with_check_character
from gongzhi.tests.factories import user_with

pytestmark = pytest.mark.django_db
LEDGER = "cogovern_records"


def members(kit: Any) -> list[str]:
    """The ID numbers of the kit's committee (the kit's persons have none: given here, as a ledger would)."""
    seats = Seat.objects.current().filter(organisation=kit.committee).select_related("person").order_by("pk")
    for i, s in enumerate(seats):
        if not s.person.id_number:
            s.person.id_number = with_check_character(f"37020219700101{s.person.pk % 900 + i:03d}")
            s.person.save(update_fields=["id_number"])
    return [s.person.id_number for s in seats]


def good_book(kit: Any) -> dict[str, list[list[Any]]]:
    today = timezone.localdate()
    code, credit = kit.compound.code, kit.company.company_profile.credit_code
    numbers = members(kit)
    return {
        COMPLAINTS.name: sheet(
            COMPLAINTS,
            {  # the kit's pending complaint, now closed
                "统一社会信用代码": credit,
                "小区编码": code,
                "受理日期": kit.complaint.received_on.isoformat(),
                "投诉内容": kit.complaint.summary,
                "办理结果": "投诉属实",
                "办结日期": today.isoformat(),
            },
            {
                "统一社会信用代码": credit,
                "小区编码": code,
                "受理日期": (today - timedelta(days=9)).isoformat(),
                "投诉内容": "楼道灯长期不亮",
                "办理结果": "办理中",
            },
        ),
        MEETINGS.name: sheet(
            MEETINGS,
            {
                "小区编码": code,
                "会议日期": (today - timedelta(days=3)).isoformat(),
                "出席委员": "；".join(numbers),
                "决定事项": "更换监控设备（同意 2，反对 1）；增设充电桩(同意 1, 反对 2)",
            },
        ),
    }


def test_a_good_file_goes_through_the_services_and_decisions_pass_by_all_members(tree) -> None:
    kit = build_kit(tree.compounds[0])
    outcome = import_book(get_ledger(LEDGER), good_book(kit), Context(None))
    assert outcome.ok, outcome.errors
    assert outcome.counts == {"物业投诉": 2, "业委会会议": 1}
    kit.complaint.refresh_from_db()
    assert kit.complaint.outcome == Outcome.UPHELD and kit.complaint.closed_on == timezone.localdate()
    assert Complaint.objects.get(summary="楼道灯长期不亮").outcome == Outcome.PENDING
    meeting = CommitteeMeeting.objects.exclude(pk=kit.meeting.pk).get()
    assert meeting.term == kit.term and meeting.members == len(members(kit))
    got = [(d.subject, d.passed) for d in meeting.decisions.all()]
    assert got == [
        ("更换监控设备", rules.decision_passes(2, meeting.members)),
        ("增设充电桩", rules.decision_passes(1, meeting.members)),
    ]
    assert {p for _, p in got} == {True, False}  # one passes, one fails: the rule, not the present count
    assert meeting.history.count() == 1 and kit.complaint.history.count() == 2  # recorded, then closed


HOSTILE = [
    (COMPLAINTS.name, 0, {"统一社会信用代码": "91370202000000000X"}, "统一社会信用代码", ""),
    (COMPLAINTS.name, 1, {"办理结果": "投诉不成立"}, "办结日期", "请填写办结日期"),
    (COMPLAINTS.name, 1, {"办结日期": "2020-01-01"}, "办结日期", "办理中"),
    (COMPLAINTS.name, 1, {"办理结果": "已解决"}, "办理结果", "应为以下之一"),
    (COMPLAINTS.name, 1, {"小区编码": "370203000000000"}, "小区编码", "管理范围"),
    (MEETINGS.name, 0, {"决定事项": "更换监控设备 同意2票"}, "决定事项", "同意 N，反对 M"),
    (MEETINGS.name, 0, {"决定事项": "更换监控设备（同意 3，反对 1）"}, "决定事项", "不能超过出席人数"),
    (MEETINGS.name, 0, {"会议日期": "2001-01-01"}, "会议日期", "任期内"),
    (MEETINGS.name, 0, {"出席委员": "110101199003070011"}, "出席委员", ""),
]


@pytest.mark.parametrize(("sheet_name", "index", "change", "column", "word"), HOSTILE)
def test_a_hostile_row_is_refused_by_cell_and_nothing_written(
    tree, sheet_name: str, index: int, change: dict[str, str], column: str, word: str
) -> None:
    kit = build_kit(tree.compounds[0])
    book = good_book(kit)
    spec = COMPLAINTS if sheet_name == COMPLAINTS.name else MEETINGS
    row = book[sheet_name][index + 1]
    for header, value in change.items():
        row[spec.headers.index(header)] = value
    before = (Complaint.objects.count(), CommitteeMeeting.objects.count(), MeetingDecision.objects.count())
    outcome = import_book(get_ledger(LEDGER), book, Context(None))
    assert not outcome.ok
    assert any(e.sheet == sheet_name and e.column == column and word in e.message for e in outcome.errors), (
        outcome.errors
    )
    after = (Complaint.objects.count(), CommitteeMeeting.objects.count(), MeetingDecision.objects.count())
    assert after == before
    kit.complaint.refresh_from_db()
    assert kit.complaint.outcome == Outcome.PENDING  # the good row beside it is not written either


def test_an_inquorate_meeting_and_a_changed_record_are_refused(tree) -> None:
    kit = build_kit(tree.compounds[0])
    book = good_book(kit)
    row = book[MEETINGS.name][1]
    row[MEETINGS.headers.index("出席委员")] = members(kit)[0]  # 1 of 3: no quorum
    row[MEETINGS.headers.index("决定事项")] = ""
    again = list(row)  # the kit's recorded meeting, told differently
    again[MEETINGS.headers.index("会议日期")] = kit.meeting.held_on.isoformat()
    book[MEETINGS.name].append(again)
    outcome = import_book(get_ledger(LEDGER), book, Context(None))
    messages = {(e.row, e.column, e.message) for e in outcome.errors}
    assert any(r == 2 and c == "出席委员" and "法定人数" in m for r, c, m in messages), messages
    assert any(r == 3 and c == "会议日期" and "不能修改" in m for r, c, m in messages), messages
    assert CommitteeMeeting.objects.count() == 1


def test_a_worker_cannot_import_outside_their_places(tree) -> None:
    kit = build_kit(tree.compounds[0])
    worker = user_with(Role.COMMUNITY_WORKER, tree.compounds[-1].community)
    outcome = import_book(get_ledger(LEDGER), good_book(kit), Context(worker))
    assert not outcome.ok and any("管理范围" in e.message for e in outcome.errors)
    assert CommitteeMeeting.objects.count() == 1 and Complaint.objects.count() == 1


def test_export_import_round_trip_with_the_decisions_counts(tree, tmp_path: Path) -> None:
    kit = build_kit(tree.compounds[0])
    assert import_book(get_ledger(LEDGER), good_book(kit), Context(None)).ok
    _round_trip(LEDGER, tree.d("370202").path, tmp_path)
    out = tmp_path / "counts.xlsx"
    export_file(get_ledger(LEDGER), out, tree.d("370202").path, None)
    rows = read_workbook(out)[MEETINGS.name][1:]
    h = MEETINGS.headers
    want = [
        (str(m.members), str(m.decisions.count()), str(m.decisions.filter(passed=True).count()))
        for m in CommitteeMeeting.objects.order_by("held_on", "pk")
    ]
    assert [
        (str(r[h.index("委员总数")]), str(r[h.index("决定数")]), str(r[h.index("通过数")])) for r in rows
    ] == want
    assert len(read_workbook(out)[COMPLAINTS.name]) == 1 + Complaint.objects.count()
