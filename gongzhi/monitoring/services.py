"""Every write of 防止返贫动态监测: keyword-only, `actor` checked by gongzhi.accounts.access, one transaction,
history kept (django-simple-history; bulk rows through gongzhi.core.writes). Rules live in rules.py."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models.expressions import RawSQL
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gongzhi.accounts.access import At, authorize, can
from gongzhi.core.actors import history_user, reason_of, stamp
from gongzhi.core.bulk import insert_rows
from gongzhi.core.crypto import blind_index, keyring
from gongzhi.core.paths import under
from gongzhi.core.writes import insert_history, take_ids
from gongzhi.monitoring import rules
from gongzhi.monitoring.models import (
    ASSIST,
    COUNTY_DECIDE,
    SELF,
    SETTINGS,
    TOWN_CHECK,
    VILLAGE_REVIEW,
    VISIT,
    WARN_IMPORT,
    Case,
    CaseStatus,
    Category,
    Channel,
    Decision,
    Department,
    Hardship,
    Household,
    Income,
    Labour,
    Measure,
    MeasureKind,
    Member,
    MonitoringLine,
    NoticePeriod,
    Purpose,
    Step,
    Visit,
    Warning,
    WarningList,
)
from gongzhi.monitoring.selectors import checklist_of
from gongzhi.people.bulk import NewPerson, persons_record_bulk
from gongzhi.people.identity import IdFault, clean_id_number, id_number_fault
from gongzhi.people.masking import mask_id_number
from gongzhi.people.models import Person
from gongzhi.places.models import Division

STEP_ACTION = {Step.VILLAGE: VILLAGE_REVIEW, Step.TOWN: TOWN_CHECK, Step.COUNTY: COUNTY_DECIDE}
# Lazy: read in the language of whoever imports (a job speaks its requester's, gongzhi.core.job_language).
FAULTS = {
    IdFault.LENGTH: gettext_lazy("应为 18 位"),
    IdFault.FORMAT: gettext_lazy("应为 17 位数字加 1 位校验码"),
    IdFault.CHECK: gettext_lazy("校验码不正确"),
    IdFault.BIRTH: gettext_lazy("出生日期无效"),
}
OPEN = (CaseStatus.IDENTIFYING, CaseStatus.MONITORED, CaseStatus.ELIMINATING)


def _today() -> date:
    return timezone.localdate()


@dataclass(frozen=True)
class MemberRow:
    name: str
    id_number: str
    relation: str
    labour: str = Labour.FULL


@transaction.atomic
def household_register(
    *, actor: Any, village: Division, number: str, members: Sequence[MemberRow], account: Any = None
) -> Household:
    """Register a rural household and its members (the first is the head); ID numbers are checked and a
    person already on record is reused by ID number, never duplicated."""
    authorize(actor, VISIT, village)
    if village.level not in ("village", "community"):  # 涉农社区 keep rural households too
        raise ValidationError(_("农户应登记在村（社区）"))
    if not members:
        raise ValidationError(_("请至少登记户主"))
    if not number.strip() or Household.objects.filter(number=number.strip()).exists():
        raise ValidationError(_("户编号为空或已存在"))
    cleaned = [clean_id_number(m.id_number) for m in members]
    if len(set(cleaned)) != len(cleaned):
        raise ValidationError(_("同一身份证号重复登记"))
    persons: list[Person] = []
    for m, clean in zip(members, cleaned, strict=True):
        if m.labour not in Labour.values:
            raise ValidationError(_("劳动能力无效"))
        person = Person.objects.filter(id_number=clean).first()
        if person is None:
            person = stamp(Person(name=m.name.strip()[:100], id_number=clean), actor, "登记农户")
            person.save()
        elif Member.objects.filter(person=person).exists():
            raise ValidationError(
                _("%(id_number)s 已是其他农户的成员") % {"id_number": mask_id_number(clean)}
            )
        persons.append(person)
    household = Household(
        village=village, path=village.path, number=number.strip(), head=persons[0], account=account
    )
    stamp(household, actor, "登记农户").save()
    Member.objects.bulk_create(
        Member(household=household, person=p, relation=m.relation.strip()[:16] or "本人", labour=m.labour)
        for p, m in zip(persons, members, strict=True)
    )
    return household


@transaction.atomic
def income_record(*, actor: Any, household: Household, measured_on: date, yuan_per_person: Decimal) -> Income:
    """A check of the household's annualised per-capita income (one per day; a second replaces it)."""
    authorize(actor, VISIT, household)
    if measured_on > _today():
        raise ValidationError(_("核查日期不能晚于今天"))
    if yuan_per_person < 0 or yuan_per_person > Decimal("10000000"):
        raise ValidationError(_("人均收入超出合理范围"))
    income, _created = Income.objects.update_or_create(
        household=household, measured_on=measured_on, defaults={"yuan_per_person": yuan_per_person}
    )
    return income


@transaction.atomic
def case_raise(
    *,
    actor: Any,
    household: Household,
    channel: str,
    risk: str,
    category: str = "",
    hardship: str = "",
    on: date | None = None,
) -> Case:
    """Open a case on a household (identification starts with the village review). Self-reports come from
    the household's own account and say what happened (`hardship`); the category is the cadres' call, set
    by a visit that raises the case or at the village review (`case_decide`). Visits and warnings: staff."""
    if channel == Channel.SELF_REPORT:
        authorize(actor, SELF, household)
        if household.account_id != getattr(actor, "pk", None):
            raise ValidationError(_("只能为本户申报"))
        if category:
            raise ValidationError(_("监测类别由村干部在识别时认定，申报时请说明遇到的困难"))
        if hardship not in Hardship.values:
            raise ValidationError(_("请选择遇到的困难类型"))
    else:
        authorize(actor, VISIT, household)
    if category and category not in Category.values:
        raise ValidationError(_("监测类别无效"))
    if hardship and hardship not in Hardship.values:
        raise ValidationError(_("困难类型无效"))
    if not risk.strip():
        raise ValidationError(_("请说明风险情况"))
    if Case.objects.filter(household=household, status__in=OPEN).exists():
        raise ValidationError(_("该户已有正在办理的监测对象记录"))
    case = Case(
        household=household,
        path=household.path,
        channel=channel,
        category=category,
        hardship=hardship,
        risk=risk.strip()[:200],
        opened_on=on or _today(),
    )
    stamp(case, actor, "发现风险").save()
    return case


@transaction.atomic
def visit_record(
    *,
    actor: Any,
    household: Household,
    visited_on: date,
    findings: str,
    next_due: date,
    secure: dict[str, bool],
    raise_category: str = "",
    risk: str = "",
) -> Visit:
    """A visit (走访排查) with its findings; with `raise_category` the visit also raises a case."""
    authorize(actor, VISIT, household)
    if visited_on > _today():
        raise ValidationError(_("走访日期不能晚于今天"))
    if next_due <= visited_on:
        raise ValidationError(_("下次走访日期应晚于本次走访"))
    if not findings.strip():
        raise ValidationError(_("请填写走访情况"))
    visit = Visit(
        household=household,
        path=household.path,
        visited_on=visited_on,
        visitor=history_user(actor),
        findings=findings.strip()[:1000],
        next_due=next_due,
        **{f"{k}_secure": bool(secure.get(k, True)) for k in ("education", "medical", "housing", "water")},
    )
    stamp(visit, actor, "走访").save()
    if raise_category:
        case_raise(
            actor=actor,
            household=household,
            channel=Channel.VISIT,
            category=raise_category,
            risk=risk or findings,
            on=visited_on,
        )
    return visit


def _notice_days(step: str) -> int:
    row = NoticePeriod.objects.filter(step=step).first()
    if row is None:
        raise ValidationError(_("尚未设置该环节的公示天数，请县级主管部门先设置"))
    return row.days


@transaction.atomic
def case_decide(
    *,
    actor: Any,
    case: Case,
    step: str,
    approved: bool,
    note: str = "",
    category: str = "",
    on: date | None = None,
) -> Decision:
    """One step of identification (status 识别中) or elimination (风险消除审批中), in order, after the
    previous step's 公示. The county's approval closes the procedure; a refusal at any step ends it.
    The village review that approves an identification sets the category (`category`, or the one a
    cadre's visit already gave); without one it is refused."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    if step not in Step.values:
        raise ValidationError(_("环节无效"))
    authorize(actor, STEP_ACTION[Step(step)], case)
    if case.status == CaseStatus.IDENTIFYING:
        purpose = Purpose.IDENTIFY
    elif case.status == CaseStatus.ELIMINATING:
        purpose = Purpose.ELIMINATE
    else:
        raise ValidationError(_("该记录当前不在审批环节"))
    today = on or _today()
    if today > _today() or today < case.opened_on:
        raise ValidationError(_("决定日期应在发现日期之后、今天之前"))
    done = [
        (d.step, d.decided_on, d.notice_days)
        for d in case.decisions.filter(purpose=purpose, approved=True).order_by("decided_on", "pk")
    ]
    refusal = rules.step_refusal(step, done, today)
    if refusal:
        raise ValidationError(refusal)
    if category and (purpose != Purpose.IDENTIFY or step != Step.VILLAGE):
        raise ValidationError(_("监测类别在村级评议时认定"))
    if category and category not in Category.values:
        raise ValidationError(_("监测类别无效"))
    if approved and purpose == Purpose.IDENTIFY and step == Step.VILLAGE:
        case.category = category or case.category
        if not case.category:
            raise ValidationError(_("请认定监测类别（脱贫不稳定户、边缘易致贫户或突发严重困难户）"))
        stamp(case, actor, "认定监测类别").save()
    decision = Decision(
        case=case,
        purpose=purpose,
        step=step,
        approved=approved,
        decided_on=today,
        notice_days=_notice_days(step) if approved else 0,
        note=note.strip()[:200],
        decided_by=history_user(actor),
    )
    stamp(decision, actor, "审批").save()
    if not approved:
        case.status = CaseStatus.REJECTED if purpose == Purpose.IDENTIFY else CaseStatus.MONITORED
        stamp(case, actor, "审批未通过").save()
    elif step == Step.COUNTY:
        if purpose == Purpose.IDENTIFY:
            case.status = CaseStatus.MONITORED
            case.household.category = case.category
            stamp(case.household, actor, "纳入监测").save()
        else:
            case.status, case.eliminated_on = CaseStatus.ELIMINATED, today
        stamp(case, actor, "县级确定").save()
    return decision


@transaction.atomic
def case_start_elimination(*, actor: Any, case: Case, on: date | None = None) -> Case:
    """Start risk elimination, only when the checklist holds; a household without labour capacity is
    moved to continued protection instead."""
    authorize(actor, VILLAGE_REVIEW, case)
    if case.status != CaseStatus.MONITORED:
        raise ValidationError(_("只有监测帮扶中的对象可以申请风险消除"))
    items = checklist_of(case, on or _today())
    failed = [c for c in items if not c.passed]
    if [c.code for c in failed] == ["labour"]:
        case.status = CaseStatus.PROTECTED
        stamp(case, actor, "无劳动能力，继续保障").save()
        return case
    if failed:
        raise ValidationError(
            _("风险消除条件未满足：%(conditions)s") % {"conditions": "；".join(str(c.label) for c in failed)}
        )
    case.status = CaseStatus.ELIMINATING
    stamp(case, actor, "申请风险消除").save()
    return case


@transaction.atomic
def measure_add(
    *,
    actor: Any,
    case: Case,
    kind: str,
    starts_on: date,
    ends_on: date | None,
    amount_yuan: Decimal,
    officer: str,
    note: str = "",
) -> Measure:
    authorize(actor, ASSIST, case)
    if case.status not in (CaseStatus.MONITORED, CaseStatus.ELIMINATING, CaseStatus.PROTECTED):
        raise ValidationError(_("纳入监测后才能落实帮扶措施"))
    if kind not in MeasureKind.values:
        raise ValidationError(_("帮扶措施类型无效"))
    if ends_on is not None and ends_on < starts_on:
        raise ValidationError(_("结束日期不能早于开始日期"))
    if amount_yuan < 0:
        raise ValidationError(_("金额不能为负数"))
    if not officer.strip():
        raise ValidationError(_("请填写责任人"))
    measure = Measure(
        case=case,
        path=case.path,
        kind=kind,
        starts_on=starts_on,
        ends_on=ends_on,
        amount_yuan=amount_yuan,
        officer=officer.strip()[:50],
        note=note.strip()[:200],
    )
    stamp(measure, actor, "帮扶措施").save()
    return measure


@dataclass
class MatchReport:
    rows: int = 0
    bad: list[tuple[int, str]] = field(default_factory=list)  # (row number, why)
    unknown: list[int] = field(default_factory=list)  # row numbers whose ID is no member's
    matched: int = 0
    cases_raised: int = 0
    warning_list: WarningList | None = None


def _values_of(items: list[str]) -> RawSQL:
    """The list as one bound parameter the database unrolls itself: a JSON array read by json_each on
    SQLite, a text array unnested on PostgreSQL. One statement for 100,000 IDs, and none of the ORM's
    per-value preparation of a long IN list."""
    if connection.vendor == "postgresql":
        return RawSQL("SELECT unnest(%s::text[])", [items])
    return RawSQL("SELECT value FROM json_each(%s)", [json.dumps(items)])


def _match(indexes: Sequence[str], path: str) -> dict[str, tuple[int, str]]:
    """Blind index → (household id, path) for the members under `path` whose index is among `indexes`:
    one set-based query through the unique index on the keyed hash (no per-row query)."""
    unique = [i for i in dict.fromkeys(indexes) if i]
    if not unique:
        return {}
    rows = Member.objects.filter(
        under(path, "household__path"), person__id_number_index__in=_values_of(unique)
    ).values_list("person__id_number_index", "household_id", "household__path")
    return {str(index): (hid, hpath) for index, hid, hpath in rows.iterator(chunk_size=10_000)}


@transaction.atomic
def warning_list_import(
    *, actor: Any, department: str, path: str, rows: Sequence[tuple[str, str]], on: date | None = None
) -> MatchReport:
    """Match a department's warning list (ID number, reason) to the households under `path` by ID number.

    Any bad ID number (length, format, check character, birth date) makes the whole file refused and
    nothing is written; IDs of no member are reported (a department lists people outside the county too).
    Matched households get a warning row each, and a case (channel 部门预警) when none is open."""
    authorize(actor, WARN_IMPORT, At(path))
    if department not in Department.values:
        raise ValidationError(_("部门无效"))
    report = MatchReport(rows=len(rows))
    numbers = [(number or "").strip().upper() for number, _reason in rows]
    for n, number in enumerate(numbers, start=1):
        fault = id_number_fault(number)
        if fault is not None:
            report.bad.append(
                (n, _("第 %(row)d 行身份证号无效：%(fault)s") % {"row": n, "fault": FAULTS[fault]})
            )
    if report.bad:
        return report
    ring = keyring()
    indexes = [blind_index(number, ring) for number in numbers]
    today = on or _today()
    wl = WarningList(
        department=department,
        path=path,
        imported_on=today,
        rows=len(rows),
        matched=0,
        unknown=0,
        imported_by=history_user(actor),
    )
    wl.save()
    if connection.vendor == "postgresql":
        _match_and_write_pg(report, wl, indexes, rows, actor)
    else:
        _match_and_write(report, wl, indexes, rows, actor)
    wl.matched, wl.unknown = report.matched, len(report.unknown)
    wl.save(update_fields=["matched", "unknown"])
    report.warning_list = wl
    return report


def _case_same(wl: WarningList) -> tuple[str, tuple[Any, ...]]:
    """The risk text and the values every case a list raises shares (channel … opened_on), adapted once
    (not an enum lookup and a date conversion per row). The category stays empty (待认定): a department's
    warning raises a case, and the village review decides which category applies (`case_decide`), as for
    a self-report — a list says who is at risk, not why the household should be classed one way."""
    risk = f"{wl.get_department_display()}部门预警"
    return risk, (
        Channel.DEPARTMENT.value,
        "",
        "",
        CaseStatus.IDENTIFYING.value,
        risk,
        connection.ops.adapt_datefield_value(wl.imported_on),
    )


CASE_FIELDS = ("id", "household", "path", "channel", "category", "hardship", "status", "risk", "opened_on")


def _match_and_write_pg(
    report: MatchReport, wl: WarningList, indexes: list[str], rows: Sequence[tuple[str, str]], actor: Any
) -> None:
    """PostgreSQL: the list goes in by COPY to a temporary table, is joined once to the members through the
    unique blind index, and the warnings, cases and case history are written by INSERT … SELECT, so no
    matched row travels back to Python (only the unknown rows' numbers do)."""
    households = Household.objects.filter(under(wl.path)).values("id", "path")
    hsql, hparams = households.query.sql_with_params()
    risk, same = _case_same(wl)
    columns = [str(Case._meta.get_field(f).column) for f in CASE_FIELDS[1:]]  # type: ignore[union-attr]
    historical = Case.history.model._meta.db_table  # type: ignore[attr-defined]
    user = history_user(actor)
    with connection.cursor() as cursor:
        # The hash joins over 300,000 persons and members spilled to disk in 4–8 batches at the default
        # 4 MB (EXPLAIN ANALYZE, docs/monitoring.md); for this transaction only, let them work in memory.
        cursor.execute("SET LOCAL work_mem = '64MB'")
        # Dropped again at the end: a second list in the same transaction (a test, a batch) starts clean.
        cursor.execute("DROP TABLE IF EXISTS gz_warning_rows, gz_warning_hits")
        cursor.execute("CREATE TEMP TABLE gz_warning_rows (n integer, idx text, reason text) ON COMMIT DROP")
        with cursor.cursor.copy("COPY gz_warning_rows (n, idx, reason) FROM STDIN") as copy:
            for n, (index, (_number, reason)) in enumerate(zip(indexes, rows, strict=True), start=1):
                copy.write_row((n, index, (reason or "").strip()[:200]))
        cursor.execute("ANALYZE gz_warning_rows")
        cursor.execute(
            "CREATE TEMP TABLE gz_warning_hits ON COMMIT DROP AS "
            "SELECT r.n, r.reason, h.id AS household_id, h.path FROM gz_warning_rows r "
            f"LEFT JOIN {Person._meta.db_table} p ON p.id_number_index = r.idx "
            f"LEFT JOIN {Member._meta.db_table} m ON m.person_id = p.id "
            f"LEFT JOIN ({hsql}) h ON h.id = m.household_id",
            hparams,
        )
        cursor.execute("SELECT n FROM gz_warning_hits WHERE household_id IS NULL ORDER BY n")
        report.unknown = [n for (n,) in cursor.fetchall()]
        cursor.execute(
            f"INSERT INTO {Warning._meta.db_table} (list_id, household_id, path, reason) "
            "SELECT %s, household_id, path, COALESCE(NULLIF(reason, ''), %s) FROM gz_warning_hits "
            "WHERE household_id IS NOT NULL ORDER BY n",
            [wl.pk, wl.get_department_display()],
        )
        cursor.execute("SELECT count(DISTINCT household_id) FROM gz_warning_hits")
        report.matched = cursor.fetchone()[0]
        values = "%s, %s, %s, %s, %s, %s::date"  # the cases' shared values, as _case_same gives them
        returned = ", ".join(["id", *columns, "eliminated_on"])
        cursor.execute(
            f"WITH fresh AS (SELECT DISTINCT household_id, path FROM gz_warning_hits w "
            f"WHERE household_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM {Case._meta.db_table} c "
            "WHERE c.household_id = w.household_id AND c.status = ANY(%s))), "
            f"new AS (INSERT INTO {Case._meta.db_table} ({', '.join(columns)}) "
            f"SELECT household_id, path, {values} FROM fresh ORDER BY household_id RETURNING {returned}) "
            f"INSERT INTO {historical} ({returned}, history_date, history_type, history_user_id, "
            f"history_change_reason) SELECT {returned}, %s::timestamptz, '+', %s::integer, %s::text FROM new",
            [
                [str(s) for s in OPEN],
                *same,
                timezone.now(),
                user.pk if user is not None else None,
                reason_of(actor, risk) or None,
            ],
        )
        report.cases_raised = cursor.rowcount
        cursor.execute("DROP TABLE gz_warning_rows, gz_warning_hits")


def _match_and_write(
    report: MatchReport, wl: WarningList, indexes: list[str], rows: Sequence[tuple[str, str]], actor: Any
) -> None:
    """SQLite: one set-based query for the matches (`_match`), then bulk inserts of warnings and cases."""
    path = wl.path
    found = _match(indexes, path)
    warnings: list[tuple[Any, ...]] = []
    households: dict[int, str] = {}
    for n, (index, (_number, reason)) in enumerate(zip(indexes, rows, strict=True), start=1):
        hit = found.get(index)
        if hit is None:
            report.unknown.append(n)
            continue
        warnings.append((wl.pk, hit[0], hit[1], (reason or "").strip()[:200] or wl.get_department_display()))
        households[hit[0]] = hit[1]
    insert_rows(Warning, ("list", "household", "path", "reason"), warnings)
    busy = (
        set(
            Case.objects.filter(household_id__in=list(households), status__in=OPEN).values_list(
                "household_id", flat=True
            )
        )
        if len(households) < 20000
        else set(
            Case.objects.filter(path__under=path, status__in=OPEN).values_list("household_id", flat=True)
        )
    )
    fresh = [(hid, p) for hid, p in households.items() if hid not in busy]
    ids = take_ids(Case, len(fresh))
    risk, same = _case_same(wl)
    case_rows = [(pk, hid, p, *same) for pk, (hid, p) in zip(ids, fresh, strict=True)]
    insert_rows(Case, CASE_FIELDS, case_rows)
    insert_history(
        Case, (*CASE_FIELDS, "eliminated_on"), [(*r, None) for r in case_rows], actor=actor, reason=risk
    )
    report.matched, report.cases_raised = len(households), len(case_rows)


@dataclass(frozen=True)
class NewHousehold:
    village_id: int
    path: str
    number: str
    members: Sequence[MemberRow]  # the first is the head; ID numbers already checked


@transaction.atomic
def households_create_bulk(*, actor: Any, households: Sequence[NewHousehold], reason: str = "") -> list[int]:
    """Register many households at once (demo, imports): persons through people.bulk, then households and
    members inserted in bulk with their history rows. Returns the households' keys in the order given."""
    for path in {h.path for h in households}:
        authorize(actor, VISIT, At(path))
    flat = [m for h in households for m in h.members]
    ring = keyring()
    indexes = [blind_index(m.id_number, ring) for m in flat]
    known = dict(  # persons already on record are reused, as household_register does, never duplicated
        Person.objects.filter(id_number_index__in=_values_of(indexes)).values_list("id_number_index", "pk")
    )
    if known and Member.objects.filter(person_id__in=list(known.values())).exists():
        raise ValidationError(_("有成员已是其他农户的成员"))
    fresh = [m for m, i in zip(flat, indexes, strict=True) if i not in known]
    # Recording a household's members is part of registering the household, under `monitoring.visit`
    # checked above for every village, as household_register records them one by one (docs/decisions.md,
    # "persons recorded by a registry"); it does not need, nor grant, 市南区's `person.edit`.
    created = iter(
        persons_record_bulk(
            actor=actor, persons=[NewPerson(m.name, m.id_number) for m in fresh], reason=reason or "登记农户"
        )
    )
    person_ids = [known[i] if i in known else next(created) for i in indexes]
    ids = take_ids(Household, len(households))
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    rows, members, at = [], [], 0
    for pk, h in zip(ids, households, strict=True):
        rows.append((pk, h.village_id, h.path, h.number, person_ids[at], "", None, now))
        for m in h.members:
            members.append((pk, person_ids[at], m.relation, m.labour))
            at += 1
    fields = ("id", "village", "path", "number", "head", "category", "account", "created_at")
    insert_rows(Household, fields, rows)
    insert_history(Household, fields, rows, actor=actor, reason=reason or "登记农户")
    insert_rows(Member, ("household", "person", "relation", "labour"), members)
    return ids


@transaction.atomic
def incomes_record_bulk(
    *, actor: Any, rows: Sequence[tuple[Household, date, Decimal]], reason: str = "收入核查"
) -> tuple[int, int]:
    """Many income checks at once (ledger imports): the same checks as income_record; a check on a day
    already recorded replaces its amount. New rows are inserted in bulk, changed ones updated in bulk, each
    with its history row. Returns (added, changed)."""
    today = _today()
    for h in {h.path: h for h, _on, _y in rows}.values():
        authorize(actor, VISIT, h)
    for _h, on, yuan in rows:
        if on > today:
            raise ValidationError(_("核查日期不能晚于今天"))
        if yuan < 0 or yuan > Decimal("10000000"):
            raise ValidationError(_("人均收入超出合理范围"))
    have = {
        (i.household_id, i.measured_on): i
        for i in Income.objects.filter(household_id__in={h.pk for h, _on, _y in rows})
    }
    added, changed = [], []
    for h, on, yuan in rows:
        old = have.get((h.pk, on))
        if old is None:
            added.append((h.pk, on, yuan))
        elif old.yuan_per_person != yuan:
            old.yuan_per_person = yuan
            changed.append(old)
    ids = take_ids(Income, len(added))
    fields = ("id", "household", "measured_on", "yuan_per_person")
    new_rows = [(pk, *r) for pk, r in zip(ids, added, strict=True)]
    insert_rows(Income, fields, new_rows)
    insert_history(Income, fields, new_rows, actor=actor, reason=reason)
    Income.objects.bulk_update(changed, ["yuan_per_person"])
    insert_history(
        Income,
        fields,
        [(i.pk, i.household_id, i.measured_on, i.yuan_per_person) for i in changed],
        actor=actor,
        reason=reason,
        kind="~",
    )
    return len(added), len(changed)


@transaction.atomic
def household_link_account(*, actor: Any, household: Household, user: Any) -> Household:
    """Let a user account act as the household (its own page, self-reports); the user must hold the
    household role at the household's village or above."""
    authorize(actor, VISIT, household)
    if not can(user, SELF, household):
        raise ValidationError(_("该账号没有本村监测户角色"))
    household.account = user
    stamp(household, actor, "关联农户账号").save()
    return household


@transaction.atomic
def notice_period_set(*, actor: Any, step: str, days: int) -> NoticePeriod:
    """The county sets how long the 公示 after a step lasts (1–30 days)."""
    authorize(actor, SETTINGS)
    if step not in Step.values:
        raise ValidationError(_("环节无效"))
    if not 1 <= days <= 30:
        raise ValidationError(_("公示天数应在 1 到 30 天之间"))
    row, _created = NoticePeriod.objects.update_or_create(step=step, defaults={"days": days})
    return row


@transaction.atomic
def monitoring_line_set(*, actor: Any, province: str, year: int, yuan_per_person: Decimal) -> MonitoringLine:
    """The monitoring income line of a province for a year (元 per person per year)."""
    authorize(actor, SETTINGS)
    if not (len(province) == 2 and province.isdigit()) or not 2000 <= year <= 2100:
        raise ValidationError(_("省份代码或年度无效"))
    if not Decimal(0) < yuan_per_person < Decimal(1_000_000):
        raise ValidationError(_("监测线应为正数"))
    row, _created = MonitoringLine.objects.update_or_create(
        province=province, year=year, defaults={"yuan_per_person": yuan_per_person}
    )
    return row
