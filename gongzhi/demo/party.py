"""Demo step for the organisation chain: party members among resident owners, then the organisations, building
party groups and central households the rules call for.

The generator aims for the source's figures in 市南区 (215 compounds qualifying, 483 building party groups,
3,592 central households, every other compound covered by a joint branch); the application never knows
them: the dashboard counts them off the rows written here through gongzhi.party.rules. Deterministic for a
seed (its own random.Random), idempotent (a district that has members is left alone), fast (plain tuples
through gongzhi.core.bulk).
"""

from __future__ import annotations

import math
import random
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db import transaction

from gongzhi.core.pinyin import pinyin_keys
from gongzhi.demo.generate import Ids, reset_sequences, write
from gongzhi.organisations.models import Coverage, Organisation, Seat
from gongzhi.party import rules
from gongzhi.party.models import (
    MEMBER_ROW_FIELDS,
    BuildingGroup,
    CentralHousehold,
    HouseholdLink,
    PartyMember,
    SeatTitle,
)
from gongzhi.party.services import common_path, party_recount
from gongzhi.party.settings_store import thresholds
from gongzhi.people.models import Residence
from gongzhi.places.models import Building, Compound, Division, Home

Progress = Callable[[str, int], None]


@dataclass(frozen=True)
class Targets:
    qualifying_share: float  # of compounds; ignored when `qualifying` is set
    groups_per_compound: float
    households_per_compound: float
    weak_weights: tuple[int, ...]  # members in a building without a group: 0, 1, 2 … (< threshold)
    strong_extra: int  # members above the threshold in a group's building: 0..strong_extra
    qualifying: int | None = None
    groups: int | None = None
    households: int | None = None


# What the source (青岛晚报 2024-12-18) reports for 市南区.
SHINAN = Targets(0, 0, 0, (20, 25, 25, 18, 12), 4, qualifying=215, groups=483, households=3592)
# Other districts: plausible, about 30 members a compound (300,000 over the city).
OTHER = Targets(0.82, 2.4, 12.0, (5, 15, 30, 30, 20), 10)

WORKPLACES = [
    "市南区人民政府",
    "青岛市教育局",
    "青岛大学附属医院",
    "青岛港集团",
    "海尔集团",
    "青岛银行",
    "国网青岛供电公司",
    "青岛地铁集团",
    "市南区八大关街道办事处",
    "青岛市第二中学",
]
SEAT_TITLES = [SeatTitle.ORGANISATION, SeatTitle.PROPAGANDA, SeatTitle.DISCIPLINE, SeatTitle.MEMBER]
MEMBER_FIELDS = ["id", *MEMBER_ROW_FIELDS]


@dataclass
class M:
    """A member being generated."""

    id: int
    person: int
    home: int
    building: int
    compound: int
    path: str
    status: str = rules.FULL
    in_service: bool = False
    workplace: str = ""
    elsewhere: str = ""
    org: int | None = None
    group: int | None = None

    @property
    def counts(self) -> bool:
        return rules.counts_toward_branch(self.status, self.elsewhere)


def largest_remainder(total: int, weights: list[float], caps: list[int]) -> list[int]:
    """Split `total` in proportion to weights, each part at most its cap (and at least 1 where cap ≥ 1)."""
    out = [0] * len(caps)
    for i in sorted(range(len(caps)), key=lambda i: -weights[i])[:total]:
        out[i] = min(1, caps[i])
    left = total - sum(out)
    while left > 0:
        room = [i for i, c in enumerate(caps) if out[i] < c]
        if not room:
            break
        wsum = sum(weights[i] for i in room) or 1.0
        shares = {i: left * weights[i] / wsum for i in room}
        given = 0
        for i in room:
            add = min(caps[i] - out[i], int(shares[i]))
            out[i] += add
            given += add
        if given == 0:
            for i in sorted(room, key=lambda i: -(shares[i] - int(shares[i])))[:left]:
                out[i] += 1
                given += 1
        left -= given
    return out


class PartyGenerator:
    def __init__(self, seed: int, progress: Progress | None = None):
        self.rng = random.Random(seed * 7 + 30)
        self.progress = progress

    def date_between(self, start: date, end: date) -> date:
        return start + timedelta(days=self.rng.randrange(max(1, (end - start).days)))

    # -- members ------------------------------------------------------------------------------------
    def build_district(self, district: Division, targets: Targets) -> None:
        rng = self.rng
        th = thresholds(district.path)
        t = th.building_group_min_members
        compounds = list(
            Compound.objects.filter(path__under=district.path)
            .order_by("code")
            .values_list("pk", "code", "name", "path", "community__name")
        )
        if not compounds:
            return
        residents: dict[int, dict[int, list[tuple[int, int, str]]]] = defaultdict(lambda: defaultdict(list))
        seen: set[int] = set()
        for person, home, building, compound, path in (
            Residence.objects.filter(relation=Residence.Relation.OWNER, home__path__under=district.path)
            .order_by("home_id")
            .values_list("person_id", "home_id", "home__building_id", "home__compound_id", "home__path")
        ):
            if person not in seen:
                seen.add(person)
                residents[compound][building].append((person, home, path))
        size = {c[0]: sum(len(v) for v in residents[c[0]].values()) for c in compounds}

        n = len(compounds)
        q_target = (
            targets.qualifying if targets.qualifying is not None else round(n * targets.qualifying_share)
        )
        n_non = n - q_target
        if n_non == 1:
            n_non = 0 if n > 2 else 1
        small_first = sorted(compounds, key=lambda c: (size[c[0]], c[1]))
        pool = small_first[: max(n_non * 2, n_non)]
        non_ids = {c[0] for c in rng.sample(pool, n_non)} if n_non else set()
        qual = [c for c in compounds if c[0] not in non_ids]
        non = [c for c in compounds if c[0] in non_ids]

        # Building party groups: each qualifying compound gets some, in buildings with enough residents.
        eligible = {
            c[0]: [b for b, people in sorted(residents[c[0]].items()) if len(people) >= t + 2] for c in qual
        }
        g_total = (
            targets.groups if targets.groups is not None else round(len(qual) * targets.groups_per_compound)
        )
        caps = [len(eligible[c[0]]) for c in qual]
        per_compound = largest_remainder(g_total, [float(max(1, c)) for c in caps], caps)

        ids = Ids(PartyMember)
        members: list[M] = []
        strong_groups: dict[int, list[list[int]]] = {}
        for c, g in zip(qual, per_compound, strict=True):
            cid = c[0]
            buildings = eligible[cid][:]
            rng.shuffle(buildings)
            groups: list[list[int]] = []
            for i in range(g):
                remaining_groups = g - i - 1
                take = 2 if len(buildings) - 2 >= remaining_groups and rng.random() < 0.3 else 1
                groups.append(sorted(buildings[:take]))
                buildings = buildings[take:]
            strong_groups[cid] = groups
            strong = {b for grp in groups for b in grp}
            for b, people in sorted(residents[cid].items()):
                if b in strong:
                    k = min(len(people), t + rng.randint(0, targets.strong_extra))
                else:
                    k = min(
                        len(people),
                        t - 1,
                        rng.choices(range(len(targets.weak_weights)), targets.weak_weights)[0],
                    )
                for person, home, path in rng.sample(people, k):
                    members.append(M(ids.take(), person, home, b, cid, path))
        by_compound: dict[int, list[M]] = defaultdict(list)
        for m in members:
            by_compound[m.compound].append(m)
        for m in members:
            self.attributes(m)
        # Every qualifying compound: at least three members who count (the rule), topping up if needed.
        for c in qual:
            own = by_compound[c[0]]
            self.top_up(c[0], own, residents[c[0]], ids, t, need=rules.FULL_MEMBERS_FOR_BRANCH)
        # Non-qualifying compounds: one or two members who count, perhaps a probationary or an away one.
        chunks = self.joint_chunks(non)
        for chunk in chunks:
            for j, c in enumerate(chunk):
                own = by_compound[c[0]]
                counted = 2 if j == 0 else rng.choice([1, 2])
                extra = rng.choice([0, 0, 1, 2])
                self.top_up(c[0], own, residents[c[0]], ids, t, need=counted, cap_counted=counted)
                for _ in range(extra):
                    added = self.add_member(c[0], own, residents[c[0]], ids, t)
                    if added is not None:
                        m = added
                        if rng.random() < 0.5:
                            m.status = rules.PROBATIONARY
                        else:
                            m.in_service, m.workplace = True, rng.choice(WORKPLACES)
                            m.elsewhere = f"{m.workplace}党委"
        members = [m for c in compounds for m in by_compound[c[0]]]
        self.organise(district, qual, chunks, by_compound, strong_groups, members, targets, th)

    def attributes(self, m: M) -> None:
        rng = self.rng
        roll = rng.random()
        if roll < 0.035:
            m.status = rules.PROBATIONARY
        if rng.random() < 0.28:
            m.in_service, m.workplace = True, rng.choice(WORKPLACES)
            if rng.random() < 0.3 and m.status == rules.FULL:
                m.elsewhere = f"{m.workplace}党委"

    def add_member(
        self, cid: int, own: list[M], residents: dict[int, list[tuple[int, int, str]]], ids: Ids, t: int
    ) -> M | None:
        taken = {m.person for m in own}
        per_building: dict[int, int] = defaultdict(int)
        for m in own:
            per_building[m.building] += 1
        # Only buildings that stay below the group threshold, so no building qualifies without a group.
        for b, people in sorted(residents.items(), key=lambda kv: (per_building[kv[0]], kv[0])):
            if per_building[b] >= t - 1:
                continue
            free = [p for p in people if p[0] not in taken]
            if free:
                person, home, path = self.rng.choice(free)
                m = M(ids.take(), person, home, b, cid, path)
                own.append(m)
                return m
        return None

    def top_up(
        self,
        cid: int,
        own: list[M],
        residents: dict[int, list[tuple[int, int, str]]],
        ids: Ids,
        t: int,
        need: int,
        cap_counted: int | None = None,
    ) -> None:
        """Make exactly/at least `need` members count, by settling their status or adding members."""
        for m in own:
            if sum(x.counts for x in own) >= need:
                break
            if not m.counts:
                m.status, m.elsewhere = rules.FULL, ""
        while sum(x.counts for x in own) < need:
            if self.add_member(cid, own, residents, ids, t) is None:
                break
        if cap_counted is not None:
            for m in own:
                if sum(x.counts for x in own) <= cap_counted:
                    break
                if m.counts:
                    m.status = rules.PROBATIONARY

    def joint_chunks(self, non: list[tuple[Any, ...]]) -> list[list[tuple[Any, ...]]]:
        """Neighbouring non-qualifying compounds (by code) in joint branches of two to five."""
        n = len(non)
        if n < 2:
            return [non] if non else []
        k = math.ceil(n / 4)
        sizes = [n // k + (1 if i < n % k else 0) for i in range(k)]
        out, i = [], 0
        for s in sizes:
            out.append(non[i : i + s])
            i += s
        return out

    # -- organisations ------------------------------------------------------------------------------
    def organise(
        self,
        district: Division,
        qual: list[tuple[Any, ...]],
        chunks: list[list[tuple[Any, ...]]],
        by_compound: dict[int, list[M]],
        strong_groups: dict[int, list[list[int]]],
        members: list[M],
        targets: Targets,
        th: rules.Thresholds,
    ) -> None:
        rng = self.rng
        org_ids, seat_ids, group_ids = Ids(Organisation), Ids(Seat), Ids(BuildingGroup)
        cover_ids = Ids(Coverage)
        cpaths = {c[0]: c[3] for c in qual} | {c[0]: c[3] for chunk in chunks for c in chunk}
        orgs: list[tuple[Any, ...]] = []
        covers: list[tuple[Any, ...]] = []
        seats: list[tuple[Any, ...]] = []
        founded_from, today = date(2015, 1, 1), date(2024, 11, 30)

        def make_org(kind: str, name: str, code: str, path: str, own: list[M], cids: list[int]) -> int:
            oid = org_ids.take()
            local = [m for m in own if not m.elsewhere]
            for m in local:
                m.org = oid
            full = [m for m in local if m.status == rules.FULL]
            secretary = full[0].person if full else None
            py, ini = pinyin_keys(name)
            founded = self.date_between(founded_from, today)
            orgs.append((oid, code, name, kind, founded, path, py, ini))
            covers.extend((cover_ids.take(), oid, cid, cpaths[cid], founded) for cid in cids)
            if secretary is not None:
                seats.append((seat_ids.take(), oid, secretary, SeatTitle.SECRETARY))
                if rules.needs_branch_committee(len(full), th):
                    for m, title in zip(full[1 : 1 + rng.randint(2, 4)], SEAT_TITLES, strict=False):
                        seats.append((seat_ids.take(), oid, m.person, title))
            return oid

        org_of: dict[int, int] = {}
        for c in qual:
            cid, code, name, path, _community = c
            own = by_compound[cid]
            kind = rules.kind_for(len([m for m in own if not m.elsewhere]), th)
            suffix = "党总支" if kind == rules.GENERAL else "党支部"
            org_of[cid] = make_org(kind, f"{name}{suffix}", f"P{code}", path, own, [cid])
        for chunk in chunks:
            own = [m for c in chunk for m in by_compound[c[0]]]
            path = common_path(c[3] for c in chunk)
            name = (
                f"{chunk[0][4]}{'、'.join(c[2] for c in chunk[:2])}{'等' if len(chunk) > 2 else ''}联合党支部"
            )
            make_org(rules.JOINT, name, f"PJ{chunk[0][1]}", path, own, [c[0] for c in chunk])

        # Building party groups.
        numbers = dict(Building.objects.filter(path__under=district.path).values_list("pk", "number"))
        paths = dict(Building.objects.filter(path__under=district.path).values_list("pk", "path"))
        groups: list[tuple[Any, ...]] = []
        group_buildings: list[tuple[int, int]] = []
        group_of_building: dict[int, int] = {}
        for c in qual:
            cid, _code, _name, cpath, _community = c
            for bs in strong_groups.get(cid, []):
                gid = group_ids.take()
                in_group = [m for m in by_compound[cid] if m.building in bs]
                for m in in_group:
                    m.group = gid
                    group_of_building[m.building] = gid
                leader = next((m.id for m in in_group if m.status == rules.FULL), None)
                name = "、".join(numbers[b] for b in bs) + "党小组"
                path = paths[bs[0]] if len(bs) == 1 else cpath
                groups.append((gid, cid, org_of[cid], name, leader, path))
                group_buildings.extend((gid, b) for b in bs)

        # Central households among full members of qualifying compounds, linking neighbouring homes.
        qual_ids = {c[0] for c in qual}
        candidates = [m for m in members if m.compound in qual_ids and m.status == rules.FULL]
        h_total = (
            targets.households
            if targets.households is not None
            else round(len(qual) * targets.households_per_compound)
        )
        chosen = sorted(rng.sample(candidates, min(h_total, len(candidates))), key=lambda m: m.id)
        wanted_buildings = {m.building for m in chosen}
        homes_of: dict[int, list[int]] = defaultdict(list)
        for hid, bid in (
            Home.objects.filter(path__under=district.path)
            .order_by("building_id", "unit_no", "floor", "room")
            .values_list("pk", "building_id")
        ):
            if bid in wanted_buildings:
                homes_of[bid].append(hid)
        ch_ids = Ids(CentralHousehold)
        link_ids = Ids(HouseholdLink)
        used = {m.home for m in chosen}
        households: list[tuple[Any, ...]] = []
        links: list[tuple[int, int, int]] = []
        for m in chosen:
            hid = ch_ids.take()
            group = group_of_building.get(m.building)
            households.append(
                (hid, m.id, m.home, m.compound, group, self.date_between(date(2020, 1, 1), today), m.path)
            )
            row = homes_of[m.building]
            at = row.index(m.home) if m.home in row else 0
            near = sorted((i for i, h in enumerate(row) if h not in used), key=lambda i: (abs(i - at), i))
            near = [row[i] for i in near]
            for h in near[: rng.randint(4, th.household_max_links)]:
                used.add(h)
                links.append((link_ids.take(), hid, h))

        p = self.progress
        write(
            Organisation,
            ["id", "code", "name", "kind", "founded_on", "path", "pinyin", "initials"],
            orgs,
            p,
            "党组织",
        )
        write(Coverage, ["id", "organisation", "compound", "path", "since"], covers, p, "覆盖小区")
        write(
            BuildingGroup, ["id", "compound", "organisation", "name", "leader", "path"], groups, p, "党小组"
        )
        write(
            BuildingGroup.buildings.through, ["buildinggroup", "building"], group_buildings, p, "党小组楼栋"
        )
        member_rows = []
        for m in members:
            joined = self.date_between(date(1965, 1, 1), date(2022, 12, 1))
            if m.status == rules.PROBATIONARY:
                joined, full_on = self.date_between(date(2024, 1, 1), today), None
            else:
                full_on = joined + timedelta(days=365)
            member_rows.append(
                (
                    m.id,
                    m.person,
                    m.status,
                    joined,
                    full_on,
                    m.compound,
                    m.home,
                    m.building,
                    m.in_service,
                    m.workplace,
                    m.org,
                    m.elsewhere,
                    m.group,
                    m.path,
                )
            )
        write(PartyMember, MEMBER_FIELDS, member_rows, p, "党员")
        write(Seat, ["id", "organisation", "person", "role"], seats, p, "支委会")
        write(
            CentralHousehold,
            ["id", "member", "home", "compound", "group", "designated_on", "path"],
            households,
            p,
            "党员中心户",
        )
        write(HouseholdLink, ["id", "household", "home"], links, p, "联系户")


def build_party(*, seed: int, district_codes: list[str], progress: Progress | None = None) -> int:
    """Generate the chain in each district that has no members yet; returns how many districts were built."""
    gen = PartyGenerator(seed, progress)
    built = 0
    for district in Division.objects.filter(code__in=district_codes).order_by("code"):
        if PartyMember.objects.filter(path__under=district.path).exists():
            continue
        with transaction.atomic():
            gen.build_district(district, SHINAN if district.code == "370202" else OTHER)
        built += 1
    if built:
        reset_sequences(
            Organisation,
            Coverage,
            Seat,
            PartyMember,
            BuildingGroup,
            CentralHousehold,
            HouseholdLink,
            BuildingGroup.buildings.through,
        )
        party_recount()
    return built
