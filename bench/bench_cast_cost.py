"""What one online cast costs the server: queries and CPU, end to end (issue 15, the cast p95).

bench_scaleout.py measures casts over HTTP under load, where the machine's CPU decides the p95; this
bench says where that CPU goes. Owners of bench_casts' compound sign in and post the cast form
(`/affairs/v/<pk>/cast/`) one after another through Django's full stack (middleware, session, CSRF,
permission check, service, chain, audit, redirect), each owner once after one warm-up cast. Prints the
queries per cast (the SQL with BENCH_CAST_SQL=1) and the CPU per cast; BENCH_CAST_PROFILE=1 adds the
cProfile functions with the most cumulative CPU time.

It works in the test database of the configured one (kept between runs with BENCH_KEEPDB=1).
Run: ``DATABASE_URL=postgres://… .venv/bin/python bench/bench_cast_cost.py``.
"""

from __future__ import annotations

import cProfile
import os
import pstats
import secrets
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongzhi.settings")

CASTS = int(os.environ.get("BENCH_CAST_COST_CASTS", "30"))


def _measure(vote_id: int, owners: list[int]) -> tuple[list[int], list[float], list[str], str]:
    from bench_scaleout import _owners_signed_in
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    cookies = _owners_signed_in(vote_id, owners)
    url = f"/affairs/v/{vote_id}/cast/"
    queries: list[int] = []
    cpu: list[float] = []
    sql: list[str] = []
    profile = cProfile.Profile(time.process_time) if os.environ.get("BENCH_CAST_PROFILE") else None
    client = Client(enforce_csrf_checks=True, HTTP_HOST="127.0.0.1")  # one handler, as a server process keeps
    for n, (session, _csrf) in enumerate(cookies):
        client.cookies.clear()
        csrf = secrets.token_hex(16)
        client.cookies["sessionid"], client.cookies["csrftoken"] = session, csrf
        data = {"opinion": ("agree", "against", "abstain")[n % 3], "csrfmiddlewaretoken": csrf}
        with CaptureQueriesContext(connection) as captured:
            started = time.process_time()
            if profile is not None and n:
                profile.enable()
            response = client.post(url, data)
            if profile is not None:
                profile.disable()
            spent = time.process_time() - started
        assert response.status_code == 302, response.status_code
        if n == 0:  # warm-up: templates, URL resolver, first connection
            continue
        queries.append(len(captured))
        cpu.append(spent)
        if n == 1:
            sql = [q["sql"] for q in captured.captured_queries]
    report = ""
    if profile is not None:
        from io import StringIO

        out = StringIO()
        pstats.Stats(profile, stream=out).sort_stats(
            os.environ.get("BENCH_CAST_PROFILE_SORT", "cumulative")
        ).print_stats(45)
        report = out.getvalue()
    return queries, cpu, sql, report


def run() -> list[tuple[str, float | str, str]]:
    import django
    from django.apps import apps

    if not apps.ready:
        django.setup()
    from bench_casts import _estate
    from django.db import connection

    old_name = connection.settings_dict["NAME"]
    keep = bool(os.environ.get("BENCH_KEEPDB"))
    connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=keep)
    try:
        vote_id, owners = _estate(CASTS + 1)
        queries, cpu, sql, report = _measure(vote_id, owners[: CASTS + 1])
    finally:
        connection.close()
        if not keep:
            connection.creation.destroy_test_db(old_name, verbosity=0)
    if os.environ.get("BENCH_CAST_SQL"):
        for line in sql:
            print("  ", line[:220])
    if report:
        print(report)
    return [
        (f"online casts through the full stack ({len(queries)} owners, one each)", len(queries), ""),
        ("queries per cast (min / max)", f"{min(queries)} / {max(queries)}", ""),
        ("CPU per cast, median (ms)", round(statistics.median(cpu) * 1000, 1), ""),
    ]


if __name__ == "__main__":
    for row in run():
        print(row)
