"""A small 平度市 for the monitoring tests: two towns, three villages, lines and notice periods set."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from gongzhi.monitoring import services
from gongzhi.monitoring.models import Household, Labour, Step
from gongzhi.people.identity import with_check_character
from gongzhi.places.models import Division
from gongzhi.tests.factories import SYSTEM, load_divisions

PINGDU = [
    ("37", "山东省", "province", ""),
    ("3702", "青岛市", "city", "37"),
    ("370283", "平度市", "district", "3702"),
    ("370211", "黄岛区", "district", "3702"),
    ("370283100", "南村镇", "subdistrict", "370283"),
    ("370283101", "蓼兰镇", "subdistrict", "370283"),
    ("370211100", "张家楼街道", "subdistrict", "370211"),
    ("370283100201", "东村", "village", "370283100"),
    ("370283100202", "西村", "village", "370283100"),
    ("370283101201", "北村", "village", "370283101"),
    ("370211100201", "外村", "village", "370211100"),
]


@dataclass
class World:
    d: dict[str, Division]


def pingdu(notice: tuple[int, int, int] = (5, 5, 7), line: str = "7000") -> World:
    d = load_divisions(PINGDU)
    for step, days in zip((Step.VILLAGE, Step.TOWN, Step.COUNTY), notice, strict=True):
        services.notice_period_set(actor=SYSTEM, step=step, days=days)
    for year in range(2020, 2031):
        services.monitoring_line_set(actor=SYSTEM, province="37", year=year, yuan_per_person=Decimal(line))
    return World(d)


_ids = itertools.count(1)


def household(village: Division, labour: str = Labour.FULL, account: Any = None, size: int = 2) -> Household:
    rows = []
    for i in range(size):
        n = next(_ids)
        first17 = f"370283{1960 + n // 1000 % 40:04d}0101{n % 1000:03d}"
        rows.append(
            services.MemberRow(
                f"农户{n}", with_check_character(first17), "户主" if i == 0 else "配偶", labour
            )
        )
    return services.household_register(
        actor=SYSTEM, village=village, number=f"H{next(_ids):08d}", members=rows, account=account
    )
