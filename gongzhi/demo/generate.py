"""The demo district: synthetic compounds, buildings, homes and owners on Qingdao's real divisions.

Deterministic for a seed. Rows are written with bulk inserts and explicit primary keys (so children can
refer to parents without reading them back); counters are then rebuilt by places_recount(), the same
function an operator runs after any bulk load. Later issues add their own steps (party, affairs …) in
their own modules, called from the seed_demo command.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from functools import lru_cache
from typing import Any

from django.db import connection, transaction
from django.db.models import Max, Model

from gongzhi.core.bulk import insert_rows
from gongzhi.core.pinyin import pinyin_keys
from gongzhi.demo.geography import DISTRICT_BOXES, grid
from gongzhi.demo.names import compound_name, person_name
from gongzhi.people.identity import with_check_character
from gongzhi.people.models import Ownership, Person, PersonKind, Residence
from gongzhi.places.geo import rectangle
from gongzhi.places.models import Building, Compound, Division, Home, Level, ManagementType

Progress = Callable[[str, int], None]

BATCH = 5000


@dataclass(frozen=True)
class DistrictProfile:
    """How big a district's synthetic housing is."""

    compounds: int
    buildings_mean: float
    shinan_like: bool  # an old, dense urban district: walk-ups, 里院, few new deliveries


SHINAN = DistrictProfile(compounds=250, buildings_mean=20.0, shinan_like=True)


def city_profile(communities: int, total_communities: int) -> DistrictProfile:
    # About 9,750 compounds over the other nine districts, in proportion to their committees.
    return DistrictProfile(
        compounds=max(1, round(9750 * communities / total_communities)), buildings_mean=5.0, shinan_like=False
    )


HOME_FIELDS = ["id", "building", "compound", "unit_no", "room", "floor", "area", "delivered", "path"]


class Ids:
    """Hands out primary keys above what the table already holds."""

    def __init__(self, model: type[Model]):
        self.next = (model._default_manager.aggregate(m=Max("pk"))["m"] or 0) + 1

    def take(self) -> int:
        value = self.next
        self.next += 1
        return value


def chunks(rows: list[Any], size: int = BATCH) -> Iterator[list[Any]]:
    for i in range(0, len(rows), size):
        yield rows[i : i + size]


def insert(model: type[Model], rows: list[Any], progress: Progress | None = None, label: str = "") -> None:
    """Write model instances built in memory as plain rows (see gongzhi.core.bulk)."""
    fields = [f for f in model._meta.concrete_fields]
    names = [f.attname for f in fields]
    for part in chunks(rows):
        insert_rows(model, [f.name for f in fields], ([getattr(obj, n) for n in names] for obj in part))
        if progress:
            progress(label, len(part))


def reset_sequences(*models: type[Model]) -> None:
    """After explicit keys, move PostgreSQL's sequences past them (SQLite needs nothing)."""
    if connection.vendor != "postgresql":
        return
    from django.core.management.color import no_style

    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), list(models)):
            cursor.execute(sql)


class Generator:
    def __init__(self, seed: int, progress: Progress | None = None):
        self.rng = random.Random(seed)
        self.progress = progress
        self.id_numbers: set[str] = set()

    # -- places -----------------------------------------------------------------------------------
    def build_district(self, district: Division, profile: DistrictProfile) -> None:
        rng = self.rng
        communities = list(
            Division.objects.filter(
                path__under=district.path, level__in=[Level.COMMUNITY, Level.VILLAGE]
            ).order_by("code")
        )
        if not communities:
            return
        # Spread the compounds over the communities; villages get fewer.
        weights = [1.0 if c.level == Level.COMMUNITY else 0.3 for c in communities]
        total_w = sum(weights)
        counts = [max(1, round(profile.compounds * w / total_w)) for w in weights]
        diff = profile.compounds - sum(counts)
        order = sorted(range(len(counts)), key=lambda i: -weights[i])
        i = 0
        while diff != 0:
            j = order[i % len(order)]
            step = 1 if diff > 0 else -1
            if counts[j] + step >= 1:
                counts[j] += step
                diff -= step
            i += 1

        box = DISTRICT_BOXES.get(district.code[:6], (120.0, 36.0, 120.2, 36.2))
        cells = grid(len(communities), box)
        compound_ids, building_ids, home_ids = Ids(Compound), Ids(Building), Ids(Home)
        compounds: list[Compound] = []
        buildings: list[Building] = []
        homes: list[tuple[Any, ...]] = []
        today = date(2024, 12, 18)
        for community, n, cell in zip(communities, counts, cells, strict=True):
            taken: set[str] = set()
            sub = grid(n, cell)
            for seq, (x0, y0, x1, y1) in enumerate(sub, start=1):
                code = f"{community.code}{seq:03d}"
                name = compound_name(rng, taken)
                py, ini = pinyin_keys(name)
                w, h = x1 - x0, y1 - y0
                outline = rectangle(x0 + w * 0.12, y0 + h * 0.12, w * 0.76, h * 0.76)
                if profile.shinan_like:
                    year = rng.choices([1985, 1995, 2005, 2015, 2021], weights=[30, 30, 22, 13, 5])[0]
                else:
                    year = rng.choices([1995, 2005, 2015, 2021], weights=[15, 30, 35, 20])[0]
                delivered_on = date(year, 1, 1) + timedelta(days=rng.randrange(365 * 4))
                delivered_on = min(delivered_on, today - timedelta(days=30))
                mtype = rng.choices(
                    [
                        ManagementType.PROFESSIONAL,
                        ManagementType.SELF,
                        ManagementType.FALLBACK,
                        ManagementType.NONE,
                    ],
                    weights=[68, 10, 14, 8],
                )[0]
                compound = Compound(
                    id=compound_ids.take(),
                    code=code,
                    name=name,
                    address=f"{district.name}{name.split('号')[0] if '号' in name else name}",
                    community_id=community.pk,
                    management_type=mtype,
                    first_delivered_on=delivered_on,
                    outline=outline,
                    path=f"{community.path}{code}/",
                    pinyin=py,
                    initials=ini,
                )
                compounds.append(compound)
                recent = (today - delivered_on).days < 365 * 3
                n_buildings = max(1, int(rng.gauss(profile.buildings_mean, profile.buildings_mean * 0.5)))
                for bseq in range(1, n_buildings + 1):
                    tall = rng.random() < (0.55 if year >= 2005 else 0.15)
                    floors = rng.choice([11, 18, 26]) if tall else rng.choice([4, 5, 6, 7])
                    units = rng.choice([1, 2, 2, 3]) if tall else rng.choice([1, 2, 3, 3, 4])
                    per_floor = 2
                    building = Building(
                        id=building_ids.take(),
                        compound_id=compound.pk,
                        seq=bseq,
                        number=f"{bseq}号楼",
                        units=units,
                        floors=floors,
                        has_elevator=tall,
                        path=f"{compound.path}b{bseq}/",
                    )
                    buildings.append(building)
                    base_area = rng.uniform(55, 85) if year < 2005 else rng.uniform(80, 130)
                    for unit in range(1, units + 1):
                        for floor in range(1, floors + 1):
                            for k in range(1, per_floor + 1):
                                area = Decimal(str(round(base_area * rng.uniform(0.85, 1.2), 2)))
                                delivered = not (recent and rng.random() < 0.12)
                                homes.append(
                                    (
                                        home_ids.take(),
                                        building.pk,
                                        compound.pk,
                                        unit,
                                        f"{floor}{k:02d}",
                                        floor,
                                        area,
                                        delivered,
                                        building.path,
                                    )
                                )
        insert(Compound, compounds, self.progress, "小区")
        insert(Building, buildings, self.progress, "楼栋")
        write(Home, HOME_FIELDS, homes, self.progress, "房屋")
        self.build_people([(h[0], h[2], h[7]) for h in homes], str(district.code))

    # -- people -----------------------------------------------------------------------------------
    def id_number(self, region: str) -> str:
        rng = self.rng
        while True:
            born = date(1940, 1, 1) + timedelta(days=rng.randrange(365 * 64))
            first17 = f"{region}{born:%Y%m%d}{rng.randrange(1000):03d}"
            number = with_check_character(first17)
            if number not in self.id_numbers:
                self.id_numbers.add(number)
                return number

    def phone(self) -> str:
        return f"1{self.rng.choice('3578')}{self.rng.randrange(10**9):09d}"

    def new_person(self, ids: Ids, region: str) -> tuple[Any, ...]:
        name = person_name(self.rng)
        py, ini = char_pinyin_keys(name)
        return (
            ids.take(),
            PersonKind.INDIVIDUAL,
            name,
            self.id_number(region),
            None,
            self.phone(),
            py,
            ini,
            NOW,
        )

    def build_people(self, homes: list[tuple[int, int, bool]], region: str) -> None:
        """Owners and residents for (home id, compound id, delivered) rows, written as plain tuples."""
        rng = self.rng
        person_ids, ownership_ids, residence_ids = Ids(Person), Ids(Ownership), Ids(Residence)
        persons: list[tuple[Any, ...]] = []
        ownerships: list[tuple[Any, ...]] = []
        residences: list[tuple[Any, ...]] = []
        developers: dict[int, int] = {}
        previous: dict[int, list[int]] = {}  # recent owners per compound, for multi-home owners
        one, half = Decimal("1"), Decimal("0.5")
        for home_id, compound_id, delivered in homes:
            if not delivered:
                dev = developers.get(compound_id)
                if dev is None:
                    dev = person_ids.take()
                    name = f"青岛{rng.choice(['海信', '鲁信', '华润', '中海', '保利', '万科', '国信'])}置业有限公司"
                    persons.append(
                        (dev, PersonKind.DEVELOPER, name, None, None, "", *char_pinyin_keys(name), NOW)
                    )
                    developers[compound_id] = dev
                ownerships.append((ownership_ids.take(), home_id, dev, compound_id, one))
                continue
            pool = previous.setdefault(compound_id, [])
            if pool and rng.random() < 0.03:
                owner = rng.choice(pool)  # owns another home in this compound already
            else:
                row = self.new_person(person_ids, region)
                persons.append(row)
                owner = row[0]
                pool.append(owner)
                if len(pool) > 40:
                    pool.pop(0)
            if rng.random() < 0.06:
                spouse = self.new_person(person_ids, region)
                persons.append(spouse)
                ownerships.append((ownership_ids.take(), home_id, owner, compound_id, half))
                ownerships.append((ownership_ids.take(), home_id, spouse[0], compound_id, half))
            else:
                ownerships.append((ownership_ids.take(), home_id, owner, compound_id, one))
            roll = rng.random()
            if roll < 0.8:
                residences.append((residence_ids.take(), home_id, owner, Residence.Relation.OWNER))
            elif roll < 0.92:
                tenant = self.new_person(person_ids, region)
                persons.append(tenant)
                residences.append((residence_ids.take(), home_id, tenant[0], Residence.Relation.TENANT))
        write(Person, PERSON_FIELDS, persons, self.progress, "人员")
        write(
            Ownership,
            ["id", "home", "person", "compound_id_cache", "share"],
            ownerships,
            self.progress,
            "产权",
        )
        write(Residence, ["id", "home", "person", "relation"], residences, self.progress, "居住")


PERSON_FIELDS = [
    "id",
    "kind",
    "name",
    "id_number",
    "credit_code",
    "phone",
    "pinyin",
    "initials",
    "created_at",
]
NOW = datetime(2024, 12, 18, 9, 0, tzinfo=UTC)


@lru_cache(maxsize=4096)
def _char_keys(char: str) -> str:
    return pinyin_keys(char)[0]


def char_pinyin_keys(name: str) -> tuple[str, str]:
    """pinyin_keys, one character at a time with a cache: a million demo names in seconds."""
    syllables = [_char_keys(c) for c in name]
    return "".join(syllables)[:255], "".join(s[0] for s in syllables if s)[:64]


def write(
    model: type[Model], fields: list[str], rows: list[tuple[Any, ...]], progress: Progress | None, label: str
) -> None:
    for part in chunks(rows):
        insert_rows(model, fields, part)
        if progress:
            progress(label, len(part))


def build(
    *, seed: int, district_codes: list[str], city_scale: bool, progress: Progress | None = None
) -> None:
    gen = Generator(seed, progress)
    districts = list(Division.objects.filter(code__in=district_codes).order_by("code"))
    total_committees = (
        Division.objects.filter(level__in=[Level.COMMUNITY, Level.VILLAGE], path__under="37/3702/")
        .exclude(path__under="37/3702/370202/")
        .count()
    )
    for district in districts:
        with transaction.atomic():
            if district.code == "370202":
                profile = SHINAN
            else:
                n = Division.objects.filter(
                    path__under=district.path, level__in=[Level.COMMUNITY, Level.VILLAGE]
                ).count()
                profile = city_profile(n, total_committees)
            gen.build_district(district, profile)
    reset_sequences(Compound, Building, Home, Person, Ownership, Residence)
    _ = city_scale
