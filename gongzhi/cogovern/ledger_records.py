"""The property complaints and committee meetings ledger (apart from ledger_bodies: a file that does one thing).

Keys: a complaint by (credit code, compound, day received, what it says); a meeting by (compound, day held).
A row that matches the database changes nothing, so export → import is a round trip; a pending complaint
whose row now gives its outcome is closed through `services.complaint_close`; a new complaint goes through
`services.complaint_record`, a new meeting through `services.meeting_record` (quorum and majority of all
members, 第三十八条, checked here with the same rules first). A recorded meeting, or a closed complaint, is
not changed by a file. Each row's compound must be one the importer may edit; nothing is written unless the
whole file is right. The red and black list has no sheet: it is published quarterly from the evaluations.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_noop, override

from gongzhi.accounts.access import scoped
from gongzhi.cogovern import rules, selectors, services
from gongzhi.cogovern.ledger import credit_code
from gongzhi.cogovern.ledger_bodies import COMPOUND, _Refs
from gongzhi.cogovern.models import VIEW, CommitteeMeeting, CommitteeTerm, CompanyProfile, Complaint, Outcome
from gongzhi.cogovern.settings_store import committee_rules
from gongzhi.core.actors import system
from gongzhi.ledgers.base import Book, CellError, Context, SheetSpec, choice, day, listing, text_max
from gongzhi.ledgers.base import Column as Col
from gongzhi.people.identity import clean_id_number
from gongzhi.people.models import Person


def id_numbers(value: Any) -> list[str]:
    numbers = [clean_id_number(n) for n in listing(value)]
    if len(set(numbers)) != len(numbers):
        raise ValidationError("同一人重复填写")
    return numbers


DECISION = re.compile(r"^(.+?)\s*[（(]\s*同意\s*(\d+)\s*[，,]\s*反对\s*(\d+)\s*[）)]$")


def decisions(value: Any) -> list[tuple[str, int, int]]:
    """ "事项（同意 N，反对 M）；…" → [(事项, N, M)]: the export writes it so."""
    out = []
    for part in listing(value):
        m = DECISION.match(part)
        if m is None:
            raise ValidationError("决定事项应写成“事项（同意 N，反对 M）”，多项用；分隔")
        out.append((m.group(1).strip()[:200], int(m.group(2)), int(m.group(3))))
    return out


def decision_cell(items: Iterable[tuple[str, int, int]]) -> str:
    return "；".join(f"{s}（同意 {a}，反对 {b}）" for s, a, b in items)


with override(settings.LANGUAGE_CODE):  # the file's labels are Chinese whoever first imports this module
    OUTCOME = {str(label): value for value, label in Outcome.choices}
OUTCOME_LABEL = {v: k for k, v in OUTCOME.items()}
COMPLAINTS = SheetSpec(
    "物业投诉",
    (
        Col("统一社会信用代码", "code", credit_code, required=True, width=22),
        COMPOUND,
        Col("受理日期", "received_on", day, required=True, kind="date"),
        Col("投诉内容", "summary", text_max(300), required=True, width=40),
        Col("办理结果", "outcome", choice(OUTCOME), required=True, note="、".join(OUTCOME)),
        Col("办结日期", "closed_on", day, kind="date", note="办结的投诉必填"),
    ),
)
MEETINGS = SheetSpec(
    "业委会会议",
    (
        COMPOUND,
        Col("会议日期", "held_on", day, required=True, kind="date"),
        Col(
            "出席委员",
            "present",
            id_numbers,
            required=True,
            width=60,
            note="身份证号，用；分隔；应为当日在任委员",
        ),
        Col("决定事项", "decisions", decisions, width=60, note="事项（同意 N，反对 M），多项用；分隔"),
        Col("委员总数", "members", text_max(8), note="导出时写入；导入时按当日在任委员计算"),
        Col("决定数", "decided", text_max(8), note="导出时写入"),
        Col("通过数", "passed", text_max(8), note="导出时写入；导入时按全体委员过半数同意计算（第三十八条）"),
    ),
)


@dataclass
class RecordsPlan:
    complaints: list[dict[str, Any]] = field(default_factory=list)
    closes: list[tuple[Complaint, str, date]] = field(default_factory=list)
    meetings: list[tuple[CommitteeTerm, date, list[int], list[tuple[str, int, int]]]] = field(
        default_factory=list
    )


class RecordsLedger:
    slug = "cogovern_records"
    title = gettext_noop("物业投诉和业委会会议台账")  # shown translated; file names keep the Chinese
    sheets = (COMPLAINTS, MEETINGS)

    def check(self, book: Book, ctx: Context) -> tuple[RecordsPlan, list[CellError]]:
        plan, errors = RecordsPlan(), list[CellError]()
        refs = _Refs(book, self.sheets, ctx, errors)
        self._check_complaints(book, refs, plan, errors)
        self._check_meetings(book, refs, plan, errors)
        return plan, errors

    def _check_complaints(self, book: Book, refs: _Refs, plan: RecordsPlan, errors: list[CellError]) -> None:
        name, rows = COMPLAINTS.name, book.rows(COMPLAINTS.name)
        companies = {
            p.credit_code: p.company
            for p in CompanyProfile.objects.filter(
                credit_code__in={r.values["code"] for r in rows}
            ).select_related("company")
        }
        have = {
            (c.company_id, c.compound_id, c.received_on, c.summary): c
            for c in Complaint.objects.filter(compound__in=refs.compounds.values())
        }
        seen = set()
        for r in rows:
            v = r.values
            company = companies.get(v["code"])
            if company is None:
                errors.append(
                    CellError(name, r.row, "统一社会信用代码", "该企业未登记，请先导入物业企业台账")
                )
            compound = refs.compound(name, r.row, v["compound"])
            if company is None or compound is None:
                continue
            key = (company.pk, compound.pk, v["received_on"], v["summary"])
            if key in seen:
                errors.append(CellError(name, r.row, "投诉内容", "文件中重复"))
                continue
            seen.add(key)
            problem = self._outcome_problem(v)
            if problem:
                errors.append(CellError(name, r.row, problem[0], problem[1]))
                continue
            old = have.get(key)
            if old is None:
                plan.complaints.append({**v, "company": company, "compound": compound})
            elif (old.outcome, old.closed_on) == (v["outcome"], v["closed_on"]):
                continue
            elif old.outcome == Outcome.PENDING:
                plan.closes.append((old, v["outcome"], v["closed_on"]))
            else:
                errors.append(CellError(name, r.row, "办理结果", "该投诉已办结，办理结果不能修改"))

    @staticmethod
    def _outcome_problem(v: dict[str, Any]) -> tuple[str, str] | None:
        """An outcome and its closing day go together, and it is not closed before it was received."""
        if v["outcome"] == Outcome.PENDING:
            return ("办结日期", "办理中的投诉不填办结日期") if v["closed_on"] else None
        if v["closed_on"] is None:
            return "办结日期", "已办结的投诉请填写办结日期"
        if v["closed_on"] < v["received_on"]:
            return "办结日期", "办结日期早于受理日期"
        return None

    def _check_meetings(self, book: Book, refs: _Refs, plan: RecordsPlan, errors: list[CellError]) -> None:
        name, rows = MEETINGS.name, book.rows(MEETINGS.name)
        persons = dict(
            Person.objects.filter(id_number__in={n for r in rows for n in r.values["present"]}).values_list(
                "id_number", "pk"
            )
        )
        terms: dict[int, list[CommitteeTerm]] = defaultdict(list)
        for t in CommitteeTerm.objects.filter(compound__in=refs.compounds.values()).order_by("-term_start"):
            terms[t.compound_id].append(t)
        have: dict[tuple[int, date], list[tuple[list[int], list[tuple[str, int, int]]]]] = defaultdict(list)
        for m in (
            CommitteeMeeting.objects.filter(term__compound__in=refs.compounds.values())
            .select_related("term")
            .prefetch_related("decisions")
        ):
            items = [(d.subject, d.votes_for, d.votes_against) for d in m.decisions.all()]
            have[(m.term.compound_id, m.held_on)].append((sorted(m.present), items))
        seen, today, rs = set(), timezone.localdate(), committee_rules()
        for r in rows:
            v = r.values
            compound = refs.compound(name, r.row, v["compound"])
            missing = [n for n in v["present"] if n not in persons]
            if missing:
                errors.append(CellError(name, r.row, "出席委员", f"身份证号 {'、'.join(missing)} 未登记"))
            if compound is None or missing:
                continue
            key = (compound.pk, v["held_on"])
            if key in seen:
                errors.append(CellError(name, r.row, "会议日期", "文件中重复"))
                continue
            seen.add(key)
            present = sorted(persons[n] for n in v["present"])
            if key in have:
                if (present, v["decisions"]) not in have[key]:
                    errors.append(
                        CellError(name, r.row, "会议日期", "该日会议已录入且内容不同，会议记录不能修改")
                    )
                continue
            if v["held_on"] > today:
                errors.append(CellError(name, r.row, "会议日期", "会议日期不能晚于今天"))
                continue
            term = next(
                (t for t in terms[compound.pk] if t.term_start <= v["held_on"] <= t.effective_end), None
            )
            if term is None:
                errors.append(
                    CellError(name, r.row, "会议日期", "会议日期不在该小区任何一届业主委员会任期内")
                )
                continue
            seated = selectors.seated_on(term, v["held_on"])
            if not set(present) <= seated:
                errors.append(CellError(name, r.row, "出席委员", "出席人员应为当日在任的本届业主委员会委员"))
                continue
            votes = [(a, b) for _, a, b in v["decisions"]]
            problems = rules.meeting_problems(
                present=len(present), members=len(seated), votes=votes, rules=rs
            )
            errors += [
                CellError(name, r.row, "决定事项" if p.startswith("第") else "出席委员", p) for p in problems
            ]
            if not problems:
                plan.meetings.append((term, v["held_on"], present, v["decisions"]))

    def apply(self, plan: RecordsPlan, ctx: Context) -> dict[str, int]:
        actor = ctx.user if ctx.user is not None else system("import_ledger:cogovern_records")
        for c in plan.complaints:  # one by one, as the form does: each is one record with its history
            complaint = services.complaint_record(
                actor=actor,
                company=c["company"],
                compound=c["compound"],
                received_on=c["received_on"],
                summary=c["summary"],
            )
            if c["outcome"] != Outcome.PENDING:
                services.complaint_close(
                    actor=actor, complaint=complaint, outcome=c["outcome"], closed_on=c["closed_on"]
                )
        for old, outcome, closed_on in plan.closes:
            services.complaint_close(actor=actor, complaint=old, outcome=outcome, closed_on=closed_on)
        for term, held_on, present, items in plan.meetings:
            services.meeting_record(actor=actor, term=term, held_on=held_on, present=present, decisions=items)
        return {"物业投诉": len(plan.complaints) + len(plan.closes), "业委会会议": len(plan.meetings)}

    def export(self, place_path: str, user: Any) -> Iterator[tuple[SheetSpec, Iterable[list[Any]]]]:
        complaints: Any = Complaint.objects.filter(path__under=place_path)
        if user is not None:
            complaints = scoped(user, complaints, VIEW)
        yield (
            COMPLAINTS,
            (
                [
                    c.company.company_profile.credit_code,
                    c.compound.code,
                    c.received_on,
                    c.summary,
                    OUTCOME_LABEL[c.outcome],
                    c.closed_on,
                ]
                for c in complaints.select_related("company__company_profile", "compound").order_by(
                    "compound__code", "received_on", "pk"
                )
            ),
        )
        meetings: Any = CommitteeMeeting.objects.filter(path__under=place_path)
        if user is not None:
            meetings = scoped(user, meetings, VIEW)
        meetings = list(
            meetings.select_related("term__compound")
            .prefetch_related("decisions")
            .order_by("term__compound__code", "held_on", "pk")
        )
        numbers = dict(
            Person.objects.filter(pk__in={p for m in meetings for p in m.present}).values_list(
                "pk", "id_number"
            )
        )
        rows = []
        for m in meetings:
            items = list(m.decisions.all())
            rows.append(
                [
                    m.term.compound.code,
                    m.held_on,
                    "；".join(
                        n for p in m.present if (n := numbers.get(p))
                    ),  # a person without one: left out
                    decision_cell((d.subject, d.votes_for, d.votes_against) for d in items),
                    str(m.members),
                    str(len(items)),
                    str(sum(d.passed for d in items)),
                ]
            )
        yield MEETINGS, rows


RECORDS_LEDGER = RecordsLedger()
