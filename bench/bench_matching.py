"""小区所需、党员所长 at scale: 50,000 reported members × 10,000 open needs matched from the database.

Writes the members' reports and the needs (over the compounds and persons already in the database) inside
a transaction that is rolled back at the end, then times what `services.matching_run` does before it
writes: reading the problem (`services.load_problem`) and solving it (`matching.solve`, OR-Tools' min-cost
flow over each member's 8 best needs). Prints the time, the objective and its ratio to the greedy
baseline (`matching.greedy`: best pairs first). Target: ≤ 5 s including the database load.

    .venv/bin/python bench/bench_matching.py          # on DATABASE_URL (or var/ SQLite), any demo loaded
    .venv/bin/python bench/run.py bench_matching       # inside `make bench`
"""

from __future__ import annotations

import os
import random
import sys
import time
from datetime import timedelta
from pathlib import Path

MEMBERS, NEEDS = 50_000, 10_000


class _Rollback(Exception):
    pass


def measure(members: int = MEMBERS, needs: int = NEEDS, seed: int = 11) -> dict[str, float | int]:
    from django.db import transaction
    from django.utils import timezone

    from gongzhi.core.bulk import insert_rows
    from gongzhi.people.models import Person
    from gongzhi.places.models import Compound
    from gongzhi.reporting import matching, services
    from gongzhi.reporting.models import Need, Report, Skill

    rng = random.Random(seed)
    out: dict[str, float | int] = {}
    compounds = list(Compound.objects.values_list("pk", "path"))
    if not compounds:
        raise SystemExit("no compounds: load a demo first (make demo)")
    skills = list(Skill.objects.filter(active=True).values_list("pk", flat=True))
    root = os.path.commonpath([p for _, p in compounds]).rstrip("/") + "/"
    today = timezone.localdate()
    try:
        with transaction.atomic():
            Report.objects.filter(ended_on=None).update(ended_on=today)  # rolled back: only the bench's count
            persons = list(Person.objects.values_list("pk", flat=True)[:members])
            if len(persons) < members:
                raise SystemExit(f"only {len(persons)} persons in the database; {members} needed")
            started = time.perf_counter()
            homes = [rng.choice(compounds) for _ in persons]
            insert_rows(
                Report,
                [
                    "person",
                    "compound",
                    "path",
                    "reported_on",
                    "hours_month",
                    "weekdays",
                    "weekends",
                    "workplace",
                    "strengths",
                    "channel",
                    "end_reason",
                ],
                (
                    (p, c, path, today, rng.choice([4, 8, 8, 12, 16]), False, True, "", "", "import", "")
                    for p, (c, path) in zip(persons, homes, strict=True)
                ),
            )
            ids = list(Report.objects.filter(ended_on=None).values_list("pk", flat=True))
            through = Report.skills.through
            insert_rows(
                through,
                ["report", "skill"],
                ((r, s) for r in ids for s in set(rng.sample(skills, rng.randint(1, 3)))),
            )
            places = [rng.choice(compounds) for _ in range(needs)]
            last_need = Need.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
            insert_rows(
                Need,
                [
                    "compound",
                    "path",
                    "title",
                    "detail",
                    "hours",
                    "per_member",
                    "starts_on",
                    "ends_on",
                    "urgency",
                    "status",
                    "created_at",
                ],
                (
                    (
                        c,
                        path,
                        "需求",
                        "",
                        rng.choice([4, 8, 12, 20, 40]),
                        rng.choice([2, 4, 4, 8]),
                        today,
                        today + timedelta(days=30),
                        rng.randrange(3),
                        "open",
                        timezone.now(),
                    )
                    for c, path in places
                ),
            )
            nids = list(Need.objects.filter(pk__gt=last_need).values_list("pk", flat=True))
            insert_rows(
                Need.skills.through,
                ["need", "skill"],
                ((n, s) for n in nids for s in set(rng.sample(skills, rng.randint(1, 2)))),
            )
            out["setup_s"] = round(time.perf_counter() - started, 2)

            started = time.perf_counter()
            problem = services.load_problem(root)
            loaded = time.perf_counter()
            per_member, per_need = services._list_bounds(None)
            result = matching.solve_arrays(problem.arrays, per_member, per_need)
            solved = time.perf_counter()
            base = matching.greedy_arrays(problem.arrays, per_member, per_need)
            out.update(
                members=len(problem.arrays.m_id),
                needs=len(problem.arrays.n_id),
                per_member=per_member,
                per_need=per_need,
                load_s=round(loaded - started, 2),
                solve_s=round(solved - loaded, 2),
                total_s=round(solved - started, 2),
                candidates=result.candidates,
                hours=sum(a.hours for a in result.assignments),
                objective=result.objective,
                greedy=base.objective,
                ratio=round(result.objective / base.objective, 4) if base.objective else 0.0,
            )
            raise _Rollback
    except _Rollback:
        pass
    return out


def run() -> list[tuple[str, float | str, str]]:
    m = measure()
    return [
        (
            f"matching {m['members']:,} members × {m['needs']:,} needs: load + solve",
            f"{m['total_s'] * 1000:.0f} ms",
            "≤ 5000 ms",
        ),
        ("  of which database load / solver", f"{m['load_s']} s / {m['solve_s']} s", ""),
        (
            "  objective (weight × hours) / greedy baseline",
            f"{m['objective']:,} / {m['greedy']:,} = {m['ratio']}",
            "> 1",
        ),
    ]


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongzhi.settings")
    import django

    django.setup()
    for k, v in measure().items():
        print(f"{k:>10}: {v}")
