"""Demo 双报到 for 市南区: 50 district units with contact points in compounds, 3,372 in-service party members
reporting where they live, needs published month by month and matched by the real solver
(services.matching_run), answers, and service records spread over the current year.

The targets (50 units, 3,372 members) are the source's and live only here; every figure the pages show is
counted from the rows. Members are the demo's in-service party members; where there are fewer than the
target, further resident members are marked in service (with a workplace) first, as the party register would
record them. Deterministic for a seed; a second run finds the units and stops.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from gongzhi.core.actors import system
from gongzhi.organisations.models import Coverage
from gongzhi.party.models import PartyMember
from gongzhi.party.services import members_bulk_save
from gongzhi.places.models import Compound, Division
from gongzhi.reporting import services
from gongzhi.reporting.models import (
    Match,
    MatchStatus,
    MemberLogin,
    Need,
    Project,
    Report,
    Resource,
    ResourceKind,
    ServicePost,
    ServiceRecord,
    Skill,
    Unit,
)

DEMO = system("seed_demo")
UNITS = 50  # 市南区: 50 district units set up contact points (the seed)
MEMBERS = 3372  # 市南区: 3,372 in-service party members reported (the seed)

AGENCIES = [
    "区委办公室",
    "区政府办公室",
    "区委组织部",
    "区委宣传部",
    "区委统战部",
    "区委政法委",
    "区纪委监委",
    "区发展和改革局",
    "区教育和体育局",
    "区科技局",
    "区工业和信息化局",
    "区民政局",
    "区司法局",
    "区财政局",
    "区人力资源和社会保障局",
    "区住房和城乡建设局",
    "区城市管理局",
    "区交通运输局",
    "区商务局",
    "区文化和旅游局",
    "区卫生健康局",
    "区退役军人事务局",
    "区应急管理局",
    "区审计局",
    "区市场监督管理局",
    "区统计局",
    "区医疗保障局",
    "区信访局",
    "区行政审批服务局",
    "区总工会",
    "团区委",
    "区妇联",
    "区残联",
    "区科协",
    "区税务局",
]
INSTITUTIONS = [
    "区疾病预防控制中心",
    "区妇幼保健计划生育服务中心",
    "区图书馆",
    "区文化馆",
    "区融媒体中心",
    "区社会福利中心",
    "区公共法律服务中心",
    "区退役军人服务中心",
    "区档案馆",
    "区人民医院",
]
ENTERPRISES = ["青岛港集团", "海尔集团", "青岛银行", "国网青岛供电公司", "青岛地铁集团"]
POSTS = [
    "政策宣传员",
    "矛盾调解员",
    "文明劝导员",
    "环境监督员",
    "平安巡逻员",
    "邻里互助员",
    "志愿服务员",
    "议事协商员",
]
NEED_TITLES = {
    "law": "法律咨询进小区",
    "medicine": "义诊和健康讲座",
    "education": "四点半课堂辅导",
    "repairs": "便民维修",
    "it": "老年人智能手机培训",
    "psychology": "心理疏导",
    "culture": "社区文艺活动",
    "elderly": "独居老人探访",
    "mediation": "邻里纠纷调解",
    "policy": "政策宣讲",
    "greening": "楼院绿化",
    "safety": "消防安全检查",
}


@dataclass
class Summary:
    created: bool
    units: int
    members: int
    needs: int
    accepted: int
    hours: Decimal


def build_reporting(seed: int = 20241218, district_code: str = "370202") -> Summary:
    district = Division.objects.get(code=district_code)
    if Unit.objects.filter(code__startswith="SN-U").exists():
        return _summary(district, created=False)
    with transaction.atomic():
        _build(random.Random(seed), district)
    return _summary(district, created=True)


def _build(rng: random.Random, district: Division) -> None:
    today = timezone.localdate()
    compounds = list(Compound.objects.filter(path__under=district.path).order_by("code"))
    members = _in_service(rng, district)
    names = (
        [("reporting.agency", n) for n in AGENCIES]
        + [("reporting.institution", n) for n in INSTITUTIONS]
        + [("reporting.enterprise", n) for n in ENTERPRISES]
    )[:UNITS]
    liaisons = [m.person for m in rng.sample(members, UNITS)]
    rows = []
    for i, ((kind, name), liaison) in enumerate(zip(names, liaisons, strict=True)):
        points = rng.sample(compounds, rng.randint(2, 5))
        rows.append(
            services.NewUnit(
                kind,
                f"SN-U{i + 1:03d}",
                name,
                district,
                [(c, liaison) for c in points],
                date(today.year - rng.randint(1, 4), 3, 1),
            )
        )
    units = services.units_bulk_create(actor=DEMO, rows=rows, reason="示范数据")
    by_name = {u.name: u for u in units}
    skills = list(Skill.objects.filter(active=True).order_by("order").values_list("pk", "code"))
    weights = [5, 4, 4, 6, 5, 2, 4, 5, 3, 3, 2, 3][: len(skills)]
    start = date(today.year, 1, 1)
    span = max(1, (today - start).days)
    new = []
    for m in members[:MEMBERS]:
        unit = by_name.get(m.workplace) or rng.choice(units)
        picked = {s for s in rng.choices(skills, weights=weights, k=rng.choice([1, 1, 2, 2, 3]))}
        new.append(
            services.NewReport(
                m.person_id,
                m.compound,
                [pk for pk, _ in picked],
                rng.choice([4, 4, 6, 8, 8, 10, 12, 16]),
                (weekdays := rng.random() < 0.35),
                not weekdays or rng.random() < 0.7,
                unit.pk,
                unit.name,
                start + timedelta(days=rng.randrange(min(span, 120))),
            )
        )
    services.reports_bulk_create(actor=DEMO, rows=new, reason="示范数据")
    _lists(rng, units, compounds, today)
    _months(rng, compounds, skills, district, today)
    _link_demo_member(district)


def _in_service(rng: random.Random, district: Division) -> list[PartyMember]:
    """The district's in-service members, topped up to the target from resident members."""
    qs = PartyMember.objects.filter(path__under=district.path).select_related("compound").order_by("pk")
    have = [m for m in qs if m.in_service]
    if len(have) < MEMBERS:
        others = [m for m in qs if not m.in_service]
        extra = rng.sample(others, min(len(others), MEMBERS - len(have)))
        for m in extra:
            m.in_service, m.workplace = True, rng.choice(AGENCIES + INSTITUTIONS + ENTERPRISES)
        members_bulk_save(
            actor=DEMO, new=[], changed=extra, fields=["in_service", "workplace"], reason="示范数据"
        )
        have += extra
    rng.shuffle(have)
    return have


def _lists(rng: random.Random, units: list[Unit], compounds: list[Compound], today: date) -> None:
    """Resources and projects of the units; service posts with quotas, each member claiming one."""
    Resource.objects.bulk_create(
        [
            Resource(unit=u, kind=k, name=n, quantity=q, path=u.path)
            for u in units
            for k, n, q in rng.sample(
                [
                    (ResourceKind.VENUE, "会议室", "1 间"),
                    (ResourceKind.VENUE, "活动室", "1 间"),
                    (ResourceKind.EQUIPMENT, "便民服务设备", "1 套"),
                    (ResourceKind.FUNDS, "共建经费", f"{rng.randint(2, 10)} 万元"),
                ],
                2,
            )
        ]
    )
    by_pk = {c.pk: c for c in compounds}
    points: dict[int, list[Compound]] = {u.pk: [] for u in units}
    for org, cid in Coverage.objects.filter(organisation__in=units, compound__isnull=False).values_list(
        "organisation_id", "compound_id"
    ):
        points[org].append(by_pk[cid])
    Project.objects.bulk_create(
        [
            Project(
                unit=u,
                compound=c,
                path=c.path,
                title=f"{c.name}{t}",
                progress=rng.choice([30, 60, 80, 100]),
                adopted_on=date(today.year, rng.randint(1, max(1, today.month)), 1),
            )
            for u in units
            for c, t in zip(
                points[u.pk][:2],
                rng.sample(["楼道微改造", "口袋公园", "适老化改造", "停车秩序整治"], 2),
                strict=False,
            )
        ]
    )
    district_path = units[0].path
    posts = ServicePost.objects.bulk_create(
        [ServicePost(name=n, quota=rng.choice([450, 500, 550]), path=district_path) for n in POSTS]
    )
    through = ServicePost.claims.through
    reports = list(
        Report.objects.filter(path__under=district_path, ended_on=None).values_list("pk", flat=True)
    )
    room = {p.pk: p.quota for p in posts}
    claims = []
    for r in reports:  # each member claims one post that still has room (quotas are never exceeded)
        open_posts = [pk for pk, left in room.items() if left > 0]
        if not open_posts:
            break
        pk = rng.choice(open_posts)
        room[pk] -= 1
        claims.append(through(servicepost_id=pk, report_id=r))
    through.objects.bulk_create(claims)


def _months(
    rng: random.Random,
    compounds: list[Compound],
    skills: list[tuple[int, str]],
    district: Division,
    today: date,
) -> None:
    """Needs published month by month, matched by the solver that month, answered, served and recorded."""
    codes = [c for _, c in skills]
    for month in range(1, today.month + 1):
        first = date(today.year, month, 1)
        if first > today:
            break
        rows = []
        for c in rng.sample(compounds, min(len(compounds), 40)):
            code = rng.choice(codes)
            wanted = [code] + ([rng.choice(codes)] if rng.random() < 0.3 else [])
            per = rng.choice([2, 4, 4, 6])
            rows.append(
                services.NewNeed(
                    c,
                    NEED_TITLES.get(code, "志愿服务"),
                    list(dict.fromkeys(wanted)),
                    per * rng.randint(1, 4),
                    per,
                    first,
                    first + timedelta(days=rng.choice([20, 25, 28])),
                    rng.choice([0, 0, 0, 1, 2]),
                )
            )
        services.needs_bulk_create(actor=DEMO, rows=rows, reason="示范数据")
        services.matching_run(actor=DEMO, place=district, on=first)
        proposed = list(Match.objects.filter(status=MatchStatus.PROPOSED, need__starts_on=first))
        done = today - first > timedelta(days=28)
        accepted = [m for m in proposed if rng.random() < (0.8 if done else 0.5)]
        declined = [m for m in proposed if m not in accepted and rng.random() < (0.9 if done else 0.2)]
        services.matches_bulk_answer(actor=DEMO, matches=accepted, status=MatchStatus.ACCEPTED)
        services.matches_bulk_answer(actor=DEMO, matches=declined, status=MatchStatus.DECLINED)
        _records(rng, accepted, first, today)
        if done:
            services.needs_close_expired(actor=DEMO, on=first + timedelta(days=28))


def _records(rng: random.Random, accepted: list[Match], first: date, today: date) -> None:
    rows = []
    reports = {r.pk: r for r in Report.objects.filter(pk__in={m.report_id for m in accepted})}
    for m in accepted:
        served = first + timedelta(days=rng.randrange(0, 20))
        if served >= today:
            continue
        report = reports[m.report_id]
        recent = today - served < timedelta(days=10)
        rows.append(
            ServiceRecord(
                report=report,
                unit_id=report.unit_id,
                need_id=m.need_id,
                served_on=served,
                hours=Decimal(m.hours),
                note="按需求服务",
                status="reported" if recent else "confirmed",
                path=report.path,
            )
        )
    services.records_bulk_create(actor=DEMO, rows=rows, reason="示范数据")


def _link_demo_member(district: Division) -> None:
    """The demo account `dangyuan` is a reported in-service member of its compound (the phone page)."""
    from django.contrib.auth.models import User

    user = User.objects.filter(username="dangyuan").first()
    grant = user.roles.filter(compound__isnull=False).first() if user else None
    if user is None or grant is None or MemberLogin.objects.filter(user=user).exists():
        return
    report = Report.objects.filter(compound=grant.compound, ended_on=None).order_by("pk").first()
    if report is not None and not MemberLogin.objects.filter(person=report.person).exists():
        MemberLogin.objects.create(user=user, person=report.person)


def _summary(district: Division, created: bool) -> Summary:
    from django.db.models import Sum

    path = district.path
    return Summary(
        created,
        Unit.objects.active().filter(path__under=path).count(),
        Report.objects.filter(path__under=path, ended_on=None).count(),
        Need.objects.filter(path__under=path).count(),
        Match.objects.filter(path__under=path, status=MatchStatus.ACCEPTED).count(),
        ServiceRecord.objects.filter(path__under=path, status="confirmed").aggregate(h=Sum("hours"))["h"]
        or Decimal(0),
    )
