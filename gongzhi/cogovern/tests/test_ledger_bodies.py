"""The committees ledger and the evaluations-and-participants ledger: hostile sheets refused cell by cell
with nothing written; a good file written through the bulk services; export → import (through real .xlsx
files) changes nothing and exports the same again."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from gongzhi.accounts.roles import Role
from gongzhi.cogovern import rules, selectors, services
from gongzhi.cogovern.ledger_bodies import EVALUATIONS, OWNERS_SHEET, PARTICIPANTS, SELF_SHEET
from gongzhi.cogovern.models import CommitteeTerm, Evaluation, Participation
from gongzhi.cogovern.tests.kit import ACTOR, credit_code
from gongzhi.ledgers.base import Context, SheetSpec
from gongzhi.ledgers.importer import export_file, get_ledger, import_book, import_file, template_file
from gongzhi.ledgers.xlsx import read_workbook
from gongzhi.organisations.models import Organisation
from gongzhi.people.identity import with_check_character
from gongzhi.tests.factories import PersonFactory, user_with

pytestmark = pytest.mark.django_db


def ids(n: int) -> list[str]:
    numbers = [with_check_character(f"37020219800101{i:03d}") for i in range(n)]
    for number in numbers:
        PersonFactory.create(id_number=number)
    return numbers


def sheet(spec: SheetSpec, *rows: dict[str, Any]) -> list[list[Any]]:
    return [spec.headers, *[[r.get(h, "") for h in spec.headers] for r in rows]]


def committee_row(code: str, numbers: list[str], **more: Any) -> dict[str, Any]:
    seats = "；".join([f"主任:{numbers[0]}", *[f"委员:{n}" for n in numbers[1:]]])
    return {
        "小区编码": code,
        "名称": "某小区第一届业主委员会",
        "选举日期": "2024-03-01",
        "任期开始": "2024-03-10",
        "任期结束": "2029-03-09",
        "备案日期": "2024-03-20",
        "备案编号": "市南业备2024001",
        "委员": seats,
        **more,
    }


def _round_trip(ledger_slug: str, place_path: str, tmp_path: Path) -> None:
    ledger = get_ledger(ledger_slug)
    first = tmp_path / "first.xlsx"
    export_file(ledger, first, place_path, None)
    again = import_file(ledger, first, Context(None))
    assert again.ok, again.errors
    assert sum(again.counts.values()) == 0, again.counts
    second = tmp_path / "second.xlsx"
    export_file(ledger, second, place_path, None)
    assert read_workbook(first) == read_workbook(second)


def test_committees_import_export_round_trip(tree, tmp_path: Path) -> None:
    numbers = ids(6)
    a, b = tree.compounds[0], tree.compounds[1]
    book = {
        OWNERS_SHEET.name: sheet(OWNERS_SHEET, committee_row(a.code, numbers[:5])),
        SELF_SHEET.name: sheet(
            SELF_SHEET,
            {
                "小区编码": b.code,
                "名称": "某小区自管会",
                "成立日期": "2023-05-01",
                "成员": f"主任:{numbers[5]}",
            },
        ),
    }
    outcome = import_book(get_ledger("cogovern_committees"), book, Context(None))
    assert outcome.ok, outcome.errors
    assert outcome.counts == {"业主委员会": 1, "自管会": 1}
    term = CommitteeTerm.objects.get(compound=a)
    assert (
        term.committee.seats.filter(until__isnull=True).count() == 5 and term.filing_no == "市南业备2024001"
    )
    _round_trip("cogovern_committees", tree.d("370202").path, tmp_path)


@pytest.mark.parametrize(
    ("change", "column", "word"),
    [
        ({"小区编码": "370202999999999"}, "小区编码", "不存在"),
        ({"任期结束": "2029-03-10"}, "委员", "5 年"),
        ({"任期开始": "三月"}, "任期开始", "应为日期"),
        ({"委员": "主任:370202198001010000"}, "委员", "校验码"),
        ({"委员": "组长:370202198001010000"}, "委员", "职务应为"),
        ({"备案日期": "2024-02-01"}, "委员", "备案日期早于选举日期"),
    ],
)
def test_a_hostile_committee_row_is_refused_and_nothing_written(tree, change, column, word) -> None:
    numbers = ids(5)
    row = committee_row(tree.compounds[0].code, numbers, **change)
    outcome = import_book(
        get_ledger("cogovern_committees"), {OWNERS_SHEET.name: sheet(OWNERS_SHEET, row)}, Context(None)
    )
    assert not outcome.ok
    assert any(e.column == column and word in e.message for e in outcome.errors), outcome.errors
    assert not CommitteeTerm.objects.exists()


def test_members_sizes_and_people_are_checked_row_by_row(tree) -> None:
    numbers = ids(5)
    unknown = with_check_character("37020219900101999")
    c0, c1, c2 = tree.compounds[0], tree.compounds[1], tree.compounds[2]
    rows = [
        committee_row(c0.code, numbers[:4]),  # even
        committee_row(c1.code, [*numbers[:2], unknown]),  # a person not on record
        committee_row(c2.code, numbers[:3], 委员=f"主任:{numbers[0]}；主任:{numbers[1]}；委员:{numbers[2]}"),
    ]
    outcome = import_book(
        get_ledger("cogovern_committees"), {OWNERS_SHEET.name: sheet(OWNERS_SHEET, *rows)}, Context(None)
    )
    messages = {(e.row, e.message) for e in outcome.errors}
    assert any(r == 2 and "单数" in m for r, m in messages), messages
    assert any(r == 3 and "未登记" in m for r, m in messages), messages
    assert any(r == 4 and "只有一名主任" in m for r, m in messages), messages
    assert (
        not CommitteeTerm.objects.exists()
        and not Organisation.objects.filter(kind="cogovern.owners").exists()
    )


def test_a_worker_cannot_import_outside_their_places(tree) -> None:
    numbers = ids(3)
    worker = user_with(Role.COMMUNITY_WORKER, tree.d("370202001001"))
    row = committee_row(tree.compounds[-1].code, numbers)  # 市北区
    outcome = import_book(
        get_ledger("cogovern_committees"), {OWNERS_SHEET.name: sheet(OWNERS_SHEET, row)}, Context(worker)
    )
    assert any("管理范围" in e.message for e in outcome.errors) and not CommitteeTerm.objects.exists()


def _company(tree) -> Organisation:  # type: ignore[no-untyped-def]
    return services.company_create(
        actor=ACTOR, name="青岛某物业", credit_code=credit_code(31), places=[tree.compounds[0]]
    )


def _points() -> list[int]:
    sheet_ = services.default_sheet().sheet
    return [it["points"] for c in sheet_["categories"] for it in c["items"]]


def evaluation_row(code: str, scores: list[Any], **more: Any) -> dict[str, Any]:
    return {
        "统一社会信用代码": credit_code(31),
        "小区编码": code,
        "年度": 2026,
        "季度": 2,
        "评价方": "业委会",
        "各项得分": "；".join(str(s) for s in scores),
        **more,
    }


def participant_row(code: str, **more: Any) -> dict[str, Any]:
    return {
        "类别": "志愿服务队",
        "组织编码": "CG-N-TEST-V",
        "名称": "某社区志愿服务队",
        "小区编码": code,
        "参与内容": "帮老助困",
        "联系人": "赵敏",
        "联系电话": "13800001111",
        "起始日期": "2025-01-01",
        **more,
    }


def test_evaluations_and_participants_import_export_round_trip(tree, tmp_path: Path) -> None:
    _company(tree)
    a, b = tree.compounds[0], tree.compounds[1]
    points = _points()
    book = {
        EVALUATIONS.name: sheet(EVALUATIONS, evaluation_row(a.code, [p - 1 if p > 1 else p for p in points])),
        PARTICIPANTS.name: sheet(PARTICIPANTS, participant_row(a.code), participant_row(b.code)),
    }
    outcome = import_book(get_ledger("cogovern_participants"), book, Context(None))
    assert outcome.ok, outcome.errors
    assert outcome.counts == {"季度考核": 1, "共治参与": 2}
    (evaluation,) = Evaluation.objects.all()
    assert evaluation.total == sum(p - 1 if p > 1 else p for p in points)
    assert set(Organisation.objects.get(code="CG-N-TEST-V").covered_compounds()) == {a, b}
    _round_trip("cogovern_participants", tree.d("370202").path, tmp_path)


@pytest.mark.parametrize(
    ("sheet_name", "change", "column", "word"),
    [
        ("eval", {"季度": 5}, "季度", "1–4"),
        ("eval", {"年度": 1900}, "年度", "2000"),
        ("eval", {"评价方": "物业"}, "评价方", "应为以下之一"),
        ("eval", {"统一社会信用代码": "91370202000000001X"}, "统一社会信用代码", "校验位"),
        ("eval", {"统一社会信用代码": credit_code(32)}, "统一社会信用代码", "未登记"),
        ("eval", {"各项得分": "很好"}, "各项得分", "数字"),
        ("eval", {"各项得分": "1；2"}, "各项得分", "项得分"),
        ("eval", {"小区编码": "370202999999999"}, "小区编码", "不存在"),
        ("part", {"联系电话": "12ab"}, "联系电话", "7–12 位数字"),
        ("part", {"类别": "物业"}, "类别", "应为以下之一"),
        ("part", {"联系人": ""}, "联系人", "必填"),
    ],
)
def test_a_hostile_evaluation_or_participant_row_is_refused(tree, sheet_name, change, column, word) -> None:
    _company(tree)
    c = tree.compounds[0]
    book = {
        EVALUATIONS.name: sheet(
            EVALUATIONS, evaluation_row(c.code, _points(), **(change if sheet_name == "eval" else {}))
        ),
        PARTICIPANTS.name: sheet(
            PARTICIPANTS, participant_row(c.code, **(change if sheet_name == "part" else {}))
        ),
    }
    outcome = import_book(get_ledger("cogovern_participants"), book, Context(None))
    assert not outcome.ok
    assert any(e.column == column and word in e.message for e in outcome.errors), outcome.errors
    assert not Evaluation.objects.exists() and not Participation.objects.exists()


def test_a_score_above_its_item_is_refused(tree) -> None:
    _company(tree)
    points = _points()
    points[0] += 1
    book = {EVALUATIONS.name: sheet(EVALUATIONS, evaluation_row(tree.compounds[0].code, points))}
    outcome = import_book(get_ledger("cogovern_participants"), book, Context(None))
    assert any("第 1 项" in e.message for e in outcome.errors), outcome.errors
    assert not Evaluation.objects.exists()


@pytest.mark.parametrize("slug", ["cogovern_committees", "cogovern_participants"])
def test_templates_list_every_column(slug: str, tmp_path: Path) -> None:
    ledger = get_ledger(slug)
    target = tmp_path / "t.xlsx"
    template_file(ledger, target)
    book = read_workbook(target)
    for spec in ledger.sheets:
        assert book[spec.name][0] == spec.headers


def test_a_reelection_is_imported_by_the_forms_service_and_a_bad_file_writes_nothing(
    tree, tmp_path: Path
) -> None:
    numbers = ids(9)
    a, b = tree.compounds[0], tree.compounds[1]
    ledger = get_ledger("cogovern_committees")
    first = {"任期开始": "2020-03-10", "选举日期": "2020-03-01", "任期结束": "2025-03-09", "备案日期": ""}
    rows = [committee_row(a.code, numbers[:5], **first), committee_row(b.code, numbers[:3], **first)]
    assert import_book(ledger, {OWNERS_SHEET.name: sheet(OWNERS_SHEET, *rows)}, Context(None)).ok
    sitting = {t.compound_id: t for t in CommitteeTerm.objects.all()}
    second = {
        "名称": "某小区第二届业主委员会",
        "选举日期": "2025-02-20",
        "任期开始": "2025-03-10",
        "任期结束": "2030-03-09",
        "备案日期": "2025-03-25",
        "备案编号": "市南业备2025007",
    }
    bad = [
        committee_row(a.code, numbers[4:9], **second),  # right
        committee_row(b.code, numbers[4:8], **second),  # four members: even
    ]
    outcome = import_book(ledger, {OWNERS_SHEET.name: sheet(OWNERS_SHEET, *bad)}, Context(None))
    assert [(e.row, e.column) for e in outcome.errors] == [(3, "委员")] and "单数" in outcome.errors[
        0
    ].message
    earlier = committee_row(
        a.code, numbers[4:9], **{**second, "任期开始": "2019-03-10", "选举日期": "2019-03-01"}
    )
    outcome = import_book(ledger, {OWNERS_SHEET.name: sheet(OWNERS_SHEET, earlier)}, Context(None))
    assert any(e.column == "任期开始" and "晚于在任一届" in e.message for e in outcome.errors), outcome.errors
    assert (
        CommitteeTerm.objects.count() == 2
        and not Organisation.objects.filter(kind="cogovern.owners", ended_on__isnull=False).exists()
    )

    outcome = import_book(ledger, {OWNERS_SHEET.name: sheet(OWNERS_SHEET, bad[0])}, Context(None))
    assert outcome.ok, outcome.errors
    assert outcome.counts["业主委员会"] == 1
    new = CommitteeTerm.objects.get(compound=a, committee__ended_on__isnull=True)
    old = sitting[a.pk]
    old.refresh_from_db()
    old.committee.refresh_from_db()
    assert new.previous == old and old.reelection_held_on == new.elected_on
    assert old.committee.ended_on == new.term_start and new.filing_no == "市南业备2025007"
    assert new.committee.seats.filter(until__isnull=True).count() == 5
    (state,) = [s for s in selectors.compound_states(a.path) if s.id == a.pk]
    assert rules.Step.HANDOVER in dict(state.late)  # the records still to be handed over, as after the form
    _round_trip("cogovern_committees", tree.d("370202").path, tmp_path)
