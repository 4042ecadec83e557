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
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from gongzhi.accounts.access import actor_of, can, scope_q
from gongzhi.accounts.roles import Action
from gongzhi.ledgers.base import Book, CellError, Column, Context, SheetSpec, integer, text, text_max, yes_no
from gongzhi.people.bulk import (
    NewOwnership,
    NewPerson,
    ownerships_create_bulk,
    persons_create_bulk,
    persons_set_phone_bulk,
)
from gongzhi.people.identity import clean_id_number
from gongzhi.people.masking import unmask_allowed
from gongzhi.people.models import Ownership, Person
from gongzhi.people.rules import phone_problem, share_problem, shares_total_problem
from gongzhi.people.services import UnmaskedExportLog
from gongzhi.places.bulk import (
    NewBuilding,
    NewHome,
    buildings_create_bulk,
    buildings_resize_bulk,
    homes_create_bulk,
    homes_update_bulk,
)
from gongzhi.places.models import Building, Compound, Home
from gongzhi.places.rules import area_problem, unit_problem

ONE = Decimal("1")


def compound_code(value: Any) -> str:
    s = text(value)
    if len(s) != 15 or not s.isdigit():
        raise ValidationError(_("小区编码应为 15 位数字"))
    return s


def area(value: Any) -> Decimal:
    s = text(value).removesuffix("㎡").strip()
    try:
        d = Decimal(s)
    except InvalidOperation:
        raise ValidationError(_("应为数字，如 88.50")) from None
    problem = area_problem(d)
    if problem:
        raise ValidationError(problem)
    return d.quantize(Decimal("0.01"))


def share(value: Any) -> Decimal:
    s = text(value)
    if not s:
        return ONE
    try:
        d = Decimal(s)
    except InvalidOperation:
        raise ValidationError(_("应为 0–1 之间的小数，如 0.5")) from None
    problem = share_problem(d)
    if problem:
        raise ValidationError(problem)
    return d.quantize(Decimal("0.0001"))


def id_number(value: Any) -> str:
    s = text(value)
    return clean_id_number(s) if s else ""


def phone(value: Any) -> str:
    s = text(value).replace(" ", "").replace("-", "")
    problem = phone_problem(s)
    if problem:
        raise ValidationError(problem)
    return s


def unit(value: Any) -> int | None:
    n = integer(value)
    problem = unit_problem(n) if n is not None else ""
    if problem:
        raise ValidationError(problem)
    return n


HOMES = SheetSpec(
    "房屋",
    (
        Column("小区编码", "compound", compound_code, True, 17, "15 位，见小区页面"),
        Column("楼号", "building", text_max(32), True, 8, "如 3号楼", field="places.Building.number"),
        Column("单元", "unit", unit, True, 6, "", "int", field="places.Home.unit_no"),
        Column("房号", "room", text_max(16), True, 8, "如 301", field="places.Home.room"),
        Column("楼层", "floor", integer, False, 6, "", "int", field="places.Home.floor"),
        Column(
            "专有部分面积",
            "area",
            area,
            True,
            12,
            "㎡，不动产登记面积；最多两位小数",
            field="places.Home.area",
        ),
        Column("已交付", "delivered", yes_no, False, 8, "是 / 否；空为否"),
    ),
)
OWNERS = SheetSpec(
    "业主",
    (
        Column("小区编码", "compound", compound_code, True, 17),
        Column("楼号", "building", text_max(32), True, 8, field="places.Building.number"),
        Column("单元", "unit", unit, True, 6, "", "int", field="places.Home.unit_no"),
        Column("房号", "room", text_max(16), True, 8, field="places.Home.room"),
        Column("业主姓名", "name", text_max(100), True, 10, field="people.Person.name"),
        Column(
            "身份证号",
            "id_number",
            id_number,
            False,
            21,
            "18 位，末位校验码；无则按姓名识别",
            field="people.Person.id_number",
        ),
        Column("手机号", "phone", phone, False, 14, field="people.Person.phone"),
        Column(
            "产权份额", "share", share, False, 8, "共有时填写，如 0.5；空为 1", field="people.Ownership.share"
        ),
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
    title = gettext_noop("房屋业主台账（房屋、业主）")  # shown translated; file names keep the Chinese
    sheets: tuple[SheetSpec, ...] = (HOMES, OWNERS)
    write_order = (HOMES.name, OWNERS.name)  # SQLite writes in batches: homes first, then their owners

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
            "id", "building_id", "compound_id", "unit_no", "room", "floor", "area", "delivered", "path"
        ):
            p.homes[(code_of[h.compound_id], by_pk[h.building_id].number, h.unit_no, h.room)] = h

        def compound_ok(sheet: SheetSpec, row: int, code: str) -> Compound | None:
            c = p.compounds.get(code)
            if c is None:
                err(
                    sheet,
                    row,
                    "compound",
                    _("没有编码为 %(code)s 的小区（请先在区域页面登记小区）") % {"code": code},
                )
            elif not can(ctx.user, Action.LEDGER_IMPORT, c):
                err(sheet, row, "compound", _("无权导入 %(compound)s 的台账") % {"compound": c.name})
                c = None
            return c

        # Homes.
        seen: dict[HomeKey, int] = {}
        sizes: dict[tuple[int, str], list[int]] = {}
        for r in homes:
            v = r.values
            key: HomeKey = (v["compound"], v["building"], v["unit"], v["room"])
            if key in seen:
                err(HOMES, r.row, "room", _("与第 %(row)d 行是同一套房屋") % {"row": seen[key]})
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
                err(OWNERS, r.row, "name", _("与第 %(row)d 行是同一业主") % {"row": seen_owner[(key, ident)]})
                continue
            seen_owner[(key, ident)] = r.row
            if compound_ok(OWNERS, r.row, v["compound"]) is None:
                continue
            if key not in p.homes and key not in p.new_homes:
                err(OWNERS, r.row, "room", _("房屋不在“房屋”表中，也未在系统登记"))
                continue
            if v["id_number"]:
                known = name_of_id.get(v["id_number"])
                if known is not None and known[0] != v["name"]:
                    where = _("第 %(row)d 行") % {"row": known[1]} if known[1] else _("系统登记")
                    err(
                        OWNERS,
                        r.row,
                        "id_number",
                        _("同一身份证号在%(where)s的姓名是 %(name)s") % {"where": where, "name": known[0]},
                    )
                    continue
                name_of_id[v["id_number"]] = (v["name"], r.row)
            shares[key] += v["share"]
            problem = shares_total_problem(shares[key])
            if problem:
                err(OWNERS, r.row, "share", problem)
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
        """Write the plan through the (bulk) services: same rules, counters and history as a typed entry."""
        actor, reason = ctx.user, "ledger:homes"
        compound_of = {c.pk: c for c in plan.compounds.values()}
        new_buildings = buildings_create_bulk(
            actor=actor,
            buildings=[
                NewBuilding(compound_of[cid], number, units, floors)
                for (cid, number), (units, floors) in plan.new_buildings.items()
            ],
            reason=reason,
        )
        for b in new_buildings:
            plan.buildings[(b.compound_id, b.number)] = b
        by_pk = {b.pk: b for b in plan.buildings.values()}
        buildings_resize_bulk(
            actor=actor, sizes={by_pk[bid]: size for bid, size in plan.grow_buildings.items()}, reason=reason
        )
        homes_update_bulk(actor=actor, changes=plan.changed_homes, reason=reason)
        new_keys = list(plan.new_homes)
        new_ids = homes_create_bulk(
            actor=actor,
            homes=[
                NewHome(
                    building=plan.buildings[(plan.compounds[key[0]].pk, key[1])],
                    unit_no=key[2],
                    room=key[3],
                    area=fields["area"],
                    floor=fields["floor"],
                    delivered=fields["delivered"],
                )
                for key, fields in plan.new_homes.items()
            ],
            reason=reason,
        )
        home_of: dict[HomeKey, tuple[int, int, str]] = {
            key: (h.pk, h.compound_id, by_pk[h.building_id].path) for key, h in plan.homes.items()
        }
        for key, pk in zip(new_keys, new_ids, strict=True):
            b = plan.buildings[(plan.compounds[key[0]].pk, key[1])]
            home_of[key] = (pk, b.compound_id, b.path)

        # Owners: a person named by ID number once in the file (or known already) is one person.
        person_ids: dict[str, int] = {n: x.pk for n, x in plan.persons_by_id.items()}
        fresh: list[NewPerson] = []
        fresh_at: list[int] = []  # index into plan.owners of the row each new person was made for
        seen: dict[str, int] = {}
        for i, o in enumerate(plan.owners):
            idn = o["id_number"]
            if idn and (idn in person_ids or idn in seen):
                continue
            if idn:
                seen[idn] = len(fresh)
            fresh.append(NewPerson(name=o["name"], id_number=idn or None, phone=o["phone"]))
            fresh_at.append(i)
        fresh_ids = persons_create_bulk(actor=actor, persons=fresh, reason=reason)
        person_of_row = dict(zip(fresh_at, fresh_ids, strict=True))
        for idn, j in seen.items():
            person_ids[idn] = fresh_ids[j]
        ownerships = []
        for i, o in enumerate(plan.owners):
            hid, cid, path = home_of[o["key"]]
            pid = person_ids[o["id_number"]] if o["id_number"] else person_of_row[i]
            ownerships.append(NewOwnership(hid, path, cid, pid, o["share"]))
        ownerships_create_bulk(actor=actor, ownerships=ownerships, reason=reason)
        persons_set_phone_bulk(actor=actor, phones=plan.phone_updates, reason=reason)
        return {
            _("新增楼栋"): len(plan.new_buildings),
            _("新增房屋"): len(plan.new_homes),
            _("更新房屋"): len(plan.changed_homes),
            _("新增产权"): len(plan.owners),
            _("更新手机号"): len(plan.phone_updates),
        }

    def export_size(self, place_path: str) -> int:
        """Rows an export of the place will write (homes and ownerships): the progress bar's 100%."""
        homes = Home.objects.filter(path__under=place_path).count()
        return homes + Ownership.objects.filter(home__path__under=place_path).count()

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
        # The one unmask rule, row by row: full ID number and phone where the exporter may see them (a
        # system export, user None, everywhere); elsewhere the row keeps the name and leaves them empty.
        if user is None:
            unmask_paths, everywhere = [], True
        else:
            actor = actor_of(user)
            unmask_paths, everywhere = actor.paths(Action.PERSON_UNMASK), actor.is_superuser
        # Each person exported in full is logged (and counts towards the bulk-unmask limit) before their row
        # leaves; a system export (no user) names nobody who saw them.
        log = UnmaskedExportLog(user, "homes ledger export") if user is not None else None
        pending: list[list[Any]] = []
        for code, number, u, room, name, idn, ph, sh, path, pid in (
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
                "home__path",
                "person_id",
            )
            .iterator(chunk_size=5000)
        ):
            full = everywhere or unmask_allowed(unmask_paths, (path,))
            if full and log is not None and (idn or ph):
                log.add(pid, path)
            pending.append(
                [
                    code,
                    number,
                    u,
                    room,
                    name,
                    (idn or "") if full else "",
                    ph if full else "",
                    "" if sh == ONE else f"{sh.normalize()}",
                ]
            )
            if len(pending) >= EXPORT_LOG_BATCH:
                if log is not None:
                    log.flush()
                yield from pending
                pending = []
        if log is not None:
            log.flush()
        yield from pending


EXPORT_LOG_BATCH = 2000  # rows held back until their persons' access is logged

HOMES_LEDGER = HomesLedger()
