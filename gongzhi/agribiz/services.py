"""Every write of the registry: keyword-only, `actor` first, one transaction, history kept.

A cooperative is created through the organisations core (kind `agribiz.coop` covering its village, the
legal representative a seat) and its profile beside it; the bulk variants are what the ledger import and
the demo use, so a row from a sheet passes the same rules as one from the form. Persons are reused by ID
number, never duplicated. The permission asked: `agribiz.manage` at the village for the registry,
`agribiz.report` for filing a yearly report.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from gongzhi.accounts.access import At, authorize
from gongzhi.agribiz import rules
from gongzhi.agribiz.models import (
    COOP,
    MANAGE,
    REPORT,
    Cooperative,
    CoopMember,
    CoopProfile,
    CoopReport,
    FamilyFarm,
    FarmReport,
    Product,
)
from gongzhi.core.actors import history_user, reason_of, stamp
from gongzhi.organisations import services as orgs
from gongzhi.people.bulk import NewPerson, persons_record_bulk
from gongzhi.people.identity import clean_id_number
from gongzhi.people.models import Person
from gongzhi.places.models import Division

VILLAGE_LEVELS = ("village", "community")


@dataclass
class NewCoop:
    village: Division
    name: str
    credit_code: str
    rep_name: str
    rep_id_number: str
    founded_on: date | None
    members_count: int
    land_mu: Decimal
    products: list[Product] = field(default_factory=list)
    grade: str = ""
    grade_year: int | None = None


@dataclass
class NewFarm:
    village: Division
    code: str
    name: str
    operator_name: str
    operator_id_number: str
    registered_on: date
    land_own_mu: Decimal
    land_transferred_mu: Decimal
    labour: int
    credit_code: str | None = None
    products: list[Product] = field(default_factory=list)
    grade: str = ""
    grade_year: int | None = None


def _refuse(problems: list[str]) -> None:
    if problems:
        raise ValidationError(problems)


def _village(village: Division) -> None:
    if village.level not in VILLAGE_LEVELS:
        raise ValidationError("合作社、家庭农场应登记在村（社区）")


def coop_problems(c: NewCoop, today: date) -> list[str]:
    return rules.coop_problems(
        credit_code=c.credit_code,
        members=c.members_count,
        land_mu=c.land_mu,
        founded=c.founded_on,
        grade=c.grade,
        grade_year=c.grade_year,
        today=today,
    )


def farm_problems(f: NewFarm, today: date) -> list[str]:
    return rules.farm_problems(
        credit_code=f.credit_code,
        own_mu=f.land_own_mu,
        transferred_mu=f.land_transferred_mu,
        labour=f.labour,
        registered=f.registered_on,
        grade=f.grade,
        grade_year=f.grade_year,
        today=today,
    )


def persons_for(
    *, actor: Any, paths: Iterable[str], people: Sequence[tuple[str, str]], reason: str
) -> list[int]:
    """Person keys for (name, ID number) pairs: the one on record by ID number, else a new one.

    Recording a body's representative (a farm's operator, a member) is part of registering the body, under
    the registry's own permission, as monitoring records a household's members (docs/decisions.md §16):
    `agribiz.manage` is asked at every place (`paths`, the villages) the persons are written for — before anyone is recorded — and
    the new persons are then recorded in bulk by `people.bulk.persons_record_bulk` (same rules, one history
    row each naming the actor), so a 500-row ledger costs what a 20-row one does. It neither needs nor
    grants 市南区's `person.edit`."""
    for path in sorted(set(paths)):
        authorize(actor, MANAGE, At(path))
    cleaned = [(name.strip()[:100], clean_id_number(idn)) for name, idn in people]
    known = {p.id_number: p.pk for p in Person.objects.filter(id_number__in=[i for _n, i in cleaned])}
    missing: dict[str, str] = {}
    for name, idn in cleaned:
        if idn not in known:
            missing.setdefault(idn, name)
    if missing:
        ids = persons_record_bulk(
            actor=actor, persons=[NewPerson(n, i) for i, n in missing.items()], reason=reason
        )
        known.update(zip(missing, ids, strict=True))
    return [known[i] for _n, i in cleaned]


@transaction.atomic
def coops_bulk_register(
    *, actor: Any, rows: Sequence[NewCoop], reason: str = "登记合作社"
) -> list[CoopProfile]:
    """Register cooperatives; every row is checked first and nothing is written when one fails."""
    today = timezone.localdate()
    for c in rows:
        authorize(actor, MANAGE, c.village)
        _village(c.village)
    errors = [f"{c.name}：{m}" for c in rows for m in coop_problems(c, today)]
    codes = [c.credit_code.strip().upper() for c in rows]
    if len(set(codes)) != len(codes):
        errors.append("同一批登记中有重复的统一社会信用代码")
    taken = set(CoopProfile.objects.filter(credit_code__in=codes).values_list("credit_code", flat=True))
    errors += [f"统一社会信用代码{c}已登记" for c in sorted(taken)]
    _refuse(errors)
    reps = persons_for(
        actor=actor,
        paths=[c.village.path for c in rows],
        people=[(c.rep_name, c.rep_id_number) for c in rows],
        reason=reason,
    )
    orgs.organisations_bulk_create(
        actor=actor,
        rows=[
            orgs.NewOrganisation(
                Cooperative(kind=COOP, code=code, name=c.name.strip()[:100], founded_on=c.founded_on),
                [c.village],
                [(rep, "legal_rep")],
            )
            for c, code, rep in zip(rows, codes, reps, strict=True)
        ],
        reason=reason,
    )
    org_ids = dict(Cooperative.objects.filter(code__in=codes).values_list("code", "pk"))
    profiles = [
        CoopProfile(
            organisation_id=org_ids[code],
            village=c.village,
            path=c.village.path,
            credit_code=code,
            legal_rep_id=rep,
            members_count=c.members_count,
            land_mu=c.land_mu,
            grade=c.grade,
            grade_year=c.grade_year,
        )
        for c, code, rep in zip(rows, codes, reps, strict=True)
    ]
    _with_history(CoopProfile, profiles, actor, reason)
    _link_products(
        CoopProfile, "coopprofile_id", [(p.pk, c.products) for p, c in zip(profiles, rows, strict=True)]
    )
    return profiles


def coop_register(*, actor: Any, coop: NewCoop) -> CoopProfile:
    return coops_bulk_register(actor=actor, rows=[coop])[0]


@transaction.atomic
def coop_update(
    *,
    actor: Any,
    profile: CoopProfile,
    members_count: int,
    land_mu: Decimal,
    products: Sequence[Product],
    grade: str,
    grade_year: int | None,
) -> CoopProfile:
    authorize(actor, MANAGE, profile)
    _refuse(
        rules.coop_problems(
            credit_code=profile.credit_code,
            members=members_count,
            land_mu=land_mu,
            founded=profile.organisation.founded_on,
            grade=grade,
            grade_year=grade_year,
            today=timezone.localdate(),
        )
    )
    profile.members_count, profile.land_mu = members_count, land_mu
    profile.grade, profile.grade_year = grade, grade_year
    stamp(profile, actor, "修改合作社档案").save()
    profile.products.set(products)
    return profile


@transaction.atomic
def farms_bulk_register(
    *, actor: Any, rows: Sequence[NewFarm], reason: str = "登记家庭农场"
) -> list[FamilyFarm]:
    today = timezone.localdate()
    for f in rows:
        authorize(actor, MANAGE, f.village)
        _village(f.village)
    errors = [f"{f.name}：{m}" for f in rows for m in farm_problems(f, today)]
    codes = [f.code.strip() for f in rows]
    credit = [f.credit_code.strip().upper() for f in rows if f.credit_code]
    if len(set(codes)) != len(codes) or len(set(credit)) != len(credit):
        errors.append("同一批登记中有重复的名录编号或统一社会信用代码")
    errors += [
        f"名录编号{c}已登记"
        for c in sorted(FamilyFarm.objects.filter(code__in=codes).values_list("code", flat=True))
    ]
    errors += [
        f"统一社会信用代码{c}已登记"
        for c in sorted(
            c
            for c in FamilyFarm.objects.filter(credit_code__in=credit).values_list("credit_code", flat=True)
            if c
        )
    ]
    if any(not c or len(c) > 32 for c in codes):
        errors.append("名录编号应为1到32个字符")
    _refuse(errors)
    ops = persons_for(
        actor=actor,
        paths=[f.village.path for f in rows],
        people=[(f.operator_name, f.operator_id_number) for f in rows],
        reason=reason,
    )
    farms = [
        FamilyFarm(
            code=code,
            name=f.name.strip()[:100],
            operator_id=op,
            village=f.village,
            path=f.village.path,
            credit_code=f.credit_code.strip().upper() if f.credit_code else None,
            registered_on=f.registered_on,
            land_own_mu=f.land_own_mu,
            land_transferred_mu=f.land_transferred_mu,
            labour=f.labour,
            grade=f.grade,
            grade_year=f.grade_year,
        )
        for f, code, op in zip(rows, codes, ops, strict=True)
    ]
    _with_history(FamilyFarm, farms, actor, reason)
    if any(x.pk is None for x in farms):
        ids = dict(FamilyFarm.objects.filter(code__in=codes).values_list("code", "pk"))
        for x in farms:
            x.pk = ids[x.code]
    _link_products(
        FamilyFarm, "familyfarm_id", [(x.pk, f.products) for x, f in zip(farms, rows, strict=True)]
    )
    return farms


@transaction.atomic
def farm_update(
    *,
    actor: Any,
    farm: FamilyFarm,
    name: str,
    land_own_mu: Decimal,
    land_transferred_mu: Decimal,
    labour: int,
    products: Sequence[Product],
    grade: str,
    grade_year: int | None,
) -> FamilyFarm:
    """What changes over a farm's life (land, labour, products, grade); its 名录编号, operator and
    registration stay as registered. Checked by the same rule as a new farm."""
    authorize(actor, MANAGE, farm)
    name = (name or "").strip()
    problems = rules.farm_problems(
        credit_code=farm.credit_code,
        own_mu=land_own_mu,
        transferred_mu=land_transferred_mu,
        labour=labour,
        registered=farm.registered_on,
        grade=grade,
        grade_year=grade_year,
        today=timezone.localdate(),
    )
    _refuse((["请填写家庭农场名称"] if not name else []) + problems)
    farm.name, farm.labour = name[:100], labour
    farm.land_own_mu, farm.land_transferred_mu = land_own_mu, land_transferred_mu
    farm.grade, farm.grade_year = grade, grade_year
    stamp(farm, actor, "修改家庭农场档案").save()
    farm.products.set(products)
    return farm


@dataclass
class NewMember:
    credit_code: str  # the cooperative's (it may be registered by the same import)
    name: str
    id_number: str = ""  # optional: a member named only by the ledger keeps no person link
    joined_on: date | None = None


def member_key(credit_code: str, name: str, id_number: str) -> tuple[str, str]:
    """A member is known by its ID number within the cooperative, or by its name where it has none."""
    return (credit_code.strip().upper(), f"#{id_number}" if id_number else name.strip())


def member_problems(m: NewMember, founded: date | None, today: date) -> list[str]:
    out = []
    if not m.name.strip():
        out.append("请填写成员姓名。")
    if m.id_number:
        try:
            clean_id_number(m.id_number)
        except ValidationError as exc:
            out += exc.messages
    if m.joined_on is not None and m.joined_on > today:
        out.append("入社日期不能晚于今天。")
    if m.joined_on is not None and founded is not None and m.joined_on < founded:
        out.append("入社日期不能早于合作社成立日期。")
    return out


@transaction.atomic
def coop_members_add(*, actor: Any, rows: Sequence[NewMember], reason: str = "登记合作社成员") -> int:
    """Member rows of cooperatives the actor manages; a member already on record (member_key) or twice in
    the batch is refused, as is one that joined before its cooperative was founded; nothing is written
    unless every row is right. ID numbers name a person (reused, never duplicated)."""
    today = timezone.localdate()
    codes = {m.credit_code.strip().upper() for m in rows}
    profiles = {
        p.credit_code: p
        for p in CoopProfile.objects.filter(credit_code__in=codes).select_related("organisation")
    }
    errors: list[str] = []
    for code in sorted(codes - set(profiles)):
        errors.append(f"统一社会信用代码{code}的合作社未登记")
    for profile in profiles.values():
        authorize(actor, MANAGE, profile)
    known = {
        member_key(code, name, idn or "")
        for code, name, idn in CoopMember.objects.filter(
            coop__credit_code__in=codes, left_on__isnull=True
        ).values_list("coop__credit_code", "name", "person__id_number")
    }
    for m in rows:
        found = profiles.get(m.credit_code.strip().upper())
        problems = member_problems(m, found.organisation.founded_on if found else None, today)
        if not problems and m.id_number:
            m.id_number = clean_id_number(m.id_number)
        key = member_key(m.credit_code, m.name, m.id_number)
        if key in known:
            problems.append("已是该合作社成员。")
        known.add(key)
        errors += [f"{m.name}：{x}" for x in problems]
    _refuse(errors)
    named = [m for m in rows if m.id_number]
    persons = dict(
        zip(
            [m.id_number for m in named],
            persons_for(
                actor=actor,
                paths=[profiles[m.credit_code.strip().upper()].path for m in named],
                people=[(m.name, m.id_number) for m in named],
                reason=reason,
            ),
            strict=True,
        )
    )
    members = [
        CoopMember(
            coop=profiles[m.credit_code.strip().upper()],
            person_id=persons.get(m.id_number),
            name=m.name.strip()[:100],
            joined_on=m.joined_on,
        )
        for m in rows
    ]
    _with_history(CoopMember, members, actor, reason)
    return len(members)


@transaction.atomic
def coop_member_join(
    *, actor: Any, profile: CoopProfile, name: str, id_number: str = "", joined_on: date | None = None
) -> CoopMember:
    """One member joins (入社), entered on the cooperative's page: the same checks as the ledger's member
    rows (`coop_members_add`: name, ID number with its check character, dates, not a member already), and
    the cooperative's member count goes up by one, each with its history row."""
    profile = CoopProfile.objects.select_for_update().select_related("organisation").get(pk=profile.pk)
    authorize(actor, MANAGE, profile)
    coop_members_add(
        actor=actor,
        rows=[NewMember(profile.credit_code, name, id_number.strip(), joined_on)],
        reason="成员入社",
    )
    profile.members_count += 1
    stamp(profile, actor, "成员入社").save()
    return CoopMember.objects.filter(coop=profile).latest("pk")


@transaction.atomic
def coop_member_leave(*, actor: Any, member: CoopMember, left_on: date, confirmed: bool = False) -> str:
    """A member leaves (退社, 《农民专业合作社法》第二十五条): the row is kept with its leaving date and the
    member count goes down by one, each with its history row. When fewer than five members would be left
    (第十二条, `rules.leaving_warning`) the leaving is recorded only once `confirmed`, and the warning is
    returned for the page to show; it is never refused on that ground."""
    member = CoopMember.objects.select_for_update().select_related("coop__organisation").get(pk=member.pk)
    profile = CoopProfile.objects.select_for_update().get(pk=member.coop_id)
    authorize(actor, MANAGE, profile)
    if member.left_on is not None:
        raise ValidationError("该成员已退社。")
    if left_on > timezone.localdate():
        raise ValidationError("退社日期不能晚于今天。")
    if member.joined_on is not None and left_on < member.joined_on:
        raise ValidationError("退社日期不能早于入社日期。")
    after = max(profile.members_count - 1, 0)
    warning = rules.leaving_warning(after)
    if warning and not confirmed:
        raise ValidationError(warning + "确认成员已退社的，请勾选确认后再提交。")
    member.left_on = left_on
    stamp(member, actor, "成员退社").save()
    profile.members_count = after
    stamp(profile, actor, "成员退社" + ("（成员少于五名）" if warning else "")).save()
    return warning


def _with_history(model: Any, rows: list[Any], actor: Any, reason: str) -> None:
    """Insert `rows` and their history rows (the importer or the demo named as the actor), in batches."""
    bulk_create_with_history(
        rows,
        model,
        batch_size=2000,
        default_user=history_user(actor),
        default_change_reason=reason_of(actor, reason),
    )


def _link_products(model: Any, column: str, pairs: list[tuple[int, Sequence[Product]]]) -> None:
    """The products of each new row (row id, products), in one batched insert into the link table."""
    through = model.products.through
    through.objects.bulk_create(
        [through(**{column: pk, "product_id": p.pk}) for pk, products in pairs for p in products],
        batch_size=5000,
    )


def farm_register(*, actor: Any, farm: NewFarm) -> FamilyFarm:
    return farms_bulk_register(actor=actor, rows=[farm])[0]


@transaction.atomic
def coop_report_file(
    *,
    actor: Any,
    profile: CoopProfile,
    year: int,
    members: int,
    revenue_yuan: int,
    surplus_returned_yuan: int,
    land_mu: Decimal,
    filed_on: date | None = None,
) -> CoopReport:
    authorize(actor, REPORT, profile)
    filed = filed_on or timezone.localdate()
    _refuse(
        rules.report_problems(
            year=year,
            filed_on=filed,
            founded=profile.organisation.founded_on,
            revenue=revenue_yuan,
            returned=surplus_returned_yuan,
        )
    )
    if profile.reports.filter(year=year).exists():
        raise ValidationError(f"{year}年度报告已报送")
    report = CoopReport(
        coop=profile,
        path=profile.path,
        year=year,
        members=members,
        revenue_yuan=revenue_yuan,
        surplus_returned_yuan=surplus_returned_yuan,
        land_mu=land_mu,
        filed_on=filed,
    )
    stamp(report, actor, "报送年度报告").save()
    return report


@transaction.atomic
def farm_report_file(
    *,
    actor: Any,
    farm: FamilyFarm,
    year: int,
    revenue_yuan: int,
    land_mu: Decimal,
    labour: int,
    filed_on: date | None = None,
) -> FarmReport:
    authorize(actor, REPORT, farm)
    filed = filed_on or timezone.localdate()
    _refuse(
        rules.report_problems(year=year, filed_on=filed, founded=farm.registered_on, revenue=revenue_yuan)
    )
    if farm.reports.filter(year=year).exists():
        raise ValidationError(f"{year}年度报告已报送")
    report = FarmReport(
        farm=farm,
        path=farm.path,
        year=year,
        revenue_yuan=revenue_yuan,
        land_mu=land_mu,
        labour=labour,
        filed_on=filed,
    )
    stamp(report, actor, "报送年度报告").save()
    return report
