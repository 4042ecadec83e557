"""The party ledger's check: every row against the database and the rules, before anything is written.

The rules are the services' own validators (gongzhi.party.rules); this module only resolves the file's
references (persons, compounds, homes, organisations, groups) in a fixed number of queries per 500 keys,
and reads the thresholds once per place, not once per row.
"""

from __future__ import annotations

from typing import Any

from gongzhi.accounts.access import can
from gongzhi.accounts.roles import Action
from gongzhi.ledgers.base import Book, CellError, Context, SheetSpec, text
from gongzhi.organisations.models import Coverage
from gongzhi.party import rules
from gongzhi.party.ledger.sheets import GROUPS, HOUSEHOLDS, MEMBERS, ORGS, SHEETS, Plan, chunks
from gongzhi.party.models import (
    PARTY_KINDS,
    BuildingGroup,
    HouseholdLink,
    OrgKind,
    PartyMember,
    PartyOrganisation,
)
from gongzhi.party.selectors import organisation_prefetches
from gongzhi.party.settings_store import resolve
from gongzhi.party.settings_store import setting_rows as read_settings
from gongzhi.people.models import Person
from gongzhi.places.models import Building, Compound, Home


def check_book(book: Book, ctx: Context) -> tuple[Plan, list[CellError]]:
    p = Plan(book=book)
    errors: list[CellError] = []
    members, orgs, groups, households = (book.rows(s.name) for s in SHEETS)

    def err(sheet: SheetSpec, row: int, key: str, message: str) -> None:
        header = next((c.header for c in sheet.columns if c.key == key), key)
        errors.append(CellError(sheet.name, row, header, message))

    # Persons and members first: a central household's member may be in the database only.
    numbers = {r.values["id_number"] for r in members + households}
    numbers |= {r.values["secretary"] for r in orgs if r.values["secretary"]}
    numbers |= {n for r in orgs for _t, n in r.values["seats"]}
    numbers |= {r.values["leader"] for r in groups if r.values["leader"]}
    names: dict[str, str] = {}
    for part in chunks(numbers):
        for pk, number, name in Person.objects.filter(id_number__in=part).values_list(
            "pk", "id_number", "name"
        ):
            p.persons[str(number)], names[str(number)] = pk, name
    for part in chunks(p.persons.values()):
        p.members.update({m.person_id: m for m in PartyMember.objects.filter(person_id__in=part)})
    in_members_sheet = {r.values["id_number"] for r in members}
    db_household_members = [
        p.members[p.persons[r.values["id_number"]]]
        for r in households
        if r.values["id_number"] not in in_members_sheet and p.persons.get(r.values["id_number"]) in p.members
    ]

    codes = {r.values["compound"] for r in members + groups}
    codes |= {c for r in orgs for c in r.values["compounds"]}
    for part in chunks(codes):
        p.compounds.update({c.code: c for c in Compound.objects.filter(code__in=part)})
    extra_ids = {m.compound_id for m in db_household_members} - {c.pk for c in p.compounds.values()}
    for part in chunks(extra_ids):
        p.compounds.update({c.code: c for c in Compound.objects.filter(pk__in=part)})
    allowed = {
        code for code, c in p.compounds.items() if ctx.user is None or can(ctx.user, Action.LEDGER_IMPORT, c)
    }
    cids = [c.pk for c in p.compounds.values()]
    for part in chunks(cids):
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
    for part in chunks(sorted({key[0] for key in wanted})):
        for hid, bid, cid, unit, room, path in Home.objects.filter(building_id__in=part).values_list(
            *home_fields
        ):
            if (bid, unit, room) in wanted:
                p.homes[(bid, unit, room)] = hid
                p.home_info[hid] = (bid, cid, path)
    for part in chunks([m.home_id for m in db_household_members if m.home_id]):
        for hid, bid, cid, unit, room, path in Home.objects.filter(pk__in=part).values_list(*home_fields):
            p.homes[(bid, unit, room)] = hid
            p.home_info[hid] = (bid, cid, path)
    org_codes = {r.values["code"] for r in orgs} | {
        r.values["org"] for r in members + groups if r.values["org"]
    }
    for part in chunks(org_codes):
        p.orgs.update(
            {
                o.code: o
                for o in PartyOrganisation.objects.filter(code__in=part).prefetch_related(
                    *organisation_prefetches()
                )
            }
        )
    for part in chunks(cids):
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
        for message in rules.cover_messages(v["kind"], len(v["compounds"])):
            err(ORGS, r.row, "compounds", message)
        cover = joint_cover if v["kind"] == OrgKind.JOINT else own_cover
        for code in v["compounds"]:
            compound_ok(ORGS, r.row, code, "compounds")
            if code in cover and cover[code] != v["code"]:
                err(ORGS, r.row, "compounds", f"小区 {code} 已由 {cover[code]} 覆盖")
            cover[code] = v["code"]
    db_cover = (
        Coverage.objects.current()
        .filter(compound__code__in=list(own_cover) + list(joint_cover), organisation__kind__in=PARTY_KINDS)
        .values_list("compound__code", "organisation__code", "organisation__kind")
    )
    for code, org_code, kind in db_cover:
        cover = joint_cover if kind == OrgKind.JOINT else own_cover
        if code in cover and cover[code] != org_code and org_code not in file_orgs:
            r = file_orgs[cover[code]]
            err(ORGS, r.row, "compounds", f"小区 {code} 已由 {org_code} 覆盖")

    # Members.
    file_members: dict[str, Any] = {}
    file_groups = {(g.values["compound"], g.values["name"]) for g in groups}  # one set, not a scan per row
    for r in members:
        v = r.values
        if v["id_number"] in file_members:
            err(MEMBERS, r.row, "id_number", "身份证号重复")
            continue
        file_members[v["id_number"]] = r
        known = names.get(v["id_number"])
        if known is not None and known != v["name"]:
            err(MEMBERS, r.row, "name", f"与系统登记的姓名（{known}）不一致")
        for message in rules.member_dates_messages(v["status"], v["joined_on"], v["full_on"]):
            err(MEMBERS, r.row, "full_on", message)
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
        for message in rules.relation_messages(bool(v["org"]), v["elsewhere"]):
            err(MEMBERS, r.row, "elsewhere", message)
        if v["org"] and v["org"] not in file_orgs and v["org"] not in p.orgs:
            err(MEMBERS, r.row, "org", f"没有编码为 {v['org']} 的党组织")
        in_file = c is not None and (c.code, v["group"]) in file_groups
        if v["group"] and c is not None and not in_file and (c.pk, v["group"]) not in p.groups:
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
            else {x.code for x in p.orgs[v["org"]].covered_compounds()}
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
        if v["leader"]:
            for message in rules.leader_messages(member_in(v["leader"], {c.code})):
                err(GROUPS, r.row, "leader", message)

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
    limits: dict[str, int] = {}
    setting_rows = read_settings()
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
        if c.path not in limits:  # settings are read once per file; resolved once per compound
            limits[c.path] = resolve(setting_rows, c.path).household_max_links
        for message in rules.links_messages(len(v["links"]), limits[c.path]):
            err(HOUSEHOLDS, r.row, "links", message)
        ids = []
        for label in v["links"]:
            parts = label.rsplit("-", 2)
            lunit = int(parts[1]) if len(parts) == 3 and parts[1].isdigit() else None
            lb = p.buildings.get((c.pk, parts[0])) if len(parts) == 3 else None
            found = p.homes.get((lb.pk, lunit, parts[2])) if lb and lunit is not None else None
            if found is None:
                err(HOUSEHOLDS, r.row, "links", f"{c.name} 没有房屋 {label}")
                continue
            for message in rules.link_messages(found == hh_home, True):
                err(HOUSEHOLDS, r.row, "links", message)
            if found in linked and linked[found] != v["id_number"]:
                err(HOUSEHOLDS, r.row, "links", f"{label} 已由其他党员中心户联系")
            linked[found] = v["id_number"]
            ids.append(found)
        v["link_ids"], v["home_id"] = ids, hh_home
    return p, errors
