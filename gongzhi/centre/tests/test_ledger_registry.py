"""The centre's registry ledger (rooms, enterprises, leases, projects): a good file writes through the bulk
services with history; a bad row is named by sheet, row and column and nothing is written; export → import
changes nothing; a user outside the centre writes nothing."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from gongzhi.accounts.roles import Role
from gongzhi.centre import bulk, services
from gongzhi.centre.ledger_registry import ENTERPRISES, LEASES, PROJECTS, ROOMS
from gongzhi.centre.models import Enterprise, Industry, Lease, Project, Space, StageStep
from gongzhi.centre.tests.helpers import make_centre
from gongzhi.ledgers.base import Context, SheetSpec
from gongzhi.ledgers.importer import export_file, get_ledger, import_book
from gongzhi.ledgers.xlsx import read_workbook
from gongzhi.tests.factories import SYSTEM, credit_code, load_divisions, user_with

pytestmark = pytest.mark.django_db
LEDGER = "centre_registry"
NAME = "测试服务中心"


@pytest.fixture
def world() -> dict[str, Any]:
    divisions = load_divisions()
    made = make_centre(divisions["370202001001"], rooms=2)
    operator = user_with(Role.OPERATOR, divisions["370202001001"])
    return {"made": made, "divisions": divisions, "operator": operator}


def sheets(**by_sheet: list[dict[str, Any]]) -> dict[str, list[list[Any]]]:
    specs: dict[str, SheetSpec] = {
        "rooms": ROOMS,
        "firms": ENTERPRISES,
        "leases": LEASES,
        "projects": PROJECTS,
    }
    return {
        specs[k].name: [specs[k].headers, *[[r.get(h, "") for h in specs[k].headers] for r in rows]]
        for k, rows in by_sheet.items()
    }


ROOM = {"服务中心": NAME, "房号": "2001", "楼层": "20", "面积（平方米）": "240.5", "用途": "研发实验"}
FIRM = {
    "服务中心": NAME,
    "统一社会信用代码": credit_code(7),
    "企业名称": "青岛海芯半导体有限公司",
    "行业门类": "C 制造业",
    "企业类型": "科技型工业企业",
    "所属平台": "科创平台",
    "孵化状态": "在孵",
    "注册日期": "2025-03-01",
}
LEASE = {
    "服务中心": NAME,
    "房号": "2001",
    "统一社会信用代码": credit_code(7),
    "起租日": "2025-04-01",
    "到期日": "2028-03-31",
    "月租金（元）": "12000",
    "优惠政策": "首年免租",
}
PROJECT = {
    "服务中心": NAME,
    "平台": "数智贸易平台",
    "项目名称": "跨境数字贸易结算中心",
    "行业门类": "I",
    "企业类型": "总部企业",
    "登记日期": "2025-05-06",
    "下一步": "安排考察",
    "下一步日期": "2025-06-01",
    "落地可能性（%）": "40",
    "需求面积": "300",
}
GOOD = {"rooms": [ROOM], "firms": [FIRM], "leases": [LEASE], "projects": [PROJECT]}


def _nothing_written(before: int) -> None:
    assert Space.objects.count() == before
    assert not Enterprise.objects.exists() and not Lease.objects.exists() and not Project.objects.exists()


def test_a_good_file_writes_every_sheet_through_the_services(world) -> None:  # type: ignore[no-untyped-def]
    operator = world["operator"]
    outcome = import_book(get_ledger(LEDGER), sheets(**GOOD), Context(operator))
    assert outcome.ok, outcome.errors
    assert outcome.counts == {
        "新增房间": 1,
        "更新房间": 0,
        "新增企业": 1,
        "更新企业": 0,
        "新增租约": 1,
        "新增项目": 1,
        "更新项目": 0,
    }
    room = Space.objects.get(number="2001")
    firm = Enterprise.objects.get()
    lease = Lease.objects.get()
    project = Project.objects.get()
    assert (room.area, room.use, room.floor) == (Decimal("240.50"), "lab", 20)
    assert (firm.industry.code, firm.kind, getattr(firm.platform, "name", None), firm.incubation) == (
        "C",
        "tech",
        "科创平台",
        "incubating",
    )
    assert (lease.space, lease.enterprise, lease.area) == (room, firm, room.area)
    assert firm.settled_on == date(2025, 4, 1)  # settled on its first lease, as lease_sign does
    assert (project.stage.position, project.likelihood, project.platform.name) == (1, 40, "数智贸易平台")
    assert StageStep.objects.get(project=project).on == date(2025, 5, 6)
    for obj in (room, firm, lease, project):
        assert obj.history.latest().history_user == operator  # type: ignore[attr-defined]


def test_export_then_import_changes_nothing_and_edits_update(world, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    operator, made = world["operator"], world["made"]
    assert import_book(get_ledger(LEDGER), sheets(**GOOD), Context(operator)).ok
    target = tmp_path / "registry.xlsx"
    export_file(get_ledger(LEDGER), target, made.centre.path, operator)
    raw = read_workbook(target)
    assert [len(raw[s.name]) - 1 for s in (ROOMS, ENTERPRISES, LEASES, PROJECTS)] == [3, 1, 1, 1]
    histories = sum(m.history.count() for m in (Space, Enterprise, Lease, Project))  # type: ignore[attr-defined]
    again = import_book(get_ledger(LEDGER), raw, Context(operator))
    assert again.ok and sum(again.counts.values()) == 0, again.counts
    assert sum(m.history.count() for m in (Space, Enterprise, Lease, Project)) == histories  # type: ignore[attr-defined]
    # Edit the exported file: a room's area, the firm's name, the project's next action.
    rooms, firms, projects = raw[ROOMS.name], raw[ENTERPRISES.name], raw[PROJECTS.name]
    row = next(r for r in rooms[1:] if r[1] == "2001")
    row[ROOMS.headers.index("面积（平方米）")] = "250"
    firms[1][ENTERPRISES.headers.index("企业名称")] = "青岛海芯微电子有限公司"
    projects[1][PROJECTS.headers.index("下一步")] = "洽谈租金"
    edited = import_book(get_ledger(LEDGER), raw, Context(operator))
    assert edited.ok, edited.errors
    assert (edited.counts["更新房间"], edited.counts["更新企业"], edited.counts["更新项目"]) == (1, 1, 1)
    assert Space.objects.get(number="2001").area == Decimal("250")
    assert Enterprise.objects.get().name == "青岛海芯微电子有限公司"
    assert Project.objects.get().next_action == "洽谈租金"


@pytest.mark.parametrize(
    ("sheet", "cell", "value", "word"),
    [
        ("rooms", "用途", "仓库", "应为以下之一"),
        ("rooms", "面积（平方米）", "-3", "大于0"),
        ("rooms", "楼层", "40000", "32767"),
        ("rooms", "服务中心", "别的中心", "不存在或不在您的管理范围内"),
        ("firms", "统一社会信用代码", credit_code(7)[:-1] + "X", "无效"),
        ("firms", "所属平台", "不存在的平台", "没有名为"),
        ("firms", "行业门类", "Z", "A–T"),
        ("firms", "企业类型", "国企", "应为以下之一"),
        ("leases", "房号", "9999", "未登记"),
        ("leases", "到期日", "2024-01-01", "不能早于"),
        ("leases", "统一社会信用代码", credit_code(8), "未登记"),
        ("leases", "月租金（元）", "-1", "不小于0"),
        ("projects", "阶段", "签约", "第一阶段"),
        ("projects", "项目编号", "99999999999999999999", "不在该服务中心"),
        ("projects", "落地可能性（%）", "120", "0到100"),
        ("projects", "平台", "科创", "没有名为"),
    ],
)
def test_a_bad_cell_is_named_and_nothing_written(world, sheet: str, cell: str, value: str, word: str) -> None:  # type: ignore[no-untyped-def]
    before = Space.objects.count()
    rows = {k: [dict(r) for r in v] for k, v in GOOD.items()}
    rows[sheet][0][cell] = value
    outcome = import_book(get_ledger(LEDGER), sheets(**rows), Context(world["operator"]))
    assert not outcome.ok
    spec = {"rooms": ROOMS, "firms": ENTERPRISES, "leases": LEASES, "projects": PROJECTS}[sheet]
    assert any(e.sheet == spec.name and e.row == 2 and word in e.message for e in outcome.errors), (
        outcome.errors
    )
    _nothing_written(before)


def test_overlapping_leases_are_refused_in_the_file_and_against_the_database(world) -> None:  # type: ignore[no-untyped-def]
    before = Space.objects.count()
    second = {**LEASE, "起租日": "2028-03-31", "到期日": "2029-03-31"}  # shares the last day
    outcome = import_book(
        get_ledger(LEDGER),
        sheets(rooms=[ROOM], firms=[FIRM], leases=[LEASE, second]),
        Context(world["operator"]),
    )
    assert not outcome.ok and outcome.errors[0].row == 3 and "不能重叠" in outcome.errors[0].message
    _nothing_written(before)
    assert import_book(
        get_ledger(LEDGER), sheets(rooms=[ROOM], firms=[FIRM], leases=[LEASE]), Context(None)
    ).ok
    changed = {**LEASE, "月租金（元）": "9000"}  # a held lease is never changed by import
    outcome = import_book(get_ledger(LEDGER), sheets(leases=[changed, second]), Context(None))
    assert not outcome.ok
    assert [(e.row, e.column) for e in outcome.errors] == [(2, "起租日"), (3, "起租日")]
    assert Lease.objects.get().monthly_rent_yuan == Decimal("12000")


def test_duplicates_in_the_file_are_refused(world) -> None:  # type: ignore[no-untyped-def]
    outcome = import_book(get_ledger(LEDGER), sheets(rooms=[ROOM, ROOM], firms=[FIRM, FIRM]), Context(None))
    assert not outcome.ok
    assert {(e.sheet, e.row, e.message) for e in outcome.errors} == {
        (ROOMS.name, 3, "文件中重复"),
        (ENTERPRISES.name, 3, "文件中重复"),
    }


def test_a_user_outside_the_centre_writes_nothing(world) -> None:  # type: ignore[no-untyped-def]
    before = Space.objects.count()
    stranger = user_with(Role.OPERATOR, world["divisions"]["370202001002"])
    outcome = import_book(get_ledger(LEDGER), sheets(**GOOD), Context(stranger))
    assert not outcome.ok and all("不在您的管理范围内" in e.message for e in outcome.errors)
    _nothing_written(before)


def test_a_moved_stage_or_another_centres_firm_is_refused(world) -> None:  # type: ignore[no-untyped-def]
    assert import_book(get_ledger(LEDGER), sheets(**GOOD), Context(None)).ok
    project = Project.objects.get()
    moved = {**PROJECT, "项目编号": str(project.pk), "阶段": "签约"}
    outcome = import_book(get_ledger(LEDGER), sheets(projects=[moved]), Context(None))
    assert not outcome.ok and "项目页推进" in outcome.errors[0].message
    other = make_centre(world["divisions"]["370202001002"], rooms=1).centre
    other.name = "另一中心"
    other.save()
    elsewhere = {**FIRM, "服务中心": "另一中心"}
    outcome = import_book(get_ledger(LEDGER), sheets(firms=[elsewhere]), Context(None))
    assert not outcome.ok and "其他服务中心" in outcome.errors[0].message


def test_the_bulk_lease_service_applies_the_single_row_rules(world) -> None:  # type: ignore[no-untyped-def]
    made = world["made"]
    firm = services.enterprise_register(
        actor=SYSTEM,
        centre=made.centre,
        name="青岛测试",
        credit_code=credit_code(11),
        industry=Industry.objects.get(code="C"),
        kind="tech",
    )
    room = made.spaces[0]
    one = bulk.NewLease(room, firm, date(2025, 1, 1), date(2025, 12, 31), Decimal(100))
    two = bulk.NewLease(room, firm, date(2025, 12, 31), date(2026, 6, 30), Decimal(100))
    with pytest.raises(ValidationError, match="不能重叠"):
        bulk.leases_bulk_sign(actor=SYSTEM, rows=[one, two])
    assert not Lease.objects.exists()
    bulk.leases_bulk_sign(actor=SYSTEM, rows=[one])
    with pytest.raises(ValidationError, match="不能重叠"):
        bulk.leases_bulk_sign(actor=SYSTEM, rows=[two])
    outsider = user_with(Role.OPERATOR, world["divisions"]["370202001002"])
    with pytest.raises(PermissionDenied):
        bulk.leases_bulk_sign(
            actor=outsider,
            rows=[bulk.NewLease(made.spaces[1], firm, date(2025, 1, 1), date(2025, 2, 1), Decimal(1))],
        )
    assert Lease.objects.count() == 1


def test_the_centres_operator_uses_the_ledger_through_the_page(world) -> None:  # type: ignore[no-untyped-def]
    from django.test import Client
    from django.urls import reverse

    from gongzhi.ledgers.models import LedgerImport

    operator, community = world["operator"], world["divisions"]["370202001001"]
    assert import_book(get_ledger(LEDGER), sheets(**GOOD), Context(operator)).ok
    client = Client()
    client.force_login(operator)
    page = client.get(reverse("ledgers:home")).content.decode()
    assert reverse("ledgers:export", args=[LEDGER]) in page
    assert client.get(reverse("ledgers:template", args=[LEDGER])).status_code == 200
    answer = client.get(reverse("ledgers:export", args=[LEDGER]), {"place": community.code})
    assert answer.status_code == 200
    exported = b"".join(answer.streaming_content)  # type: ignore[attr-defined]
    answer = client.post(
        reverse("ledgers:upload"),
        {"ledger": LEDGER, "file": SimpleUploadedFile("registry.xlsx", exported)},
    )
    assert answer.status_code == 302
    job = LedgerImport.objects.get(created_by=operator, ledger=LEDGER)
    if job.status == "done":  # the immediate task backend ran it: a round trip writes nothing
        assert sum(job.counts.values()) == 0, job.counts
    # A building owner reads the centre (centre.view opens the export) but may not import its ledger.
    owner = user_with(Role.BUILDING_OWNER, community)
    client.force_login(owner)
    assert client.get(reverse("ledgers:export", args=[LEDGER]), {"place": community.code}).status_code == 200
    answer = client.post(
        reverse("ledgers:upload"),
        {"ledger": LEDGER, "file": SimpleUploadedFile("registry.xlsx", exported)},
    )
    assert answer.status_code == 403
    assert not LedgerImport.objects.filter(created_by=owner).exists()
