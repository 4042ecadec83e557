"""Demo step for the enterprise-service centre of 黄岛区 (issue 13): the centre in a tower with its three
platforms, the opening day (a signing ceremony before 200-odd guests, with agreements across semiconductors,
AI, intelligent manufacturing and foreign trade, and a summit on going abroad), then a year of leads,
landings, leases and service requests.

Every name is made up. The generator only decides what happens (how many signings, who came, which projects
land); every printed figure is counted afterwards by gongzhi.centre.selectors, the functions the pages and
the indicator catalogue use. Deterministic for a seed; idempotent (a district with a centre is left alone).
"""

from __future__ import annotations

import random
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.utils import timezone
from stdnum.cn import uscc

from gongzhi.centre import (
    selectors,
    selectors_referrals,
    services,
    services_events,
    services_items,
    services_referrals,
)
from gongzhi.centre.ledger_registry import ENTERPRISES, LEASES, PROJECTS, ROOMS
from gongzhi.centre.models import (
    Centre,
    Enterprise,
    Event,
    Guest,
    Platform,
    Project,
    ServiceItem,
    Space,
    Stage,
)
from gongzhi.core.actors import system
from gongzhi.ledgers.base import Context
from gongzhi.ledgers.importer import get_ledger, import_file
from gongzhi.ledgers.xlsx import write_workbook
from gongzhi.places.models import Division, Level

ACTOR = system("seed_demo")
OPENING_SIGNINGS = 19  # a generator parameter: the figures below are counted from the rows it leads to
OPENING_GUESTS = (205, 240)
SIGNING_FIELDS = [  # (field, GB/T 4754 section, platform code, kind)
    ("半导体", "C", "kechuang", "tech"),
    ("人工智能", "I", "kechuang", "innovative"),
    ("智能制造", "C", "kechuang", "leader"),
    ("外贸", "F", "chuhai", "hq"),
]
CATALOGUE = [
    ("government", "企业开办登记", "区行政审批服务局", 3),
    ("government", "税务登记与发票", "区税务局", 5),
    ("government", "施工与经营许可", "区行政审批服务局", 15),
    ("government", "政策补贴申报", "区投资促进局", 20),
    ("finance", "科技信贷", "合作银行（示范）", 15),
    ("finance", "融资担保", "区融资担保公司（示范）", 20),
    ("finance", "股权与产业基金", "区产业投资基金（示范）", 40),
    ("talent", "人才招聘", "区人才服务中心", 10),
    ("talent", "人才住房", "区住房保障中心", 15),
    ("talent", "人才补贴", "区人力资源和社会保障局", 20),
]
SYLLABLES = "海芯智联汇创微晶云图数擎锐航蓝湾启明星瀚途越达驰远衡拓鼎新宏泰和嘉信卓"
SUFFIX = {"C": "科技有限公司", "I": "信息技术有限公司", "F": "国际贸易有限公司", "M": "研究院有限公司"}


@dataclass(frozen=True)
class CentreDemo:
    created: bool
    platforms: int
    guests: int
    signed: int
    landed: int
    settled: int
    occupancy: float
    projects: int
    requests: int
    on_time_rate: float
    referrals: int = 0
    approved: int = 0
    finance_yuan: int = 0  # approved by partners on referrals (selectors.finance_arranged)


def _name(rng: random.Random, section: str, used: set[str]) -> str:
    while True:
        name = "青岛" + "".join(rng.sample(SYLLABLES, 2)) + SUFFIX.get(section, "科技有限公司")
        if name not in used:
            used.add(name)
            return name


class _Codes:
    def __init__(self) -> None:
        self.serial = 100000

    def next(self) -> str:
        self.serial += 7
        body = f"91370211{self.serial:09d}"
        return body + uscc.calc_check_digit(body)


def _credits(rng: random.Random) -> dict[str, dict[str, int]]:
    parties = ["government", "owner", "operator", "incubator"]
    out = {}
    for part in ("found", "hosted", "signed"):
        lead = rng.choice(parties)
        other = rng.choice([p for p in parties if p != lead])
        share = rng.choice([100, 70, 60, 50])
        out[part] = {lead: share} | ({other: 100 - share} if share < 100 else {})
    return out


PARTNERS = [  # made-up partners of the finance items: (kind, name)
    ("centre.bank", "青岛示范科技银行"),
    ("centre.bank", "西海岸示范农商银行"),
    ("centre.guarantor", "区融资担保公司（示范）"),
    ("centre.fund", "区产业投资基金（示范）"),
]
PRODUCTS = {"科技信贷": "loan", "融资担保": "guarantee", "股权与产业基金": "fund"}
FATES = ("approved", "approved", "approved", "declined", "withdrawn", "pending")
DECLINED = ["抵押物不足", "经营年限未满", "估值未达成一致", "负债率偏高"]


def _label(choices: Any, value: str) -> str:
    return str(dict(choices)[value])


def _registry_book(
    centre: Centre,
    rooms: list[dict[str, Any]],
    firms: list[dict[str, Any]],
    leases: list[dict[str, Any]],
    projects: list[dict[str, Any]],
) -> Iterator[tuple[Any, list[list[Any]]]]:
    """The centre's registry as an office fills it in: rooms, the enterprises already in the tower, their
    leases, and the year's leads (ledger_registry's four sheets, labels as the template shows them)."""
    platforms = {p.code: p.name for p in Platform.objects.filter(centre=centre)}
    yield (
        ROOMS,
        [
            [centre.name, r["number"], r["floor"], r["area"], _label(Space.Use.choices, r["use"])]
            for r in rooms
        ],
    )
    yield (
        ENTERPRISES,
        [
            [
                centre.name,
                f["code"],
                f["name"],
                f["section"],
                _label(Enterprise.Kind.choices, f["kind"]),
                platforms[f["platform"]],
                _label(Enterprise.Incubation.choices, f["incubation"]) if f["incubation"] else "",
                f["registered_on"],
            ]
            for f in firms
        ],
    )
    yield (
        LEASES,
        [
            [centre.name, x["number"], x["code"], x["starts_on"], x["ends_on"], "", x["rent"], x["incentive"]]
            for x in leases
        ],
    )
    yield (
        PROJECTS,
        [
            [
                "",
                centre.name,
                platforms[p["platform"]],
                p["name"],
                p["section"],
                _label(Enterprise.Kind.choices, p["kind"]),
                "",
                p["created_on"],
                p.get("next_action", ""),
                p.get("next_action_on"),
                p["likelihood"],
                p.get("expected_on"),
                "",
            ]
            for p in projects
        ],
    )


def _import_registry(centre: Centre, sheets: Iterator[tuple[Any, list[list[Any]]]]) -> dict[str, int]:
    """Write the generated workbook to a file and import it through the ledger, as the centre's office would
    (the same checks and bulk services as the ledgers page); a refusal is a bug of the generator."""
    with tempfile.TemporaryDirectory(prefix="gongzhi-demo-") as folder:
        target = Path(folder) / "服务中心台账.xlsx"
        write_workbook(target, sheets)
        outcome = import_file(get_ledger("centre_registry"), target, Context(None))
    if not outcome.ok:
        raise RuntimeError(
            f"the demo's centre registry was refused: {[e.as_dict() for e in outcome.errors[:5]]}"
        )
    return outcome.counts


def build_centre(*, seed: int, district_code: str = "370211") -> CentreDemo:
    rng = random.Random(seed * 13 + 1)
    district = Division.objects.filter(code=district_code).first()
    existing = Centre.objects.filter(path__under=district.path).first() if district else None
    if district is None or existing is not None:
        return _summary(existing, created=False)
    community = (
        Division.objects.filter(path__under=district.path, level=Level.COMMUNITY).order_by("code").first()
        or district
    )
    today = timezone.localdate()
    opened = today - timedelta(days=365)
    centre = services.centre_create(
        actor=ACTOR,
        name="西海岸新质生产力服务中心（示范）",
        division=community,
        tower="国际中心大厦（示范）",
        opened_on=opened,
    )
    uses = ["office"] * 5 + ["lab", "production", "incubator"]
    rooms: list[dict[str, Any]] = [
        {
            "floor": floor,
            "number": f"{floor}{n:02d}",
            "area": Decimal(rng.choice([85, 120, 160, 220, 300, 420])),
            "use": "service" if floor < 3 else ("incubator" if floor < 6 else rng.choice(uses)),
        }
        for floor in range(1, 31)
        for n in range(1, 9)
    ]
    free_numbers = [r["number"] for r in rooms if r["floor"] >= 3]
    rng.shuffle(free_numbers)
    stages = list(Stage.objects.order_by("position"))
    by_code = {s.code: s for s in stages}
    codes, used = _Codes(), set[str]()
    services_items.service_items_bulk_create(
        actor=ACTOR, centre=centre, rows=[services_items.NewItem(*row) for row in CATALOGUE]
    )
    items = list(ServiceItem.objects.filter(centre=centre))  # the catalogue's order (category, id)
    platform_codes = [code for code, _ in services.PLATFORMS]

    # Enterprises already in the tower when it opened (the incubator's start-ups among them), with leases.
    firms, leases = [], []
    for _ in range(48):
        section = rng.choice(["C", "I", "I", "M", "F"])
        firm = {
            "code": codes.next(),
            "name": _name(rng, section, used),
            "section": section,
            "kind": rng.choice(["innovative", "tech", "supplier", "hq", "innovative"]),
            "platform": rng.choice(platform_codes),
            "incubation": rng.choice(["", "", "incubating", "graduated"]),
            "registered_on": opened - timedelta(days=rng.randint(200, 2000)),
        }
        start = opened - timedelta(days=rng.randint(0, 300))
        leases.append(
            {
                "number": free_numbers.pop(),
                "code": firm["code"],
                "starts_on": start,
                "ends_on": start + timedelta(days=3 * 365),
                "rent": Decimal(rng.randint(40, 90) * 100),
                "incentive": rng.choice(["", "首年租金减半", "孵化期免租"]),
            }
        )
        firms.append(firm)

    # The opening day's signings (leads from before the opening), then a year of leads on every platform.
    plans: list[dict[str, Any]] = []
    for i in range(OPENING_SIGNINGS):
        _field, section, platform, kind = SIGNING_FIELDS[i % len(SIGNING_FIELDS)]
        fate = rng.random()
        plans.append(
            {
                "opening": True,
                "platform": platform,
                "name": _name(rng, section, used),
                "section": section,
                "kind": kind,
                "created_on": opened - timedelta(days=rng.randint(30, 120)),
                "credits": _credits(rng),
                "likelihood": rng.choice([60, 70, 80, 90]),
                "amount": Decimal(rng.randint(5, 200) * 1000000),
                "follow_up": rng.choice(["招商一组", "招商二组", "运营商招商部", "孵化器项目部"]),
                "fate": fate,
            }
        )
    for _ in range(160):
        section = rng.choice(["C", "I", "F", "M", "L"])
        created = opened + timedelta(days=rng.randint(0, 330))
        plans.append(
            {
                "opening": False,
                "platform": rng.choice(platform_codes),
                "name": _name(rng, section, used),
                "section": section,
                "kind": rng.choice(
                    ["innovative", "tech", "supplier", "hq", "leader", "chamber", "association"]
                ),
                "created_on": created,
                "credits": _credits(rng),
                "likelihood": rng.randint(1, 9) * 10,
                "next_action": rng.choice(["电话回访", "安排考察", "报送政策清单", "约谈签约"]),
                "next_action_on": created + timedelta(days=rng.randint(7, 60)),
                "expected_on": created + timedelta(days=rng.randint(60, 300)),
                "reach": rng.choices(stages[:6], weights=[25, 20, 18, 14, 10, 13])[0].code,
            }
        )
    _import_registry(centre, _registry_book(centre, rooms, firms, leases, plans))

    spaces = {s.number: s for s in Space.objects.filter(centre=centre)}
    free = [spaces[n] for n in free_numbers]
    settled = list(Enterprise.objects.filter(centre=centre).order_by("id"))
    services.key_figures_bulk_set(
        actor=ACTOR,
        rows=[
            (
                e,
                opened.year,
                {
                    "revenue_yuan": Decimal(rng.randint(2, 800) * 100000),
                    "tax_yuan": Decimal(rng.randint(1, 60) * 10000),
                    "employees": rng.randint(5, 400),
                    "rnd_yuan": Decimal(rng.randint(1, 90) * 10000),
                    "patents": rng.randint(0, 40),
                },
            )
            for e in settled
        ],
    )

    # The opening day and its summit, through the services the event forms use.
    ceremony = services_events.event_create(
        actor=ACTOR,
        centre=centre,
        kind=Event.Kind.CEREMONY,
        title="服务中心启用暨首批企业签约仪式",
        held_on=opened,
    )
    services_events.guests_set(
        actor=ACTOR,
        event=ceremony,
        guests=[
            (f"{rng.choice(['市', '区', '高校', '研究院', '商会', '企业'])}嘉宾单位{i + 1}", True)
            for i in range(rng.randint(*OPENING_GUESTS))
        ],
    )
    summit = services_events.event_create(
        actor=ACTOR, centre=centre, kind=Event.Kind.SUMMIT, title="跨境电商平台出海峰会", held_on=opened
    )
    services_events.guests_set(
        actor=ACTOR, event=summit, guests=[(f"跨境电商平台{i + 1}", True) for i in range(12)]
    )

    def advance(project: Project, upto: str, day: date) -> None:
        for stage in stages[project.stage.position : by_code[upto].position]:
            if stage.requires == "lease":
                return
            code = codes.next() if stage.requires == "registration" else ""
            services.project_advance(
                actor=ACTOR, project=project, stage=stage, on=day, evidence="示范佐证", credit_code=code
            )
            day += timedelta(days=rng.randint(3, 20))

    def land(project: Project, day: date) -> None:
        if not free:
            return
        services.project_land(
            actor=ACTOR,
            project=project,
            space=free.pop(),
            starts_on=day,
            ends_on=day + timedelta(days=3 * 365),
            monthly_rent_yuan=Decimal(rng.randint(40, 90) * 100),
            incentive="首年租金减半",
        )

    projects = {
        p.name: p for p in Project.objects.filter(centre=centre).select_related("stage", "centre", "platform")
    }
    for plan in plans:
        project = projects[plan["name"]]
        services.project_credit(actor=ACTOR, project=project, credits=plan["credits"])
        if plan["opening"]:
            advance(project, "signed", project.created_on)
            services_events.agreement_sign(
                actor=ACTOR,
                event=ceremony,
                project=project,
                amount_yuan=plan["amount"],
                follow_up=plan["follow_up"],
            )
            if plan["fate"] < 0.55:
                advance(project, "registered", opened + timedelta(days=10))
                land(project, opened + timedelta(days=rng.randint(40, 200)))
            elif plan["fate"] < 0.8:
                advance(project, "registered", opened + timedelta(days=rng.randint(20, 120)))
            continue
        advance(project, plan["reach"], plan["created_on"] + timedelta(days=3))
        if plan["reach"] == "registered" and rng.random() < 0.6:
            land(project, min(today, plan["created_on"] + timedelta(days=rng.randint(30, 120))))

    _service_requests(rng, centre, items, today, opened)
    return _summary(centre, created=True)


def _service_requests(
    rng: random.Random, centre: Centre, items: list[ServiceItem], today: date, opened: date
) -> None:
    """A year of one-stop requests from the settled enterprises; each finance request is referred to one or
    two partners, whose results (approved, declined, withdrawn, or still pending — some past their answer
    day) come before the request is closed. The finance arranged is what the partners approved."""
    partners = [
        services_referrals.partner_create(actor=ACTOR, centre=centre, kind=kind, name=name)
        for kind, name in PARTNERS
    ]
    tenants = list(Enterprise.objects.filter(centre=centre, settled_on__isnull=False))
    for _ in range(260):
        ent, item = rng.choice(tenants), rng.choice(items)
        filed = opened + timedelta(days=rng.randint(0, 360))
        req = services.service_request_file(
            actor=ACTOR, enterprise=ent, item=item, detail=f"申请办理{item.name}", filed_on=filed
        )
        answered = filed + timedelta(days=round(item.limit_days * rng.uniform(0.4, 1.8)))
        pending = False
        if item.category == "finance":
            product = PRODUCTS.get(item.name, "loan")
            fitting = [p for p in partners if (p.kind == "centre.bank") == (product == "loan")] or partners
            for partner in rng.sample(fitting, k=min(len(fitting), rng.choice([1, 1, 2]))):
                asked = Decimal(rng.randint(5, 300) * 10000)
                referral = services_referrals.referral_create(
                    actor=ACTOR,
                    request=req,
                    partner=partner,
                    product=product,
                    amount_asked_yuan=asked,
                    referred_on=min(today, filed + timedelta(days=rng.randint(0, 3))),
                )
                fate = rng.choice(FATES)
                on = referral.referred_on + timedelta(days=rng.randint(3, 30))
                if fate == "pending" or on > today:
                    pending = True
                    continue
                services_referrals.referral_answer(
                    actor=ACTOR,
                    referral=referral,
                    result=fate,
                    answered_on=on,
                    amount_approved_yuan=(asked * rng.choice([Decimal("0.6"), Decimal("0.8"), Decimal(1)]))
                    if fate == "approved"
                    else None,
                    reason=rng.choice(DECLINED) if fate == "declined" else "",
                )
                answered = max(answered, on)
        if pending or answered > today:
            continue
        services.service_request_answer(actor=ACTOR, request=req, outcome="已办结", answered_on=answered)
        if rng.random() < 0.8:
            services.service_request_rate(
                actor=ACTOR, request=req, rating=rng.choices([5, 4, 3, 2], [50, 30, 15, 5])[0]
            )


def _summary(centre: Centre | None, *, created: bool) -> CentreDemo:
    if centre is None:
        return CentreDemo(created, 0, 0, 0, 0, 0, 0.0, 0, 0, 0.0)
    path = centre.path
    agreements = selectors.agreement_figures(path)
    service = selectors.service_figures(path)
    referred = selectors_referrals.referral_figures(path)
    opening = Event.objects.filter(centre=centre, kind=Event.Kind.CEREMONY).order_by("held_on").first()
    return CentreDemo(
        created=created,
        platforms=Platform.objects.filter(path__under=path).count(),
        guests=Guest.objects.filter(event=opening).count() if opening else 0,
        signed=agreements["signed"],
        landed=agreements["landed"],
        settled=selectors.enterprises_settled(path),
        occupancy=selectors.occupancy(path)["rate"],
        projects=Project.objects.filter(path__under=path).count(),
        requests=service["requests"],
        on_time_rate=service["on_time_rate"],
        referrals=referred["n"],
        approved=referred["approved"],
        finance_yuan=service["finance_yuan"],
    )


def centre_users() -> list[tuple[str, str, str, Division, Enterprise | None]]:
    """(username, full name, role, place, enterprise) of the centre's demo logins (gongzhi.demo.users):
    the investment bureau at the district, the other parties at the centre's community, and the contact of
    the first settled enterprise."""
    centre = Centre.objects.select_related("division").order_by("id").first()
    if centre is None:
        return []
    place = centre.division
    district = Division.objects.filter(level=Level.DISTRICT, code=place.code[:6]).first() or place
    firm = Enterprise.objects.filter(centre=centre, settled_on__isnull=False).order_by("id").first()
    return [
        ("zhaoshang", "招商部门人员", "investment_bureau", district, None),
        ("chanquan", "楼宇产权方人员", "building_owner", place, None),
        ("yunying", "运营商人员", "operator", place, None),
        ("fuhua", "孵化器人员", "incubator", place, None),
        ("pingtai", "产业平台人员", "platform_staff", place, None),
        ("qiye", "企业联络人", "enterprise_contact", place, firm),
    ]
