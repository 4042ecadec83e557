"""Closing an owners' vote in a compound of 5,000 homes through the real service (owners' target ≤ 20 ms).

The compound, its owners (3% holding two homes, 2% of homes unsold and held by the developer) and the
ballots (≈85% turnout) are built in the current database inside a transaction that is rolled back at the
end; each timed close runs in a savepoint that is rolled back too, so the vote can be closed again.
Run from bench/run.py (``make bench``) or alone: ``.venv/bin/python bench/bench_votes.py``.
"""

from __future__ import annotations

import os
import random
import sys
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongzhi.settings")

HOMES = 5_000
SEED = 278


class _Rollback(Exception):
    pass


def _build(rng: random.Random) -> int:
    """The compound, its homes, owners and ballots; returns the open vote's id."""
    from gongzhi.affairs.models import Ballot, MatterCategory, Vote
    from gongzhi.affairs.services import matter_advance, matter_raise, vote_open
    from gongzhi.core.actors import system
    from gongzhi.core.bulk import insert_rows
    from gongzhi.demo.generate import Ids
    from gongzhi.people.models import Ownership, Person, PersonKind
    from gongzhi.places.models import Building, Compound, Division, Home, Level

    community = Division.objects.create(
        code="999999999999", name="基准测试社区", level=Level.COMMUNITY, path="bench/999999999999/"
    )
    compound = Compound.objects.create(
        code="999999999999001",
        name="基准测试小区",
        community=community,
        path=f"{community.path}999999999999001/",
    )
    building_ids, home_ids, person_ids, ownership_ids = Ids(Building), Ids(Home), Ids(Person), Ids(Ownership)
    buildings, homes, persons, ownerships = [], [], [], []
    developer = person_ids.take()
    persons.append((developer, PersonKind.DEVELOPER, "基准置业有限公司", "", ""))
    previous: list[int] = []
    for b in range(1, 51):  # 50 buildings × 4 units × 25 homes
        bid = building_ids.take()
        path = f"{compound.path}b{b}/"
        buildings.append((bid, compound.pk, b, f"{b}号楼", 4, 13, False, 100, path))
        for unit in range(1, 5):
            for k in range(25):
                hid = home_ids.take()
                floor, door = divmod(k, 2)
                area = Decimal(rng.randint(4500, 16000)).scaleb(-2)
                homes.append(
                    (hid, bid, compound.pk, unit, f"{floor + 1}0{door + 1}", floor + 1, area, True, path)
                )
                if rng.random() < 0.02:
                    owner = developer
                elif previous and rng.random() < 0.03:
                    owner = rng.choice(previous)
                else:
                    owner = person_ids.take()
                    persons.append((owner, PersonKind.INDIVIDUAL, f"业主{owner}", "", ""))
                    previous.append(owner)
                ownerships.append((ownership_ids.take(), hid, owner, compound.pk, Decimal(1)))
    insert_rows(
        Building,
        ["id", "compound", "seq", "number", "units", "floors", "has_elevator", "homes_count", "path"],
        buildings,
    )
    insert_rows(
        Home,
        ["id", "building", "compound", "unit_no", "room", "floor", "area", "delivered", "path"],
        homes,
    )
    now = datetime(2024, 12, 18, tzinfo=UTC)
    insert_rows(
        Person,
        ["id", "kind", "name", "phone", "pinyin", "initials", "created_at"],
        [(p[0], p[1], p[2], "", "", "", now) for p in persons],
    )
    insert_rows(Ownership, ["id", "home", "person", "compound_id_cache", "share"], ownerships)
    matter = matter_raise(
        actor=system("bench"),
        compound=compound,
        title="续筹维修资金",
        category=MatterCategory.objects.get(code="fund_raising"),
        item=6,
    )
    matter_advance(matter=matter, actor=system("bench"), to="consultation")
    vote = vote_open(matter=matter, actor=system("bench"))
    owners = sorted({o[2] for o in ownerships})
    ballots = []
    for owner in owners:
        if rng.random() < 0.85:
            opinion = rng.choices(["agree", "against", "abstain"], weights=[80, 12, 8])[0]
            ballots.append((vote.pk, owner, opinion, "paper", "", "", "", now, 0))
    insert_rows(
        Ballot,
        ["vote", "owner", "opinion", "origin", "proxy_name", "mandate", "mandate_file", "cast_at", "changes"],
        ballots,
    )
    assert Vote.objects.filter(pk=vote.pk, status="open").exists()
    return vote.pk


def run() -> list[tuple[str, float | str, str]]:
    import django
    from django.apps import apps

    if not apps.ready:
        django.setup()
    from django.contrib.auth.models import User
    from django.db import connection, transaction

    from bench.timing import median_ms
    from gongzhi.affairs import selectors, services
    from gongzhi.affairs.models import Vote

    results: list[tuple[str, float | str, str]] = []
    try:
        with transaction.atomic():
            vote_id = _build(random.Random(SEED))
            closer = User.objects.create(username="bench_vote_closer", is_superuser=True)

            def close() -> None:
                sid = transaction.savepoint()
                vote = Vote.objects.get(pk=vote_id)
                closed = services.vote_close(vote=vote, actor=closer)
                assert closed.homes == HOMES and (closed.owners_voted or 0) > 0
                transaction.savepoint_rollback(sid)

            def read_electorate() -> None:
                selectors.vote_homes(Vote.objects.get(pk=vote_id))

            vendor = connection.vendor
            results.append(
                (
                    f"vote_close(): 5,000-home compound, read + count + store ({vendor})",
                    median_ms(close, repeat=11),
                    "≤ 20 ms",
                )
            )
            results.append(
                (f"  of which reading homes and owners ({vendor})", median_ms(read_electorate, repeat=11), "")
            )
            raise _Rollback
    except _Rollback:
        pass
    return results


if __name__ == "__main__":
    for name, value, target in run():
        shown = f"{value:.1f} ms" if isinstance(value, float) else value
        print(f"{name:<70} {shown:>10}  {target}")
