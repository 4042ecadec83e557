"""Every write of 双报到: keyword-only, `actor` first, one transaction, history kept (stamp / *_with_history).

Who may: staff (`reporting.manage`) at the place; a member (`reporting.self`) only as the person their
account is linked to (MemberLogin); the party secretary (`reporting.confirm`) confirms records in their
compound. Validators live in gongzhi.reporting.rules; their first message is raised as ValidationError.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

import numpy as np
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from numpy.typing import NDArray
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from gongzhi.accounts.access import At, authorize
from gongzhi.core.actors import history_user, is_system, stamp
from gongzhi.organisations import services as orgs
from gongzhi.organisations.models import Coverage, Organisation, Seat
from gongzhi.people.models import Person
from gongzhi.places.models import Compound, Division
from gongzhi.reporting import matching, rules
from gongzhi.reporting.models import (
    CONFIRM,
    MANAGE,
    SELF,
    UNIT_KINDS,
    VOCABULARY,
    Channel,
    ContactPoint,
    HoursSetting,
    Match,
    MatchStatus,
    MemberLogin,
    Need,
    NeedStatus,
    Notice,
    Project,
    RecordStatus,
    Report,
    Resource,
    ResourceKind,
    ServicePost,
    ServiceRecord,
    Skill,
    Unit,
)


def _raise(messages: list[str]) -> None:
    if messages:
        raise ValidationError(messages[0])


def _why(actor: Any, reason: str = "") -> str:
    return (reason or str(actor))[:100]


# -- units and contact points ----------------------------------------------------------------------------


@dataclass
class NewUnit:
    """A unit to create: its district (where it reports), and its contact points: (compound, person)."""

    kind: str
    code: str
    name: str
    district: Division
    points: list[tuple[Compound, Person]] = field(default_factory=list)
    founded_on: date | None = None


@transaction.atomic
def units_bulk_create(*, actor: Any, rows: Sequence[NewUnit], reason: str = "") -> list[Unit]:
    """Units with their contact points: the unit covers its district and each compound; each compound's
    responsible person holds a `liaison` seat. A few queries for any number of units."""
    for r in rows:
        if r.kind not in UNIT_KINDS:
            raise ValidationError(f"单位类别不对：{r.kind}")
    new = [
        orgs.NewOrganisation(
            Unit(kind=r.kind, code=r.code, name=r.name, founded_on=r.founded_on),
            [r.district, *[c for c, _ in r.points]],
            sorted({(p.pk, "liaison") for _, p in r.points}),
        )
        for r in rows
    ]
    orgs.organisations_bulk_create(actor=actor, rows=new, reason=reason)
    units = [n.organisation for n in new]
    _contact_points(actor, units, rows, reason)
    return units  # type: ignore[return-value]


def _contact_points(actor: Any, units: list[Organisation], rows: Sequence[NewUnit], reason: str) -> None:
    ids = [u.pk for u in units]
    cover = {
        (c.organisation_id, c.compound_id): c
        for c in Coverage.objects.current().filter(organisation_id__in=ids, compound__isnull=False)
    }
    seats = {
        (s.organisation_id, s.person_id): s for s in Seat.objects.current().filter(organisation_id__in=ids)
    }
    points = [
        ContactPoint(coverage=cover[(u.pk, c.pk)], responsible=seats[(u.pk, p.pk)], path=c.path)
        for u, r in zip(units, rows, strict=True)
        for c, p in r.points
    ]
    if points:
        bulk_create_with_history(
            points, ContactPoint, default_user=history_user(actor), default_change_reason=_why(actor, reason)
        )


@transaction.atomic
def contact_point_add(
    *, actor: Any, unit: Unit, compound: Compound, person: Person, reason: str = ""
) -> ContactPoint:
    """A new contact point of `unit` at `compound`, `person` responsible."""
    authorize(actor, MANAGE, compound)
    if ContactPoint.objects.filter(
        coverage__organisation=unit, coverage__compound=compound, coverage__until=None
    ).exists():
        raise ValidationError("该单位在此小区已有联系点")
    current = [
        c.place
        for c in Coverage.objects.current()
        .filter(organisation=unit)
        .select_related("division", "compound", "building")
    ]
    orgs.coverage_set(actor=actor, organisation=unit, places=[*current, compound], reason=reason)
    coverage = Coverage.objects.current().get(organisation=unit, compound=compound)
    seat = Seat.objects.current().filter(organisation=unit, person=person).first()
    if seat is None:
        seat = orgs.seat_set(actor=actor, organisation=unit, person=person, role="liaison", reason=reason)
    point = ContactPoint(coverage=coverage, responsible=seat, path=compound.path)
    stamp(point, actor, reason)
    point.save()
    return point


# -- the vocabulary ---------------------------------------------------------------------------------------


@transaction.atomic
def skill_save(*, actor: Any, code: str, name: str, active: bool = True, order: int = 0) -> Skill:
    """Add or rename a term of the skills vocabulary (district administrators)."""
    authorize(actor, VOCABULARY)
    code, name = code.strip(), name.strip()
    if not code or not name or len(code) > 32 or len(name) > 32:
        raise ValidationError("代码和名称都要填写，各不超过 32 个字")
    if Skill.objects.filter(name=name).exclude(code=code).exists():
        raise ValidationError(f"技能“{name}”已存在")
    skill = Skill.objects.filter(code=code).first() or Skill(code=code)
    if skill.pk is None and Skill.objects.filter(active=True).count() >= 63:
        raise ValidationError("技能目录最多 63 项")
    skill.name, skill.active, skill.order = name, active, order
    stamp(skill, actor)
    skill.save()
    return skill


def skills_by_code(codes: Sequence[str]) -> list[Skill]:
    """The active skills named by `codes`; an unknown code is a clear error."""
    found = {s.code: s for s in Skill.objects.filter(code__in=list(codes), active=True)}
    _raise(rules.skills_messages(list(codes), set(found)))
    return [found[c] for c in codes]


# -- reporting --------------------------------------------------------------------------------------------


def person_of(user: Any) -> Person | None:
    """The person a signed-in member is (their MemberLogin), or None."""
    if user is None or is_system(user) or not getattr(user, "is_authenticated", False):
        return None
    login = MemberLogin.objects.filter(user=user).select_related("person").first()
    return login.person if login else None


def _check_reporter(actor: Any, person: Person, compound: Compound, channel: str) -> None:
    if channel == Channel.SELF:
        if person_of(actor) != person:
            raise PermissionDenied
        authorize(actor, SELF, compound)
    else:
        authorize(actor, MANAGE, compound)


@transaction.atomic
def member_report(
    *,
    actor: Any,
    person: Person,
    compound: Compound,
    skills: Sequence[str],
    hours_month: int,
    weekdays: bool = False,
    weekends: bool = True,
    strengths: str = "",
    unit: Organisation | None = None,
    workplace: str = "",
    channel: str = Channel.STAFF,
    on: date | None = None,
    reason: str = "",
) -> Report:
    """An in-service member reports to the compound where they live (once: moving is `member_move`)."""
    _check_reporter(actor, person, compound, channel)
    _raise(rules.availability_messages(hours_month, weekdays, weekends))
    found = skills_by_code(skills)
    if len(strengths) > 200 or len(workplace) > 100:
        raise ValidationError("特长说明不超过 200 字，工作单位不超过 100 字")
    current = Report.objects.select_for_update().filter(person=person, ended_on=None).first()
    if current is not None:
        raise ValidationError("该党员已报到，不能重复报到；如已搬家，请办理变更报到")
    if unit is not None and unit.kind not in UNIT_KINDS:
        raise ValidationError("工作单位应为已登记的报到单位")
    report = Report(
        person=person,
        compound=compound,
        path=compound.path,
        reported_on=on or timezone.localdate(),
        hours_month=hours_month,
        weekdays=weekdays,
        weekends=weekends,
        strengths=strengths.strip(),
        unit=unit,
        workplace=(workplace or (unit.name if unit else "")).strip(),
        channel=channel,
    )
    stamp(report, actor, reason)
    report.save()
    report.skills.set(found)
    return report


@transaction.atomic
def member_move(
    *, actor: Any, report: Report, compound: Compound, on: date | None = None, reason: str = "搬家"
) -> Report:
    """A member who moved reports again where they now live: the old report ends, its history stays."""
    if report.ended_on is not None:
        raise ValidationError("这条报到记录已结束")
    if compound.pk == report.compound_id:
        raise ValidationError("新居住小区与原报到小区相同")
    channel = Channel.SELF if person_of(actor) == report.person else Channel.STAFF
    _check_reporter(actor, report.person, report.compound, channel)
    day = on or timezone.localdate()
    report.ended_on, report.end_reason = day, reason[:100]
    stamp(report, actor, reason)
    report.save(update_fields=["ended_on", "end_reason"])
    Match.objects.filter(report=report, status=MatchStatus.PROPOSED).update(status=MatchStatus.WITHDRAWN)
    return member_report(
        actor=actor,
        person=report.person,
        compound=compound,
        skills=list(report.skills.values_list("code", flat=True)),
        hours_month=report.hours_month,
        weekdays=report.weekdays,
        weekends=report.weekends,
        strengths=report.strengths,
        unit=report.unit,
        workplace=report.workplace,
        channel=channel,
        on=day,
        reason=reason,
    )


@dataclass
class NewReport:
    person_id: int
    compound: Compound
    skill_ids: list[int]
    hours_month: int
    weekdays: bool
    weekends: bool
    unit_id: int | None
    workplace: str
    reported_on: date
    strengths: str = ""


@transaction.atomic
def reports_bulk_create(
    *, actor: Any, rows: Sequence[NewReport], channel: str = Channel.IMPORT, reason: str = ""
) -> int:
    """Many reports at once (the ledger's import, the demo): checked like one, written in a few queries."""
    for path in {r.compound.path for r in rows}:
        authorize(actor, MANAGE, At(path))
    for r in rows:
        _raise(rules.availability_messages(r.hours_month, r.weekdays, r.weekends))
    people = [r.person_id for r in rows]
    if len(set(people)) != len(people):
        raise ValidationError("同一党员在文件中出现多次")
    if Report.objects.filter(person_id__in=people, ended_on=None).exists():
        raise ValidationError("有党员已报到，不能重复报到")
    made = bulk_create_with_history(
        [
            Report(
                person_id=r.person_id,
                compound=r.compound,
                path=r.compound.path,
                reported_on=r.reported_on,
                hours_month=r.hours_month,
                weekdays=r.weekdays,
                weekends=r.weekends,
                unit_id=r.unit_id,
                workplace=r.workplace,
                strengths=r.strengths,
                channel=channel,
            )
            for r in rows
        ],
        Report,
        default_user=history_user(actor),
        default_change_reason=_why(actor, reason),
    )
    if any(m.pk is None for m in made):
        ids = dict(Report.objects.filter(person_id__in=people, ended_on=None).values_list("person_id", "pk"))
        for m in made:
            m.pk = ids[m.person_id]
    through = Report.skills.through
    through.objects.bulk_create(
        [through(report_id=m.pk, skill_id=s) for m, r in zip(made, rows, strict=True) for s in r.skill_ids]
    )
    return len(made)


# -- needs, notices -----------------------------------------------------------------------------------------


@transaction.atomic
def need_create(
    *,
    actor: Any,
    compound: Compound,
    title: str,
    skills: Sequence[str],
    hours: int,
    per_member: int,
    starts_on: date,
    ends_on: date,
    urgency: int = 0,
    detail: str = "",
    notify: int = 30,
) -> Need:
    """A compound publishes a need; the `notify` members who fit it best are told on their phone page."""
    authorize(actor, MANAGE, compound)
    if not title.strip() or len(title) > 100 or len(detail) > 500:
        raise ValidationError("请填写需求（不超过 100 字），说明不超过 500 字")
    _raise(rules.need_messages(hours, per_member, starts_on, ends_on))
    if urgency not in (0, 1, 2):
        raise ValidationError("紧急程度不对")
    found = skills_by_code(skills)
    need = Need(
        compound=compound,
        path=compound.path,
        title=title.strip(),
        detail=detail.strip(),
        hours=hours,
        per_member=per_member,
        starts_on=starts_on,
        ends_on=ends_on,
        urgency=urgency,
    )
    stamp(need, actor)
    need.save()
    need.skills.set(found)
    if notify:
        _notify(need, notify)
    return need


@dataclass
class NewNeed:
    compound: Compound
    title: str
    skills: list[str]
    hours: int
    per_member: int
    starts_on: date
    ends_on: date
    urgency: int = 0
    detail: str = ""


@transaction.atomic
def needs_bulk_create(*, actor: Any, rows: Sequence[NewNeed], reason: str = "") -> list[Need]:
    """Many needs at once (the demo, imports): checked like one, written in a few queries, nobody notified."""
    for path in {r.compound.path for r in rows}:
        authorize(actor, MANAGE, At(path))
    skills = {s.code: s.pk for s in Skill.objects.filter(active=True)}
    for r in rows:
        _raise(rules.need_messages(r.hours, r.per_member, r.starts_on, r.ends_on))
        _raise(rules.skills_messages(r.skills, set(skills)))
    made = bulk_create_with_history(
        [
            Need(
                compound=r.compound,
                path=r.compound.path,
                title=r.title,
                detail=r.detail,
                hours=r.hours,
                per_member=r.per_member,
                starts_on=r.starts_on,
                ends_on=r.ends_on,
                urgency=r.urgency,
            )
            for r in rows
        ],
        Need,
        default_user=history_user(actor),
        default_change_reason=_why(actor, reason),
    )
    through = Need.skills.through
    through.objects.bulk_create(
        [through(need_id=n.pk, skill_id=skills[c]) for n, r in zip(made, rows, strict=True) for c in r.skills]
    )
    return made


def _notify(need: Need, limit: int) -> None:
    """Notices to the members who fit the need best (the solver's own weight)."""
    sub = need.path.split("/")[:5]
    problem = load_problem("/".join(sub) + "/", needs=[need])
    fits = sorted(
        ((matching.weight(m, problem.needs[0]), m.id) for m in problem.members),
        reverse=True,
    )
    Notice.objects.bulk_create(
        [Notice(report_id=rid, need=need) for w, rid in fits[:limit] if w > 0], ignore_conflicts=True
    )


# -- matching -----------------------------------------------------------------------------------------------


@dataclass
class Problem:
    arrays: matching.Arrays
    bits: dict[int, int]  # skill id → bit

    @property
    def members(self) -> list[matching.Member]:
        return self.arrays.members()

    @property
    def needs(self) -> list[matching.Need]:
        return self.arrays.needs()


def _place_keys(path: str) -> tuple[int, int, int]:
    """(subdistrict, community, compound) codes from a compound's path 37/3702/370202/…/sub/com/cpd/."""
    parts = path.rstrip("/").split("/")
    return int(parts[3]), int(parts[4]), int(parts[5])


def _masks(ids: NDArray[np.int64], pairs: list[tuple[int, int]], bits: dict[int, int]) -> NDArray[np.uint64]:
    """Skill bit masks for the rows `ids` (sorted) from (row id, skill id) pairs, with numpy."""
    out = np.zeros(len(ids), dtype=np.uint64)
    if pairs and len(ids):
        rows, sids = np.array(pairs, dtype=np.int64).T
        bit = np.array([bits.get(x, 0) for x in range(int(sids.max()) + 1)], dtype=np.uint64)[sids]
        at = np.searchsorted(ids, rows)
        ok = (at < len(ids)) & (ids[np.minimum(at, len(ids) - 1)] == rows)
        np.bitwise_or.at(out, at[ok], np.left_shift(np.uint64(1), bit[ok]))
    return out


def _keys(cids: list[int], compounds: dict[int, tuple[int, int, int]]) -> NDArray[np.int64]:
    return np.array([compounds[c] for c in cids], dtype=np.int64).reshape(len(cids), 3)


def load_problem(path: str, needs: Sequence[Need] | None = None, today: date | None = None) -> Problem:
    """Members with free hours and open needs under `path` as columns: one query per table, no model
    objects (what the solver reads is built with numpy)."""
    day = today or timezone.localdate()
    bits = {sid: i for i, sid in enumerate(Skill.objects.order_by("id").values_list("id", flat=True)[:63])}
    compounds = {
        pk: _place_keys(p) for pk, p in Compound.objects.filter(path__under=path).values_list("pk", "path")
    }
    reports = sorted(
        Report.objects.filter(path__under=path, ended_on=None).values_list("pk", "compound_id", "hours_month")
    )
    busy = dict(
        Match.objects.filter(
            status__in=[MatchStatus.PROPOSED, MatchStatus.ACCEPTED],
            need__status=NeedStatus.OPEN,
            path__under=path,
        )
        .values("report_id")
        .annotate(h=Sum("hours"))
        .values_list("report_id", "h")
    )
    m_id = np.array([r[0] for r in reports], dtype=np.int64)
    m_hours = np.array([r[2] - (busy.get(r[0]) or 0) for r in reports], dtype=np.int64).clip(min=0)
    m_keys = _keys([r[1] for r in reports], compounds)
    m_skills = _masks(
        m_id,
        list(
            Report.skills.through.objects.filter(report__path__under=path, report__ended_on=None).values_list(
                "report_id", "skill_id"
            )
        ),
        bits,
    )
    if needs is None:
        rows = sorted(
            Need.objects.filter(path__under=path, status=NeedStatus.OPEN, ends_on__gte=day).values_list(
                "pk", "compound_id", "hours", "per_member", "urgency"
            )
        )
        taken = dict(
            Match.objects.filter(
                need__path__under=path,
                need__status=NeedStatus.OPEN,
                status__in=[MatchStatus.PROPOSED, MatchStatus.ACCEPTED],
            )
            .values("need_id")
            .annotate(h=Sum("hours"))
            .values_list("need_id", "h")
        )
        skill_pairs = list(
            Need.skills.through.objects.filter(
                need__path__under=path, need__status=NeedStatus.OPEN, need__ends_on__gte=day
            ).values_list("need_id", "skill_id")
        )
    else:
        rows = sorted((n.pk, n.compound_id, n.hours, n.per_member, n.urgency) for n in needs)
        taken = {}
        skill_pairs = list(
            Need.skills.through.objects.filter(need_id__in=[r[0] for r in rows]).values_list(
                "need_id", "skill_id"
            )
        )
        compounds.update(
            {n.compound_id: _place_keys(n.path) for n in needs if n.compound_id not in compounds}
        )
    n_id = np.array([r[0] for r in rows], dtype=np.int64)
    n_keys = _keys([r[1] for r in rows], compounds)
    members = {
        "id": m_id,
        "hours": m_hours,
        "skills": m_skills,
        "subdistrict": m_keys[:, 0],
        "community": m_keys[:, 1],
        "compound": m_keys[:, 2],
    }
    need_cols = {
        "id": n_id,
        "hours": np.array([r[2] - (taken.get(r[0]) or 0) for r in rows], dtype=np.int64).clip(min=0),
        "per_member": np.array([r[3] for r in rows], dtype=np.int64),
        "skills": _masks(n_id, skill_pairs, bits),
        "subdistrict": n_keys[:, 0],
        "community": n_keys[:, 1],
        "compound": n_keys[:, 2],
        "urgency": np.array([r[4] for r in rows], dtype=np.int64),
    }
    return Problem(matching.Arrays.of(members, need_cols), bits)


@dataclass
class RunSummary:
    members: int
    needs: int
    proposed: int
    hours: int
    objective: int
    greedy_objective: int


def reasons(a: matching.Assignment, bits: dict[int, int], names: dict[int, str]) -> list[str]:
    """Why a member was proposed, in words: the shared skills and how near they live."""
    shared = [names[sid] for sid, bit in bits.items() if a.shared >> bit & 1 and sid in names]
    return [
        f"技能相符：{'、'.join(shared)}",
        f"居住地：{matching.NEAR_LABEL[a.near]}",
        f"可服务 {a.hours} 小时",
    ]


@transaction.atomic
def _list_bounds(top_k: int | None) -> tuple[int, int]:
    """The candidate lists' bounds: each member's best needs and each need's best members (settings)."""
    per_member = settings.GONGZHI_MATCH_PER_MEMBER if top_k is None else top_k
    return per_member, settings.GONGZHI_MATCH_PER_NEED


def matching_run(
    *, actor: Any, place: Division | Compound, top_k: int | None = None, on: date | None = None
) -> RunSummary:
    """Propose members for the open needs under `place`: earlier proposals nobody answered are withdrawn
    and the solver's optimum over members' free hours and needs' open hours is proposed instead."""
    authorize(actor, MANAGE, place)
    Match.objects.filter(path__under=place.path, status=MatchStatus.PROPOSED, by_staff=False).update(
        status=MatchStatus.WITHDRAWN
    )
    problem = load_problem(place.path, today=on)
    per_member, per_need = _list_bounds(top_k)
    result = matching.solve_arrays(problem.arrays, per_member, per_need)
    base = matching.greedy_arrays(problem.arrays, per_member, per_need)
    live = set(
        Match.objects.filter(
            path__under=place.path, status__in=[MatchStatus.PROPOSED, MatchStatus.ACCEPTED]
        ).values_list("need_id", "report_id")
    )
    # A pair staff proposed or the member accepted stays as it is (its hours are already taken above).
    result.assignments = [a for a in result.assignments if (a.need, a.member) not in live]
    names = dict(Skill.objects.values_list("id", "name"))
    paths = dict(Need.objects.filter(pk__in={a.need for a in result.assignments}).values_list("pk", "path"))
    rows = [
        Match(
            need_id=a.need,
            report_id=a.member,
            hours=a.hours,
            score=a.weight,
            reasons=reasons(a, problem.bits, names),
            path=paths[a.need],
        )
        for a in result.assignments
    ]
    bulk_create_with_history(
        rows, Match, default_user=history_user(actor), default_change_reason=_why(actor, "智能匹配")
    )
    return RunSummary(
        len(problem.arrays.m_id),
        len(problem.arrays.n_id),
        len(rows),
        sum(a.hours for a in result.assignments),
        sum(a.hours * a.weight for a in result.assignments),
        base.objective,
    )


@transaction.atomic
def match_propose(*, actor: Any, need: Need, report: Report, hours: int, reason: str = "") -> Match:
    """Staff override: propose a member the solver did not, with the staff's reason."""
    authorize(actor, MANAGE, need)
    if report.ended_on is not None:
        raise ValidationError("该党员的报到已结束")
    if hours <= 0 or hours > need.hours:
        raise ValidationError("建议时长应大于 0 且不超过需求总时长")
    if Match.objects.filter(
        need=need, report=report, status__in=[MatchStatus.PROPOSED, MatchStatus.ACCEPTED]
    ).exists():
        raise ValidationError("该党员已在此需求的推荐名单中")
    match = Match(
        need=need,
        report=report,
        hours=hours,
        by_staff=True,
        reasons=[f"工作人员指定：{reason}" if reason else "工作人员指定"],
        path=need.path,
    )
    stamp(match, actor, reason)
    match.save()
    return match


@transaction.atomic
def match_withdraw(*, actor: Any, match: Match, reason: str = "") -> Match:
    authorize(actor, MANAGE, match)
    if match.status != MatchStatus.PROPOSED:
        raise ValidationError("只能撤回待确认的推荐")
    match.status = MatchStatus.WITHDRAWN
    stamp(match, actor, reason)
    match.save(update_fields=["status"])
    return match


@transaction.atomic
def match_answer(*, actor: Any, match: Match, accept: bool) -> Match:
    """The member accepts or declines a proposal on their phone; a need whose hours are all accepted is matched."""
    match = Match.objects.select_for_update().select_related("report", "need").get(pk=match.pk)
    if person_of(actor) != match.report.person:
        raise PermissionDenied
    authorize(actor, SELF, match.report.compound)
    if match.status != MatchStatus.PROPOSED:
        raise ValidationError("这条推荐已处理")
    match.status = MatchStatus.ACCEPTED if accept else MatchStatus.DECLINED
    match.answered_at = timezone.now()
    stamp(match, actor)
    match.save(update_fields=["status", "answered_at"])
    if accept:
        need = Need.objects.select_for_update().get(pk=match.need_id)
        accepted = (
            Match.objects.filter(need=need, status=MatchStatus.ACCEPTED).aggregate(h=Sum("hours"))["h"] or 0
        )
        if accepted >= need.hours and need.status == NeedStatus.OPEN:
            need.status = NeedStatus.MATCHED
            stamp(need, actor, "已认领满")
            need.save(update_fields=["status"])
    return match


# -- service records ------------------------------------------------------------------------------------------


@transaction.atomic
def record_add(
    *,
    actor: Any,
    report: Report,
    served_on: date,
    hours: Decimal,
    note: str = "",
    need: Need | None = None,
) -> ServiceRecord:
    """Hours served: by the member (to be confirmed) or by staff (confirmed as entered)."""
    by_member = person_of(actor) == report.person
    if by_member:
        authorize(actor, SELF, report.compound)
    else:
        authorize(actor, MANAGE, report)
    if not isinstance(hours, Decimal) or not hours.is_finite():
        raise ValidationError("服务时长应为数字")
    _raise(rules.record_messages(hours, served_on, timezone.localdate()))
    if served_on < report.reported_on:
        raise ValidationError("服务日期早于报到日期")
    if len(note) > 200:
        raise ValidationError("服务内容不超过 200 字")
    record = ServiceRecord(
        report=report,
        unit_id=report.unit_id,
        need=need,
        served_on=served_on,
        hours=hours.quantize(Decimal("0.1")),
        note=note.strip(),
        status=RecordStatus.REPORTED if by_member else RecordStatus.CONFIRMED,
        confirmed_by=None if by_member or is_system(actor) else actor,
        path=report.path,
    )
    stamp(record, actor)
    record.save()
    return record


@transaction.atomic
def record_confirm(*, actor: Any, record: ServiceRecord, ok: bool = True) -> ServiceRecord:
    """The compound's party secretary (or staff) confirms or rejects a member's record."""
    authorize(actor, CONFIRM, record)
    if record.status != RecordStatus.REPORTED:
        raise ValidationError("这条记录已处理")
    record.status = RecordStatus.CONFIRMED if ok else RecordStatus.REJECTED
    record.confirmed_by = None if is_system(actor) else actor
    stamp(record, actor)
    record.save(update_fields=["status", "confirmed_by"])
    return record


@transaction.atomic
def records_bulk_create(*, actor: Any, rows: Sequence[ServiceRecord], reason: str = "") -> int:
    """Confirmed records in bulk (the demo and imports), each placed by its member's report."""
    for path in {r.path for r in rows}:
        authorize(actor, MANAGE, At(path))
    for r in rows:
        _raise(rules.record_messages(r.hours, r.served_on, timezone.localdate()))
    bulk_create_with_history(
        list(rows), ServiceRecord, default_user=history_user(actor), default_change_reason=_why(actor, reason)
    )
    return len(rows)


@transaction.atomic
def matches_bulk_answer(*, actor: Any, matches: Sequence[Match], status: str) -> int:
    """Record answers in bulk (the demo: members who accepted); needs' status follows."""
    authorize(actor, MANAGE)
    now = timezone.now()
    for m in matches:
        m.status, m.answered_at = status, now
    Match.objects.filter(pk__in=[m.pk for m in matches]).update(status=status, answered_at=now)
    Match.history.bulk_history_create(  # type: ignore[attr-defined]
        list(matches), update=True, default_user=history_user(actor), default_change_reason=_why(actor)
    )
    needs_refresh(need_ids={m.need_id for m in matches})
    return len(matches)


@transaction.atomic
def needs_close_expired(*, actor: Any, on: date | None = None) -> int:
    """Needs still open after their window ends are closed (what was served stays recorded)."""
    authorize(actor, MANAGE)
    day = on or timezone.localdate()
    rows = list(Need.objects.filter(status=NeedStatus.OPEN, ends_on__lt=day))
    for n in rows:
        n.status = NeedStatus.CLOSED
    if rows:
        bulk_update_with_history(
            rows,
            Need,
            ["status"],
            default_user=history_user(actor),
            default_change_reason=_why(actor, "已到期"),
        )
    Match.objects.filter(need__in=rows, status=MatchStatus.PROPOSED).update(status=MatchStatus.WITHDRAWN)
    return len(rows)


def needs_refresh(*, need_ids: set[int]) -> None:
    """A need whose accepted hours cover its demand is matched."""
    accepted = dict(
        Match.objects.filter(need_id__in=need_ids, status=MatchStatus.ACCEPTED)
        .values("need_id")
        .annotate(h=Sum("hours"))
        .values_list("need_id", "h")
    )
    full = [
        n
        for n in Need.objects.filter(pk__in=need_ids, status=NeedStatus.OPEN)
        if accepted.get(n.pk, 0) >= n.hours
    ]
    for n in full:
        n.status = NeedStatus.MATCHED
    if full:
        bulk_update_with_history(full, Need, ["status"], default_change_reason="已认领满")


# -- the three lists: resources, projects, service posts; the hours setting -------------------------------


@transaction.atomic
def resource_save(
    *,
    actor: Any,
    unit: Unit,
    kind: str,
    name: str,
    quantity: str = "",
    resource: Resource | None = None,
    reason: str = "",
) -> Resource:
    """Add a resource the unit offers, or change one of its own (staff of a place the unit covers)."""
    authorize(actor, MANAGE, unit)
    if resource is not None and resource.unit_id != unit.pk:
        raise ValidationError("该资源不属于此单位")
    _raise(rules.resource_messages(kind, set(ResourceKind.values), name, quantity))
    row = resource or Resource(unit=unit, path=unit.path)
    row.kind, row.name, row.quantity = kind, name.strip(), quantity.strip()
    stamp(row, actor, reason)
    row.save()
    return row


@transaction.atomic
def project_save(
    *,
    actor: Any,
    unit: Unit,
    compound: Compound,
    title: str,
    progress: int,
    adopted_on: date,
    project: Project | None = None,
    reason: str = "",
) -> Project:
    """Add a project the unit adopted at one of its contact points, or update one (its progress)."""
    authorize(actor, MANAGE, compound)
    if project is not None and project.unit_id != unit.pk:
        raise ValidationError("该项目不属于此单位")
    if not ContactPoint.objects.filter(
        coverage__organisation=unit, coverage__compound=compound, coverage__until=None
    ).exists():
        raise ValidationError("项目须在本单位的联系点小区认领")
    _raise(rules.project_messages(title, progress, adopted_on, timezone.localdate()))
    row = project or Project(unit=unit)
    row.compound, row.path = compound, compound.path
    row.title, row.progress, row.adopted_on = title.strip(), progress, adopted_on
    stamp(row, actor, reason)
    row.save()
    return row


@transaction.atomic
def post_save(
    *,
    actor: Any,
    place: Division | Compound,
    name: str,
    quota: int,
    post: ServicePost | None = None,
    reason: str = "",
) -> ServicePost:
    """Publish a service post with its quota to the units and communities under `place`, or change one
    (it stays where it was published: only staff there may change it)."""
    if post is None:
        authorize(actor, MANAGE, place)
        path = place.path
    else:
        authorize(actor, MANAGE, post)
        post = ServicePost.objects.select_for_update().get(pk=post.pk)
        path = post.path
    claimed = post.claims.count() if post is not None else 0
    _raise(rules.post_messages(name, quota, claimed))
    clash = ServicePost.objects.filter(path=path, name=name.strip())
    if post is not None:
        clash = clash.exclude(pk=post.pk)
    if clash.exists():
        raise ValidationError(f"此范围已有岗位“{name.strip()}”")
    row = post or ServicePost()
    row.name, row.quota, row.path = name.strip(), quota, path
    stamp(row, actor, reason)
    row.save()
    return row


@transaction.atomic
def post_claim(*, actor: Any, post: ServicePost, report: Report, claim: bool = True) -> ServicePost:
    """A member claims a post published over where they live (or gives it up) on the phone, within its quota."""
    if not is_system(actor):
        if person_of(actor) != report.person:
            raise PermissionDenied
        authorize(actor, SELF, report.compound)
    post = ServicePost.objects.select_for_update().get(pk=post.pk)
    if report.ended_on is not None:
        raise ValidationError("该报到已结束")
    if not report.path.startswith(post.path):
        raise ValidationError("该岗位未向您所在的小区发布")
    has = post.claims.filter(pk=report.pk).exists()
    if claim and has:
        raise ValidationError("您已认领该岗位")
    if claim and post.claims.count() >= post.quota:
        raise ValidationError(f"岗位“{post.name}”的 {post.quota} 个名额已满")
    if not claim and not has:
        raise ValidationError("您未认领该岗位")
    # The m2m change writes the post's history row (claims as they now stand), naming the actor.
    stamp(post, actor, "认领岗位" if claim else "放弃岗位")
    (post.claims.add if claim else post.claims.remove)(report)
    return post


@transaction.atomic
def hours_setting_save(
    *, actor: Any, place: Division | Compound, from_year: int, min_hours: int, reason: str = ""
) -> HoursSetting:
    """The yearly hours members under `place` should serve from `from_year` on (a later year's record
    takes over; the same place and year is changed in place, its history kept)."""
    authorize(actor, MANAGE, place)
    _raise(rules.hours_setting_messages(min_hours, from_year))
    row = HoursSetting.objects.filter(path=place.path, from_year=from_year).first() or HoursSetting(
        path=place.path, from_year=from_year
    )
    row.min_hours = min_hours
    stamp(row, actor, reason)
    row.save()
    return row
