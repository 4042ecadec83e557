"""A department's warning list matched to rural households by ID number, end to end.

Registers 300,000 households (one member each, real check characters) in a new village of 平度市 inside a
transaction that is rolled back, writes a 100,000-row warning list as .xlsx (half the IDs are members',
half are strangers'), then times reading the workbook and `services.warning_list_import`: every row's
ID checked, blind-indexed, matched set-wise through the indexed keyed hash, warnings and new cases inserted
in bulk with their history. Target: ≤ 5 s.

    .venv/bin/python bench/bench_warning_match.py       # on DATABASE_URL (or var/ SQLite)
    .venv/bin/python bench/run.py bench_warning_match
"""

from __future__ import annotations

import io
import os
import random
import sys
import time
from pathlib import Path

HOUSEHOLDS, ROWS = 300_000, 100_000


class _Rollback(Exception):
    pass


def _id(n: int) -> str:
    from gongzhi.people.identity import with_check_character

    year, rest = 1940 + n % 60, n // 60
    return with_check_character(
        f"3702{rest // 1000 % 100:02d}{year}{1 + rest % 12:02d}{1 + rest % 28:02d}{n % 1000:03d}"
    )


def _server_clock():  # type: ignore[no-untyped-def]
    """CPU seconds used so far by this connection's PostgreSQL backend (a process on this machine)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    tick = os.sysconf("SC_CLK_TCK")

    def clock() -> float:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:  # a server on another machine: not measured
            return 0.0
        return (int(fields[11]) + int(fields[12])) / tick

    return clock


def measure(households: int = HOUSEHOLDS, rows: int = ROWS, seed: int = 14) -> dict[str, float | int | str]:
    import xlsxwriter
    from django.db import connection, transaction

    from gongzhi.core.actors import system
    from gongzhi.monitoring import services
    from gongzhi.monitoring.sheets import read_warning_sheet
    from gongzhi.places.models import Division

    rng = random.Random(seed)
    actor = system("bench")
    out: dict[str, float | int | str] = {}
    try:
        with transaction.atomic():
            county, _ = Division.objects.get_or_create(
                code="370283", defaults={"name": "平度市", "level": "district", "path": "37/3702/370283/"}
            )
            village = Division.objects.create(
                code="370283999999",
                name="基准村",
                level="village",
                parent=county,
                path=county.path + "370283999999/",
            )
            numbers = list(dict.fromkeys(_id(n) for n in range(households * 2)))
            ours = numbers[:households]
            started = time.perf_counter()
            services.households_create_bulk(
                actor=actor,
                households=[
                    services.NewHousehold(
                        village.pk, village.path, f"B{i:07d}", [services.MemberRow("农户", n, "户主")]
                    )
                    for i, n in enumerate(ours)
                ],
            )
            out["setup_s"] = round(time.perf_counter() - started, 1)
            if connection.vendor == "postgresql":  # not timed: the set-up's own foreign-key checks (else the
                with connection.cursor() as cursor:  # timed SET CONSTRAINTS below would pay for them too),
                    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # and the statistics a live database has
                    cursor.execute("SET CONSTRAINTS ALL DEFERRED")
                    cursor.execute("ANALYZE people_person, monitoring_member, monitoring_household")
            listed = rng.sample(ours, rows // 2) + numbers[households : households + rows - rows // 2]
            rng.shuffle(listed)
            buffer = io.BytesIO()
            book = xlsxwriter.Workbook(buffer, {"constant_memory": True, "in_memory": True})
            sheet = book.add_worksheet("预警名单")
            sheet.write_row(0, 0, ["身份证号", "预警事由"])
            for i, n in enumerate(listed, start=1):
                sheet.write_string(i, 0, n)
                sheet.write_string(i, 1, "低保边缘")
            book.close()
            buffer.seek(0)
            pg = connection.vendor == "postgresql"
            server = _server_clock() if pg else (lambda: 0.0)
            statements: list[tuple[float, str]] = []

            def timed(execute, sql, params, many, context):  # type: ignore[no-untyped-def]
                at = time.perf_counter()
                try:
                    return execute(sql, params, many, context)
                finally:
                    statements.append((time.perf_counter() - at, sql))

            server_cpu = server()
            started, cpu = time.perf_counter(), time.process_time()
            parsed = read_warning_sheet(buffer)
            read, read_cpu = time.perf_counter(), time.process_time() - cpu
            with connection.execute_wrapper(timed):
                report = services.warning_list_import(
                    actor=actor, department="civil", path=county.path, rows=parsed
                )
            written = time.perf_counter()
            if pg:
                # The foreign keys are DEFERRABLE INITIALLY DEFERRED: PostgreSQL checks them at COMMIT, one
                # per row written, so a bench that rolls back never paid for them. Checked here, inside
                # the timed part, as a real import's commit does.
                with connection.cursor() as cursor:
                    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            done, cpu = time.perf_counter(), time.process_time() - cpu
            server_cpu = server() - server_cpu
            sql_s = sum(t for t, _sql in statements)
            out.update(
                households=households,
                rows=len(parsed),
                matched=report.matched,
                unknown=len(report.unknown),
                cases=report.cases_raised,
                read_s=round(read - started, 2),
                read_cpu_s=round(read_cpu, 2),
                match_s=round(done - read, 2),
                sql_s=round(sql_s, 2),  # every statement of the import, as the client waited for it
                python_s=round(written - read - sql_s, 2),  # ID checks, keyed hashes, COPY, the rest
                fk_checks_s=round(done - written, 2),
                total_s=round(done - started, 2),
                cpu_s=round(cpu, 2),  # this process's CPU: on a loaded machine wall time mostly waits
                server_cpu_s=round(server_cpu, 2),  # PostgreSQL's backend (same machine), 0 on SQLite
                load=round(os.getloadavg()[0], 1),
            )
            for seconds, sql in sorted(statements, reverse=True)[:5]:
                out[f"sql {seconds:.2f} s"] = " ".join(sql.split())[:80]
            raise _Rollback
    except _Rollback:
        pass
    return out


def run() -> list[tuple[str, float | str, str]]:
    m = measure()
    return [
        (
            f"warning list {m['rows']:,} rows × {m['households']:,} households: read + match + write",
            f"{m['total_s'] * 1000:.0f} ms",
            "≤ 5000 ms",
        ),
        ("  of which reading the .xlsx / matching and writing", f"{m['read_s']} s / {m['match_s']} s", ""),
        ("  CPU time of this process (SQLite runs in it)", f"{m['cpu_s']} s", ""),
        ("  CPU time of the PostgreSQL backend (0 on SQLite)", f"{m['server_cpu_s']} s", ""),
        ("  foreign-key checks at commit (PostgreSQL)", f"{m['fk_checks_s']} s", ""),
        ("  matched / unknown / cases raised", f"{m['matched']:,} / {m['unknown']:,} / {m['cases']:,}", ""),
    ]


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongzhi.settings")
    import django

    django.setup()
    for k, v in measure().items():
        print(f"{k:>10}: {v}")
