"""The party ledger (党建台账): its sheets, cell parsers and the plan the check hands to apply.

Keys: a member by ID number; an organisation by its code; a group by (compound code, name); a central
household by its member's ID number. Import adds and updates by key and never deletes; rows that match the
database change nothing, so export → import is a round trip. Central households in the file get exactly the
links the file lists.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError

from gongzhi.ledgers.base import (
    Book,
    Column,
    SheetSpec,
    choice,
    day,
    integer,
    listing,
    text,
    text_max,
    yes_no,
)
from gongzhi.party.models import (
    BuildingGroup,
    MemberStatus,
    OrgKind,
    PartyMember,
    PartyOrganisation,
    SeatTitle,
)
from gongzhi.people.identity import clean_id_number
from gongzhi.places.models import Building, Compound

STATUS = {str(label): value for value, label in MemberStatus.choices}
STATUS_LABEL = {v: k for k, v in STATUS.items()}
KIND = {str(label): value for value, label in OrgKind.choices}
KIND_LABEL = {v: k for k, v in KIND.items()}
TITLE = {str(label): value for value, label in SeatTitle.choices}
TITLE_LABEL = {v: k for k, v in TITLE.items()}


def id_number(value: Any) -> str:
    s = text(value)
    return clean_id_number(s) if s else ""


def compound_code(value: Any) -> str:
    s = text(value)
    if len(s) != 15 or not s.isdigit():
        raise ValidationError("小区编码应为 15 位数字")
    return s


def seat_list(value: Any) -> list[tuple[str, str]]:
    out = []
    for part in listing(value):
        title, _, number = part.replace("：", ":").partition(":")
        if title.strip() not in TITLE:
            raise ValidationError(f"职务应为：{'、'.join(TITLE)}，写成“职务:身份证号”")
        out.append((TITLE[title.strip()], clean_id_number(number.strip())))
    return out


MEMBERS = SheetSpec(
    "党员",
    (
        Column(
            "身份证号", "id_number", id_number, True, 21, "18 位，末位校验码", field="people.Person.id_number"
        ),
        Column("姓名", "name", text_max(100), True, 10, field="people.Person.name"),
        Column("党员状态", "status", choice(STATUS), True, 10, "正式党员 / 预备党员"),
        Column(
            "入党日期",
            "joined_on",
            day,
            False,
            12,
            "如 2001-07-01",
            "date",
            field="party.PartyMember.joined_on",
        ),
        Column(
            "转正日期", "full_on", day, False, 12, "预备党员不填", "date", field="party.PartyMember.full_on"
        ),
        Column("小区编码", "compound", compound_code, True, 17, "15 位", field="places.Compound.code"),
        Column(
            "楼号",
            "building",
            text_max(32),
            False,
            8,
            "居住房屋；三项同填或同空",
            field="places.Building.number",
        ),
        Column("单元", "unit", integer, False, 6, "", "int", field="places.Home.unit_no"),
        Column("房号", "room", text_max(16), False, 8, field="places.Home.room"),
        Column("在职", "in_service", yes_no, False, 6, "是 / 否"),
        Column("工作单位", "workplace", text_max(100), False, 20, field="party.PartyMember.workplace"),
        Column(
            "组织关系所在党组织编码",
            "org",
            text_max(24),
            False,
            22,
            "本平台的小区党组织编码",
            field="organisations.Organisation.code",
        ),
        Column(
            "组织关系在外单位",
            "elsewhere",
            text_max(100),
            False,
            20,
            "与上一列二选一",
            field="party.PartyMember.relation_elsewhere",
        ),
        Column(
            "所属楼栋党小组",
            "group",
            text_max(100),
            False,
            16,
            "本小区的党小组名称",
            field="party.BuildingGroup.name",
        ),
    ),
)
ORGS = SheetSpec(
    "党组织",
    (
        Column("组织编码", "code", text_max(24), True, 20, field="organisations.Organisation.code"),
        Column("名称", "name", text_max(100), True, 30, field="organisations.Organisation.name"),
        Column("类型", "kind", choice(KIND), True, 12, "党支部 / 联合党支部 / 党总支"),
        Column("覆盖小区编码", "compounds", listing, True, 34, "用“；”分隔；联合党支部 2–5 个"),
        Column(
            "成立日期",
            "founded_on",
            day,
            False,
            12,
            "",
            "date",
            field="organisations.Organisation.founded_on",
        ),
        Column("书记身份证号", "secretary", id_number, False, 21, field="people.Person.id_number"),
        Column("支委会（职务:身份证号）", "seats", seat_list, False, 40, "如 组织委员:3702…；宣传委员:3702…"),
    ),
)
GROUPS = SheetSpec(
    "楼栋党小组",
    (
        Column("小区编码", "compound", compound_code, True, 17, field="places.Compound.code"),
        Column("名称", "name", text_max(100), True, 20, field="party.BuildingGroup.name"),
        Column("所属党组织编码", "org", text_max(24), True, 20, field="organisations.Organisation.code"),
        Column("覆盖楼号", "buildings", listing, True, 20, "用“；”分隔"),
        Column("组长身份证号", "leader", id_number, False, 21, field="people.Person.id_number"),
    ),
)
HOUSEHOLDS = SheetSpec(
    "党员中心户",
    (
        Column("身份证号", "id_number", id_number, True, 21, "中心户党员", field="people.Person.id_number"),
        Column("姓名", "name", text_max(100), False, 10, field="people.Person.name"),
        Column(
            "确定日期",
            "designated_on",
            day,
            False,
            12,
            "",
            "date",
            field="party.CentralHousehold.designated_on",
        ),
        Column("联系户（楼号-单元-房号）", "links", listing, False, 60, "同一小区，用“；”分隔"),
    ),
)


@dataclass
class Plan:
    compounds: dict[str, Compound] = field(default_factory=dict)
    buildings: dict[tuple[int, str], Building] = field(default_factory=dict)
    homes: dict[tuple[int, int, str], int] = field(default_factory=dict)  # (building, unit, room) → id
    home_info: dict[int, tuple[int, int, str]] = field(
        default_factory=dict
    )  # id → (building, compound, path)
    persons: dict[str, int] = field(default_factory=dict)
    members: dict[int, PartyMember] = field(default_factory=dict)  # person id → member
    orgs: dict[str, PartyOrganisation] = field(default_factory=dict)
    groups: dict[tuple[int, str], BuildingGroup] = field(default_factory=dict)
    book: Book = field(default_factory=Book)


def chunks(values: Iterable[Any], n: int = 500) -> Iterator[list[Any]]:
    items = list(values)
    for i in range(0, len(items), n):
        yield items[i : i + n]


SHEETS = (MEMBERS, ORGS, GROUPS, HOUSEHOLDS)
