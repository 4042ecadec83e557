"""Two co-governance ledgers: owners' and self-management committees with their members, and the property
companies' quarterly evaluations with the N participants' links.

Keys: a committee by its compound (the sitting one); a self-management committee by its compound; an
evaluation by (credit code, compound, year, quarter, evaluator); a participation by (organisation code,
compound). A member is named by ID number in one cell, "职务:身份证号；…", as the party ledger does. A row
that matches the database changes nothing, so export → import is a round trip; a sitting committee's filing
and extension are updated through `services.committee_record`; a row with a later term than the sitting
committee's is a re-election, recorded by `services.committee_elect` as the form does; new rows go through
`cogovern.bulk`. Every
compound must be one the importer may edit; nothing is written unless the whole file is right.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_noop, override

from gongzhi.accounts.access import can, scoped
from gongzhi.cogovern import bulk, services
from gongzhi.cogovern import property_rules as pr
from gongzhi.cogovern.ledger import credit_code
from gongzhi.cogovern.models import (
    COMMITTEE_ROLES,
    EDIT,
    N_KINDS,
    SELF,
    SELF_ROLES,
    VIEW,
    CommitteeTerm,
    CompanyProfile,
    Evaluation,
    Evaluator,
    Participation,
)
from gongzhi.cogovern.settings_store import committee_rules
from gongzhi.core.actors import system
from gongzhi.ledgers.base import (
    Book,
    CellError,
    Column,
    Context,
    SheetSpec,
    choice,
    day,
    int_between,
    listing,
    text,
    text_max,
)
from gongzhi.organisations.kinds import kind_label
from gongzhi.organisations.models import Organisation, Seat
from gongzhi.people.identity import clean_id_number
from gongzhi.people.models import Person
from gongzhi.places.models import Compound


def seats_of(roles: dict[str, Any]) -> Any:
    """A cell "职务:身份证号；…" → [(role, ID number)]: the roles as the page names them."""
    labels = {str(v): k for k, v in roles.items()}

    def parse(value: Any) -> list[tuple[str, str]]:
        out = []
        for part in listing(value):
            title, _, number = part.replace("：", ":").partition(":")
            if title.strip() not in labels:
                raise ValidationError(f"职务应为：{'、'.join(labels)}，写成“职务:身份证号”")
            out.append((labels[title.strip()], clean_id_number(number.strip())))
        if len({n for _, n in out}) != len(out):
            raise ValidationError("同一人重复填写")
        return out

    return parse


def scores(value: Any) -> list[Decimal]:
    try:
        return [Decimal(s) for s in listing(value)]
    except InvalidOperation:
        raise ValidationError("各项得分应为数字，用；分隔") from None


year = int_between(2000, 2100, "年度应为 2000–2100 之间的整数")


quarter = int_between(1, 4, "季度应为 1–4")


def phone(value: Any) -> str:
    return text(value)


COMPOUND = Column("小区编码", "compound", text_max(16), required=True, width=18)
OWNERS_SHEET = SheetSpec(
    "业主委员会",
    (
        COMPOUND,
        Column(
            "名称", "name", text_max(100), required=True, width=30, field="organisations.Organisation.name"
        ),
        Column("选举日期", "elected_on", day, required=True, kind="date"),
        Column("任期开始", "term_start", day, required=True, kind="date"),
        Column("任期结束", "term_end", day, required=True, kind="date", note="任期不超过 5 年"),
        Column("业主大会决定延长至", "extended_to", day, kind="date"),
        Column("备案日期", "filed_on", day, kind="date"),
        Column("备案编号", "filing_no", text_max(40)),
        Column(
            "委员",
            "seats",
            seats_of(COMMITTEE_ROLES),
            required=True,
            width=60,
            note="职务:身份证号，用；分隔；主任一名，人数为单数且不少于 3 人",
        ),
    ),
)
SELF_SHEET = SheetSpec(
    "自管会",
    (
        COMPOUND,
        Column(
            "名称", "name", text_max(100), required=True, width=30, field="organisations.Organisation.name"
        ),
        Column("成立日期", "founded_on", day, required=True, kind="date"),
        Column(
            "成员", "seats", seats_of(SELF_ROLES), required=True, width=60, note="职务:身份证号；主任一名"
        ),
    ),
)
with override(settings.LANGUAGE_CODE):  # the file's labels are Chinese whoever first imports this module
    EVALUATOR = {str(label): value for value, label in Evaluator.choices}
    N_KIND = {kind_label(k): k for k in N_KINDS}
EVALUATOR_LABEL = {v: k for k, v in EVALUATOR.items()}
EVALUATIONS = SheetSpec(
    "季度考核",
    (
        Column("统一社会信用代码", "code", credit_code, required=True, width=22),
        COMPOUND,
        Column("年度", "year", year, required=True, kind="int"),
        Column("季度", "quarter", quarter, required=True, kind="int"),
        Column("评价方", "evaluator", choice(EVALUATOR), required=True, note="居民 / 业委会 / 社区"),
        Column(
            "各项得分", "scores", scores, required=True, width=60, note="按默认考核评分表的顺序，用；分隔"
        ),
        Column("总分", "total", text_max(8), note="导出时写入；导入时按各项得分计算"),
    ),
)
N_KIND_LABEL = {v: k for k, v in N_KIND.items()}
PARTICIPANTS = SheetSpec(
    "共治参与方",
    (
        Column("类别", "kind", choice(N_KIND), required=True, note="、".join(N_KIND)),
        Column(
            "组织编码",
            "org_code",
            text_max(40),
            required=True,
            width=22,
            field="organisations.Organisation.code",
        ),
        Column(
            "名称", "name", text_max(100), required=True, width=30, field="organisations.Organisation.name"
        ),
        COMPOUND,
        Column("参与内容", "role", text_max(100), required=True, width=24),
        Column("联系人", "contact_name", text_max(40), required=True),
        Column("联系电话", "contact_phone", phone, required=True, note="7–12 位数字"),
        Column("起始日期", "since", day, kind="date"),
    ),
)


class _Refs:
    """Compounds and persons the file names, read once; errors for those missing or out of scope."""

    def __init__(self, book: Book, sheets: Iterable[SheetSpec], ctx: Context, errors: list[CellError]):
        rows = [r for s in sheets for r in book.rows(s.name)]
        codes = {r.values["compound"] for r in rows}
        numbers = {n for r in rows for _, n in r.values.get("seats", [])}
        self.compounds = {c.code: c for c in Compound.objects.filter(code__in=codes)}
        self.persons = dict(Person.objects.filter(id_number__in=numbers).values_list("id_number", "pk"))
        self.ctx, self.errors = ctx, errors

    def compound(self, sheet: str, row: int, code: str) -> Compound | None:
        c = self.compounds.get(code)
        if c is None or (self.ctx.user is not None and not can(self.ctx.user, EDIT, c)):
            self.errors.append(
                CellError(sheet, row, "小区编码", f"小区编码 {code} 不存在或不在您的管理范围内")
            )
            return None
        return c

    def seats(
        self, sheet: str, row: int, column: str, seats: list[tuple[str, str]]
    ) -> list[tuple[int, str]] | None:
        missing = [n for _, n in seats if n not in self.persons]
        if missing:
            self.errors.append(
                CellError(
                    sheet, row, column, f"身份证号 {'、'.join(missing)} 未登记，请先在房屋业主台账中登记"
                )
            )
            return None
        return [(self.persons[n], role) for role, n in seats]


def _seat_cell(seats: Iterable[Seat], roles: dict[str, Any]) -> str:
    return "；".join(
        f"{roles[s.role]}:{s.person.id_number}"
        for s in sorted(seats, key=lambda s: (s.role != "chair" and s.role != "director", s.person_id))
    )


@dataclass
class CommitteesPlan:
    new: list[bulk.NewCommittee] = field(default_factory=list)
    records: list[tuple[CommitteeTerm, dict[str, Any]]] = field(default_factory=list)
    reelections: list[bulk.NewCommittee] = field(default_factory=list)
    selves: list[bulk.NewSelfCommittee] = field(default_factory=list)


class CommitteesLedger:
    slug = "cogovern_committees"
    title = gettext_noop("业委会和自管会台账")  # shown translated; file names keep the Chinese
    sheets = (OWNERS_SHEET, SELF_SHEET)

    def check(self, book: Book, ctx: Context) -> tuple[CommitteesPlan, list[CellError]]:
        plan, errors = CommitteesPlan(), list[CellError]()
        refs = _Refs(book, self.sheets, ctx, errors)
        sitting = {
            t.compound_id: t
            for t in CommitteeTerm.objects.filter(
                compound__in=refs.compounds.values(), committee__ended_on__isnull=True
            )
        }
        seen: set[str] = set()
        for r in book.rows(OWNERS_SHEET.name):
            v, name = r.values, OWNERS_SHEET.name
            if v["compound"] in seen:
                errors.append(CellError(name, r.row, "小区编码", "文件中重复"))
                continue
            seen.add(v["compound"])
            compound = refs.compound(name, r.row, v["compound"])
            seats = refs.seats(name, r.row, "委员", v["seats"])
            if compound is None or seats is None:
                continue
            term = sitting.get(compound.pk)
            new = bulk.NewCommittee(
                compound=compound,
                name=v["name"],
                elected_on=v["elected_on"],
                term_start=v["term_start"],
                term_end=v["term_end"],
                seats=seats,
                term_extended_to=v["extended_to"],
                filed_on=v["filed_on"],
                filing_no=v["filing_no"],
            )
            if term is not None and term.term_start != v["term_start"]:
                self._check_reelection(name, r.row, term, new, plan, errors)
                continue
            if term is not None:
                change = {
                    k: v[key]
                    for k, key in (("filed_on", "filed_on"), ("term_extended_to", "extended_to"))
                    if v[key] is not None and getattr(term, k) != v[key]
                }
                if "filed_on" in change or (v["filing_no"] and v["filing_no"] != term.filing_no):
                    change["filed_on"], change["filing_no"] = v["filed_on"] or term.filed_on, v["filing_no"]
                if change:
                    plan.records.append((term, change))
                continue
            problems = bulk.committee_problems(new, committee_rules())
            errors += [CellError(name, r.row, "委员", p) for p in problems]
            if not problems:
                plan.new.append(new)
        self._check_selves(book, refs, plan, errors)
        return plan, errors

    @staticmethod
    def _check_reelection(
        sheet: str,
        row: int,
        term: CommitteeTerm,
        new: bulk.NewCommittee,
        plan: CommitteesPlan,
        errors: list[CellError],
    ) -> None:
        """A row with a later term than the sitting committee's is a re-election: the rules of the form
        (services.committee_elect, which ends the sitting committee and tracks the handover of records)."""
        if new.term_start <= term.term_start or new.elected_on < term.elected_on:
            errors.append(
                CellError(
                    sheet,
                    row,
                    "任期开始",
                    f"该小区在任业主委员会任期自 {term.term_start} 开始；换届选举的新一届选举日期和任期应晚于在任一届",
                )
            )
            return
        problems = bulk.committee_problems(new, committee_rules())
        errors += [CellError(sheet, row, "委员", p) for p in problems]
        if not problems:
            plan.reelections.append(new)

    def _check_selves(self, book: Book, refs: _Refs, plan: CommitteesPlan, errors: list[CellError]) -> None:
        name = SELF_SHEET.name
        have = set(
            Organisation.objects.active()
            .filter(kind=SELF, coverages__until__isnull=True, coverages__compound__in=refs.compounds.values())
            .values_list("coverages__compound_id", flat=True)
        )
        rows = []
        for r in book.rows(name):
            compound = refs.compound(name, r.row, r.values["compound"])
            seats = refs.seats(name, r.row, "成员", r.values["seats"])
            if compound is None or seats is None or compound.pk in have:
                continue
            if sum(role == "director" for _, role in seats) != 1:
                errors.append(CellError(name, r.row, "成员", "自管会应有且只有一名主任"))
                continue
            have.add(compound.pk)
            rows.append((r, bulk.NewSelfCommittee(compound, r.values["name"], r.values["founded_on"], seats)))
        served = bulk.serving_on(
            [n.compound for _, n in rows], {n.compound.pk: n.founded_on for _, n in rows}
        )
        for r, new in rows:
            if new.compound.pk in served:
                errors.append(
                    CellError(
                        name,
                        r.row,
                        "成立日期",
                        "该小区此时有物业服务企业在服务，自管会适用于无物业企业服务的小区",
                    )
                )
            else:
                plan.selves.append(new)

    def apply(self, plan: CommitteesPlan, ctx: Context) -> dict[str, int]:
        actor = ctx.user if ctx.user is not None else system("import_ledger:cogovern_committees")
        new = bulk.committees_bulk_create(actor=actor, rows=plan.new) if plan.new else 0
        for term, change in plan.records:
            services.committee_record(actor=actor, term=term, **change)
        for c in plan.reelections:  # one by one, as the form does: rare, and each ends a committee
            committee, _warnings = services.committee_elect(
                actor=actor,
                compound=c.compound,
                elected_on=c.elected_on,
                term_start=c.term_start,
                term_end=c.term_end,
                seats=c.seats,
                name=c.name,
            )
            if c.filed_on or c.term_extended_to:
                services.committee_record(
                    actor=actor,
                    term=CommitteeTerm.objects.get(committee=committee),
                    filed_on=c.filed_on,
                    filing_no=c.filing_no,
                    term_extended_to=c.term_extended_to,
                )
        selves = bulk.self_committees_bulk_create(actor=actor, rows=plan.selves) if plan.selves else 0
        return {"业主委员会": new + len(plan.records) + len(plan.reelections), "自管会": selves}

    def export(self, place_path: str, user: Any) -> Iterator[tuple[SheetSpec, Iterable[list[Any]]]]:
        terms: Any = CommitteeTerm.objects.filter(path__under=place_path, committee__ended_on__isnull=True)
        if user is not None:
            terms = scoped(user, terms, VIEW)
        terms = list(terms.select_related("committee", "compound").order_by("compound__code"))
        seats = _seats([t.committee_id for t in terms])
        yield (
            OWNERS_SHEET,
            (
                [
                    t.compound.code,
                    t.committee.name,
                    t.elected_on,
                    t.term_start,
                    t.term_end,
                    t.term_extended_to,
                    t.filed_on,
                    t.filing_no,
                    _seat_cell(seats[t.committee_id], COMMITTEE_ROLES),
                ]
                for t in terms
            ),
        )
        selves: Any = Organisation.objects.active().filter(kind=SELF).covering(place_path)
        if user is not None:
            selves = scoped(user, selves, VIEW)
        rows = []
        selves = list(selves.prefetch_related("coverages__compound").order_by("code"))
        seats = _seats([o.pk for o in selves])
        for o in selves:
            for compound in o.covered_compounds():
                rows.append([compound.code, o.name, o.founded_on, _seat_cell(seats[o.pk], SELF_ROLES)])
        yield SELF_SHEET, sorted(rows, key=lambda row: row[0])


def _seats(org_ids: list[int]) -> dict[int, list[Seat]]:
    out: dict[int, list[Seat]] = defaultdict(list)
    for s in Seat.objects.current().filter(organisation_id__in=org_ids).select_related("person"):
        out[s.organisation_id].append(s)
    return out


@dataclass
class SupervisionPlan:
    evaluations: list[bulk.NewEvaluation] = field(default_factory=list)
    participations: list[bulk.NewParticipation] = field(default_factory=list)


class SupervisionLedger:
    slug = "cogovern_participants"
    title = gettext_noop("物业考核和共治参与方台账")  # shown translated; file names keep the Chinese
    sheets = (EVALUATIONS, PARTICIPANTS)

    def check(self, book: Book, ctx: Context) -> tuple[SupervisionPlan, list[CellError]]:
        plan, errors = SupervisionPlan(), list[CellError]()
        refs = _Refs(book, self.sheets, ctx, errors)
        companies = {
            p.credit_code: p.company
            for p in CompanyProfile.objects.filter(
                credit_code__in={r.values["code"] for r in book.rows(EVALUATIONS.name)}
            ).select_related("company")
        }
        have = {
            (e.company_id, e.compound_id, e.year, e.quarter, e.evaluator): e.scores
            for e in Evaluation.objects.filter(compound__in=refs.compounds.values())
        }
        sheet = services.default_sheet()
        seen = set()
        for r in book.rows(EVALUATIONS.name):
            v, name = r.values, EVALUATIONS.name
            company = companies.get(v["code"])
            if company is None:
                errors.append(
                    CellError(name, r.row, "统一社会信用代码", "该企业未登记，请先导入物业企业台账")
                )
            compound = refs.compound(name, r.row, v["compound"])
            if company is None or compound is None:
                continue
            key = (company.pk, compound.pk, v["year"], v["quarter"], v["evaluator"])
            if key in seen:
                errors.append(CellError(name, r.row, "评价方", "文件中重复"))
                continue
            seen.add(key)
            if key in have:
                if [Decimal(s) for s in have[key]] != v["scores"]:
                    errors.append(
                        CellError(name, r.row, "各项得分", "该季度考核已录入且得分不同，考核记录不能修改")
                    )
                continue
            _total, problems = pr.sheet_total(sheet.sheet, v["scores"])
            errors += [CellError(name, r.row, "各项得分", p) for p in problems]
            if not problems:
                plan.evaluations.append(
                    bulk.NewEvaluation(
                        company, compound, v["year"], v["quarter"], v["evaluator"], v["scores"]
                    )
                )
        self._check_participations(book, refs, plan, errors)
        return plan, errors

    def _check_participations(
        self, book: Book, refs: _Refs, plan: SupervisionPlan, errors: list[CellError]
    ) -> None:
        name = PARTICIPANTS.name
        rows = book.rows(name)
        orgs = {o.code: o for o in Organisation.objects.filter(code__in={r.values["org_code"] for r in rows})}
        linked = set(
            Participation.objects.filter(until__isnull=True, organisation__in=orgs.values()).values_list(
                "organisation__code", "compound__code"
            )
        )
        new: dict[str, Organisation] = {}
        seen = set()
        for r in rows:
            v = r.values
            org = orgs.get(v["org_code"]) or new.get(v["org_code"])
            if org is not None and org.kind != v["kind"]:
                errors.append(
                    CellError(
                        name, r.row, "类别", f"组织编码 {v['org_code']} 已登记为“{kind_label(org.kind)}”"
                    )
                )
                continue
            compound = refs.compound(name, r.row, v["compound"])
            problems = services.participation_problems(v["role"], v["contact_name"], v["contact_phone"])
            errors += [CellError(name, r.row, "联系电话" if "电话" in p else "参与内容", p) for p in problems]
            if compound is None or problems:
                continue
            if (v["org_code"], v["compound"]) in seen:
                errors.append(CellError(name, r.row, "小区编码", "文件中重复"))
                continue
            seen.add((v["org_code"], v["compound"]))
            if (v["org_code"], v["compound"]) in linked:
                continue
            if org is None:
                org = new[v["org_code"]] = Organisation(kind=v["kind"], code=v["org_code"], name=v["name"])
            plan.participations.append(
                bulk.NewParticipation(
                    org, compound, v["role"], v["contact_name"], v["contact_phone"], v["since"]
                )
            )

    def apply(self, plan: SupervisionPlan, ctx: Context) -> dict[str, int]:
        actor = ctx.user if ctx.user is not None else system("import_ledger:cogovern_participants")
        evaluations = (
            bulk.evaluations_bulk_record(actor=actor, rows=plan.evaluations) if plan.evaluations else 0
        )
        parts = (
            bulk.participations_bulk_create(actor=actor, rows=plan.participations)
            if plan.participations
            else 0
        )
        return {"季度考核": evaluations, "共治参与": parts}

    def export(self, place_path: str, user: Any) -> Iterator[tuple[SheetSpec, Iterable[list[Any]]]]:
        evaluations: Any = Evaluation.objects.filter(path__under=place_path)
        if user is not None:
            evaluations = scoped(user, evaluations, VIEW)
        yield (
            EVALUATIONS,
            (
                [
                    e.company.company_profile.credit_code,  # type: ignore[attr-defined]
                    e.compound.code,
                    e.year,
                    e.quarter,
                    EVALUATOR_LABEL[e.evaluator],
                    "；".join(e.scores),
                    str(e.total),
                ]
                for e in evaluations.select_related("company__company_profile", "compound").order_by(
                    "compound__code", "year", "quarter", "evaluator", "company_id"
                )
            ),
        )
        parts: Any = Participation.objects.filter(path__under=place_path, until__isnull=True)
        if user is not None:
            parts = scoped(user, parts, VIEW)
        yield (
            PARTICIPANTS,
            (
                [
                    N_KIND_LABEL[p.organisation.kind],
                    p.organisation.code,
                    p.organisation.name,
                    p.compound.code,
                    p.role,
                    p.contact_name,
                    p.contact_phone,
                    p.since,
                ]
                for p in parts.select_related("organisation", "compound").order_by(
                    "compound__code", "organisation__code"
                )
            ),
        )


COMMITTEES_LEDGER = CommitteesLedger()
SUPERVISION_LEDGER = SupervisionLedger()
