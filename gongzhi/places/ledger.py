"""The homes-and-owners ledger (房屋业主台账): the homes of existing compounds and who owns them.

Keys: a home by (compound code, building number, unit, room); an owner by the home and the ID number, or
the name where the file gives no ID number. Import adds and updates by key and never deletes, so
export → import changes nothing. Buildings named in the file but not yet registered are created, sized by
the largest unit and floor the file gives them. Compounds themselves are registered in the place browser.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import F

from gongzhi.accounts.access import actor_of, can, scope_q
from gongzhi.accounts.roles import Action
from gongzhi.core.bulk import insert_rows
from gongzhi.core.pinyin import pinyin_keys
from gongzhi.ledgers.base import Book, CellError, Column, Context, SheetSpec, integer, text, text_max, yes_no
from gongzhi.people.identity import clean_id_number
from gongzhi.people.models import Ownership, Person
from gongzhi.places.models import Building, Compound, Division, Home
from gongzhi.places.services import ancestor_codes, building_create, compound_refresh_figures

ONE = Decimal("1")


def compound_code(value: Any) -> str:
    s = text(value)
    if len(s) != 15 or not s.isdigit():
        raise ValidationError("小区编码应为 15 位数字")
    return s


def area(value: Any) -> Decimal:
    s = text(value).removesuffix("㎡").strip()
    try:
        d = Decimal(s)
    except InvalidOperation:
        raise ValidationError("应为数字，如 88.50") from None
    if d <= 0:
        raise ValidationError("应大于 0")
    if d != d.quantize(Decimal("0.01")):
        raise ValidationError("最多两位小数")
    return d.quantize(Decimal("0.01"))


def share(value: Any) -> Decimal:
    s = text(value)
    if not s:
        return ONE
    try:
        d = Decimal(s)
    except InvalidOperation:
        raise ValidationError("应为 0–1 之间的小数，如 0.5") from None
    if not 0 < d <= 1:
        raise ValidationError("应大于 0 且不超过 1")
    return d.quantize(Decimal("0.0001"))


def id_number(value: Any) -> str:
    s = text(value)
    return clean_id_number(s) if s else ""


def phone(value: Any) -> str:
    s = text(value).replace(" ", "").replace("-", "")
    if s and not (s.isdigit() and 7 <= len(s) <= 13):
        raise ValidationError("应为手机号或固定电话号码")
    return s


def unit(value: Any) -> int | None:
    n = integer(value)
    if n is not None and not 1 <= n <= 20:
        raise ValidationError("单元应在 1–20 之间")
    return n


HOMES = SheetSpec(
    "房屋",
    (
        Column("小区编码", "compound", compound_code, True, 17, "15 位，见小区页面"),
        Column("楼号", "building", text_max(32), True, 8, "如 3号楼"),
        Column("单元", "unit", unit, True, 6, "", "int"),
        Column("房号", "room", text_max(16), True, 8, "如 301"),
        Column("楼层", "floor", integer, False, 6, "", "int"),
        Column("专有部分面积", "area", area, True, 12, "㎡，不动产登记面积；最多两位小数"),
        Column("已交付", "delivered", yes_no, False, 8, "是 / 否；空为否"),
    ),
)
OWNERS = SheetSpec(
    "业主",
    (
        Column("小区编码", "compound", compound_code, True, 17),
        Column("楼号", "building", text_max(32), True, 8),
        Column("单元", "unit", unit, True, 6, "", "int"),
        Column("房号", "room", text_max(16), True, 8),
        Column("业主姓名", "name", text_max(100), True, 10),
        Column("身份证号", "id_number", id_number, False, 21, "18 位，末位校验码；无则按姓名识别"),
        Column("手机号", "phone", phone, False, 14),
        Column("产权份额", "share", share, False, 8, "共有时填写，如 0.5；空为 1"),
    ),
)

HomeKey = tuple[str, str, int, str]  # compound code, building number, unit, room


@dataclass
class Plan:
    compounds: dict[str, Compound] = field(default_factory=dict)
    buildings: dict[tuple[int, str], Building] = field(default_factory=dict)
    homes: dict[HomeKey, Home] = field(default_factory=dict)
    new_homes: dict[HomeKey, dict[str, Any]] = field(default_factory=dict)
    changed_homes: list[tuple[Home, dict[str, Any]]] = field(default_factory=list)
    new_buildings: dict[tuple[int, str], tuple[int, int]] = field(default_factory=dict)  # → (units, floors)
    grow_buildings: dict[int, tuple[int, int]] = field(default_factory=dict)
    persons_by_id: dict[str, Person] = field(default_factory=dict)
    owners: list[dict[str, Any]] = field(default_factory=list)  # new ownerships (and persons) to write
    phone_updates: dict[int, str] = field(default_factory=dict)


class HomesLedger:
    slug = "homes"
    title = "房屋业主台账（房屋、业主）"
    sheets: tuple[SheetSpec, ...] = (HOMES, OWNERS)

    def check(self, book: Book, ctx: Context) -> tuple[Plan, list[CellError]]:
        p = Plan()
        errors: list[CellError] = []

        def err(sheet: SheetSpec, row: int, key: str, message: str) -> None:
            header = next(c.header for c in sheet.columns if c.key == key)
            errors.append(CellError(sheet.name, row, header, message))

        homes, owners = book.rows(HOMES.name), book.rows(OWNERS.name)
        codes = {r.values["compound"] for r in homes + owners}
        p.compounds = {c.code: c for c in Compound.objects.filter(code__in=codes)}
        cids = [c.pk for c in p.compounds.values()]
        p.buildings = {(b.compound_id, b.number): b for b in Building.objects.filter(compound_id__in=cids)}
        by_pk = {b.pk: b for b in p.buildings.values()}
        code_of = {c.pk: c.code for c in p.compounds.values()}
        for h in Home.objects.filter(compound_id__in=cids).only(
            "id", "building_id", "compound_id", "unit_no", "room", "floor", "area", "delivered"
        ):
            p.homes[(code_of[h.compound_id], by_pk[h.building_id].number, h.unit_no, h.room)] = h

        def compound_ok(sheet: SheetSpec, row: int, code: str) -> Compound | None:
            c = p.compounds.get(code)
            if c is None:
                err(sheet, row, "compound", f"没有编码为 {code} 的小区（请先在区域页面登记小区）")
            elif ctx.user is not None and not can(ctx.user, Action.LEDGER_IMPORT, c):
                err(sheet, row, "compound", f"无权导入 {c.name} 的台账")
                c = None
            return c

        # Homes.
        seen: dict[HomeKey, int] = {}
        sizes: dict[tuple[int, str], list[int]] = {}
        for r in homes:
            v = r.values
            key: HomeKey = (v["compound"], v["building"], v["unit"], v["room"])
            if key in seen:
                err(HOMES, r.row, "room", f"与第 {seen[key]} 行是同一套房屋")
                continue
            seen[key] = r.row
            c = compound_ok(HOMES, r.row, v["compound"])
            if c is None:
                continue
            size = sizes.setdefault((c.pk, v["building"]), [0, 0])
            size[0], size[1] = max(size[0], v["unit"]), max(size[1], v["floor"] or 1)
            fields = {"floor": v["floor"], "area": v["area"], "delivered": v["delivered"]}
            current = p.homes.get(key)
            if current is None:
                p.new_homes[key] = fields
            elif (current.floor, current.area, current.delivered) != (v["floor"], v["area"], v["delivered"]):
                p.changed_homes.append((current, fields))
        for (cid, number), (units, floors) in sizes.items():
            b = p.buildings.get((cid, number))
            if b is None:
                p.new_buildings[(cid, number)] = (units, floors)
            elif units > b.units or floors > b.floors:
                p.grow_buildings[b.pk] = (max(units, b.units), max(floors, b.floors))

        # Owners.
        numbers = {r.values["id_number"] for r in owners if r.values["id_number"]}
        p.persons_by_id = {str(x.id_number): x for x in Person.objects.filter(id_number__in=numbers)}
        home_ids = [h.pk for h in p.homes.values()]
        existing: dict[int, list[tuple[int, str, str | None, str]]] = defaultdict(list)
        for hid, pid, name, idn, ph in Ownership.objects.filter(home_id__in=home_ids).values_list(
            "home_id", "person_id", "person__name", "person__id_number", "person__phone"
        ):
            existing[hid].append((pid, name, idn, ph))
        name_of_id: dict[str, tuple[str, int]] = {n: (x.name, 0) for n, x in p.persons_by_id.items()}
        shares: dict[HomeKey, Decimal] = defaultdict(Decimal)
        seen_owner: dict[tuple[HomeKey, str], int] = {}
        for r in owners:
            v = r.values
            key = (v["compound"], v["building"], v["unit"], v["room"])
            ident = v["id_number"] or v["name"]
            if (key, ident) in seen_owner:
                err(OWNERS, r.row, "name", f"与第 {seen_owner[(key, ident)]} 行是同一业主")
                continue
            seen_owner[(key, ident)] = r.row
            if compound_ok(OWNERS, r.row, v["compound"]) is None:
                continue
            if key not in p.homes and key not in p.new_homes:
                err(OWNERS, r.row, "room", "房屋不在“房屋”表中，也未在系统登记")
                continue
            if v["id_number"]:
                known = name_of_id.get(v["id_number"])
                if known is not None and known[0] != v["name"]:
                    where = f"第 {known[1]} 行" if known[1] else "系统登记"
                    err(OWNERS, r.row, "id_number", f"同一身份证号在{where}的姓名是 {known[0]}")
                    continue
                name_of_id[v["id_number"]] = (v["name"], r.row)
            shares[key] += v["share"]
            if shares[key] > 1:
                err(OWNERS, r.row, "share", "这套房屋的产权份额合计超过 1")
            home = p.homes.get(key)
            match = None
            for pid, name, idn, ph in existing.get(home.pk, []) if home else []:
                if (v["id_number"] and idn == v["id_number"]) or (not v["id_number"] and name == v["name"]):
                    match = (pid, ph)
            if match is not None:
                if v["phone"] and v["phone"] != match[1]:
                    p.phone_updates[match[0]] = v["phone"]
                continue
            p.owners.append({"key": key, **v})
        return p, errors

    def apply(self, plan: Plan, ctx: Context) -> dict[str, int]:
        touched: set[int] = set()
        for (cid, number), (units, floors) in plan.new_buildings.items():
            compound = next(c for c in plan.compounds.values() if c.pk == cid)
            plan.buildings[(cid, number)] = building_create(
                compound=compound, number=number, units=units, floors=floors
            )
        for bid, (units, floors) in plan.grow_buildings.items():
            Building.objects.filter(pk=bid).update(units=units, floors=floors)
        for home, fields in plan.changed_homes:
            Home.objects.filter(pk=home.pk).update(**fields)
            touched.add(home.compound_id)
        new_rows = []
        per_building: dict[int, int] = defaultdict(int)
        per_compound: dict[int, int] = defaultdict(int)
        for (code, number, unit_no, room), fields in plan.new_homes.items():
            c = plan.compounds[code]
            b = plan.buildings[(c.pk, number)]
            new_rows.append(
                (b.pk, c.pk, unit_no, room, fields["floor"], fields["area"], fields["delivered"], b.path)
            )
            per_building[b.pk] += 1
            per_compound[c.pk] += 1
        insert_rows(
            Home, ["building", "compound", "unit_no", "room", "floor", "area", "delivered", "path"], new_rows
        )
        for bid, n in per_building.items():
            Building.objects.filter(pk=bid).update(homes_count=F("homes_count") + n)
        for cid, n in per_compound.items():
            path = next(c.path for c in plan.compounds.values() if c.pk == cid)
            Division.objects.filter(code__in=ancestor_codes(path)).update(homes_count=F("homes_count") + n)
        touched |= set(per_compound)

        # Owners: persons by ID number are reused; homes are looked up once, after the new ones exist.
        if plan.owners:
            cids = {plan.compounds[o["key"][0]].pk for o in plan.owners}
            numbers = {b.pk: b.number for b in Building.objects.filter(compound_id__in=cids)}
            codes = {c.pk: c.code for c in plan.compounds.values()}
            home_of = {
                (codes[cid], numbers[bid], u, r): (hid, cid)
                for hid, bid, cid, u, r in Home.objects.filter(compound_id__in=cids).values_list(
                    "pk", "building_id", "compound_id", "unit_no", "room"
                )
            }
            for o in plan.owners:
                person = plan.persons_by_id.get(o["id_number"]) if o["id_number"] else None
                if person is None:
                    py, ini = pinyin_keys(o["name"])
                    person = Person.objects.create(
                        name=o["name"],
                        id_number=o["id_number"] or None,
                        phone=o["phone"],
                        pinyin=py,
                        initials=ini,
                    )
                    if o["id_number"]:
                        plan.persons_by_id[o["id_number"]] = person
                hid, cid = home_of[o["key"]]
                Ownership.objects.create(home_id=hid, person=person, share=o["share"], compound_id_cache=cid)
                touched.add(cid)
        for pid, ph in plan.phone_updates.items():
            Person.objects.filter(pk=pid).update(phone=ph)
        for cid in touched:
            compound_refresh_figures(compound_id=cid)
        return {
            "新增楼栋": len(plan.new_buildings),
            "新增房屋": len(plan.new_homes),
            "更新房屋": len(plan.changed_homes),
            "新增产权": len(plan.owners),
            "更新手机号": len(plan.phone_updates),
        }

    def export(self, place_path: str, user: Any) -> Iterator[tuple[SheetSpec, Iterable[list[Any]]]]:
        yield HOMES, self.home_rows(place_path, user)
        yield OWNERS, self.owner_rows(place_path, user)

    def home_rows(self, place_path: str, user: Any) -> Iterator[list[Any]]:
        qs = Home.objects.filter(path__under=place_path)
        if user is not None:
            qs = qs.filter(scope_q(user, Action.LEDGER_EXPORT))
        for code, number, u, room, floor, a, delivered in (
            qs.order_by("compound__code", "building__seq", "unit_no", "floor", "room")
            .values_list(
                "compound__code", "building__number", "unit_no", "room", "floor", "area", "delivered"
            )
            .iterator(chunk_size=5000)
        ):
            yield [code, number, u, room, floor, f"{a:.2f}", "是" if delivered else "否"]

    def owner_rows(self, place_path: str, user: Any) -> Iterator[list[Any]]:
        qs = Ownership.objects.filter(home__path__under=place_path)
        if user is not None:
            qs = qs.filter(scope_q(user, Action.LEDGER_EXPORT, "home__path"))
        # Full ID numbers and phones only for roles that may see them wherever they export; others get names.
        full = user is None or unmasks_all(user)
        for code, number, u, room, name, idn, ph, sh in (
            qs.order_by("home__compound__code", "home__building__seq", "home__unit_no", "home__room", "pk")
            .values_list(
                "home__compound__code",
                "home__building__number",
                "home__unit_no",
                "home__room",
                "person__name",
                "person__id_number",
                "person__phone",
                "share",
            )
            .iterator(chunk_size=5000)
        ):
            yield [
                code,
                number,
                u,
                room,
                name,
                (idn or "") if full else "",
                ph if full else "",
                "" if sh == ONE else f"{sh.normalize()}",
            ]


def unmasks_all(user: Any) -> bool:
    actor = actor_of(user)
    if actor.is_superuser:
        return True
    return set(actor.paths(Action.LEDGER_EXPORT)) <= set(actor.paths(Action.PERSON_UNMASK))


HOMES_LEDGER = HomesLedger()
