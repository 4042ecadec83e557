"""Demo 防止返贫动态监测 for 平度市: households in every village of the divisions data, and cases in every state.

Households and members are registered in bulk (services.households_create_bulk); cases go through the real
services with past dates — raised by a visit, a self-report or a department list, decided village → town →
county after each 公示, given measures and follow-up visits, and some eliminated when the checklist holds —
so every state the pages show is the outcome of the rules. The monitoring line and notice periods are the
settings a county enters (illustrative values, not figures of the source). Deterministic for a seed; a second
run finds the households and stops.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from gongzhi.core.actors import system
from gongzhi.monitoring import services
from gongzhi.monitoring.models import (
    Case,
    Category,
    Hardship,
    Household,
    Labour,
    MeasureKind,
    MonitoringLine,
    NoticePeriod,
    Step,
)
from gongzhi.people.identity import with_check_character
from gongzhi.places.models import Division

DEMO = system("seed_demo")
PER_VILLAGE = 12
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
GIVEN = "建国秀英玉兰志强桂芳德明春花文华海燕国庆丽娟宝山"
FATES = ("identifying", "monitored", "monitored", "eliminated", "protected", "rejected", "eliminating")


@dataclass
class MonitoringDemo:
    created: bool
    households: int = 0
    cases: int = 0


def _name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN)


def _settings(today: date) -> None:
    for step, days in ((Step.VILLAGE, 5), (Step.TOWN, 5), (Step.COUNTY, 7)):
        if not NoticePeriod.objects.filter(step=step).exists():
            services.notice_period_set(actor=DEMO, step=step, days=days)
    for year in range(today.year - 3, today.year + 1):
        if not MonitoringLine.objects.filter(province="37", year=year).exists():
            services.monitoring_line_set(
                actor=DEMO, province="37", year=year, yuan_per_person=Decimal(7000 + 300 * (year - 2022))
            )


HARDSHIP_OF = {
    "因病支出骤增": Hardship.ILLNESS,
    "务工收入中断": Hardship.JOBS,
    "子女上学负担重": Hardship.SCHOOLING,
    "房屋受损": Hardship.DISASTER,
    "意外事故": Hardship.ACCIDENT,
    "产业经营亏损": Hardship.BUSINESS,
}


def _identify(case: Case, start: date, category: str = "") -> date:
    on = start
    for step in (Step.VILLAGE, Step.TOWN, Step.COUNTY):
        given = category if step == Step.VILLAGE else ""
        services.case_decide(actor=DEMO, case=case, step=step, approved=True, category=given, on=on)
        on += timedelta(days=8)
    return on


def _case(rng: random.Random, household: Household, fate: str, today: date) -> None:
    opened = today - timedelta(days=rng.randint(300, 400) if fate != "identifying" else rng.randint(3, 60))
    channel = rng.choice(["visit", "visit", "self", "department"])
    category = rng.choice(Category.values)
    risk = rng.choice(
        ["因病支出骤增", "务工收入中断", "子女上学负担重", "房屋受损", "意外事故", "产业经营亏损"]
    )
    visit_findings = "入户核实：" + risk
    services.visit_record(
        actor=DEMO,
        household=household,
        visited_on=opened,
        findings=visit_findings,
        next_due=opened + timedelta(days=30),
        secure={"medical": False},
    )
    # A household reports what happened; the cadres set the category at the village review.
    own = channel == "self"
    case = services.case_raise(
        actor=DEMO,
        household=household,
        channel=channel,
        category="" if own else category,
        hardship=HARDSHIP_OF[risk],
        risk=risk,
        on=opened,
    )
    if fate == "identifying":
        if rng.random() < 0.5 and opened < today - timedelta(days=2):
            services.case_decide(
                actor=DEMO,
                case=case,
                step=Step.VILLAGE,
                approved=True,
                category=category if own else "",
                on=opened + timedelta(days=1),
            )
        return
    if fate == "rejected":
        services.case_decide(
            actor=DEMO, case=case, step=Step.VILLAGE, approved=False, on=opened + timedelta(days=2)
        )
        return
    on = _identify(case, opened + timedelta(days=2), category if own else "")
    case.refresh_from_db()  # the services lock and re-read the case; this object is behind them
    for kind in rng.sample(MeasureKind.values, rng.randint(1, 3)):
        services.measure_add(
            actor=DEMO,
            case=case,
            kind=kind,
            starts_on=on,
            ends_on=None,
            amount_yuan=Decimal(rng.choice([0, 2000, 5000, 10000, 50000])),
            officer=_name(rng),
        )
    rich = Decimal(9000 + rng.randint(0, 6000))
    services.income_record(
        actor=DEMO, household=household, measured_on=on + timedelta(days=20), yuan_per_person=rich
    )
    last = today - timedelta(days=rng.randint(5, 40))
    overdue = rng.random() < 0.15
    services.visit_record(
        actor=DEMO,
        household=household,
        visited_on=last,
        findings="回访：帮扶措施落实，生活稳定",
        next_due=last + timedelta(days=rng.choice([20, 30, 60]) if not overdue else 3),
        secure={},
    )
    if fate in ("eliminated", "protected", "eliminating"):
        case.refresh_from_db()
        decided = today - timedelta(days=40 if fate == "eliminated" else 1)
        services.case_start_elimination(actor=DEMO, case=case, on=decided)
        if fate == "eliminated":
            case.refresh_from_db()
            _identify(case, decided)


def build_monitoring(*, seed: int, county_code: str = "370283") -> MonitoringDemo:
    county = Division.objects.filter(code=county_code).first()
    if county is None or Household.objects.filter(path__under=county.path).exists():
        return MonitoringDemo(created=False, households=Household.objects.count(), cases=Case.objects.count())
    rng = random.Random(seed)
    today = timezone.localdate()
    villages = list(Division.objects.filter(path__under=county.path, level="village").order_by("code"))
    with transaction.atomic():
        _settings(today)
        rows = []
        serial = 0
        for village in villages:
            for i in range(PER_VILLAGE):
                members = []
                for j in range(rng.randint(1, 4)):
                    serial += 1
                    born = 1940 + rng.randrange(70)
                    first17 = f"370283{born}{1 + rng.randrange(12):02d}{1 + rng.randrange(28):02d}{serial % 1000:03d}"
                    labour = (
                        Labour.NONE if born < 1955 else rng.choice([Labour.FULL, Labour.FULL, Labour.WEAK])
                    )
                    members.append(
                        services.MemberRow(
                            _name(rng),
                            with_check_character(first17),
                            "户主" if j == 0 else rng.choice(["配偶", "子女", "父母"]),
                            labour,
                        )
                    )
                rows.append(
                    services.NewHousehold(village.pk, village.path, f"{village.code}{i + 1:03d}", members)
                )
        # 11 digits of serial per code block must stay unique: drop duplicates the random birth dates make.
        seen: set[str] = set()
        unique = []
        for h in rows:
            if all(m.id_number not in seen for m in h.members):
                seen.update(m.id_number for m in h.members)
                unique.append(h)
        ids = services.households_create_bulk(actor=DEMO, households=unique, reason="示范数据")
        frail = [
            pk for pk, h in zip(ids, unique, strict=True) if all(m.labour == Labour.NONE for m in h.members)
        ]
        able = [pk for pk in ids if pk not in set(frail)]
        rng.shuffle(frail)
        rng.shuffle(able)
        for n in range(min(len(ids), len(villages) * 2)):
            fate = FATES[n % len(FATES)]
            pool = frail if fate == "protected" and frail else able
            if not pool:
                continue
            _case(rng, Household.objects.get(pk=pool.pop()), fate, today)
    return MonitoringDemo(
        created=True, households=len(unique), cases=Case.objects.filter(path__under=county.path).count()
    )
