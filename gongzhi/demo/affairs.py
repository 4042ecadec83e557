"""Demo resident matters for 市南区: 430+ resolved complex matters with plausible timelines, briefing
sessions and consultation meetings, owners' votes where the law needs them (elevator votes by unit among
them), and open matters in every stage.

Ballots come from the real owners of the homes in each vote's scope (read by the same selector the
closing service uses), are written in bulk, and every vote is closed and published by the real services
(gongzhi.affairs.services.vote_close / vote_publish), so every stored result is the law's. Deterministic
for a seed; a second run finds the matters and reuses them.
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.db import connection, transaction
from django.utils import timezone

from gongzhi.affairs import civil_code, selectors, services, workflow
from gongzhi.affairs.chain import seal_backlog
from gongzhi.affairs.models import (
    Ballot,
    BallotChange,
    EventKind,
    Matter,
    MatterCategory,
    MatterEvent,
    Meeting,
    MeetingKind,
    Notice,
    NoticeItem,
    Origin,
    RegisterEntry,
    Scope,
    Status,
    Vote,
    Voter,
    VoteStatus,
)
from gongzhi.affairs.seeds import ensure_seeded
from gongzhi.core.actors import system
from gongzhi.core.bulk import insert_rows
from gongzhi.core.writes import insert_history
from gongzhi.demo.generate import Ids, reset_sequences
from gongzhi.demo.names import person_name
from gongzhi.people.masking import mask_name
from gongzhi.places.models import Building, Compound, Division

LOCAL = ZoneInfo("Asia/Shanghai")
DEMO = system("seed_demo")
TODAY = date(2024, 12, 18)  # the demo district's "today" (gongzhi.demo.generate)
Progress = Callable[[str, int], None]

# What the organiser writes when closing before the announced deadline, and when publishing
# (民法典 第二百八十条: the annulment year runs from the publication).
EARLY_CLOSE_REASON = "应参与表决的业主均已投票或书面表示放弃，经业主委员会确认提前结束表决"
PUBLISH_REASON = "表决已结束，计票结果经核对无误，依规在小区公示栏和平台公示"

# (category, resolved, shelved, open) per category; 443 resolved in all.
PLAN: list[tuple[str, int, int, int]] = [
    ("road", 72, 2, 7),
    ("elevator", 92, 5, 10),
    ("parking", 40, 3, 5),
    ("greening", 50, 1, 5),
    ("fund_use", 60, 2, 6),
    ("fund_raising", 10, 1, 2),
    ("property", 25, 2, 4),
    ("committee", 20, 1, 3),
    ("statute", 10, 0, 2),
    ("facilities", 40, 2, 8),
    ("environment", 24, 1, 5),
]
RENOVATION_BUDGET = {"road", "facilities"}
MEETING_HOURS = (18, 21)  # briefings and consultations are held in the evening, when residents are home
OPEN_AGE = {
    Status.RAISED: (3, 40),
    Status.BRIEFING: (30, 70),
    Status.CONSULTATION: (60, 110),
    Status.VOTING: (75, 120),
    Status.IMPLEMENTATION: (130, 220),
}
OPEN_STAGES = [Status.RAISED, Status.BRIEFING, Status.CONSULTATION, Status.VOTING, Status.IMPLEMENTATION]

TITLES: dict[str, list[str]] = {
    "road": ["小区主干道路面翻修", "{b}至{b2}之间道路坑洼修补", "小区出入口路面硬化", "消防通道路面翻新"],
    "elevator": ["{b}{u}单元加装电梯"],
    "parking": [
        "规划增设地面停车位并实行停车收费",
        "利用闲置空地改建停车场",
        "新能源车充电桩选址",
        "停车管理公约",
    ],
    "greening": ["中心绿地提升改造", "{b}南侧绿化带补植", "口袋公园建设", "宅间绿地改为晾晒区"],
    "fund_use": [
        "{b}屋面防水维修（使用维修资金）",
        "{b}外墙保温层修复（使用维修资金）",
        "{b}楼道窗户更换（使用维修资金）",
    ],
    "fund_raising": ["续筹住宅专项维修资金", "专项维修资金补交方案"],
    "property": ["选聘新的物业服务企业", "物业服务费调整及服务标准", "解聘原物业服务企业"],
    "committee": ["业主委员会换届选举", "增补业主委员会委员"],
    "statute": ["修订管理规约", "制定业主大会议事规则"],
    "facilities": ["更换老化供水管网", "{b}楼道照明改造", "单元门禁系统更新", "雨污分流改造"],
    "environment": ["楼道杂物清理与环境整治", "垃圾分类投放点改造", "违章搭建整治"],
}
VENUES = ["小区党群服务站", "社区党群服务中心", "小区议事厅", "{b}楼下", "物业服务中心会议室"]
RAISERS = ["居民", "楼栋长", "小区党支部", "业委会", "网格员", "物业服务中心"]
OUTCOMES = {
    MeetingKind.BRIEFING: [
        "介绍方案，收集意见 {n} 条",
        "居民普遍支持，建议尽快推进",
        "部分居民有顾虑，会后逐户沟通",
    ],
    MeetingKind.CONSULTATION: ["形成协商意见，方案修改后提交表决", "各方达成一致", "明确施工时间和费用分摊"],
    MeetingKind.ASSEMBLY: ["宣读表决规则，发放表决票", "说明计票方法和公示安排"],
}


@dataclass
class Planned:
    id: int
    compound: Compound
    category: MatterCategory
    item: int | None
    scope: str
    building: Building | None
    unit_no: int | None
    title: str
    final: str  # resolved, shelved, or the open stage
    raised_at: datetime
    current: str = Status.RAISED
    raiser: str = ""
    events: list[tuple[Any, ...]] = field(default_factory=list)
    updated_at: datetime | None = None
    resolved_at: datetime | None = None


@dataclass(frozen=True)
class AffairsSummary:
    matters: int
    resolved: int
    open: int
    shelved: int
    votes: int
    votes_passed: int
    elevator_votes: int
    ballots: int
    meetings: int
    briefings: int
    created: bool


def _dt(value: datetime) -> Any:
    """A UTC datetime as the backend stores it (what adapt_datetimefield_value gives, 20× faster)."""
    if connection.vendor == "sqlite":
        return str(value.astimezone(UTC).replace(tzinfo=None))
    return connection.ops.adapt_datetimefield_value(value)


def _d(value: date | None) -> Any:
    return connection.ops.adapt_datefield_value(value)


def _at(day: date, rng: random.Random, hours: tuple[int, int] = (9, 18)) -> datetime:
    """A local (Qingdao) time on ``day`` within working or meeting hours."""
    return datetime(
        day.year, day.month, day.day, rng.randrange(*hours), rng.choice([0, 15, 30, 45]), tzinfo=LOCAL
    )


def _later(
    when: datetime, rng: random.Random, low: int, high: int, hours: tuple[int, int] = (9, 18)
) -> datetime:
    """``low``–``high`` days after ``when``, at a plausible local hour."""
    return _at(when.astimezone(LOCAL).date() + timedelta(days=rng.randint(low, high)), rng, hours)


class AffairsBuilder:
    def __init__(self, seed: int, district: Division, progress: Progress | None = None):
        self.rng = random.Random(seed * 31 + 4)
        self.district = district
        self.progress = progress
        self.categories = {c.code: c for c in MatterCategory.objects.all()}
        self.matter_ids, self.meeting_ids, self.vote_ids = Ids(Matter), Ids(Meeting), Ids(Vote)
        self.planned: list[Planned] = []
        self.meetings: list[tuple[Any, ...]] = []
        self.meeting_links: list[tuple[int, int]] = []
        self.votes: list[tuple[Planned, Vote, dict[str, Any]]] = []
        self.ballots = 0

    def lead(self, p: Planned) -> str:
        """The compound's party organisation as gongzhi.party recorded it, else the usual name."""
        return self.party_names.get(p.compound.pk) or f"{p.compound.name}党支部"

    # -- places ----------------------------------------------------------------------------------------
    def load_places(self) -> None:
        self.compounds = list(Compound.objects.filter(path__under=self.district.path).order_by("code"))
        self.buildings: dict[int, list[Building]] = {}
        for b in Building.objects.filter(path__under=self.district.path).order_by("compound_id", "seq"):
            self.buildings.setdefault(b.compound_id, []).append(b)
        self.compounds = [c for c in self.compounds if self.buildings.get(c.pk)]
        self.party_names = selectors.party_organisation_names(c.pk for c in self.compounds)
        self.walkups = [
            (c, b)
            for c in self.compounds
            for b in self.buildings[c.pk]
            if not b.has_elevator and b.floors >= 4
        ] or [(c, b) for c in self.compounds for b in self.buildings[c.pk] if not b.has_elevator]

    # -- plan ------------------------------------------------------------------------------------------
    @staticmethod
    def item_of(category: MatterCategory) -> int | None:
        """The demo's road and facility works are paid from the old-compound renovation budget
        (老旧小区改造), not the maintenance fund: settled by consultation, without item (五)'s vote."""
        return None if category.code in RENOVATION_BUDGET else category.default_item

    def plan(self) -> None:
        rng = self.rng
        first = self.compounds[0]  # the demo users' compound gets open matters of its own
        for code, n_resolved, n_shelved, n_open in PLAN:
            category = self.categories[code]
            finals = [Status.RESOLVED] * n_resolved + [Status.SHELVED] * n_shelved
            for i in range(n_open):
                stage = OPEN_STAGES[(i + len(code)) % len(OPEN_STAGES)]
                if self.item_of(category) is None and stage == Status.VOTING:
                    stage = Status.CONSULTATION
                finals.append(stage)
            for k, final in enumerate(finals):
                is_open = final not in (Status.RESOLVED, Status.SHELVED)
                if code == "elevator":
                    compound, building = rng.choice(self.walkups)
                    if is_open and k % 2 == 0:
                        options = [
                            b for b in self.buildings[first.pk] if not b.has_elevator and b.floors >= 4
                        ]
                        if options:
                            compound, building = first, rng.choice(options)
                    scope: str = Scope.UNIT
                    unit: int | None = rng.randint(1, building.units)
                else:
                    compound = first if is_open and k % 3 == 0 else rng.choice(self.compounds)
                    building = rng.choice(self.buildings[compound.pk])
                    scope = Scope.BUILDING if category.default_scope == Scope.BUILDING else Scope.COMPOUND
                    unit = None
                title = self.title(code, compound, building, unit)
                if is_open:  # early enough for its stage, late enough to be still open
                    low, high = OPEN_AGE[final]
                    raised = TODAY - timedelta(days=rng.randint(low, high))
                else:
                    raised = date(2021, 2, 1) + timedelta(days=rng.randint(0, 1000))
                self.planned.append(
                    Planned(
                        id=self.matter_ids.take(),
                        compound=compound,
                        category=category,
                        item=self.item_of(category),
                        scope=scope,
                        building=building if scope != Scope.COMPOUND else None,
                        unit_no=unit,
                        title=title,
                        final=final,
                        raised_at=_at(raised, rng),
                    )
                )

    def title(self, code: str, compound: Compound, building: Building, unit: int | None) -> str:
        others = self.buildings[compound.pk]
        b2 = self.rng.choice(others).number
        if (
            b2 == building.number
        ):  # a road between a building and itself: take a neighbour, or its surroundings
            rest = [b.number for b in others if b.number != building.number]
            b2 = rest[0] if rest else ""
        text = self.rng.choice(TITLES[code]).format(b=building.number, b2=b2, u=unit or 1)
        return text.replace("至之间", "周边")

    # -- timelines ---------------------------------------------------------------------------------------
    def meeting(self, p: Planned, kind: str, day: datetime, homes_hint: int) -> None:
        rng = self.rng
        b = p.building.number if p.building else rng.choice(self.buildings[p.compound.pk]).number
        venue = rng.choice(VENUES).format(b=b)
        n = max(6, min(120, int(homes_hint * rng.uniform(0.15, 0.6))))
        if kind == MeetingKind.ASSEMBLY:
            n = max(n, 20)
        outcome = rng.choice(OUTCOMES[MeetingKind(kind)]).format(n=rng.randint(3, 30))
        attendees = "小区党支部书记、社区网格员、业委会委员、物业项目经理、居民代表"
        minutes = (
            f"{MeetingKind(kind).label}：{p.title}。{self.lead(p)}主持，"
            f"{n} 人参加。{'介绍了方案、费用和施工安排。' if kind == MeetingKind.BRIEFING else '逐项讨论了居民意见。'}"
        )
        mid = self.meeting_ids.take()
        self.meetings.append(
            (mid, kind, p.compound.pk, _dt(day), venue, n, attendees, minutes, outcome, p.compound.path)
        )
        self.meeting_links.append((mid, p.id))
        p.events.append(
            (EventKind.MEETING, "", "", f"{MeetingKind(kind).label}（{venue}，{n} 人参加）{outcome}", day)
        )

    def status(self, p: Planned, before: str, after: str, day: datetime, text: str = "") -> None:
        p.events.append((EventKind.STATUS, before, after, text, day))
        p.current = after

    def timeline(self, p: Planned) -> None:
        """Stages up to the vote (if any); what follows a vote is written after it is counted."""
        rng = self.rng
        hint = 12 if p.scope == Scope.UNIT else (40 if p.scope == Scope.BUILDING else 300)
        day = p.raised_at
        raiser = rng.choice(RAISERS)
        if raiser == "居民":
            raiser = f"居民 {mask_name(person_name(rng))}"
        p.raiser = raiser
        p.events.append((EventKind.RAISED, "", Status.RAISED, f"由{raiser}提出。", day))
        stop = p.final
        stages = [Status.BRIEFING, Status.CONSULTATION]
        if stop == Status.RAISED:
            p.updated_at = day
            return
        for stage in stages:
            if (
                stop == Status.SHELVED
                and p.item is None
                and stage == Status.CONSULTATION
                and rng.random() < 0.5
            ):
                break
            day = _later(day, rng, 4, 25, MEETING_HOURS)
            kind = MeetingKind.BRIEFING if stage == Status.BRIEFING else MeetingKind.CONSULTATION
            self.meeting(p, kind, day, hint)
            self.status(p, p.current, stage, day)
            if stop == stage:
                p.updated_at = day
                return
        p.updated_at = day

    def after(self, p: Planned, day: datetime, passed: bool | None) -> None:
        """Implementation and resolution, or the shelf."""
        rng = self.rng
        current = p.current
        if p.final == Status.SHELVED or passed is False:
            day = _later(day, rng, 3, 20)
            reason = (
                "表决未通过，暂缓实施，待条件成熟后重新协商"
                if passed is False
                else "居民意见分歧较大，经协商暂缓"
            )
            self.status(p, current, Status.SHELVED, day, reason)
            p.final, p.resolved_at, p.updated_at = Status.SHELVED, day, day
            return
        if p.final in (Status.VOTING, Status.CONSULTATION, Status.BRIEFING, Status.RAISED):
            return
        day = _later(day, rng, 3, 25)
        self.status(p, current, Status.IMPLEMENTATION, day, "确定施工单位，公示施工时间")
        p.updated_at = day
        if p.final == Status.IMPLEMENTATION:
            return
        day = _later(day, rng, 15, 150)
        self.status(p, Status.IMPLEMENTATION, Status.RESOLVED, day, "竣工验收，居民代表参与验收并签字")
        p.resolved_at, p.updated_at = day, day

    # -- writes ------------------------------------------------------------------------------------------
    def write_matters(self) -> None:
        rows = []
        for p in self.planned:
            updated = p.updated_at or p.raised_at
            rows.append(
                (
                    p.id,
                    p.title,
                    f"{p.compound.name}：{p.title}。",
                    p.category.pk,
                    p.item,
                    p.scope,
                    p.compound.pk,
                    p.building.pk if p.building else None,
                    p.unit_no,
                    p.final,
                    "party",
                    self.lead(p),
                    None,
                    p.raiser,
                    _dt(p.raised_at),
                    _dt(updated),
                    _dt(p.resolved_at) if p.resolved_at else None,
                    p.building.path if p.building else p.compound.path,
                )
            )
        fields = [
            "id", "title", "description", "category", "item", "scope", "compound", "building", "unit_no",
            "status", "responsible", "responsible_name", "raised_by", "raised_by_name", "raised_at",
            "updated_at", "resolved_at", "path",
        ]  # fmt: skip
        insert_rows(Matter, fields, rows)
        insert_history(Matter, fields, rows, actor=DEMO)

    def write_meetings(self) -> None:
        fields = [
            "id", "kind", "compound", "held_at", "venue", "attendees_count", "attendees", "minutes", "outcome", "path",
        ]  # fmt: skip
        insert_rows(Meeting, fields, self.meetings)
        insert_history(Meeting, fields, self.meetings, actor=DEMO)
        insert_rows(Meeting.matters.through, ["meeting", "matter"], self.meeting_links)

    def write_events(self) -> None:
        rows: list[tuple[Any, ...]] = [
            (
                p.id,
                kind,
                before,
                after,
                text,
                {},
                None,
                p.raiser if kind == EventKind.RAISED else self.lead(p),
                _dt(at),
            )
            for p in self.planned
            for kind, before, after, text, at in p.events
        ]
        fields = ["matter", "kind", "status_from", "status_to", "text", "params", "actor", "actor_name", "at"]
        insert_rows(MatterEvent, fields, rows)

    # -- votes -------------------------------------------------------------------------------------------
    def open_vote(self, p: Planned, day: datetime, attempt: int) -> Vote:
        rng = self.rng
        rule_set = (
            selectors.rule_set_record_in_force(p.category.pk, day.date())
            if p.category.code == "elevator"
            else None
        )
        if p.scope == Scope.COMPOUND:
            self.meeting(p, MeetingKind.ASSEMBLY, day, 40)
        question = p.title if attempt == 1 else f"{p.title}（第二次表决）"
        vote = Vote(
            id=self.vote_ids.take(),
            matter_id=p.id,
            public_id=uuid.UUID(int=rng.getrandbits(128), version=4),
            question=question,
            item=p.item or civil_code.Item.OTHER_MAJOR,
            scope=p.scope,
            compound_id=p.compound.pk,
            building_id=p.building.pk if p.building else None,
            unit_no=p.unit_no,
            rule_set=rule_set,
            status=VoteStatus.OPEN,
            opened_at=day,
            # Votes still open in the demo have no deadline yet: the demo's "today" is fixed in the past,
            # and a lapsed deadline would stop its resident from voting online.
            closes_on=None
            if p.final == Status.VOTING
            else (day + timedelta(days=rng.randint(10, 30))).date(),
            path=p.building.path if p.building else p.compound.path,
        )
        fields = [
            "id", "matter", "public_id", "question", "item", "scope", "compound", "building", "unit_no",
            "rule_set", "status", "opened_at", "closes_on", "reasons", "path", "participation_rule",
            "approval_rule", "rule_applied",
        ]  # fmt: skip
        insert_rows(
            Vote,
            fields,
            [
                (
                    vote.id, p.id, vote.public_id if connection.vendor == "postgresql" else vote.public_id.hex,
                    question, p.item, p.scope, p.compound.pk, vote.building_id, p.unit_no,
                    rule_set.pk if rule_set else None, VoteStatus.OPEN, _dt(day), _d(vote.closes_on), [], vote.path,
                    "", "", "",
                )
            ],
        )  # fmt: skip
        self.post_notice(vote, p, day, question)
        text = f"表决事项：{question}；适用民法典第二百七十八条第一款{civil_code.Item(p.item or 9).title}"
        if rule_set:
            text += f"；并适用「{rule_set.name}」"
        p.events.append((EventKind.VOTE_OPENED, p.current, Status.VOTING, text, day))
        p.current = Status.VOTING
        return vote

    def post_notice(self, vote: Vote, p: Planned, day: datetime, question: str) -> None:
        """The notice and the register of owners, published 16–20 days before voting (青岛市物业管理条例
        第二十九条, counted per 民法典 第二百零一条), as services.notice_post writes them; the vote is on its item."""
        posted = day - timedelta(days=self.rng.randint(16, 20))
        assert civil_code.earliest_voting_day(posted.date()) <= day.date()
        homes = selectors.vote_homes(vote, posted.date())
        electorate, _developers = selectors.electorate_of(homes)
        notice = Notice.objects.create(
            matter_id=p.id,
            public_id=uuid.UUID(int=self.rng.getrandbits(128), version=4),
            posted_on=posted.date(),
            voting_from=day.date(),
            text=f"定于 {day:%Y年%m月%d日} 起就「{p.title}」进行业主表决，表决事项及业主名册见下。",
            posted_at=posted,
            homes=len(homes),
            owners_total=electorate.owners_total,
            area_total=electorate.area_total,
            path=vote.path,
        )
        item = NoticeItem.objects.create(
            notice=notice,
            number=1,
            title=question,
            text=f"{question}。",
            item=p.item or civil_code.Item.OTHER_MAJOR,
        )
        RegisterEntry.objects.bulk_create(
            RegisterEntry(
                notice=notice,
                home_id=h.home_id,
                owner_id=h.owner_id,
                developer=h.developer,
                developer_id_counted=h.developer_id,
                delivered=h.delivered,
                area=h.area,
            )
            for h in homes
        )
        Vote.objects.filter(pk=vote.id).update(notice_item=item)
        vote.notice_item = item
        p.events.append((EventKind.NOTE, "", "", f"发布表决公告并公布业主名册：{len(homes)} 户", posted))

    def cast(self, vote: Vote, p: Planned, day: datetime, want_pass: bool, finish: bool) -> dict[str, Any]:
        """Opinions of the real owners in scope, drawn until the law gives the planned outcome."""
        rng = self.rng
        homes = selectors.vote_homes(vote, day.date())
        electorate, developers = selectors.electorate_of(homes)
        owners = sorted({h.owner_id for h in homes if h.owner_id is not None})
        special = civil_code.Item(p.item or 9).special or vote.rule_set is not None
        opinions: dict[int, str] = {}
        for _attempt in range(12):
            if want_pass:
                part = rng.uniform(0.78, 0.95)
                agree = rng.uniform(0.84, 0.97) if special else rng.uniform(0.62, 0.9)
            else:
                part = rng.uniform(0.45, 0.7)
                agree = rng.uniform(0.4, 0.75)
            if not finish:
                part *= rng.uniform(0.3, 0.8)
            opinions = {}
            for owner in owners:
                if owner in developers and rng.random() < 0.7:
                    continue
                if rng.random() < part:
                    roll = rng.random()
                    opinions[owner] = (
                        "agree"
                        if roll < agree
                        else ("against" if roll < agree + (1 - agree) * 0.6 else "abstain")
                    )
            if not finish:
                break
            keyed = {selectors.owner_key(o, developers): v for o, v in opinions.items()}
            participation = vote.rule_set.as_rule_set().participation if vote.rule_set else None
            approval = vote.rule_set.as_rule_set().approval if vote.rule_set else None
            result = civil_code.tally(
                electorate, keyed, p.item or 9, participation=participation, approval=approval
            )
            if result.passed == want_pass:
                break
        ballots, changes = [], []
        for owner, opinion in opinions.items():
            at = _later(day, rng, 0, 8, (8, 22))
            roll = rng.random()
            origin = Origin.PAPER if roll < 0.55 else (Origin.ONLINE if roll < 0.9 else Origin.PROXY)
            proxy_name, mandate = "", ""
            if origin == Origin.PROXY:
                proxy_name = person_name(rng)
                mandate = f"本人因在外地，委托{proxy_name}代为参加表决并签署表决票。"
            changed = 0
            if rng.random() < 0.03:
                first = rng.choice([o for o in ("agree", "against", "abstain") if o != opinion])
                changes.append((vote.id, owner, first, "", origin, None, _dt(at)))
                at = at + timedelta(days=1)
                changes.append((vote.id, owner, opinion, first, origin, None, _dt(at)))
                changed = 1
            else:
                changes.append((vote.id, owner, opinion, "", origin, None, _dt(at)))
            ballots.append((vote.id, owner, opinion, origin, proxy_name, mandate, "", None, _dt(at), changed))
        insert_rows(
            Ballot,
            [
                "vote",
                "owner",
                "opinion",
                "origin",
                "proxy_name",
                "mandate",
                "mandate_file",
                "cast_by",
                "cast_at",
                "changes",
            ],
            ballots,
        )
        insert_rows(
            BallotChange, ["vote", "owner", "opinion", "previous", "origin", "cast_by", "at"], changes
        )
        seal_backlog(vote.id)  # the demo's casts are chained like any other (gongzhi.affairs.chain)
        self.ballots += len(ballots)
        if vote.rule_set is None:
            return {}
        ok = want_pass or rng.random() < 0.5
        # The plan was on public notice before the vote opened (15–20 days, counted from the next day).
        notice_until = (day - timedelta(days=rng.randint(1, 4))).date()
        return {
            "signatures_complete": True,
            "notice_from": notice_until - timedelta(days=rng.randint(15, 20)),
            "notice_until": notice_until,
            "unresolved_objections": 0 if ok else 1,
        }

    def run_votes(self) -> None:
        """Open, fill, close (real service) and publish (real service) the votes of every matter that needs
        one; then write what followed each result."""
        rng = self.rng
        for p in self.planned:
            start = p.updated_at or p.raised_at
            needs = p.item is not None and p.final not in (
                Status.RAISED,
                Status.BRIEFING,
                Status.CONSULTATION,
            )
            if not needs or (p.final == Status.SHELVED and rng.random() < 0.3):
                self.after(p, start, None)
                continue
            day = _later(start, rng, 5, 15, MEETING_HOURS)
            if p.final == Status.VOTING:  # still open: some ballots in, the rest to come
                vote = self.open_vote(p, day, 1)
                self.cast(vote, p, day, want_pass=True, finish=False)
                p.updated_at = day
                continue
            attempts = 2 if (p.final == Status.RESOLVED and rng.random() < 0.08) else 1
            passed: bool | None = None
            for attempt in range(1, attempts + 1):
                vote = self.open_vote(p, day, attempt)
                want = p.final != Status.SHELVED and attempt == attempts
                conditions = self.cast(vote, p, day, want_pass=want, finish=True)
                closed_at = _later(day, rng, 10, 30)
                vote = Vote.objects.select_related("rule_set", "matter").get(pk=vote.pk)
                early = workflow.closes_early(vote.closes_on, timezone.localdate(closed_at))
                closed = services.vote_close(
                    vote=vote,
                    actor=DEMO,
                    at=closed_at,
                    reason=EARLY_CLOSE_REASON if early else "",
                    **conditions,
                )
                services.vote_publish(
                    vote=closed, actor=DEMO, reason=PUBLISH_REASON, at=closed_at + timedelta(days=1)
                )
                passed = bool(closed.passed)
                day = closed_at + timedelta(days=1)
                if passed:
                    break
                if attempt < attempts:
                    self.status(
                        p, Status.VOTING, Status.CONSULTATION, day, "表决未通过，入户沟通、修改方案后再次表决"
                    )
                    day = _later(day, rng, 20, 60, MEETING_HOURS)
            self.after(p, day, passed)

    # -- the lot -----------------------------------------------------------------------------------------
    def build(self) -> None:
        self.load_places()
        if not self.compounds:
            return
        self.plan()
        for p in self.planned:
            self.timeline(p)
        self.write_matters()
        self.run_votes()
        voted = [p for p in self.planned if p.item is not None]
        for p in voted:  # the services wrote their timeline rows as "系统"; the demo's organiser is the lead
            MatterEvent.objects.filter(matter_id=p.id, actor_name="系统").update(actor_name=self.lead(p))
        for p in self.planned:  # the outcome of each vote decided what followed
            Matter.objects.filter(pk=p.id).update(
                status=p.final, updated_at=p.updated_at or p.raised_at, resolved_at=p.resolved_at
            )
        self.write_meetings()
        self.write_events()
        reset_sequences(Matter, Meeting, Vote)
        if self.progress:
            self.progress("自治事务", len(self.planned))


def link_demo_voter(username: str = "jumin") -> None:
    """Let the demo resident vote online as an owner of their compound (idempotent)."""
    from django.contrib.auth.models import User

    from gongzhi.accounts.models import RoleAssignment
    from gongzhi.people.models import Ownership, PersonKind

    user = User.objects.filter(username=username).first()
    if user is None or Voter.objects.filter(user=user).exists():
        return
    grant = RoleAssignment.objects.filter(user=user, compound__isnull=False).first()
    if grant is None or grant.compound_id is None:
        return
    taken = Voter.objects.values_list("person_id", flat=True)
    ownership = (
        Ownership.objects.filter(compound_id_cache=grant.compound_id, person__kind=PersonKind.INDIVIDUAL)
        .exclude(person_id__in=taken)
        .order_by("home__building__seq", "home__unit_no", "home__room")
        .select_related("person")
        .first()
    )
    if ownership is not None:
        services.voter_link(user=user, person=ownership.person, actor=DEMO)


def summary(district: Division, created: bool) -> AffairsSummary:
    matters = Matter.objects.filter(path__under=district.path)
    votes = Vote.objects.filter(path__under=district.path, status=VoteStatus.CLOSED)
    meetings = Meeting.objects.filter(path__under=district.path)
    return AffairsSummary(
        matters=matters.count(),
        resolved=matters.filter(status=Status.RESOLVED).count(),
        open=matters.exclude(status__in=[Status.RESOLVED, Status.SHELVED]).count(),
        shelved=matters.filter(status=Status.SHELVED).count(),
        votes=votes.count(),
        votes_passed=votes.filter(passed=True).count(),
        elevator_votes=votes.filter(scope=Scope.UNIT).count(),
        ballots=Ballot.objects.filter(vote__path__under=district.path).count(),
        meetings=meetings.count(),
        briefings=meetings.filter(kind=MeetingKind.BRIEFING).count(),
        created=created,
    )


def build_affairs(
    *, seed: int, district_code: str = "370202", progress: Progress | None = None
) -> AffairsSummary:
    """Build the demo matters of a district once; a second run reuses them."""
    district = Division.objects.get(code=district_code)
    ensure_seeded()
    created = False
    if not Matter.objects.filter(path__under=district.path).exists():
        with transaction.atomic():
            AffairsBuilder(seed, district, progress).build()
        created = True
    link_demo_voter()
    return summary(district, created)


__all__ = ["AffairsSummary", "build_affairs"]
