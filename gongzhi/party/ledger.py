"""The party ledger (党建台账): members, organisations, building party groups and central households.

Keys: a member by ID number; an organisation by its code; a group by (compound code, name); a central
household by its member's ID number. Import adds and updates by key and never deletes; rows that match the
database change nothing, so export → import is a round trip. Central households in the file get exactly the
links the file lists.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q

from gongzhi.accounts.access import can, scope_q
from gongzhi.accounts.roles import Action
from gongzhi.core.bulk import insert_rows
from gongzhi.core.pinyin import pinyin_keys
from gongzhi.ledgers.base import (
    Book,
    CellError,
    Column,
    Context,
    SheetSpec,
    choice,
    day,
    integer,
    listing,
    text,
    text_max,
    yes_no,
)
from gongzhi.party import rules
from gongzhi.party.models import (
    MEMBER_ROW_FIELDS,
    BuildingGroup,
    CentralHousehold,
    CommitteeSeat,
    HouseholdLink,
    MemberStatus,
    OrgKind,
    PartyMember,
    PartyOrganisation,
    SeatTitle,
)
from gongzhi.party.services import common_path, stats_refresh
from gongzhi.party.settings_store import thresholds
from gongzhi.people.identity import clean_id_number
from gongzhi.people.models import Person
from gongzhi.places.models import Building, Compound, Home

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
        Column("身份证号", "id_number", id_number, True, 21, "18 位，末位校验码"),
        Column("姓名", "name", text_max(100), True, 10),
        Column("党员状态", "status", choice(STATUS), True, 10, "正式党员 / 预备党员"),
        Column("入党日期", "joined_on", day, False, 12, "如 2001-07-01", "date"),
        Column("转正日期", "full_on", day, False, 12, "预备党员不填", "date"),
        Column("小区编码", "compound", compound_code, True, 17, "15 位"),
        Column("楼号", "building", text_max(32), False, 8, "居住房屋；三项同填或同空"),
        Column("单元", "unit", integer, False, 6, "", "int"),
        Column("房号", "room", text_max(16), False, 8),
        Column("在职", "in_service", yes_no, False, 6, "是 / 否"),
        Column("工作单位", "workplace", text_max(100), False, 20),
        Column("组织关系所在党组织编码", "org", text_max(24), False, 22, "本平台的小区党组织编码"),
        Column("组织关系在外单位", "elsewhere", text_max(100), False, 20, "与上一列二选一"),
        Column("所属楼栋党小组", "group", text_max(100), False, 16, "本小区的党小组名称"),
    ),
)
ORGS = SheetSpec(
    "党组织",
    (
        Column("组织编码", "code", text_max(24), True, 20),
        Column("名称", "name", text_max(100), True, 30),
        Column("类型", "kind", choice(KIND), True, 12, "党支部 / 联合党支部 / 党总支"),
        Column("覆盖小区编码", "compounds", listing, True, 34, "用“；”分隔；联合党支部 2–5 个"),
        Column("成立日期", "founded_on", day, False, 12, "", "date"),
        Column("书记身份证号", "secretary", id_number, False, 21),
        Column("支委会（职务:身份证号）", "seats", seat_list, False, 40, "如 组织委员:3702…；宣传委员:3702…"),
    ),
)
GROUPS = SheetSpec(
    "楼栋党小组",
    (
        Column("小区编码", "compound", compound_code, True, 17),
        Column("名称", "name", text_max(100), True, 20),
        Column("所属党组织编码", "org", text_max(24), True, 20),
        Column("覆盖楼号", "buildings", listing, True, 20, "用“；”分隔"),
        Column("组长身份证号", "leader", id_number, False, 21),
    ),
)
HOUSEHOLDS = SheetSpec(
    "党员中心户",
    (
        Column("身份证号", "id_number", id_number, True, 21, "中心户党员"),
        Column("姓名", "name", text_max(100), False, 10),
        Column("确定日期", "designated_on", day, False, 12, "", "date"),
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


def _chunks(values: Iterable[Any], n: int = 500) -> Iterator[list[Any]]:
    items = list(values)
    for i in range(0, len(items), n):
        yield items[i : i + n]


class PartyLedger:
    slug = "party"
    title = "党建台账（党员、党组织、楼栋党小组、党员中心户）"
    sheets = (MEMBERS, ORGS, GROUPS, HOUSEHOLDS)

    # -- check ----------------------------------------------------------------------------------------
    def check(self, book: Book, ctx: Context) -> tuple[Plan, list[CellError]]:
        p = Plan(book=book)
        errors: list[CellError] = []
        members, orgs, groups, households = (book.rows(s.name) for s in self.sheets)

        def err(sheet: SheetSpec, row: int, key: str, message: str) -> None:
            header = next((c.header for c in sheet.columns if c.key == key), key)
            errors.append(CellError(sheet.name, row, header, message))

        # Persons and members first: a central household's member may be in the database only.
        numbers = {r.values["id_number"] for r in members + households}
        numbers |= {r.values["secretary"] for r in orgs if r.values["secretary"]}
        numbers |= {n for r in orgs for _t, n in r.values["seats"]}
        numbers |= {r.values["leader"] for r in groups if r.values["leader"]}
        names: dict[str, str] = {}
        for part in _chunks(numbers):
            for pk, number, name in Person.objects.filter(id_number__in=part).values_list(
                "pk", "id_number", "name"
            ):
                p.persons[str(number)], names[str(number)] = pk, name
        for part in _chunks(p.persons.values()):
            p.members.update({m.person_id: m for m in PartyMember.objects.filter(person_id__in=part)})
        in_members_sheet = {r.values["id_number"] for r in members}
        db_household_members = [
            p.members[p.persons[r.values["id_number"]]]
            for r in households
            if r.values["id_number"] not in in_members_sheet
            and p.persons.get(r.values["id_number"]) in p.members
        ]

        codes = {r.values["compound"] for r in members + groups}
        codes |= {c for r in orgs for c in r.values["compounds"]}
        for part in _chunks(codes):
            p.compounds.update({c.code: c for c in Compound.objects.filter(code__in=part)})
        extra_ids = {m.compound_id for m in db_household_members} - {c.pk for c in p.compounds.values()}
        for part in _chunks(extra_ids):
            p.compounds.update({c.code: c for c in Compound.objects.filter(pk__in=part)})
        allowed = {
            code
            for code, c in p.compounds.items()
            if ctx.user is None or can(ctx.user, Action.LEDGER_IMPORT, c)
        }
        cids = [c.pk for c in p.compounds.values()]
        for part in _chunks(cids):
            for b in Building.objects.filter(compound_id__in=part):
                p.buildings[(b.compound_id, b.number)] = b

        # Only the homes the file names (members' homes, linked homes) and the database members' homes.
        by_code = {code: c.pk for code, c in p.compounds.items()}
        number_of_person = {pid: number for number, pid in p.persons.items()}
        compound_of_number: dict[str, int | None] = {
            r.values["id_number"]: by_code.get(r.values["compound"]) for r in members
        }
        for m in db_household_members:
            compound_of_number[number_of_person[m.person_id]] = m.compound_id
        wanted: set[tuple[int, int, str]] = set()

        def want(cid: int | None, number: Any, unit: Any, room: Any) -> None:
            b = p.buildings.get((cid, text(number))) if cid is not None else None
            if b is not None and unit is not None:
                wanted.add((b.pk, unit, text(room)))

        for r in members:
            v = r.values
            want(by_code.get(v["compound"]), v["building"], v["unit"], v["room"])
        for r in households:
            cid = compound_of_number.get(r.values["id_number"])
            for label in r.values["links"]:
                parts = label.rsplit("-", 2)
                if len(parts) == 3 and parts[1].isdigit():
                    want(cid, parts[0], int(parts[1]), parts[2])
        home_fields = ("pk", "building_id", "compound_id", "unit_no", "room", "path")
        for part in _chunks(sorted({key[0] for key in wanted})):
            for hid, bid, cid, unit, room, path in Home.objects.filter(building_id__in=part).values_list(
                *home_fields
            ):
                if (bid, unit, room) in wanted:
                    p.homes[(bid, unit, room)] = hid
                    p.home_info[hid] = (bid, cid, path)
        for part in _chunks([m.home_id for m in db_household_members if m.home_id]):
            for hid, bid, cid, unit, room, path in Home.objects.filter(pk__in=part).values_list(*home_fields):
                p.homes[(bid, unit, room)] = hid
                p.home_info[hid] = (bid, cid, path)
        org_codes = {r.values["code"] for r in orgs} | {
            r.values["org"] for r in members + groups if r.values["org"]
        }
        for part in _chunks(org_codes):
            p.orgs.update(
                {
                    o.code: o
                    for o in PartyOrganisation.objects.filter(code__in=part).prefetch_related("compounds")
                }
            )
        for part in _chunks(cids):
            for g in BuildingGroup.objects.filter(compound_id__in=part).prefetch_related("buildings"):
                p.groups[(g.compound_id, g.name)] = g

        def compound_ok(sheet: SheetSpec, row: int, code: str, key: str = "compound") -> Compound | None:
            c = p.compounds.get(code)
            if c is None:
                err(sheet, row, key, f"没有编码为 {code} 的小区")
                return None
            if code not in allowed:
                err(sheet, row, key, f"无权导入 {c.name} 的台账")
                return None
            return c

        # Organisations: kind and size by the rules, compounds, no clash with another organisation.
        file_orgs: dict[str, Any] = {}
        own_cover: dict[str, str] = {}
        joint_cover: dict[str, str] = {}
        for r in orgs:
            v = r.values
            if v["code"] in file_orgs:
                err(ORGS, r.row, "code", "组织编码重复")
                continue
            file_orgs[v["code"]] = r
            if not rules.org_compounds_ok(v["kind"], len(v["compounds"])):
                err(
                    ORGS,
                    r.row,
                    "compounds",
                    "联合党支部覆盖 2–5 个小区，党支部、党总支覆盖 1 个（支部工作条例第五条）",
                )
            cover = joint_cover if v["kind"] == OrgKind.JOINT else own_cover
            for code in v["compounds"]:
                compound_ok(ORGS, r.row, code, "compounds")
                if code in cover and cover[code] != v["code"]:
                    err(ORGS, r.row, "compounds", f"小区 {code} 已由 {cover[code]} 覆盖")
                cover[code] = v["code"]
        db_cover = PartyOrganisation.compounds.through.objects.filter(
            compound__code__in=list(own_cover) + list(joint_cover)
        ).values_list("compound__code", "partyorganisation__code", "partyorganisation__kind")
        for code, org_code, kind in db_cover:
            cover = joint_cover if kind == OrgKind.JOINT else own_cover
            if code in cover and cover[code] != org_code and org_code not in file_orgs:
                r = file_orgs[cover[code]]
                err(ORGS, r.row, "compounds", f"小区 {code} 已由 {org_code} 覆盖")

        # Members.
        file_members: dict[str, Any] = {}
        for r in members:
            v = r.values
            if v["id_number"] in file_members:
                err(MEMBERS, r.row, "id_number", "身份证号重复")
                continue
            file_members[v["id_number"]] = r
            known = names.get(v["id_number"])
            if known is not None and known != v["name"]:
                err(MEMBERS, r.row, "name", f"与系统登记的姓名（{known}）不一致")
            if v["status"] == rules.PROBATIONARY and v["full_on"]:
                err(MEMBERS, r.row, "full_on", "预备党员没有转正日期")
            if v["joined_on"] and v["full_on"] and v["full_on"] < v["joined_on"]:
                err(MEMBERS, r.row, "full_on", "转正日期早于入党日期")
            c = compound_ok(MEMBERS, r.row, v["compound"])
            v["home_id"] = None
            place = [v["building"], v["unit"], v["room"]]
            if any(x not in ("", None) for x in place):
                if any(x in ("", None) for x in place):
                    err(MEMBERS, r.row, "building", "楼号、单元、房号应同时填写")
                elif c is not None:
                    mb = p.buildings.get((c.pk, v["building"]))
                    home = p.homes.get((mb.pk, v["unit"], v["room"])) if mb else None
                    if home is None:
                        err(
                            MEMBERS,
                            r.row,
                            "room",
                            f"{c.name} 没有 {v['building']} {v['unit']} 单元 {v['room']}",
                        )
                    v["home_id"] = home
            if v["org"] and v["elsewhere"]:
                err(MEMBERS, r.row, "elsewhere", "组织关系只能在一处")
            if v["org"] and v["org"] not in file_orgs and v["org"] not in p.orgs:
                err(MEMBERS, r.row, "org", f"没有编码为 {v['org']} 的党组织")
            if v["group"] and c is not None:
                in_file = any(
                    g.values["compound"] == c.code and g.values["name"] == v["group"] for g in groups
                )
                if not in_file and (c.pk, v["group"]) not in p.groups:
                    err(MEMBERS, r.row, "group", f"{c.name} 没有名为 {v['group']} 的党小组")

        def member_in(number: str, compound_codes: set[str]) -> bool:
            if number in file_members:
                return file_members[number].values["compound"] in compound_codes
            m = p.members.get(p.persons.get(number, -1))
            return m is not None and m.compound_id in {
                p.compounds[c].pk for c in compound_codes if c in p.compounds
            }

        for r in orgs:
            v = r.values
            for key, number in [("secretary", v["secretary"])] + [("seats", n) for _t, n in v["seats"]]:
                if number and not member_in(number, set(v["compounds"])):
                    err(ORGS, r.row, key, f"{number} 不是本组织覆盖小区的党员")

        # Groups.
        seen_groups: set[tuple[str, str]] = set()
        building_owner: dict[int, str] = {}
        for (_cid, name), g in p.groups.items():
            for b in g.buildings.all():
                building_owner[b.pk] = name
        for r in groups:
            v = r.values
            gkey = (v["compound"], v["name"])
            if gkey in seen_groups:
                err(GROUPS, r.row, "name", "党小组重复")
                continue
            seen_groups.add(gkey)
            c = compound_ok(GROUPS, r.row, v["compound"])
            if c is None:
                continue
            org_compounds = (
                set(file_orgs[v["org"]].values["compounds"])
                if v["org"] in file_orgs
                else {x.code for x in p.orgs[v["org"]].compounds.all()}
                if v["org"] in p.orgs
                else None
            )
            if org_compounds is None:
                err(GROUPS, r.row, "org", f"没有编码为 {v['org']} 的党组织")
            elif c.code not in org_compounds:
                err(GROUPS, r.row, "org", "该党组织不覆盖本小区")
            resolved = []
            for number in v["buildings"]:
                gb = p.buildings.get((c.pk, number))
                if gb is None:
                    err(GROUPS, r.row, "buildings", f"{c.name} 没有 {number}")
                    continue
                owner = building_owner.get(gb.pk)
                if owner is not None and owner != v["name"]:
                    err(GROUPS, r.row, "buildings", f"{number} 已属于党小组 {owner}")
                building_owner[gb.pk] = v["name"]
                resolved.append(gb)
            v["building_objs"] = resolved
            if v["leader"] and not member_in(v["leader"], {c.code}):
                err(GROUPS, r.row, "leader", "组长应是本小区党员")

        # Central households: the member's home, links in the same compound, within the limit.
        linked: dict[int, str] = {}
        listed = {r.values["id_number"] for r in households}
        db_links = HouseholdLink.objects.filter(household__compound_id__in=cids).values_list(
            "home_id", "household__member__person__id_number"
        )
        for home_id, number in db_links:
            if number not in listed:
                linked[home_id] = str(number)
        code_by_id = {c.pk: code for code, c in p.compounds.items()}
        for r in households:
            v = r.values
            hh_home: int | None
            if v["id_number"] in file_members:
                mv = file_members[v["id_number"]].values
                hh_home, code = mv.get("home_id"), mv["compound"]
            else:
                db_member = p.members.get(p.persons.get(v["id_number"], -1))
                if db_member is None:
                    err(HOUSEHOLDS, r.row, "id_number", "不是已登记的党员")
                    continue
                hh_home = db_member.home_id
                code = code_by_id[db_member.compound_id]
            if hh_home is None:
                err(HOUSEHOLDS, r.row, "id_number", "该党员没有登记居住房屋")
                continue
            c = p.compounds[code]
            if ctx.user is not None and not can(ctx.user, Action.LEDGER_IMPORT, c):
                err(HOUSEHOLDS, r.row, "id_number", f"无权导入 {c.name} 的台账")
            limit = thresholds(c.path).household_max_links
            if len(v["links"]) > limit:
                err(HOUSEHOLDS, r.row, "links", f"联系户不超过 {limit} 户（参数设置）")
            ids = []
            for label in v["links"]:
                parts = label.rsplit("-", 2)
                lunit = int(parts[1]) if len(parts) == 3 and parts[1].isdigit() else None
                lb = p.buildings.get((c.pk, parts[0])) if len(parts) == 3 else None
                found = p.homes.get((lb.pk, lunit, parts[2])) if lb and lunit is not None else None
                if found is None:
                    err(HOUSEHOLDS, r.row, "links", f"{c.name} 没有房屋 {label}")
                    continue
                if found == hh_home:
                    err(HOUSEHOLDS, r.row, "links", "中心户不联系自己的房屋")
                if found in linked and linked[found] != v["id_number"]:
                    err(HOUSEHOLDS, r.row, "links", f"{label} 已由其他党员中心户联系")
                linked[found] = v["id_number"]
                ids.append(found)
            v["link_ids"], v["home_id"] = ids, hh_home
        return p, errors

    # -- apply ----------------------------------------------------------------------------------------
    def apply(self, p: Plan, ctx: Context) -> dict[str, int]:
        counts: dict[str, int] = defaultdict(int)
        touched: set[int] = set()
        members, orgs, groups, households = (p.book.rows(s.name) for s in self.sheets)

        # Persons new to the platform.
        new_people = [r.values for r in members if r.values["id_number"] not in p.persons]
        if new_people:
            created = Person.objects.bulk_create(
                [
                    Person(name=v["name"], id_number=v["id_number"], pinyin=k[0], initials=k[1])
                    for v in new_people
                    for k in [pinyin_keys(v["name"])]
                ]
            )
            for person in created:
                p.persons[person.id_number or ""] = person.pk
            counts["人员新增"] = len(created)

        # Organisations (secretaries after members).
        for r in orgs:
            v = r.values
            compounds = [p.compounds[c] for c in v["compounds"]]
            path = common_path(c.path for c in compounds)
            org = p.orgs.get(v["code"])
            if org is None:
                py, ini = pinyin_keys(v["name"])
                org = PartyOrganisation.objects.create(
                    code=v["code"],
                    name=v["name"],
                    kind=v["kind"],
                    founded_on=v["founded_on"],
                    path=path,
                    pinyin=py,
                    initials=ini,
                )
                org.compounds.set(compounds)
                p.orgs[org.code] = org
                counts["党组织新增"] += 1
            else:
                old = {c.pk for c in org.compounds.all()}
                if (org.name, org.kind, org.founded_on, org.path) != (
                    v["name"],
                    v["kind"],
                    v["founded_on"],
                    path,
                ):
                    org.name, org.kind, org.founded_on, org.path = v["name"], v["kind"], v["founded_on"], path
                    org.pinyin, org.initials = pinyin_keys(org.name)
                    org.save()
                    counts["党组织更新"] += 1
                if old != {c.pk for c in compounds}:
                    org.compounds.set(compounds)
                    touched |= old
                    counts["党组织更新"] += 1
            touched |= {c.pk for c in compounds}

        # Groups (leaders after members).
        for r in groups:
            v = r.values
            c = p.compounds[v["compound"]]
            bs = sorted(v["building_objs"], key=lambda b: b.seq)
            path = bs[0].path if len(bs) == 1 else c.path
            org = p.orgs[v["org"]]
            g = p.groups.get((c.pk, v["name"]))
            if g is None:
                g = BuildingGroup.objects.create(compound=c, organisation=org, name=v["name"], path=path)
                g.buildings.set(bs)
                p.groups[(c.pk, g.name)] = g
                counts["党小组新增"] += 1
            else:
                changed = (g.organisation_id, g.path) != (org.pk, path)
                if changed:
                    g.organisation, g.path = org, path
                    g.save(update_fields=["organisation", "path"])
                if {b.pk for b in g.buildings.all()} != {b.pk for b in bs}:
                    g.buildings.set(bs)
                    changed = True
                if changed:
                    counts["党小组更新"] += 1
            touched.add(c.pk)

        # Members: update what differs, insert the new ones in bulk.
        fields = [
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
        ]
        changed_members: list[PartyMember] = []
        new_rows: list[tuple[Any, ...]] = []
        for r in members:
            v = r.values
            c = p.compounds[v["compound"]]
            home_id = v["home_id"]
            bid, _cid, hpath = p.home_info[home_id] if home_id else (None, c.pk, c.path)
            org_id = p.orgs[v["org"]].pk if v["org"] else None
            group_id = p.groups[(c.pk, v["group"])].pk if v["group"] else None
            want = (
                v["status"],
                v["joined_on"],
                v["full_on"],
                c.pk,
                home_id,
                bid,
                v["in_service"],
                v["workplace"],
                org_id,
                v["elsewhere"],
                group_id,
                hpath,
            )
            person_id = p.persons[v["id_number"]]
            m = p.members.get(person_id)
            if m is None:
                new_rows.append((person_id, *want))
            elif tuple(getattr(m, f) for f in fields) != want:
                touched.add(m.compound_id)
                for f, value in zip(fields, want, strict=True):
                    setattr(m, f, value)
                changed_members.append(m)
            touched.add(c.pk)
        if changed_members:
            PartyMember.objects.bulk_update(changed_members, fields, batch_size=1000)
            counts["党员更新"] = len(changed_members)
        if new_rows:
            counts["党员新增"] = insert_rows(PartyMember, MEMBER_ROW_FIELDS, new_rows)
            for part in _chunks([row[0] for row in new_rows]):
                p.members.update({m.person_id: m for m in PartyMember.objects.filter(person_id__in=part)})

        def member_id(number: str) -> int:
            return p.members[p.persons[number]].pk

        seats_of: dict[int, set[tuple[int, str]]] = defaultdict(set)
        for part in _chunks([p.orgs[r.values["code"]].pk for r in orgs]):
            for oid, mid, title in CommitteeSeat.objects.filter(organisation_id__in=part).values_list(
                "organisation_id", "member_id", "title"
            ):
                seats_of[oid].add((mid, title))

        for r in orgs:
            v = r.values
            org = p.orgs[v["code"]]
            want_seats: set[tuple[int, str]] = set()
            if v["secretary"]:
                want_seats.add((member_id(v["secretary"]), SeatTitle.SECRETARY))
            want_seats |= {(member_id(n), t) for t, n in v["seats"] if n != v["secretary"]}
            have = seats_of.get(org.pk, set())
            secretary = member_id(v["secretary"]) if v["secretary"] else None
            if have != want_seats:
                CommitteeSeat.objects.filter(organisation=org).delete()
                CommitteeSeat.objects.bulk_create(
                    [CommitteeSeat(organisation=org, member_id=m, title=t) for m, t in sorted(want_seats)]
                )
                counts["支委会更新"] += 1
            if org.secretary_id != secretary:
                org.secretary_id = secretary
                org.save(update_fields=["secretary"])
        for r in groups:
            v = r.values
            g = p.groups[(p.compounds[v["compound"]].pk, v["name"])]
            leader = member_id(v["leader"]) if v["leader"] else None
            if g.leader_id != leader:
                g.leader_id = leader
                g.save(update_fields=["leader"])

        # Central households.
        group_of_building = {
            b: gid
            for gid, b in BuildingGroup.buildings.through.objects.filter(
                buildinggroup__compound_id__in=list(touched) + [c.pk for c in p.compounds.values()]
            ).values_list("buildinggroup_id", "building_id")
        }
        existing: dict[int, CentralHousehold] = {}
        links_of: dict[int, set[int]] = defaultdict(set)
        file_member_ids = [p.members[p.persons[r.values["id_number"]]].pk for r in households]
        for part in _chunks(file_member_ids):
            existing.update({h.member_id: h for h in CentralHousehold.objects.filter(member_id__in=part)})
        for part in _chunks([h.pk for h in existing.values()]):
            for hid, home in HouseholdLink.objects.filter(household_id__in=part).values_list(
                "household_id", "home_id"
            ):
                links_of[hid].add(home)
        for r in households:
            v = r.values
            m = p.members[p.persons[v["id_number"]]]
            bid, cid, hpath = p.home_info[v["home_id"]]
            group = group_of_building.get(bid)
            h = existing.get(m.pk)
            if h is None:
                h = CentralHousehold.objects.create(
                    member=m,
                    home_id=v["home_id"],
                    compound_id=cid,
                    group_id=group,
                    designated_on=v["designated_on"],
                    path=hpath,
                )
                counts["党员中心户新增"] += 1
            elif (h.home_id, h.group_id, h.designated_on) != (v["home_id"], group, v["designated_on"]):
                h.home_id, h.compound_id, h.group_id, h.designated_on, h.path = (
                    v["home_id"],
                    cid,
                    group,
                    v["designated_on"],
                    hpath,
                )
                h.save()
                counts["党员中心户更新"] += 1
            have_links = links_of.get(h.pk, set())
            if have_links != set(v["link_ids"]):
                HouseholdLink.objects.filter(household=h).delete()
                HouseholdLink.objects.filter(home_id__in=v["link_ids"]).delete()
                HouseholdLink.objects.bulk_create(
                    [HouseholdLink(household=h, home_id=x) for x in v["link_ids"]]
                )
                counts["联系户更新"] += 1
            touched.add(cid)
        stats_refresh(compound_ids=touched)
        return dict(counts)

    # -- export ---------------------------------------------------------------------------------------
    def export(self, place_path: str, user: Any) -> Iterator[tuple[SheetSpec, Iterable[list[Any]]]]:
        yield MEMBERS, self.member_rows(place_path, user)
        yield ORGS, self.org_rows(place_path, user)
        yield GROUPS, self.group_rows(place_path, user)
        yield HOUSEHOLDS, self.household_rows(place_path, user)

    def member_rows(self, place_path: str, user: Any) -> Iterator[list[Any]]:
        qs = PartyMember.objects.filter(path__under=place_path)
        if user is not None:
            qs = qs.filter(scope_q(user, Action.LEDGER_EXPORT))
        for row in (
            qs.order_by("compound__code", "pk")
            .values_list(
                "person__id_number",
                "person__name",
                "status",
                "joined_on",
                "full_on",
                "compound__code",
                "home__building__number",
                "home__unit_no",
                "home__room",
                "in_service",
                "workplace",
                "organisation__code",
                "relation_elsewhere",
                "group__name",
            )
            .iterator(chunk_size=5000)
        ):
            r: list[Any] = list(row)
            r[2] = STATUS_LABEL[r[2]]
            r[9] = "是" if r[9] else "否"
            yield r

    def org_rows(self, place_path: str, user: Any) -> Iterator[list[Any]]:
        qs = PartyOrganisation.objects.filter(
            Q(path__under=place_path) | Q(compounds__path__under=place_path)
        )
        if user is not None:
            qs = qs.filter(scope_q(user, Action.LEDGER_EXPORT))
        ids = list(qs.distinct().order_by("code").values_list("pk", flat=True))
        covers: dict[int, list[str]] = defaultdict(list)
        seats: dict[int, list[tuple[str, str]]] = defaultdict(list)
        for part in _chunks(ids):
            for oid, code in (
                PartyOrganisation.compounds.through.objects.filter(partyorganisation_id__in=part)
                .order_by("compound__code")
                .values_list("partyorganisation_id", "compound__code")
            ):
                covers[oid].append(code)
            for oid, title, number in (
                CommitteeSeat.objects.filter(organisation_id__in=part)
                .exclude(title=SeatTitle.SECRETARY)
                .order_by("member__person__id_number")
                .values_list("organisation_id", "title", "member__person__id_number")
            ):
                seats[oid].append((title, number or ""))
        for part in _chunks(ids):
            for oid, code, name, kind, founded, secretary in (
                PartyOrganisation.objects.filter(pk__in=part)
                .order_by("code")
                .values_list("pk", "code", "name", "kind", "founded_on", "secretary__person__id_number")
            ):
                yield [
                    code,
                    name,
                    KIND_LABEL[kind],
                    "；".join(covers[oid]),
                    founded,
                    secretary or "",
                    "；".join(f"{TITLE_LABEL[t]}:{n}" for t, n in seats[oid]),
                ]

    def group_rows(self, place_path: str, user: Any) -> Iterator[list[Any]]:
        qs = BuildingGroup.objects.filter(compound__path__under=place_path)
        if user is not None:
            qs = qs.filter(scope_q(user, Action.LEDGER_EXPORT, "compound__path"))
        numbers: dict[int, list[str]] = defaultdict(list)
        for gid, number in (
            BuildingGroup.buildings.through.objects.filter(buildinggroup__in=qs.values("pk"))
            .order_by("building__seq")
            .values_list("buildinggroup_id", "building__number")
        ):
            numbers[gid].append(number)
        for gid, code, name, org, leader in qs.order_by("compound__code", "name").values_list(
            "pk", "compound__code", "name", "organisation__code", "leader__person__id_number"
        ):
            yield [code, name, org, "；".join(numbers[gid]), leader or ""]

    def household_rows(self, place_path: str, user: Any) -> Iterator[list[Any]]:
        qs = CentralHousehold.objects.filter(path__under=place_path)
        if user is not None:
            qs = qs.filter(scope_q(user, Action.LEDGER_EXPORT))
        links = (
            HouseholdLink.objects.filter(household__in=qs.values("pk"))
            .order_by("household_id", "home__building__seq", "home__unit_no", "home__room")
            .values_list("household_id", "home__building__number", "home__unit_no", "home__room")
            .iterator(chunk_size=5000)
        )
        pending = next(links, None)
        for hid, number, name, designated in (
            qs.order_by("pk")
            .values_list("pk", "member__person__id_number", "member__person__name", "designated_on")
            .iterator(chunk_size=5000)
        ):
            labels = []
            while pending is not None and pending[0] <= hid:
                if pending[0] == hid:
                    labels.append(f"{pending[1]}-{pending[2]}-{pending[3]}")
                pending = next(links, None)
            yield [number, name, designated, "；".join(labels)]


PARTY_LEDGER = PartyLedger()
