"""The party ledger's apply: writes what the check planned, through the (bulk) services.

Organisations, their coverage and seats go through gongzhi.organisations.services, members through
gongzhi.party.services.members_bulk_save, so every imported row leaves a history row naming the actor.
"""

from __future__ import annotations

from collections import defaultdict

from gongzhi.core.actors import system
from gongzhi.core.pinyin import pinyin_keys
from gongzhi.ledgers.base import Context
from gongzhi.organisations import services as core
from gongzhi.organisations.models import Seat
from gongzhi.party import rules
from gongzhi.party.ledger.sheets import SHEETS, Plan, chunks
from gongzhi.party.models import (
    BuildingGroup,
    CentralHousehold,
    HouseholdLink,
    PartyMember,
    PartyOrganisation,
    SeatTitle,
)
from gongzhi.party.services import group_save, household_save, members_bulk_save, stats_refresh
from gongzhi.people.models import Person

REASON = "台账导入"


def apply_plan(p: Plan, ctx: Context) -> dict[str, int]:
    counts: dict[str, int] = defaultdict(int)
    touched: set[int] = set()
    members, orgs, groups, households = (p.book.rows(s.name) for s in SHEETS)
    # The check has let a missing user through (a command run by the operator); name it in the history.
    actor = ctx.user if ctx.user is not None else system("import_ledger:party")

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

    # Organisations (seats after members): new ones in bulk, changed ones through the core services.
    fresh: list[core.NewOrganisation] = []
    for r in orgs:
        v = r.values
        compounds = [p.compounds[c] for c in v["compounds"]]
        org = p.orgs.get(v["code"])
        if org is None:
            new = PartyOrganisation(
                code=v["code"], name=v["name"], kind=v["kind"], founded_on=v["founded_on"]
            )
            fresh.append(core.NewOrganisation(new, list(compounds), []))
            p.orgs[new.code] = new
        else:
            old = {c.pk for c in org.covered_compounds()}
            if (org.name, org.kind, org.founded_on) != (v["name"], v["kind"], v["founded_on"]):
                core.organisation_update(
                    actor=actor,
                    organisation=org,
                    name=v["name"],
                    kind=v["kind"],
                    founded_on=v["founded_on"],
                    reason=REASON,
                )
                counts["党组织更新"] += 1
            if old != {c.pk for c in compounds}:
                core.coverage_set(actor=actor, organisation=org, places=compounds, reason=REASON)
                touched |= old
                counts["党组织更新"] += 1
        touched |= {c.pk for c in compounds}
    if fresh:
        counts["党组织新增"] = core.organisations_bulk_create(actor=actor, rows=fresh, reason=REASON)

    # Groups (leaders after members).
    for r in groups:
        v = r.values
        c = p.compounds[v["compound"]]
        bs = sorted(v["building_objs"], key=lambda b: b.seq)
        path = bs[0].path if len(bs) == 1 else c.path
        org = p.orgs[v["org"]]
        g = p.groups.get((c.pk, v["name"]))
        if g is None:
            g = BuildingGroup(compound=c, organisation=org, name=v["name"], path=path)
            group_save(actor=actor, group=g, buildings=bs, reason=REASON)
            p.groups[(c.pk, g.name)] = g
            counts["党小组新增"] += 1
        else:
            same_buildings = {b.pk for b in g.buildings.all()} == {b.pk for b in bs}
            changed = (g.organisation_id, g.path) != (org.pk, path) or not same_buildings
            if changed:
                g.organisation, g.path = org, path
                group_save(actor=actor, group=g, buildings=None if same_buildings else bs, reason=REASON)
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
    new_members: list[PartyMember] = []
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
            member = PartyMember(person_id=person_id, **dict(zip(fields, want, strict=True)))
            new_members.append(member)
            p.members[person_id] = member
        elif tuple(getattr(m, f) for f in fields) != want:
            touched.add(m.compound_id)
            for f, value in zip(fields, want, strict=True):
                setattr(m, f, value)
            changed_members.append(m)
        touched.add(c.pk)
    added, updated = members_bulk_save(
        actor=actor, new=new_members, changed=changed_members, fields=fields, reason=REASON
    )
    if updated:
        counts["党员更新"] = updated
    if added:
        counts["党员新增"] = added
        if any(m.pk is None for m in new_members):  # a database that returns no ids
            for part in chunks([m.person_id for m in new_members]):
                p.members.update({m.person_id: m for m in PartyMember.objects.filter(person_id__in=part)})

    def member_id(number: str) -> int:
        return p.members[p.persons[number]].pk

    # Seats are held by persons (gongzhi.organisations.Seat); the secretary holds the 'secretary' seat.
    seats_of: dict[int, set[tuple[int, str]]] = defaultdict(set)
    for part in chunks([p.orgs[r.values["code"]].pk for r in orgs]):
        for oid, person_id, role in (
            Seat.objects.current()
            .filter(organisation_id__in=part)
            .values_list("organisation_id", "person_id", "role")
        ):
            seats_of[oid].add((person_id, role))
    for r in orgs:
        v = r.values
        org = p.orgs[v["code"]]
        want_seats: set[tuple[int, str]] = set()
        if v["secretary"]:
            want_seats.add((p.persons[v["secretary"]], SeatTitle.SECRETARY))
        want_seats |= {(p.persons[n], t) for t, n in v["seats"] if n != v["secretary"]}
        if seats_of.get(org.pk, set()) != want_seats:
            core.seats_replace(actor=actor, organisation=org, seats=sorted(want_seats), reason=REASON)
            counts["支委会更新"] += 1
    for r in groups:
        v = r.values
        g = p.groups[(p.compounds[v["compound"]].pk, v["name"])]
        leader = member_id(v["leader"]) if v["leader"] else None
        if g.leader_id != leader:
            g.leader_id = leader
            group_save(actor=actor, group=g, reason=REASON)

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
    for part in chunks(file_member_ids):
        existing.update({h.member_id: h for h in CentralHousehold.objects.filter(member_id__in=part)})
    for part in chunks([h.pk for h in existing.values()]):
        for hid, home in HouseholdLink.objects.filter(household_id__in=part).values_list(
            "household_id", "home_id"
        ):
            links_of[hid].add(home)
    for r in households:
        v = r.values
        m = p.members[p.persons[v["id_number"]]]
        bid, cid, hpath = p.home_info[v["home_id"]]
        group = rules.household_group(bid, group_of_building)  # the home's building decides
        h = existing.get(m.pk)
        if h is None:
            h = CentralHousehold(
                member=m,
                home_id=v["home_id"],
                compound_id=cid,
                group_id=group,
                designated_on=v["designated_on"],
                path=hpath,
            )
            household_save(actor=actor, household=h, reason=REASON)
            counts["党员中心户新增"] += 1
        elif (h.home_id, h.group_id, h.designated_on) != (v["home_id"], group, v["designated_on"]):
            h.home_id, h.compound_id, h.group_id, h.designated_on, h.path = (
                v["home_id"],
                cid,
                group,
                v["designated_on"],
                hpath,
            )
            household_save(actor=actor, household=h, reason=REASON)
            counts["党员中心户更新"] += 1
        have_links = links_of.get(h.pk, set())
        if have_links != set(v["link_ids"]):
            household_save(actor=actor, household=h, link_ids=v["link_ids"], reason=REASON)
            counts["联系户更新"] += 1
        touched.add(cid)
    stats_refresh(compound_ids=touched)
    return dict(counts)
