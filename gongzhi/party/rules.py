"""The formation rules of the organisation chain, as pure functions (no ORM), each citing its source.

Sources:
- 《中国共产党章程》第三十条: wherever there are three or more full members (正式党员), a grassroots
  organisation should be formed; by the work and the number of members it is a committee, a general
  branch committee or a branch committee.
- 《中国共产党支部工作条例（试行）》(2018) 第四条 (第二章 组织设置): three or more full members form a branch;
  a branch normally has no more than 50 members. 第五条: units with fewer than three full members form a
  joint branch (联合党支部) covering, as a rule, no more than five units.
- 同条例 第六章 (支部委员会建设): a branch with seven or more full members sets up a branch committee
  (支委会) of 3–5 (at most 7); below seven, a secretary (and if needed a deputy) only.
- Building party groups and central households: the seed (青岛晚报, 2024-12-18) names them but gives no
  numbers; their thresholds are settings (gongzhi.party.models.PartySetting), defaults below.

Thresholds the law fixes are constants here; those that practice sets are `Thresholds`, read from the
settings records for a place and a day by gongzhi.party.settings_store.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from fractions import Fraction

SRC_CONSTITUTION = "《中国共产党章程》第三十条"
SRC_BRANCH = "《中国共产党支部工作条例（试行）》第四条"
SRC_JOINT = "《中国共产党支部工作条例（试行）》第五条"
SRC_COMMITTEE = "《中国共产党支部工作条例（试行）》第六章"
SRC_SETTING = "本地参数设置（可在“参数设置”页调整）"

FULL = "full"
PROBATIONARY = "probationary"
BRANCH, JOINT, GENERAL = "branch", "joint", "general"

# 党章 第三十条; 条例 第四条: three or more FULL members. Probationary members never count.
FULL_MEMBERS_FOR_BRANCH = 3
# 条例 第五条: a joint branch covers as a rule no more than five units; "joint" means at least two.
JOINT_BRANCH_MAX_COMPOUNDS = 5
JOINT_BRANCH_MIN_COMPOUNDS = 2


@dataclass(frozen=True)
class Thresholds:
    """The values practice sets (settings records); defaults are what the domain notes give."""

    building_group_min_members: int = 5  # a "building with many members" (seed); local practice
    household_max_links: int = 10  # local practice: about ten households per central household
    branch_committee_min_full: int = 7  # 条例 第六章
    branch_max_members: int = 50  # 条例 第四条: a branch normally has no more than 50 members
    grassroots_committee_min_members: int = 100  # secondary source; configurable


DEFAULTS = Thresholds()


def counts_toward_branch(status: str, relation_elsewhere: str = "") -> bool:
    """A member counts toward a compound's own branch when full and with the relation held here.

    Probationary members never count (党章 第三十条 says 正式党员). A member whose organisational relation
    sits with a workplace organisation elsewhere (在职党员 who only report here) is not a member of a branch
    here, so does not count either.
    """
    return status == FULL and not relation_elsewhere.strip()


def counted_members(members: Iterable[tuple[str, str]]) -> int:
    """How many of (status, relation_elsewhere) pairs count toward a branch."""
    return sum(1 for status, elsewhere in members if counts_toward_branch(status, elsewhere))


def must_form_own_branch(counted: int) -> bool:
    """党章 第三十条 / 条例 第四条: three or more full members must form their own branch."""
    return counted >= FULL_MEMBERS_FOR_BRANCH


def needs_joint_branch(counted: int) -> bool:
    """条例 第五条: a compound with fewer than three full members is covered by a joint branch."""
    return counted < FULL_MEMBERS_FOR_BRANCH


def joint_branch_size_ok(compounds: int) -> bool:
    """条例 第五条: a joint branch covers two to five units."""
    return JOINT_BRANCH_MIN_COMPOUNDS <= compounds <= JOINT_BRANCH_MAX_COMPOUNDS


def org_compounds_ok(kind: str, compounds: int) -> bool:
    """A branch or general branch is one compound's own; a joint branch covers two to five."""
    if kind == JOINT:
        return joint_branch_size_ok(compounds)
    return compounds == 1


def joint_branch_can_form(counted_total: int) -> bool:
    """A joint branch is still a branch: its compounds together need three full members (党章 第三十条)."""
    return counted_total >= FULL_MEMBERS_FOR_BRANCH


def kind_for(members: int, th: Thresholds = DEFAULTS) -> str:
    """The kind a compound's own organisation should have: over the branch size, a general branch."""
    return GENERAL if members > th.branch_max_members else BRANCH


def should_become_general(kind: str, members: int, th: Thresholds = DEFAULTS) -> bool:
    """条例 第四条: a branch normally has no more than 50 members; beyond that, a general branch (党总支)."""
    return kind == BRANCH and members > th.branch_max_members


def may_form_grassroots_committee(members: int, th: Thresholds = DEFAULTS) -> bool:
    """党章 第三十条 by members and work; 100+ members may set up a grassroots committee (configurable)."""
    return members >= th.grassroots_committee_min_members


def needs_branch_committee(full_members: int, th: Thresholds = DEFAULTS) -> bool:
    """条例 第六章: seven or more full members → a branch committee; fewer → a secretary only."""
    return full_members >= th.branch_committee_min_full


def committee_size_ok(seats: int) -> bool:
    """条例 第六章: a branch committee has three to five members, at most seven."""
    return 3 <= seats <= 7


def building_qualifies_for_group(members: int, th: Thresholds = DEFAULTS) -> bool:
    """A building with at least the set number of resident members may form a party group (setting)."""
    return members >= th.building_group_min_members


def household_group(building_id: int | None, group_of_building: Mapping[int, int]) -> int | None:
    """The building party group a central household belongs to: the group covering its home's building,
    or none when that building has no group. Who designated it (a group leader from another building)
    never decides it: the group is the building's (seed: 楼栋党小组 → 党员中心户, by building)."""
    return None if building_id is None else group_of_building.get(building_id)


def household_links_ok(links: int, th: Thresholds = DEFAULTS) -> bool:
    """A central household links at most the set number of homes (setting)."""
    return 0 <= links <= th.household_max_links


def coverage(covered: int, total: int) -> Fraction:
    """Share of compounds covered by any party organisation; an empty place is fully covered."""
    if total <= 0:
        return Fraction(1)
    return Fraction(covered, total)


# -- gaps ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CompoundFacts:
    compound_id: int
    code: str
    name: str
    counted: int  # full members with the relation here
    members: int
    own_org_code: str = ""  # its own branch / general branch, if any
    joint_org_code: str = ""  # a joint branch covering it, if any


@dataclass(frozen=True)
class OrgFacts:
    code: str
    name: str
    kind: str
    compounds: int
    members: int
    full_members: int
    counted: int
    has_secretary: bool
    committee_seats: int
    qualifying_compounds: tuple[str, ...] = ()  # names of compounds in a joint branch that qualify alone


@dataclass(frozen=True)
class BuildingFacts:
    building_id: int
    compound_code: str
    label: str
    members: int
    has_group: bool


@dataclass(frozen=True)
class HouseholdFacts:
    household_id: int
    compound_code: str
    label: str
    links: int


@dataclass(frozen=True)
class Gap:
    kind: str
    subject: str  # what the line is about, e.g. the compound's name
    reason: str
    source: str
    compound_code: str = ""
    org_code: str = ""
    refs: dict[str, int] = field(default_factory=dict)


def compound_gaps(c: CompoundFacts) -> list[Gap]:
    out: list[Gap] = []
    if must_form_own_branch(c.counted) and not c.own_org_code:
        out.append(
            Gap(
                "own_branch_missing",
                c.name,
                f"有正式党员 {c.counted} 人（预备党员不计），应单独成立党支部",
                f"{SRC_CONSTITUTION}；{SRC_BRANCH}",
                compound_code=c.code,
            )
        )
    elif not c.own_org_code and not c.joint_org_code:
        out.append(
            Gap(
                "uncovered",
                c.name,
                f"正式党员 {c.counted} 人，不足 3 人，应纳入联合党支部，目前未被任何党组织覆盖",
                SRC_JOINT,
                compound_code=c.code,
            )
        )
    return out


def org_gaps(o: OrgFacts, th: Thresholds = DEFAULTS) -> list[Gap]:
    out: list[Gap] = []
    if not org_compounds_ok(o.kind, o.compounds):
        out.append(
            Gap(
                "org_size",
                o.name,
                f"覆盖 {o.compounds} 个小区；联合党支部应覆盖 2–{JOINT_BRANCH_MAX_COMPOUNDS} 个，"
                "党支部、党总支覆盖 1 个",
                SRC_JOINT,
                org_code=o.code,
            )
        )
    if o.kind == JOINT and not joint_branch_can_form(o.counted):
        out.append(
            Gap(
                "joint_too_small",
                o.name,
                f"联合党支部正式党员合计 {o.counted} 人，不足 3 人",
                SRC_CONSTITUTION,
                org_code=o.code,
            )
        )
    for name in o.qualifying_compounds:
        out.append(
            Gap(
                "joint_has_qualifying",
                o.name,
                f"{name} 已有 3 名以上正式党员，应从联合党支部中单独成立党支部",
                SRC_BRANCH,
                org_code=o.code,
            )
        )
    if should_become_general(o.kind, o.members, th):
        out.append(
            Gap(
                "should_be_general",
                o.name,
                f"党员 {o.members} 人，超过 {th.branch_max_members} 人，宜设立党总支",
                f"{SRC_BRANCH}；{SRC_CONSTITUTION}",
                org_code=o.code,
            )
        )
    if not o.has_secretary:
        out.append(Gap("no_secretary", o.name, "未确定书记", SRC_COMMITTEE, org_code=o.code))
    if needs_branch_committee(o.full_members, th) and o.committee_seats < 3:
        out.append(
            Gap(
                "committee_missing",
                o.name,
                f"正式党员 {o.full_members} 人（{th.branch_committee_min_full} 人以上），"
                f"应设立支部委员会（3–5 人），现有 {o.committee_seats} 人",
                SRC_COMMITTEE,
                org_code=o.code,
            )
        )
    return out


def building_gaps(b: BuildingFacts, th: Thresholds = DEFAULTS) -> list[Gap]:
    if building_qualifies_for_group(b.members, th) and not b.has_group:
        return [
            Gap(
                "group_missing",
                b.label,
                f"居住党员 {b.members} 人（{th.building_group_min_members} 人以上），尚未建立楼栋党小组",
                SRC_SETTING,
                compound_code=b.compound_code,
                refs={"building": b.building_id},
            )
        ]
    return []


def household_gaps(h: HouseholdFacts, th: Thresholds = DEFAULTS) -> list[Gap]:
    if not household_links_ok(h.links, th):
        return [
            Gap(
                "too_many_links",
                h.label,
                f"联系 {h.links} 户，超过上限 {th.household_max_links} 户",
                SRC_SETTING,
                compound_code=h.compound_code,
                refs={"household": h.household_id},
            )
        ]
    return []


def gaps(
    compounds: Iterable[CompoundFacts],
    orgs: Iterable[OrgFacts],
    buildings: Iterable[BuildingFacts],
    households: Iterable[HouseholdFacts],
    th: Thresholds = DEFAULTS,
) -> list[Gap]:
    """Everything the rules say is missing, each line with its reason and source."""
    out: list[Gap] = []
    for c in compounds:
        out += compound_gaps(c)
    for o in orgs:
        out += org_gaps(o, th)
    for b in buildings:
        out += building_gaps(b, th)
    for h in households:
        out += household_gaps(h, th)
    return out


# -- validators: pure checks that return messages; the services and the ledger's check both call them ------


def cover_messages(kind: str, compounds: int) -> list[str]:
    """条例 第五条: a joint branch covers two to five compounds; a branch or general branch its own one."""
    if org_compounds_ok(kind, compounds):
        return []
    if kind == JOINT:
        return [
            f"联合党支部覆盖 {JOINT_BRANCH_MIN_COMPOUNDS} 至 {JOINT_BRANCH_MAX_COMPOUNDS} 个小区（支部工作条例第五条）"
        ]
    return ["党支部、党总支只覆盖本小区一个小区"]


def member_dates_messages(status: str, joined_on: object, full_on: object) -> list[str]:
    """党章 第七条: a probationary member has no date of becoming full; that date follows joining."""
    out = []
    if status == PROBATIONARY and full_on:
        out.append("预备党员没有转正日期")
    if joined_on and full_on and full_on < joined_on:  # type: ignore[operator]
        out.append("转正日期早于入党日期")
    return out


def relation_messages(has_local_org: bool, elsewhere: str) -> list[str]:
    """A member's organisational relation (组织关系) sits in one place: here or with a unit elsewhere."""
    return ["组织关系只能在一处"] if has_local_org and elsewhere.strip() else []


def leader_messages(same_compound: bool) -> list[str]:
    """A building group's leader is a member living in the compound (local practice)."""
    return [] if same_compound else ["组长应是本小区党员"]


def links_messages(links: int, limit: int) -> list[str]:
    """A central household links at most `household_max_links` homes (参数设置)."""
    return [f"联系户不超过 {limit} 户（参数设置）"] if links > limit else []


def link_messages(is_own_home: bool, same_compound: bool) -> list[str]:
    """A linked home is a neighbour's: not the household's own, and in the same compound."""
    out = []
    if is_own_home:
        out.append("中心户不联系自己的房屋")
    if not same_compound:
        out.append("联系户应在同一小区")
    return out


# 条例 第六章: a branch committee has at most seven members.
COMMITTEE_MAX_SEATS = 7


def seat_messages(title: str, covered: bool, is_full: bool, other_seats: int) -> list[str]:
    """条例 第六章: the secretary is a full member; seats go to members of the covered compounds (≤ 7)."""
    if title == "secretary":
        if not covered:
            return ["书记应是本组织覆盖小区的党员"]
        return [] if is_full else ["书记应为正式党员"]
    if not covered:
        return ["委员应是本组织覆盖小区的党员"]
    if other_seats >= COMMITTEE_MAX_SEATS:
        return [f"支部委员会一般不超过 {COMMITTEE_MAX_SEATS} 人（支部工作条例第六章）"]
    return []
