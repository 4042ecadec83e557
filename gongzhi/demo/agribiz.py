"""Demo step for cooperatives and family farms: 平度市's registry at the source's scale, and smaller ones in a
few other districts of 青岛市 so the comparison page compares something.

The counts are parameters (the source's 5,627 cooperatives and 4,257 family farms for 平度市); the figures
`cooperatives` and `family_farms` then count the generated rows. Every row goes through the registry's bulk
services (the same rules as the form and the ledger: credit codes with their GB 32100 check character,
five members or more, grades with their year). Yearly reports for the last three years: most on time, some
late, some missing, so the "report missing" filter has rows. Deterministic for a seed; a district with
cooperatives is left alone.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from stdnum.cn import uscc

from gongzhi.agribiz import rules, services
from gongzhi.agribiz.models import CoopProfile, CoopReport, FamilyFarm, FarmReport, Grade, Product
from gongzhi.core.actors import system
from gongzhi.demo.names import person_name
from gongzhi.people.identity import with_check_character
from gongzhi.places.models import Division, Level

PINGDU = "370283"
# district code → (cooperatives, family farms); 平度市's are the source's, the others a demo's smaller share.
COUNTS = {
    PINGDU: (5_627, 4_257),
    "370281": (600, 450),
    "370285": (500, 420),
    "370215": (450, 380),
    "370211": (300, 200),
}
COOP_KINDS = ("种植专业合作社", "果蔬专业合作社", "养殖专业合作社", "农机专业合作社", "土地股份合作社")
FARM_GRADES = ((Grade.PROVINCIAL, 0.01), (Grade.CITY, 0.03))
COOP_GRADES = ((Grade.NATIONAL, 0.002), (Grade.PROVINCIAL, 0.01), (Grade.CITY, 0.03))

ACTOR = system("demo:agribiz")


@dataclass(frozen=True)
class AgribizDemo:
    created: bool
    cooperatives: int  # in the whole city
    family_farms: int
    reports: int
    pingdu_cooperatives: int  # 平度市's, the source's 5,627 and 4,257
    pingdu_family_farms: int


def _grade(
    rng: random.Random, table: tuple[tuple[str, float], ...], since: date, today: date
) -> tuple[str, int | None]:
    roll = rng.random()
    for grade, share in table:
        if roll < share:
            return grade, rng.randint(since.year, today.year - 1) if since.year < today.year else today.year
        roll -= share
    return "", None


class _Ids:
    """Unique ID numbers of operators born 1955–1995 in the district, with their check character."""

    def __init__(self, district: str, rng: random.Random) -> None:
        self.district, self.rng, self.seq = district, rng, 0

    def next(self) -> str:
        self.seq += 1
        born = date(1955, 1, 1) + timedelta(days=self.rng.randrange(40 * 365))
        return with_check_character(f"{self.district}{born:%Y%m%d}{self.seq % 1000:03d}")


def _filed(rng: random.Random, year: int) -> date | None:
    roll = rng.random()
    if roll < 0.08:
        return None  # missing
    due = rules.report_due(year)
    if roll < 0.15:
        return due + timedelta(days=rng.randint(1, 120))  # late
    return due - timedelta(days=rng.randint(0, 170))


def _district(
    rng: random.Random, district: Division, coops: int, farms: int, today: date
) -> tuple[int, int, int]:
    villages = list(Division.objects.filter(level=Level.VILLAGE, path__under=district.path).order_by("code"))
    products = list(Product.objects.all())
    ids = _Ids(district.code, rng)
    new_coops = []
    for i in range(coops):
        village = rng.choice(villages)
        founded = today - timedelta(days=rng.randint(400, 16 * 365))
        grade, year = _grade(rng, COOP_GRADES, founded, today)
        body = f"93{district.code}{i + 1:09d}"
        base = village.name.removesuffix("村民委员会").removesuffix("村委会").removesuffix("村")
        new_coops.append(
            services.NewCoop(
                village=village,
                name=f"{district.name}{base}{rng.choice(COOP_KINDS)}（{i + 1:04d}）"[:100],
                credit_code=body + uscc.calc_check_digit(body),
                rep_name=person_name(rng),
                rep_id_number=ids.next(),
                founded_on=founded,
                members_count=rng.choice((5, 6, 8, 10, 12, 15, 20, 30, 50, 120)),
                land_mu=Decimal(rng.randint(0, 3000)),
                products=rng.sample(products, rng.randint(1, 2)),
                grade=grade,
                grade_year=year,
            )
        )
    profiles = services.coops_bulk_register(actor=ACTOR, rows=new_coops, reason="示范数据")
    new_farms = []
    for i in range(farms):
        village = rng.choice(villages)
        registered = today - timedelta(days=rng.randint(400, 10 * 365))
        grade, year = _grade(rng, FARM_GRADES, registered, today)
        operator = person_name(rng)
        body = f"92{district.code}{i + 1:09d}"
        new_farms.append(
            services.NewFarm(
                village=village,
                code=f"JT{district.code}{i + 1:05d}",
                name=f"{district.name}{operator}家庭农场"[:100],
                operator_name=operator,
                operator_id_number=ids.next(),
                registered_on=registered,
                land_own_mu=Decimal(rng.randint(5, 40)),
                land_transferred_mu=Decimal(rng.randint(20, 500)),
                labour=rng.randint(2, 5),
                credit_code=body + uscc.calc_check_digit(body) if rng.random() < 0.6 else None,
                products=rng.sample(products, 1),
                grade=grade,
                grade_year=year,
            )
        )
    farms_made = services.farms_bulk_register(actor=ACTOR, rows=new_farms, reason="示范数据")
    coop_reports, farm_reports = [], []
    for p, c in zip(profiles, new_coops, strict=True):
        for year in range(today.year - 3, today.year):
            filed = _filed(rng, year)
            if (
                filed is not None
                and c.founded_on is not None
                and c.founded_on.year <= year
                and filed <= today
            ):
                revenue = rng.randint(50, 5_000) * 1_000
                coop_reports.append(
                    CoopReport(
                        coop=p,
                        path=p.path,
                        year=year,
                        members=c.members_count,
                        revenue_yuan=revenue,
                        surplus_returned_yuan=revenue * rng.randint(0, 12) // 100,
                        land_mu=c.land_mu,
                        filed_on=filed,
                    )
                )
    for x in farms_made:
        for year in range(today.year - 3, today.year):
            filed = _filed(rng, year)
            if filed is not None and x.registered_on.year <= year and filed <= today:
                farm_reports.append(
                    FarmReport(
                        farm=x,
                        path=x.path,
                        year=year,
                        revenue_yuan=rng.randint(80, 2_000) * 1_000,
                        land_mu=x.land_own_mu + x.land_transferred_mu,
                        labour=x.labour,
                        filed_on=filed,
                    )
                )
    CoopReport.objects.bulk_create(coop_reports, batch_size=5000)
    FarmReport.objects.bulk_create(farm_reports, batch_size=5000)
    return len(profiles), len(farms_made), len(coop_reports) + len(farm_reports)


@transaction.atomic
def build_agribiz(*, seed: int, counts: dict[str, tuple[int, int]] | None = None) -> AgribizDemo:
    pingdu = Division.objects.get(code=PINGDU)
    if CoopProfile.objects.filter(path__under=pingdu.path).exists():
        return _counted(False, pingdu, FarmReport.objects.count() + CoopReport.objects.count())
    rng = random.Random(seed * 11 + 4)
    today = timezone.localdate()
    totals = [0, 0, 0]
    for code, (coops, farms) in (counts or COUNTS).items():
        district = Division.objects.filter(code=code).first()
        if district is None:
            continue
        for i, n in enumerate(_district(rng, district, coops, farms, today)):
            totals[i] += n
    return _counted(True, pingdu, totals[2])


def _counted(created: bool, pingdu: Division, reports: int) -> AgribizDemo:
    """What the registries hold, counted from their rows (on a re-run too, not zeros)."""
    return AgribizDemo(
        created,
        CoopProfile.objects.count(),
        FamilyFarm.objects.count(),
        reports,
        CoopProfile.objects.filter(path__under=pingdu.path).count(),
        FamilyFarm.objects.filter(path__under=pingdu.path).count(),
    )
