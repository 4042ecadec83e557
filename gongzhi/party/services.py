"""Every write to the organisation chain: keyword-only, one transaction, counters kept in step.

Callers check permissions (gongzhi.accounts.access) before calling; rule violations raise
django.core.exceptions.ValidationError with a message fit for the page.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Case, Count, IntegerField, Value, When

from gongzhi.core.pinyin import pinyin_keys
from gongzhi.party import rules
from gongzhi.party.models import (
    BuildingGroup,
    CentralHousehold,
    CommitteeSeat,
    CompoundPartyStats,
    HouseholdLink,
    OrgKind,
    PartyMember,
    PartyOrganisation,
    PartySetting,
    RelationTransfer,
    SeatTitle,
)
from gongzhi.party.settings_store import thresholds
from gongzhi.people.models import Person
from gongzhi.places.models import Building, Compound, Division, Home

# -- counters -----------------------------------------------------------------------------------------


def common_path(paths: Iterable[str]) -> str:
    """The deepest path above all of `paths` (segment-wise): a joint branch's place."""
    split = [p.rstrip("/").split("/") for p in paths]
    if not split:
        return ""
    common: list[str] = []
    for parts in zip(*split, strict=False):
        if all(p == parts[0] for p in parts):
            common.append(parts[0])
        else:
            break
    return "/".join(common) + "/" if common else ""


def _stats_rows(ids: list[int] | None) -> list[CompoundPartyStats]:
    """Counters for the compounds `ids` (all when None), from grouped queries; the rules decide the flags."""

    def only(qs: Any, field: str = "compound_id") -> Any:
        return qs if ids is None else qs.filter(**{f"{field}__in": ids})

    compounds = only(Compound.objects.all(), "pk").values_list("pk", "path")
    members: dict[int, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    elsewhere = Case(
        When(relation_elsewhere="", then=Value(0)), default=Value(1), output_field=IntegerField()
    )
    for row in (
        only(PartyMember.objects.all())
        .annotate(away=elsewhere)
        .values("compound_id", "status", "away")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        m = members[row["compound_id"]]
        m[0] += row["n"]
        m[1] += row["n"] if row["status"] == rules.FULL else 0
        m[2] += row["n"] if row["status"] == rules.PROBATIONARY else 0
        m[3] += row["n"] if rules.counts_toward_branch(row["status"], "x" if row["away"] else "") else 0
    kinds: dict[int, set[str]] = defaultdict(set)
    for cid, kind in only(PartyOrganisation.compounds.through.objects.all()).values_list(
        "compound_id", "partyorganisation__kind"
    ):
        kinds[cid].add(kind)
    groups = dict(
        only(BuildingGroup.objects.all()).values_list("compound_id").annotate(n=Count("pk")).order_by()
    )
    households = dict(
        only(CentralHousehold.objects.all()).values_list("compound_id").annotate(n=Count("pk")).order_by()
    )
    links = dict(
        only(HouseholdLink.objects.all(), "household__compound_id")
        .values_list("household__compound_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    out = []
    for cid, path in compounds:
        total, full, prob, counted = members.get(cid, [0, 0, 0, 0])
        k = kinds.get(cid, set())
        out.append(
            CompoundPartyStats(
                compound_id=cid,
                path=path,
                members=total,
                full_members=full,
                probationary_members=prob,
                counted_members=counted,
                qualifies=rules.must_form_own_branch(counted),
                has_own_org=bool(k & {OrgKind.BRANCH, OrgKind.GENERAL}),
                covered=bool(k),
                building_groups=groups.get(cid, 0),
                central_households=households.get(cid, 0),
                homes_linked=links.get(cid, 0),
            )
        )
    return out


@transaction.atomic
def stats_refresh(*, compound_ids: Iterable[int]) -> None:
    """Recompute the chain counters of some compounds (called by every write below)."""
    ids = sorted(set(compound_ids))
    for i in range(0, len(ids), 500):
        part = ids[i : i + 500]
        rows = _stats_rows(part)
        CompoundPartyStats.objects.filter(compound_id__in=part).delete()
        CompoundPartyStats.objects.bulk_create(rows)


@transaction.atomic
def party_recount() -> None:
    """Rebuild every compound's counters from the rows (after bulk loads and imports)."""
    rows = _stats_rows(None)
    CompoundPartyStats.objects.all().delete()
    CompoundPartyStats.objects.bulk_create(rows, batch_size=2000)


# -- members ------------------------------------------------------------------------------------------


def _member_place(compound: Compound | None, home: Home | None) -> tuple[Compound, Home | None]:
    if home is not None:
        if compound is not None and home.compound_id != compound.pk:
            raise ValidationError("房屋不在所选小区内")
        return home.compound, home
    if compound is None:
        raise ValidationError("请选择居住小区或房屋")
    return compound, None


def _check_dates(status: str, joined_on: date | None, full_on: date | None) -> None:
    if status == rules.PROBATIONARY and full_on is not None:
        raise ValidationError("预备党员没有转正日期")
    if joined_on and full_on and full_on < joined_on:
        raise ValidationError("转正日期早于入党日期")


@transaction.atomic
def member_register(
    *,
    person: Person,
    status: str,
    compound: Compound | None = None,
    home: Home | None = None,
    joined_on: date | None = None,
    full_on: date | None = None,
    in_service: bool = False,
    workplace: str = "",
    organisation: PartyOrganisation | None = None,
    relation_elsewhere: str = "",
) -> PartyMember:
    """Register a resident as a party member of the compound they live in."""
    if PartyMember.objects.filter(person=person).exists():
        raise ValidationError("此人已登记为党员")
    _check_dates(status, joined_on, full_on)
    compound, home = _member_place(compound, home)
    if organisation is not None and relation_elsewhere:
        raise ValidationError("组织关系只能在一处")
    member = PartyMember.objects.create(
        person=person,
        status=status,
        joined_on=joined_on,
        full_on=full_on,
        compound=compound,
        home=home,
        building_id=home.building_id if home else None,
        in_service=in_service,
        workplace=workplace,
        organisation=organisation,
        relation_elsewhere=relation_elsewhere,
        path=home.path if home else compound.path,
    )
    stats_refresh(compound_ids=[compound.pk])
    return member


@transaction.atomic
def member_update(*, member: PartyMember, **fields: Any) -> PartyMember:
    """Change a member's status, dates, home or work. The relation moves only by member_transfer."""
    allowed = {"status", "joined_on", "full_on", "in_service", "workplace", "home", "compound"}
    unknown = set(fields) - allowed
    if unknown:
        raise ValueError(f"cannot change {sorted(unknown)}")
    before = member.compound_id
    for key, value in fields.items():
        setattr(member, key, value)
    _check_dates(member.status, member.joined_on, member.full_on)
    if "home" in fields or "compound" in fields:
        compound, home = _member_place(
            fields.get("compound") if member.home else member.compound, member.home
        )
        member.compound, member.home = compound, home
        member.building_id = home.building_id if home else None
        member.path = home.path if home else compound.path
    member.save()
    stats_refresh(compound_ids=[before, member.compound_id])
    return member


@transaction.atomic
def member_transfer(
    *,
    member: PartyMember,
    on: date,
    to_organisation: PartyOrganisation | None = None,
    to_text: str = "",
    note: str = "",
    actor: Any = None,
) -> RelationTransfer:
    """Move a member's organisational relation (组织关系转接) and keep the record."""
    if (to_organisation is None) == (not to_text.strip()):
        raise ValidationError("请指定转入的本地党组织或外单位组织（二选一）")
    transfer = RelationTransfer.objects.create(
        member=member,
        from_organisation=member.organisation,
        from_text=member.organisation.name if member.organisation else member.relation_elsewhere,
        to_organisation=to_organisation,
        to_text=to_organisation.name if to_organisation else to_text.strip(),
        on=on,
        note=note,
        recorded_by=actor if getattr(actor, "pk", None) else None,
    )
    member.organisation = to_organisation
    member.relation_elsewhere = "" if to_organisation else to_text.strip()
    member.save(update_fields=["organisation", "relation_elsewhere"])
    stats_refresh(compound_ids=[member.compound_id])
    return transfer


@transaction.atomic
def member_make_full(*, member: PartyMember, on: date) -> PartyMember:
    """转正: a probationary member becomes a full member on `on`."""
    if member.status == rules.FULL:
        raise ValidationError("已是正式党员")
    return member_update(member=member, status=rules.FULL, full_on=on)


# -- organisations ------------------------------------------------------------------------------------


def _check_cover(kind: str, compounds: list[Compound], exclude: PartyOrganisation | None = None) -> None:
    if not rules.org_compounds_ok(kind, len(compounds)):
        if kind == OrgKind.JOINT:
            raise ValidationError(
                f"联合党支部覆盖 2 至 {rules.JOINT_BRANCH_MAX_COMPOUNDS} 个小区（支部工作条例第五条）"
            )
        raise ValidationError("党支部、党总支只覆盖本小区一个小区")
    clash = PartyOrganisation.objects.filter(compounds__in=compounds)
    if exclude is not None:
        clash = clash.exclude(pk=exclude.pk)
    own = {OrgKind.BRANCH, OrgKind.GENERAL}
    for other in clash.prefetch_related("compounds"):
        same_family = (other.kind in own) == (kind in own)
        if same_family:
            names = "、".join(c.name for c in other.compounds.all() if c in compounds)
            raise ValidationError(f"{names} 已由 {other.name} 覆盖")


def _next_code(kind: str, compounds: list[Compound]) -> str:
    if kind != OrgKind.JOINT:
        return f"P{compounds[0].code}"
    base = f"PJ{min(c.code for c in compounds)}"
    n = PartyOrganisation.objects.filter(code__startswith=base).count()
    return base if n == 0 else f"{base}-{n + 1}"


@transaction.atomic
def organisation_create(
    *,
    kind: str,
    name: str,
    compounds: list[Compound],
    founded_on: date | None = None,
    secretary: PartyMember | None = None,
    code: str = "",
) -> PartyOrganisation:
    """A compound party organisation: a branch or general branch of one compound, or a joint branch."""
    compounds = list({c.pk: c for c in compounds}.values())
    _check_cover(kind, compounds)
    py, ini = pinyin_keys(name)
    org = PartyOrganisation.objects.create(
        code=code or _next_code(kind, compounds),
        name=name.strip(),
        kind=kind,
        founded_on=founded_on,
        path=common_path(c.path for c in compounds),
        pinyin=py,
        initials=ini,
    )
    org.compounds.set(compounds)
    if secretary is not None:
        secretary_set(organisation=org, member=secretary)
    stats_refresh(compound_ids=[c.pk for c in compounds])
    return org


@transaction.atomic
def organisation_update(
    *,
    organisation: PartyOrganisation,
    name: str | None = None,
    kind: str | None = None,
    founded_on: date | None = None,
    compounds: list[Compound] | None = None,
) -> PartyOrganisation:
    before = list(organisation.compounds.values_list("pk", flat=True))
    new_kind = kind or organisation.kind
    new_compounds = compounds if compounds is not None else list(organisation.compounds.all())
    _check_cover(new_kind, new_compounds, exclude=organisation)
    organisation.kind = new_kind
    if name is not None:
        organisation.name = name.strip()
        organisation.pinyin, organisation.initials = pinyin_keys(organisation.name)
    if founded_on is not None:
        organisation.founded_on = founded_on
    organisation.path = common_path(c.path for c in new_compounds)
    organisation.save()
    if compounds is not None:
        organisation.compounds.set(new_compounds)
    stats_refresh(compound_ids=before + [c.pk for c in new_compounds])
    return organisation


@transaction.atomic
def organisation_dissolve(*, organisation: PartyOrganisation) -> None:
    if organisation.groups.exists():
        raise ValidationError("请先撤销其下的楼栋党小组")
    ids = list(organisation.compounds.values_list("pk", flat=True))
    PartyMember.objects.filter(organisation=organisation).update(organisation=None)
    organisation.delete()
    stats_refresh(compound_ids=ids)


@transaction.atomic
def secretary_set(*, organisation: PartyOrganisation, member: PartyMember) -> None:
    """The secretary, also the committee's secretary seat."""
    if not organisation.compounds.filter(pk=member.compound_id).exists():
        raise ValidationError("书记应是本组织覆盖小区的党员")
    if member.status != rules.FULL:
        raise ValidationError("书记应为正式党员")
    CommitteeSeat.objects.filter(organisation=organisation, title=SeatTitle.SECRETARY).exclude(
        member=member
    ).update(title=SeatTitle.MEMBER)
    CommitteeSeat.objects.update_or_create(
        organisation=organisation, member=member, defaults={"title": SeatTitle.SECRETARY}
    )
    organisation.secretary = member
    organisation.save(update_fields=["secretary"])


@transaction.atomic
def committee_seat_set(*, organisation: PartyOrganisation, member: PartyMember, title: str) -> CommitteeSeat:
    if title == SeatTitle.SECRETARY:
        secretary_set(organisation=organisation, member=member)
        return CommitteeSeat.objects.get(organisation=organisation, member=member)
    if not organisation.compounds.filter(pk=member.compound_id).exists():
        raise ValidationError("委员应是本组织覆盖小区的党员")
    if organisation.seats.exclude(member=member).count() >= 7:
        raise ValidationError("支部委员会一般不超过 7 人（支部工作条例第六章）")
    seat, _ = CommitteeSeat.objects.update_or_create(
        organisation=organisation, member=member, defaults={"title": title}
    )
    return seat


@transaction.atomic
def committee_seat_remove(*, seat: CommitteeSeat) -> None:
    org = seat.organisation
    if org.secretary_id == seat.member_id:
        org.secretary = None
        org.save(update_fields=["secretary"])
    seat.delete()


# -- building party groups ----------------------------------------------------------------------------


def _group_path(compound: Compound, buildings: list[Building]) -> str:
    return buildings[0].path if len(buildings) == 1 else compound.path


@transaction.atomic
def group_create(
    *,
    organisation: PartyOrganisation,
    compound: Compound,
    name: str,
    buildings: list[Building],
    leader: PartyMember | None = None,
) -> BuildingGroup:
    """A building party group; the members living in its buildings join it (unless already in another)."""
    if not organisation.compounds.filter(pk=compound.pk).exists():
        raise ValidationError("党小组所属党组织应覆盖该小区")
    if not buildings or any(b.compound_id != compound.pk for b in buildings):
        raise ValidationError("请选择本小区的楼栋")
    if BuildingGroup.objects.filter(compound=compound, name=name.strip()).exists():
        raise ValidationError("本小区已有同名党小组")
    taken = Building.objects.filter(pk__in=[b.pk for b in buildings], party_groups__isnull=False)
    if taken.exists():
        raise ValidationError(f"{'、'.join(b.number for b in taken)} 已有党小组")
    group = BuildingGroup.objects.create(
        compound=compound,
        organisation=organisation,
        name=name.strip(),
        leader=leader,
        path=_group_path(compound, buildings),
    )
    group.buildings.set(buildings)
    PartyMember.objects.filter(building__in=buildings, group__isnull=True).update(group=group)
    if leader is not None:
        group_set_leader(group=group, leader=leader)
    stats_refresh(compound_ids=[compound.pk])
    return group


@transaction.atomic
def group_set_leader(*, group: BuildingGroup, leader: PartyMember | None) -> None:
    if leader is not None:
        if leader.compound_id != group.compound_id:
            raise ValidationError("组长应是本小区党员")
        if leader.group_id != group.pk:
            leader.group = group
            leader.save(update_fields=["group"])
    group.leader = leader
    group.save(update_fields=["leader"])


@transaction.atomic
def group_update(
    *, group: BuildingGroup, name: str | None = None, buildings: list[Building] | None = None
) -> BuildingGroup:
    if name is not None:
        group.name = name.strip()
    if buildings is not None:
        if not buildings or any(b.compound_id != group.compound_id for b in buildings):
            raise ValidationError("请选择本小区的楼栋")
        taken = Building.objects.filter(pk__in=[b.pk for b in buildings], party_groups__isnull=False).exclude(
            party_groups=group
        )
        if taken.exists():
            raise ValidationError(f"{'、'.join(b.number for b in taken)} 已有党小组")
        group.buildings.set(buildings)
        group.path = _group_path(group.compound, buildings)
    group.save()
    return group


@transaction.atomic
def group_delete(*, group: BuildingGroup) -> None:
    cid = group.compound_id
    group.delete()
    stats_refresh(compound_ids=[cid])


# -- central households -------------------------------------------------------------------------------


def _check_links(household_home: Home, homes: list[Home], limit: int, exclude: int | None = None) -> None:
    if len(homes) > limit:
        raise ValidationError(f"联系户不超过 {limit} 户（参数设置）")
    for h in homes:
        if h.pk == household_home.pk:
            raise ValidationError("中心户不联系自己的房屋")
        if h.compound_id != household_home.compound_id:
            raise ValidationError("联系户应在同一小区")
    linked = HouseholdLink.objects.filter(home__in=homes)
    if exclude is not None:
        linked = linked.exclude(household_id=exclude)
    if linked.exists():
        raise ValidationError("有的房屋已由其他党员中心户联系")


@transaction.atomic
def central_household_designate(
    *,
    member: PartyMember,
    links: list[Home] | None = None,
    group: BuildingGroup | None = None,
    designated_on: date | None = None,
) -> CentralHousehold:
    """A member's home becomes a central household (党员中心户) linking neighbouring homes."""
    if member.home is None:
        raise ValidationError("该党员未登记居住房屋")
    if hasattr(member, "central_household"):
        raise ValidationError("该党员已是党员中心户")
    if CentralHousehold.objects.filter(home=member.home).exists():
        raise ValidationError("该房屋已是党员中心户")
    links = links or []
    th = thresholds(member.path)
    _check_links(member.home, links, th.household_max_links)
    if group is None:
        group = member.group or BuildingGroup.objects.filter(buildings=member.building_id).first()
    household = CentralHousehold.objects.create(
        member=member,
        home=member.home,
        compound_id=member.compound_id,
        group=group,
        designated_on=designated_on,
        path=member.home.path,
    )
    HouseholdLink.objects.bulk_create([HouseholdLink(household=household, home=h) for h in links])
    stats_refresh(compound_ids=[member.compound_id])
    return household


@transaction.atomic
def central_household_set_links(*, household: CentralHousehold, links: list[Home]) -> None:
    th = thresholds(household.path)
    _check_links(household.home, links, th.household_max_links, exclude=household.pk)
    HouseholdLink.objects.filter(household=household).delete()
    HouseholdLink.objects.bulk_create([HouseholdLink(household=household, home=h) for h in links])
    stats_refresh(compound_ids=[household.compound_id])


@transaction.atomic
def central_household_remove(*, household: CentralHousehold) -> None:
    cid = household.compound_id
    household.delete()
    stats_refresh(compound_ids=[cid])


# -- settings -----------------------------------------------------------------------------------------


@transaction.atomic
def setting_add(
    *,
    key: str,
    value: int,
    effective_from: date,
    place: Division | None = None,
    note: str = "",
    actor: Any = None,
) -> PartySetting:
    """A new value of a threshold from a date, for a division and all beneath it (records are never edited)."""
    if value < 1:
        raise ValidationError("数值应大于 0")
    return PartySetting.objects.create(
        key=key,
        value=value,
        effective_from=effective_from,
        path=place.path if place else "",
        place_name=place.name if place else "",
        note=note,
        created_by=actor if getattr(actor, "pk", None) else None,
    )
