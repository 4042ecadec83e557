"""PostgreSQL backend CPU of the cast's read statements, prepared (gongzhi.core.prepared) or not (issue 15).

Runs vote_for_cast and ballot_owner_for for bench_cast_cost's vote and owners BENCH_PREPARED_N times each
(default 2000) in the bench database left by bench_cast_cost (BENCH_KEEPDB=1, same GONGZHI_TEST_DB_NAME),
and prints this process's and the backend's CPU (/proc) per call. Compare GONGZHI_DB_PREPARED=1 and =0.
Run: ``DATABASE_URL=postgres://… GONGZHI_TEST_DB_NAME=… .venv/bin/python bench/bench_prepared.py``.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongzhi.settings")

N = int(os.environ.get("BENCH_PREPARED_N", "2000"))


def _proc_cpu(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def main() -> None:
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection

    name = settings.DATABASES["default"]["TEST"]["NAME"] or "test_" + settings.DATABASES["default"]["NAME"]
    connection.close()
    settings.DATABASES["default"]["NAME"] = name
    connection.settings_dict["NAME"] = name
    from gongzhi.accounts.models import User
    from gongzhi.affairs.models import Vote, Voter
    from gongzhi.affairs.selectors import ballot_owner_for, vote_for_cast

    voters = list(Voter.objects.select_related("user").exclude(user=None)[:30])
    vote = Vote.objects.order_by("-id").first()
    assert vote is not None and voters, "run bench_cast_cost with BENCH_KEEPDB=1 first"
    connection.ensure_connection()
    pid = int(connection.connection.info.backend_pid)
    for label, call in (
        ("vote_for_cast", lambda v: vote_for_cast(User(pk=v.user_id), vote.pk)),
        ("ballot_owner_for", lambda v: ballot_owner_for(vote, v.person_id)),
    ):
        for v in voters:  # warm the backend's caches (and prepare)
            call(v)
        c0, b0 = time.process_time(), _proc_cpu(pid)
        for i in range(N):
            call(voters[i % len(voters)])
        c1, b1 = time.process_time(), _proc_cpu(pid)
        print(
            (
                f"{label}: CPU per call, ms (this process / PostgreSQL backend), prepared={connection.connection.prepare_threshold is not None}",
                round((c1 - c0) * 1000 / N, 3),
                round((b1 - b0) * 1000 / N, 3),
            )
        )


if __name__ == "__main__":
    main()
