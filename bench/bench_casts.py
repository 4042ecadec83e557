"""Concurrent ballot casts on PostgreSQL: none lost or doubled, the chain and the tally right, and the p95 of
one cast while CASTERS owners cast at once (owners' target ≤ 1 s under 200 concurrent owners).

In-process: CASTERS threads, each with its own database connection, cast one ballot for each of OWNERS
owners through `services.ballot_cast` (the service the cast page calls), released together by a barrier.
It builds its own compound in a scratch database (Django's test database of the bench connection, created
and dropped here), so the city data is not touched. SQLite is skipped: it has one writer, no race.
This is not the two-gunicorn, two-worker run of issue 15 (not built yet); it measures the service and the
database under contention, where the vote row's lock serialises the casts of one vote.
Run alone: ``BENCH_DATABASE_URL=postgres://… .venv/bin/python bench/run.py bench_casts``.
"""

from __future__ import annotations

import os
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongzhi.settings")

OWNERS = int(os.environ.get("BENCH_CAST_OWNERS", "1000"))
CASTERS = int(os.environ.get("BENCH_CAST_THREADS", "50"))  # PostgreSQL's default max_connections is 100


def _p95(samples: list[float]) -> float:
    ordered = sorted(samples)
    return ordered[max(0, round(0.95 * len(ordered)) - 1)]


def _estate(count: int = OWNERS) -> tuple[int, list[int]]:
    from gongzhi.affairs.models import MatterCategory
    from gongzhi.affairs.seeds import ensure_seeded
    from gongzhi.affairs.services import matter_advance, matter_raise, vote_open
    from gongzhi.affairs.tests.helpers import new_person
    from gongzhi.people.models import Ownership
    from gongzhi.tests.factories import SYSTEM, load_divisions, make_compound

    ensure_seeded()
    divisions = load_divisions()
    compound, _buildings, homes = make_compound(
        divisions["370202001001"], "并发小区", buildings=2, units=2, floors=max(1, count // 40), per_floor=10
    )
    owners = []
    for home in homes[:count]:
        person = new_person(name=f"业主{home.pk}")
        Ownership.objects.create(home=home, person=person, compound_id_cache=compound.pk)
        owners.append(person.pk)
    category = MatterCategory.objects.get(code="fund_use")
    matter = matter_raise(actor=SYSTEM, compound=compound, title="并发表决", category=category, item=5)
    matter_advance(matter=matter, actor=SYSTEM, to="consultation")
    return vote_open(matter=matter, actor=SYSTEM).pk, owners


def run() -> list[tuple[str, float | str, str]]:
    import django
    from django.apps import apps

    if not apps.ready:
        django.setup()
    from django.db import connection, connections

    if connection.vendor != "postgresql":
        return [("concurrent casts (PostgreSQL only)", "skipped on SQLite", "")]
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    try:
        from gongzhi.affairs import services
        from gongzhi.affairs.chain import verify
        from gongzhi.affairs.models import Ballot, BallotChange, Origin, Vote
        from gongzhi.people.models import Person
        from gongzhi.tests.factories import SYSTEM

        vote_id, owners = _estate()
        shares = [owners[i::CASTERS] for i in range(CASTERS)]
        barrier = threading.Barrier(CASTERS)
        times: list[float] = []
        errors: list[str] = []

        def caster(mine: list[int]) -> None:
            try:
                vote = Vote.objects.get(pk=vote_id)
                people = list(Person.objects.filter(pk__in=mine))
                barrier.wait(timeout=120)
                for person in people:
                    started = time.perf_counter()
                    services.ballot_cast(
                        vote=vote, person=person, opinion="agree", origin=Origin.PAPER, actor=SYSTEM
                    )
                    times.append(time.perf_counter() - started)
            except Exception as exc:  # reported as lost casts
                errors.append(repr(exc)[:200])
            finally:
                connections.close_all()

        threads = [threading.Thread(target=caster, args=(share,)) for share in shares]
        wall = time.perf_counter()
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=1800)
        wall = time.perf_counter() - wall
        ballots = Ballot.objects.filter(vote_id=vote_id).count()
        changes = BallotChange.objects.filter(vote_id=vote_id).count()
        check = verify(Vote.objects.get(pk=vote_id))
        closed = services.vote_close(vote=Vote.objects.get(pk=vote_id), actor=SYSTEM)
        for line in errors[:5]:
            print(f"  cast error: {line}")
        return [
            (
                f"casts: {OWNERS} owners over {CASTERS} connections at once",
                f"{len(times)} in {wall:.1f} s",
                "",
            ),
            ("casts lost / doubled", f"{OWNERS - ballots} / {changes - ballots}", "0 / 0"),
            ("ballot chain after the race", f"{'ok' if check.ok else 'BROKEN'}, {check.length} links", "ok"),
            (
                "tally: owners voted and agreeing",
                f"{closed.owners_voted} / {closed.owners_agree}",
                f"{OWNERS} / {OWNERS}",
            ),
            (
                f"cast p95 with {CASTERS} concurrent casters",
                _p95(times) * 1000 if times else "none",
                "≤ 1000 ms",
            ),
        ]
    finally:
        connections.close_all()
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    for row in run():
        print(row)
