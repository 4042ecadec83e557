"""Demo step: owners' committees meet and late re-elections get a 换届小组, all through the services.

After gongzhi.demo.cogovern has built the committees: every sitting committee with members meets one to
three times in the last year (a quorum of its members, 青岛条例 art. 38; each decision passes or not by the
rule's count of ALL members); among the committees whose term ended without a re-electing assembly, a few
got a 换届小组 (art. 41): most were handed the records within 10 days (art. 43), one was not (so the
overdue list shows it), one was formed days ago, and in one compound the owners have since elected a new
committee, which got the records. The figures are counted off the rows. Deterministic for a seed;
idempotent (a district with meetings or groups is left alone).
"""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from gongzhi.cogovern import rules, selectors, services
from gongzhi.cogovern.models import CommitteeMeeting, CommitteeTerm, MeetingDecision, TransitionGroup
from gongzhi.cogovern.settings_store import committee_rules
from gongzhi.core.actors import system
from gongzhi.organisations.models import Seat
from gongzhi.places.models import Division

ACTOR = system("seed_demo")
SUBJECTS = [
    "续聘物业服务企业",
    "使用专项维修资金维修屋面防水",
    "公共收益年度使用方案",
    "修订停车管理规约",
    "选聘财务审计机构",
    "审议业主委员会年度工作报告",
    "征集加装电梯意见",
    "更换小区监控设备",
]
GROUPS = 5  # 换届小组 to form, where enough terms ended without a re-election


@dataclass
class MeetingsResult:
    created: bool
    meetings: int = 0
    decisions: int = 0
    passed: int = 0
    groups: int = 0
    handed_over: int = 0
    overdue: int = 0  # groups not handed the records within 10 days: on the overdue list
    reelected: int = 0


def _count(district: Division, created: bool) -> MeetingsResult:
    """What the district holds, counted off the rows (the overdue list's own computation for `overdue`)."""
    under = {"path__under": district.path}
    decisions = MeetingDecision.objects.filter(**under)
    groups = TransitionGroup.objects.filter(**under)
    late = sum(
        rules.Step.TRANSITION_HANDOVER in dict(s.late) for s in selectors.compound_states(district.path)
    )
    return MeetingsResult(
        created,
        meetings=CommitteeMeeting.objects.filter(**under).count(),
        decisions=decisions.count(),
        passed=decisions.filter(passed=True).count(),
        groups=groups.count(),
        handed_over=groups.filter(handed_over_on__isnull=False).count(),
        overdue=late,
        reelected=CommitteeTerm.objects.filter(**under, previous__transition_group__isnull=False).count(),
    )


class _Builder:
    def __init__(self, seed: int, district: Division):
        self.rng = random.Random(seed * 37 + 11)
        self.today = timezone.localdate()
        self.rs = committee_rules()
        self.terms = list(
            CommitteeTerm.objects.filter(path__under=district.path, committee__ended_on__isnull=True)
            .select_related("compound", "committee")
            .order_by("compound__code")
        )
        self.seats: dict[int, list[tuple[int, date | None]]] = defaultdict(list)
        for org, person, since in (
            Seat.objects.filter(organisation_id__in=[t.committee_id for t in self.terms], until__isnull=True)
            .order_by("organisation_id", "id")
            .values_list("organisation_id", "person_id", "since")
        ):
            self.seats[org].append((person, since))

    def meetings(self) -> None:
        rng, today = self.rng, self.today
        for term in self.terms:
            seats = self.seats[term.committee_id]
            if len(seats) < 3:
                continue
            since = max([term.term_start, *[s for _, s in seats if s]])
            first, last = max(since, today - timedelta(days=365)), min(today, term.effective_end)
            if first > last:
                continue
            span = (last - first).days
            days = sorted({first + timedelta(days=rng.randint(0, span)) for _ in range(rng.randint(1, 3))})
            members = [p for p, _ in seats]
            need = next(
                n for n in range(1, len(members) + 1) if rules.meeting_quorate(n, len(members), self.rs)
            )
            for held_on in days:
                present = rng.sample(members, rng.randint(need, len(members)))
                decisions = []
                for subject in rng.sample(SUBJECTS, rng.randint(1, 3)):
                    agree = max(0, len(present) - rng.choice([0, 0, 0, 1, 1, 2, 3]))
                    against = rng.randint(0, len(present) - agree)
                    decisions.append((subject, agree, against))
                services.meeting_record(
                    actor=ACTOR, term=term, held_on=held_on, present=present, decisions=decisions
                )

    def transition_groups(self) -> None:
        """A few terms whose re-electing assembly never came: a 换届小组 each, in the states above."""
        rng, today = self.rng, self.today
        late = [
            t
            for t in self.terms
            if t.reelection_held_on is None
            and t.effective_end < today
            and len(self.seats[t.committee_id]) >= 3
            and not rules.transition_group_problems(
                term_end=t.term_end,
                term_extended_to=t.term_extended_to,
                reelection_held_on=None,
                formed_on=today - timedelta(days=60),
                rules=self.rs,
            )
        ]
        for i, term in enumerate(rng.sample(late, min(GROUPS, len(late)))):
            people = [p for p, _ in self.seats[term.committee_id]][:5]
            seats = [(people[0], "leader"), *[(p, "member") for p in people[1:]]]
            # 0: handed over, then re-elected; 1, 2: handed over; 3: not handed over in 10 days; 4: just formed.
            formed = today - timedelta(days=3 if i == 4 else rng.randint(20, 55))
            group = services.transition_group_form(actor=ACTOR, term=term, formed_on=formed, seats=seats)
            if i <= 2:
                on = formed + timedelta(days=rng.randint(2, 9))
                group = services.transition_handover(actor=ACTOR, group=group, on=on)
            if i == 0:
                self.reelect(term, group)

    def reelect(self, term: CommitteeTerm, group: TransitionGroup) -> None:
        """The owners elect a new committee (the 换届小组 organised the assembly); it gets the records."""
        assert group.handed_over_on is not None
        elected = group.handed_over_on + timedelta(days=self.rng.randint(3, 8))
        start = min(elected + timedelta(days=2), self.today)
        people = [p for p, _ in self.seats[term.committee_id]]
        seats = [(people[0], "chair"), *[(p, "member") for p in people[1:]]]
        committee, _warnings = services.committee_elect(
            actor=ACTOR,
            compound=term.compound,
            elected_on=min(elected, start),
            term_start=start,
            term_end=rules.latest_term_end(start, self.rs),
            seats=seats,
        )
        new = CommitteeTerm.objects.get(committee=committee)
        services.committee_record(
            actor=ACTOR, term=new, handed_over_on=min(start + timedelta(days=3), self.today)
        )


def build_meetings(*, seed: int, district_code: str) -> MeetingsResult:
    """Meetings and 换届小组 for the district's committees, once; returns what the district holds."""
    district = Division.objects.filter(code=district_code).first()
    if district is None:
        return MeetingsResult(False)
    under = {"path__under": district.path}
    if CommitteeMeeting.objects.filter(**under).exists() or TransitionGroup.objects.filter(**under).exists():
        return _count(district, created=False)
    b = _Builder(seed, district)
    with transaction.atomic():
        b.transition_groups()  # first: a re-election among them ends a committee whose meetings come next
        b.meetings()
    return _count(district, created=True)
