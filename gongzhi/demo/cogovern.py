"""Demo step for the 1+3+N community: owners' committees in every state, property companies across every
credit grade, self-management committees, the N participants and the 50 community maps.

The source's 89.09% (业委会组建率) is 196/220. The generator applies the art. 21 rule to each compound's
delivery data (the same function the figures use), records the unanimous decisions not to form an assembly
(《物业管理条例》第十条) for the smallest compounds beyond 220, and elects committees in 196 of them; the
figure is then counted off these rows by gongzhi.cogovern.indicators. Deterministic for a seed,
idempotent (a district with owners' committees is left alone), bulk writes.
"""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from stdnum.cn import uscc

from gongzhi.cogovern import property_rules as pr
from gongzhi.cogovern import rules
from gongzhi.cogovern.models import (
    COMPANY,
    N_DEPT,
    N_SOCIAL,
    N_UNIT,
    N_VOLUNTEER,
    OWNERS,
    PREP,
    SELF,
    AssemblyCase,
    CommitteeTerm,
    CommunityMap,
    CompanyProfile,
    Complaint,
    Contract,
    Evaluation,
    Evaluator,
    ListEntry,
    ListKind,
    Outcome,
    Participation,
    ScoreSheet,
)
from gongzhi.cogovern.services import (
    Rows,
    bulk_write,
    company_profiles_bulk_create,
    compound_status_refresh,
)
from gongzhi.core.actors import system
from gongzhi.demo.names import person_name
from gongzhi.organisations.models import Organisation
from gongzhi.organisations.services import NewOrganisation, organisations_bulk_create
from gongzhi.party.models import PartyMember
from gongzhi.people.models import Ownership
from gongzhi.places.models import Compound, Division, Level, ManagementType

TARGET_REQUIRED, TARGET_FORMED = 220, 196  # 196 / 220 = 0.890909… (domain notes §3)
ACTOR = system("seed_demo")
# Credit grades the companies are built to reach: every grade and the blacklist appear.
QUALITY = [0.97, 0.9, 0.86, 0.78, 0.7, 0.62, 0.5, 0.35]
COMPANY_WORDS = [
    "海信",
    "青房",
    "万和",
    "德馨",
    "宜居",
    "安和",
    "嘉禾",
    "同心",
    "海韵",
    "正阳",
    "百合",
    "鲁信",
]


@dataclass
class Result:
    created: bool
    required: int = 0
    formed: int = 0
    companies: int = 0
    maps: int = 0


def _credit_code(rng: random.Random, taken: set[str]) -> str:
    alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    while True:
        body = "91370202" + "".join(rng.choice(alphabet) for _ in range(9))
        code = body + uscc.calc_check_digit(body)
        if code not in taken and not pr.credit_code_problem(code):
            taken.add(code)
            return code


def _phone(rng: random.Random) -> str:
    return f"1{rng.choice('3578')}{rng.randrange(10**9):09d}"


class Builder:
    def __init__(self, seed: int, district: Division):
        self.rng = random.Random(seed * 31 + 10)
        self.district = district
        self.today = timezone.localdate()
        self.compounds = list(Compound.objects.filter(path__under=district.path).order_by("code"))
        self.communities = list(
            Division.objects.filter(path__under=district.path, level=Level.COMMUNITY).order_by("code")
        )
        self.subdistricts = list(
            Division.objects.filter(path__under=district.path, level=Level.SUBDISTRICT).order_by("code")
        )
        owners: dict[int, list[int]] = defaultdict(list)
        for person_id, compound_id in (
            Ownership.objects.filter(home__path__under=district.path, until__isnull=True)
            .order_by("home_id")
            .values_list("person_id", "home__compound_id")
            .iterator(chunk_size=20000)
        ):
            if len(owners[compound_id]) < 15 and person_id not in owners[compound_id]:
                owners[compound_id].append(person_id)
        self.owners = owners
        members: dict[int, list[int]] = defaultdict(list)
        for person_id, compound_id in PartyMember.objects.filter(compound__in=self.compounds).values_list(
            "person_id", "compound_id"
        ):
            if len(members[compound_id]) < 3:
                members[compound_id].append(person_id)
        self.members = members
        self.by_id = {c.pk: c for c in self.compounds}

    def day(self, back: int, forward: int = 0) -> date:
        return self.today + timedelta(days=self.rng.randint(-back, forward))

    # -- owners' assemblies and committees -----------------------------------------------------------------
    def committees(self) -> tuple[int, int]:
        triggered = [
            c
            for c in self.compounds
            if rules.first_assembly(
                total_area=c.total_area,
                delivered_area=c.delivered_area,
                owners_total=c.owners_total,
                owners_delivered=c.owners_delivered,
                first_delivered_on=c.first_delivered_on,
                on=self.today,
            ).required
        ]
        required_n = min(TARGET_REQUIRED, len(triggered))
        formed_n = round(required_n * TARGET_FORMED / TARGET_REQUIRED)
        # The smallest compounds beyond the target decided unanimously not to form an assembly (art. 10).
        by_size = sorted(triggered, key=lambda c: (c.owners_total, c.code))
        exempt = by_size[: len(triggered) - required_n]
        required = [c for c in triggered if c not in set(exempt)]
        self.rng.shuffle(required)
        formed, unformed = required[:formed_n], required[formed_n:]
        cases: dict[int, AssemblyCase] = {}
        for c in exempt:
            cases[c.pk] = AssemblyCase(
                compound=c,
                path=c.path,
                exempt_reason="业主人数较少，经全体业主一致同意不成立业主大会，由业主共同履行职责",
            )
        # Not formed: some preparing (group formed; a few overdue), some applied, the rest not started.
        preps: list[NewOrganisation] = []
        for i, c in enumerate(unformed):
            case = AssemblyCase(compound=c, path=c.path)
            applied = self.day(150, -20)
            if i % 3 != 2:
                case.applied_on = applied
            if i % 3 == 0:
                case.prep_formed_on = applied + timedelta(days=self.rng.randint(10, 35))
                seats = self.seats(
                    c, 7, roles=["leader", "owner", "owner", "owner", "party", "subdistrict", "other"]
                )
                preps.append(
                    NewOrganisation(
                        Organisation(
                            kind=PREP,
                            code=f"CG-PREP-{c.code}",
                            name=f"{c.name}业主大会筹备组",
                            founded_on=case.prep_formed_on,
                        ),
                        [c],
                        seats,
                    )
                )
            cases[c.pk] = case
        organisations_bulk_create(actor=ACTOR, rows=preps)
        prep_ids = dict(
            Organisation.objects.filter(kind=PREP, code__in=[p.organisation.code for p in preps]).values_list(
                "code", "pk"
            )
        )
        for case in cases.values():
            if case.prep_formed_on:
                case.prep_group_id = prep_ids[f"CG-PREP-{case.compound.code}"]
        # Formed: mostly in term; some expired, some due for re-election, some not yet filed, some re-elected.
        new: list[NewOrganisation] = []
        terms: list[dict[str, Any]] = []
        for i, c in enumerate(formed):
            kind = i % 14
            if kind == 0:  # term expired, not extended: status "expired"
                end = self.today - timedelta(days=self.rng.randint(10, 200))
            elif kind == 1:  # re-election window open and missed
                end = self.today + timedelta(days=self.rng.randint(5, 55))
            elif kind == 2:  # expiring within the year, still in time
                end = self.today + timedelta(days=self.rng.randint(70, 360))
            else:
                end = self.today + timedelta(days=self.rng.randint(400, 1700))
            start = rules.add_years(end + timedelta(days=1), -5)
            if kind == 3:  # elected recently, filing pending (overdue for some)
                start = self.today - timedelta(days=self.rng.randint(10, 60))
                end = rules.latest_term_end(start)
            size = self.rng.choice([5, 5, 7, 7, 7, 9, 3])
            roles = ["chair", "vice_chair"] + ["member"] * (size - 2)
            new.append(
                NewOrganisation(
                    Organisation(
                        kind=OWNERS, code=f"CG-YWH-{c.code}-1", name=f"{c.name}业主委员会", founded_on=start
                    ),
                    [c],
                    self.seats(c, size, roles=roles, party_first=True),
                )
            )
            terms.append(
                {
                    "compound": c,
                    "elected_on": start - timedelta(days=self.rng.randint(1, 20)),
                    "term_start": start,
                    "term_end": end,
                    "filed": kind != 3,
                    "extended": kind == 4,
                }
            )
            if kind != 3:
                cases.setdefault(c.pk, AssemblyCase(compound=c, path=c.path, first_assembly_on=start))
        organisations_bulk_create(actor=ACTOR, rows=new)
        ids = dict(
            Organisation.objects.filter(kind=OWNERS, code__in=[n.organisation.code for n in new]).values_list(
                "code", "pk"
            )
        )
        rows = []
        for t in terms:
            c = t["compound"]
            filed = t["elected_on"] + timedelta(days=self.rng.randint(5, 28)) if t["filed"] else None
            rows.append(
                CommitteeTerm(
                    committee_id=ids[f"CG-YWH-{c.code}-1"],
                    compound=c,
                    elected_on=t["elected_on"],
                    term_start=t["term_start"],
                    term_end=t["term_end"],
                    term_extended_to=rules.add_years(t["term_end"], 1) if t["extended"] else None,
                    filed_on=filed,
                    filing_no=f"市南业备{t['term_start']:%Y}{c.code[-5:]}" if filed else "",
                    path=c.path,
                )
            )
        bulk_write(actor=ACTOR, batches=[Rows(AssemblyCase, list(cases.values())), Rows(CommitteeTerm, rows)])
        return len(required), len(formed)

    def seats(
        self, c: Compound, n: int, *, roles: list[str], party_first: bool = False
    ) -> list[tuple[int, str]]:
        people = list(self.members.get(c.pk, [])) if party_first else []
        people += [p for p in self.owners.get(c.pk, []) if p not in people]
        return list(zip(people[:n], roles, strict=False))

    # -- property companies ----------------------------------------------------------------------------------
    def companies(self) -> int:
        rng = self.rng
        served = [c for c in self.compounds if c.management_type == ManagementType.PROFESSIONAL]
        n = max(len(QUALITY), len(served) // 4)
        taken: set[str] = set()
        names: set[str] = set()
        plan = []
        for i in range(n):
            while True:
                name = f"青岛{rng.choice(COMPANY_WORDS)}{rng.choice(['', '恒', '润', '泰', '达'])}物业服务有限公司"
                if name not in names:
                    names.add(name)
                    break
            mine = served[i::n]
            plan.append((name, _credit_code(rng, taken), mine, QUALITY[i % len(QUALITY)]))
        rows = [
            NewOrganisation(
                Organisation(
                    kind=COMPANY, code=f"CG-WY-{code}", name=name, founded_on=date(2000 + i % 20, 3, 1)
                ),
                list(mine),
                [],
            )
            for i, (name, code, mine, _q) in enumerate(plan)
            if mine
        ]
        organisations_bulk_create(actor=ACTOR, rows=rows)
        ids = dict(
            Organisation.objects.filter(
                kind=COMPANY, code__in=[r.organisation.code for r in rows]
            ).values_list("code", "pk")
        )
        sheet = ScoreSheet.objects.get(is_default=True)  # reference data (gongzhi/core/reference.py)
        items = [it for cat in sheet.sheet["categories"] for it in cat["items"]]
        quarters = pr.quarters_back(*pr.quarter_of(self.today), 4)
        profiles, contracts, evaluations, complaints, entries = [], [], [], [], []
        for name, code, mine, q in plan:
            if not mine:
                continue
            cid = ids[f"CG-WY-{code}"]
            profiles.append(
                CompanyProfile(
                    company_id=cid,
                    credit_code=code,
                    party_org_name=f"{name[:-6]}党支部" if q >= 0.6 or rng.random() < 0.3 else "",
                )
            )
            for c in mine:
                starts = self.today - timedelta(days=rng.randint(200, 1500))
                ends = self.today + timedelta(
                    days=rng.randint(10, 85) if rng.random() < 0.08 else rng.randint(120, 1100)
                )
                terminated = q < 0.4 and c is mine[-1] and len(mine) > 1
                contracts.append(
                    Contract(
                        company_id=cid,
                        compound=c,
                        starts_on=starts,
                        ends_on=ends,
                        fee_per_m2=Decimal(str(round(rng.uniform(0.6, 2.8), 2))),
                        scope="房屋及设施设备维护、秩序维护、环境卫生、绿化养护",
                        terminated_on=self.today - timedelta(days=rng.randint(10, 200))
                        if terminated
                        else None,
                        terminated_for_cause=terminated,
                        path=c.path,
                    )
                )
                for y, qu in quarters:
                    for who in Evaluator.values:
                        scores = [
                            str(round(min(1.0, max(0.0, rng.gauss(q, 0.05))) * it["points"], 1))
                            for it in items
                        ]
                        total, problems = pr.sheet_total(sheet.sheet, scores)
                        assert not problems
                        evaluations.append(
                            Evaluation(
                                company_id=cid,
                                compound=c,
                                year=y,
                                quarter=qu,
                                evaluator=who,
                                sheet=sheet,
                                scores=scores,
                                total=total.quantize(Decimal("0.1")),
                                path=c.path,
                            )
                        )
                for _ in range(int((1 - q) * 6 * rng.random())):
                    upheld = rng.random() < (1 - q)
                    received = self.today - timedelta(days=rng.randint(5, 330))
                    complaints.append(
                        Complaint(
                            company_id=cid,
                            compound=c,
                            received_on=received,
                            summary=rng.choice(
                                [
                                    "楼道保洁不及时",
                                    "电梯故障维修慢",
                                    "停车秩序混乱",
                                    "绿化无人养护",
                                    "报修无人回应",
                                ]
                            ),
                            outcome=Outcome.UPHELD if upheld else Outcome.REJECTED,
                            closed_on=received + timedelta(days=rng.randint(1, 15)),
                            path=c.path,
                        )
                    )
                for y, qu in quarters:
                    kind = ListKind.RED if q >= 0.9 else ListKind.BLACK if q < 0.4 else None
                    if kind is None or rng.random() < 0.2:
                        continue
                    published = date(y, qu * 3, 1) + timedelta(days=rng.randint(5, 25))
                    rectify_by = published + timedelta(days=30) if kind == ListKind.BLACK else None
                    entries.append(
                        ListEntry(
                            year=y,
                            quarter=qu,
                            kind=kind,
                            company_id=cid,
                            compound=c,
                            reason="季度考核位列前茅，业主满意度高"
                            if kind == ListKind.RED
                            else "季度考核不合格，投诉集中",
                            published_on=published,
                            rectify_by=rectify_by,
                            rectified_on=rectify_by - timedelta(days=rng.randint(1, 20))
                            if rectify_by and rectify_by < self.today and rng.random() < 0.6
                            else None,
                            path=c.path,
                        )
                    )
        bulk_write(
            actor=ACTOR,
            batches=[
                Rows(Contract, contracts),
                Rows(Evaluation, evaluations),
                Rows(Complaint, complaints),
                Rows(ListEntry, entries),
            ],
        )
        company_profiles_bulk_create(actor=ACTOR, profiles=profiles)
        return len(rows)

    # -- self-management committees, the N, the maps ---------------------------------------------------------
    def others(self) -> int:
        rng = self.rng
        rows = []
        selfish = [c for c in self.compounds if c.management_type == ManagementType.SELF]
        for c in selfish[:-2]:  # two left without one, so the card shows what is missing
            rows.append(
                NewOrganisation(
                    Organisation(
                        kind=SELF, code=f"CG-ZGH-{c.code}", name=f"{c.name}自管会", founded_on=self.day(2000)
                    ),
                    [c],
                    self.seats(c, 5, roles=["director"] + ["member"] * 4),
                )
            )
        by_community: dict[int, list[Compound]] = defaultdict(list)
        for c in self.compounds:
            by_community[c.community_id].append(c)
        links: list[tuple[str, Compound, str]] = []
        for s in self.subdistricts:
            code = f"CG-N-{s.code}D"
            comps = [c for c in self.compounds if c.path.startswith(s.path)]
            if comps:
                rows.append(
                    NewOrganisation(
                        Organisation(kind=N_DEPT, code=code, name=f"{s.name}城市管理办公室"),
                        list[Any](comps),
                        [],
                    )
                )
                links += [(code, c, "违建治理、环境整治") for c in comps]
        for d in self.communities:
            comps = by_community.get(d.pk, [])
            if not comps:
                continue
            for kind, suffix, label, role in [
                (N_UNIT, "U", f"{d.name.removesuffix('社区')}驻区单位联合党委", "共驻共建、资源共享"),
                (N_SOCIAL, "S", f"{d.name.removesuffix('社区')}邻里互助社", "养老助餐、邻里调解"),
                (N_VOLUNTEER, "V", f"{d.name}志愿服务队", "文明劝导、帮老助困"),
            ]:
                code = f"CG-N-{d.code}{suffix}"
                rows.append(
                    NewOrganisation(Organisation(kind=kind, code=code, name=label), list[Any](comps), [])
                )
                # The last compound of each community waits for its N (the card marks it missing).
                links += [(code, c, role) for c in comps[:-1] or comps]
        organisations_bulk_create(actor=ACTOR, rows=rows)
        ids = dict(
            Organisation.objects.filter(code__in=[code for code, _c, _r in links]).values_list("code", "pk")
        )
        parts = [
            Participation(
                organisation_id=ids[code],
                compound=c,
                role=role,
                contact_name=person_name(rng),
                contact_phone=_phone(rng),
                since=self.day(900, -30),
                path=c.path,
            )
            for code, c, role in links
        ]
        maps = []
        for d in self.communities:
            drawn = date(2024, 1, 1) + timedelta(days=rng.randint(60, 330))
            checked = drawn + timedelta(days=rng.randint(30, 600))
            maps.append(
                CommunityMap(
                    community=d,
                    drawn_on=drawn,
                    drawn_by_name=person_name(rng),
                    checked_on=min(checked, self.today),
                    checked_by_name=person_name(rng),
                    path=d.path,
                )
            )
        bulk_write(actor=ACTOR, batches=[Rows(Participation, parts), Rows(CommunityMap, maps)])
        return len(maps)


def build_cogovern(*, seed: int, district_code: str) -> Result:
    """Build the district's co-governance community once; returns what it holds."""
    district = Division.objects.filter(code=district_code).first()
    if district is None:
        return Result(False)
    if CommitteeTerm.objects.filter(path__under=district.path).exists():
        from gongzhi.insights.registry import values  # what is there, counted as the pages count it

        codes = (
            "owners_committee_required",
            "owners_committee_formed",
            "property_companies",
            "community_maps",
        )
        v = values(district, codes=codes)
        return Result(
            False,
            v["owners_committee_required"],
            v["owners_committee_formed"],
            v["property_companies"],
            v["community_maps"],
        )
    b = Builder(seed, district)
    with transaction.atomic():
        required, formed = b.committees()
        companies = b.companies()
        maps = b.others()
        # The status rows of every compound, the city's too: the committee figures count them (art. 21's day)
        compound_status_refresh(compounds=Q())
    return Result(True, required, formed, companies, maps)
