"""Benchmarks for owner votes (issue 4): a 5,000-row paper sheet ≤ 2 s; closing a 5,000-home vote ≤ 50 ms.

Pure Python, no database and no Django setup: the sheet reader and the Civil Code tally are ORM-free.
Run ``.venv/bin/python bench/bench_tally.py`` for a table, or call ``run()`` from a runner.
"""

from __future__ import annotations

import random
import statistics
import sys
import tempfile
import time
import unicodedata
from collections.abc import Callable, Hashable
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import xlsxwriter
from stdnum.cn import ric

from gongzhi.affairs.ballot_sheet import BallotSheet, read_ballot_sheet
from gongzhi.affairs.civil_code import (
    Home,
    Item,
    Opinion,
    count_electorate,
    tally,
)

HOMES = 5_000
RUNS = 5
HEADER = ["楼栋", "单元", "房号", "业主", "身份证号", "专有部分面积", "表决意见"]
OPINIONS = ["同意"] * 6 + ["反对", "弃权"] + [""] * 2


def _id_number(rnd: random.Random) -> str:
    birth = f"{rnd.randint(1940, 2000)}{rnd.randint(1, 12):02d}{rnd.randint(1, 28):02d}"
    body = f"370202{birth}{rnd.randint(0, 999):03d}"
    return body + ric.calc_check_digit(body + "0")


def _homes(rnd: random.Random) -> list[tuple[str, str, str, Decimal]]:
    """5,000 homes: 50 buildings × 4 units × 25 rooms, areas 45–160 ㎡ to the cent."""
    homes: list[tuple[str, str, str, Decimal]] = []
    for b in range(1, 51):
        for u in range(1, 5):
            for floor in range(1, 14):
                for door in (1, 2):
                    if len(homes) < HOMES and floor * 2 + door <= 27:
                        area = Decimal(rnd.randint(4500, 16000)).scaleb(-2)
                        homes.append((str(b), str(u), f"{floor}0{door}", area))
    return homes[:HOMES]


def build_sheet(path: Path, seed: int = 278) -> None:
    """A plausible sheet: ~3% multi-home owners, about half with ID numbers, 2% developer unsold."""
    rnd = random.Random(seed)
    workbook = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    sheet = workbook.add_worksheet("表决统计")
    sheet.write_row(0, 0, HEADER)
    owners: list[tuple[str, str, str]] = []  # (name, id, opinion)
    for row, (building, unit, room, area) in enumerate(_homes(rnd), start=1):
        if rnd.random() < 0.02:
            owner = ("青岛某置业有限公司", "91110000600037341L", "")
        elif owners and rnd.random() < 0.03:
            owner = rnd.choice(owners)
        else:
            name = f"业主{row:05d}"
            owner = (name, _id_number(rnd) if rnd.random() < 0.5 else "", rnd.choice(OPINIONS))
            owners.append(owner)
        sheet.write_row(
            row, 0, [int(building), int(unit), int(room), owner[0], owner[1], float(area), owner[2]]
        )
    workbook.close()


def build_vote(seed: int = 9) -> tuple[list[Home], dict[Hashable, Opinion]]:
    """5,000 homes (3% owned by an owner of several, 2% developer unsold) and 80% turnout."""
    rnd = random.Random(seed)
    homes: list[Home] = []
    for i, (building, unit, room, area) in enumerate(_homes(rnd)):
        developer = rnd.random() < 0.02
        owner = None if developer else f"o{rnd.randint(0, 4_800) if rnd.random() < 0.03 else i}"
        homes.append(Home((building, unit, room), area, owner, developer))
    choices = [Opinion.AGREE] * 6 + [Opinion.AGAINST, Opinion.ABSTAIN]
    owners = count_electorate(homes).area_by_owner
    opinions: dict[Hashable, Opinion] = {key: rnd.choice(choices) for key in owners if rnd.random() < 0.8}
    return homes, opinions


def _median_ms(fn: Callable[[], object], runs: int = RUNS) -> float:
    fn()  # warm-up: imports, caches
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def run() -> list[tuple[str, float, str]]:
    """(figure, median ms of 5 runs, target) for each benchmark."""
    results: list[tuple[str, float, str]] = []
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "ballots-5000.xlsx"
        build_sheet(path)

        def tally_sheet() -> object:
            sheet = read_ballot_sheet(path)
            assert isinstance(sheet, BallotSheet), sheet[:5]
            return sheet.tally(Item.RECONSTRUCTION)

        results.append(("纸质表决票 5,000 行：读取、校验并计票", _median_ms(tally_sheet), "≤ 2000 ms"))

    homes, opinions = build_vote()
    electorate = count_electorate(homes)
    results.append(
        (
            "tally()：5,000 户表决结算",
            _median_ms(lambda: tally(electorate, opinions, Item.RECONSTRUCTION)),
            "≤ 50 ms",
        )
    )
    results.append(
        (
            "count_electorate() + tally()：5,000 户",
            _median_ms(lambda: tally(count_electorate(homes), opinions, Item.RECONSTRUCTION)),
            "≤ 50 ms",
        )
    )
    return results


def _pad(text: str, width: int) -> str:
    """Left-justify by display width: a Chinese character takes two columns."""
    shown = sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)
    return text + " " * max(width - shown, 0)


if __name__ == "__main__":
    rows = run()
    print(f"{_pad('figure', 44)}{'median ms':>10}  target")
    for name, ms, target in rows:
        print(f"{_pad(name, 44)}{ms:>10.1f}  {target}")
