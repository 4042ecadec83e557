"""What one online cast costs the server: queries and CPU, end to end (issue 15, the cast p95).

bench_scaleout.py measures casts over HTTP under load, where the machine's CPU decides the p95; this
bench says where that CPU goes. Owners of bench_casts' compound sign in and post the cast form
(`/affairs/v/<pk>/cast/`) one after another through Django's full stack (middleware, session, CSRF,
permission check, service, chain, audit, redirect), each owner once after one warm-up cast, form-encoded
as a browser posts it. Odd casts count the statements (the SQL with BENCH_CAST_SQL=1) through Django's
debug cursor; even casts measure the CPU of this process and, when PostgreSQL runs on this machine, of its
backend (/proc; 10 ms ticks, so read the mean over many casts). BENCH_CAST_PROFILE=1 adds the cProfile
functions with the most cumulative CPU time (BENCH_CAST_PROFILE_SORT, BENCH_CAST_PROFILE_LINES; BENCH_CAST_PROFILE_CALLERS, a regular
expression, adds who called the functions it matches);
BENCH_CAST_PROFILE=pyinstrument a wall-time call tree (pyinstrument installed by hand; not a dependency).

It works in the test database of the configured one (GONGZHI_TEST_DB_NAME names it; kept between runs
with BENCH_KEEPDB=1). BENCH_CAST_COST_CASTS owners (default 30).
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
from contextlib import nullcontext
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongzhi.settings")

CASTS = int(os.environ.get("BENCH_CAST_COST_CASTS", "30"))


def _backend_pid(connection) -> int | None:  # type: ignore[no-untyped-def]
    if connection.vendor != "postgresql":
        return None
    connection.ensure_connection()
    return int(connection.connection.info.backend_pid)


def _proc_cpu(pid: int | None) -> float | None:
    """User + system CPU seconds of a local process (the PostgreSQL backend), or None if not readable."""
    if pid is None:
        return None
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _measure(vote_id: int, owners: list[int]) -> tuple[list[int], list[float], list[float], list[str], str]:
    from bench_scaleout import _owners_signed_in
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    cookies = _owners_signed_in(vote_id, owners)
    url = f"/affairs/v/{vote_id}/cast/"
    queries: list[int] = []
    cpu: list[float] = []
    db_cpu: list[float] = []
    sql: list[str] = []
    mode = os.environ.get("BENCH_CAST_PROFILE", "")
    profile = cProfile.Profile(time.process_time) if mode and mode != "pyinstrument" else None
    sampler = None
    if mode == "pyinstrument":  # a call tree, wall time (pip install pyinstrument; not a dependency)
        from pyinstrument import Profiler

        sampler = Profiler(interval=0.0002, async_mode="disabled")
    client = Client(enforce_csrf_checks=True, HTTP_HOST="127.0.0.1")  # one handler, as a server process keeps
    for n, (session, _csrf) in enumerate(cookies):
        client.cookies.clear()
        csrf = secrets.token_hex(16)
        client.cookies["sessionid"], client.cookies["csrftoken"] = session, csrf
        # form-encoded, as a browser posts the form (the test client's default is multipart)
        body = urlencode({"opinion": ("agree", "against", "abstain")[n % 3], "csrfmiddlewaretoken": csrf})
        # Odd casts count the statements (Django's debug cursor, which costs CPU of its own); even casts
        # measure the CPU, of this process and of its PostgreSQL backend (from /proc, on the same machine).
        counting = n % 2 == 1
        backend = _backend_pid(connection)
        db_before = _proc_cpu(backend)
        with CaptureQueriesContext(connection) if counting else nullcontext() as captured:
            started = time.process_time()
            if profile is not None and n:
                profile.enable()
            if sampler is not None and n:
                sampler.start()
            response = client.post(url, body, content_type="application/x-www-form-urlencoded")
            if profile is not None:
                profile.disable()
            if sampler is not None and n:
                sampler.stop()
            spent = time.process_time() - started
        db_after = _proc_cpu(backend)
        assert response.status_code == 302, response.status_code
        if n == 0:  # warm-up: templates, URL resolver, first connection
            continue
        if counting:
            assert captured is not None
            queries.append(len(captured))
            if n == 1:
                sql = [q["sql"] for q in captured.captured_queries]
        else:
            cpu.append(spent)
            if db_before is not None and db_after is not None and _backend_pid(connection) == backend:
                db_cpu.append(db_after - db_before)
    report = ""
    if profile is not None:
        from io import StringIO

        out = StringIO()
        pstats.Stats(profile, stream=out).sort_stats(
            os.environ.get("BENCH_CAST_PROFILE_SORT", "cumulative")
        ).print_stats(int(os.environ.get("BENCH_CAST_PROFILE_LINES", "45")))
        callers = os.environ.get("BENCH_CAST_PROFILE_CALLERS")  # e.g. "connect|deepcopy": who calls these
        if callers:
            pstats.Stats(profile, stream=out).print_callers(callers)
        report = out.getvalue()
    if sampler is not None:
        report = sampler.output_text(unicode=True, show_all=False)
    return queries, cpu, db_cpu, sql, report


def run() -> list[tuple[str, float | str, str]]:
    import django
    from django.apps import apps

    if not apps.ready:
        django.setup()
    from bench_casts import _estate
    from django.db import connection

    old_name = connection.settings_dict["NAME"]
    keep = bool(os.environ.get("BENCH_KEEPDB"))
    # serialize=False: nothing here restores the database's contents (serialising them took minutes)
    connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=keep, serialize=False)
    try:
        vote_id, owners = _estate(CASTS + 1)
        queries, cpu, db_cpu, sql, report = _measure(vote_id, owners[: CASTS + 1])
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
        (f"online casts through the full stack ({len(queries) + len(cpu)} owners, one each)", len(cpu), ""),
        ("queries per cast (min / max)", f"{min(queries)} / {max(queries)}", ""),
        ("CPU per cast, median (ms)", round(statistics.median(cpu) * 1000, 1), ""),
        (
            "PostgreSQL backend CPU per cast, mean (ms; /proc, 10 ms ticks)",
            round(statistics.mean(db_cpu) * 1000, 2) if db_cpu else "not readable",
            "",
        ),
    ]


if __name__ == "__main__":
    for row in run():
        print(row)
