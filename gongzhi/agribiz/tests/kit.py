"""A small 平度市 for the registry's tests: two towns, three villages, staff of each town, a village cadre."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import User
from stdnum.cn import uscc

from gongzhi.accounts.roles import Role
from gongzhi.agribiz import services
from gongzhi.agribiz.models import CoopProfile, FamilyFarm, Product
from gongzhi.people.identity import with_check_character
from gongzhi.places.models import Division
from gongzhi.tests.factories import DIVISIONS, SYSTEM, load_divisions, user_with

PINGDU = [
    ("370283", "平度市", "district", "3702"),
    ("370281", "胶州市", "district", "3702"),
    ("370283001", "东阁街道", "subdistrict", "370283"),
    ("370283122", "旧店镇", "subdistrict", "370283"),
    ("370281001", "阜安街道", "subdistrict", "370281"),
    ("370283001203", "郭家疃村委会", "village", "370283001"),
    ("370283001207", "梅花河村村民委员会", "village", "370283001"),
    ("370283122201", "旧店村村民委员会", "village", "370283122"),
    ("370281001201", "大闹村村委会", "village", "370281001"),
]
VILLAGE, OTHER_TOWN_VILLAGE, JIAOZHOU_VILLAGE = "370283001203", "370283122201", "370281001201"


@dataclass
class World:
    d: dict[str, Division]
    county: User
    town_staff: User
    other_town_staff: User
    cadre: User


def make_world() -> World:
    d = load_divisions(DIVISIONS + PINGDU)
    return World(
        d=d,
        county=user_with(Role.COUNTY_BUREAU, d["370283"]),
        town_staff=user_with(Role.TOWN_STAFF, d["370283001"]),
        other_town_staff=user_with(Role.TOWN_STAFF, d["370283122"]),
        cadre=user_with(Role.VILLAGE_CADRE, d[VILLAGE]),
    )


_serial = [0]


def credit_code(prefix: str = "93370283") -> str:
    _serial[0] += 1
    body = f"{prefix}{_serial[0]:09d}"
    return body + uscc.calc_check_digit(body)


def id_number() -> str:
    _serial[0] += 1
    return with_check_character(f"37028319800101{_serial[0] % 1000:03d}")


def new_coop(village: Division, **kw: Any) -> services.NewCoop:
    values: dict[str, Any] = {
        "village": village,
        "name": f"平度市郭家疃果蔬专业合作社{_serial[0]}",
        "credit_code": credit_code(),
        "rep_name": "王建国",
        "rep_id_number": id_number(),
        "founded_on": date(2015, 3, 1),
        "members_count": 12,
        "land_mu": Decimal("320"),
        "products": list(Product.objects.filter(code__in=["veg", "fruit"])),
    }
    values.update(kw)
    return services.NewCoop(**values)


def make_coop(village: Division, **kw: Any) -> CoopProfile:
    return services.coop_register(actor=SYSTEM, coop=new_coop(village, **kw))


def new_farm(village: Division, **kw: Any) -> services.NewFarm:
    _serial[0] += 1
    values: dict[str, Any] = {
        "village": village,
        "code": f"JT-{_serial[0]:05d}",
        "name": f"平度市禾丰家庭农场{_serial[0]}",
        "operator_name": "李秀英",
        "operator_id_number": id_number(),
        "registered_on": date(2018, 5, 1),
        "land_own_mu": Decimal("12"),
        "land_transferred_mu": Decimal("150"),
        "labour": 3,
        "products": list(Product.objects.filter(code="grain")),
    }
    values.update(kw)
    return services.NewFarm(**values)


def make_farm(village: Division, **kw: Any) -> FamilyFarm:
    return services.farm_register(actor=SYSTEM, farm=new_farm(village, **kw))
