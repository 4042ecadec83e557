"""schemathesis over the whole OpenAPI schema, long: BENCH_FUZZ_EXAMPLES cases per operation (default 250,
≈10,000 in all) against the city-scale data, as the district administrator of 市南区 (shinan_admin) with a
token — or, where no demo is seeded, against a scratch database with the tests' small district. Every write is rolled back. Prints the cases tried, the answers by status, server errors (target 0)
and every failed check (the schema untrue to an answer), one line per operation and kind.
Run from bench/run.py (``make bench``) or alone: ``.venv/bin/python bench/run.py bench_fuzz``.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongzhi.settings")


class _Rollback(Exception):
    pass


def _report(examples: int):  # type: ignore[no-untyped-def]
    """Fuzz as 市南区's administrator: the demo's (city data) when it is seeded, or a scratch one."""
    from django.contrib.auth.models import User
    from django.db import transaction

    from gongzhi.accounts.services import token_issue
    from gongzhi.tests.fuzz import fuzz

    try:
        with transaction.atomic():
            user = User.objects.filter(username="shinan_admin").first()
            if user is None:
                from gongzhi.accounts.roles import Role
                from gongzhi.tests.factories import make_tree, user_with

                user = user_with(Role.DISTRICT_ADMIN, make_tree().d("370202"))
            _token, key = token_issue(actor=user, user=user)
            report = fuzz({"Authorization": f"Token {key}"}, examples)
            raise _Rollback
    except _Rollback:
        pass
    return report


def run() -> list[tuple[str, float | str, str]]:
    import django
    from django.apps import apps

    if not apps.ready:
        django.setup()
    from django.contrib.auth.models import User
    from django.db import connection

    examples = int(os.environ.get("BENCH_FUZZ_EXAMPLES", "250"))
    started = time.perf_counter()
    seeded = "auth_user" in connection.introspection.table_names()
    scratch = not (seeded and User.objects.filter(username="shinan_admin").exists())
    if scratch:  # no demo seeded: a test database of the configured one, dropped afterwards
        old_name = connection.settings_dict["NAME"]
        connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    try:
        report = _report(examples)
    finally:
        if scratch:
            connection.creation.destroy_test_db(old_name, verbosity=0)
    seconds = time.perf_counter() - started
    print(f"\nschemathesis: {report.operations} operations, {report.cases} cases in {seconds:.0f} s")
    print(f"answers by status: {dict(sorted(report.statuses.items()))}")
    for line in report.failures:
        print(f"  FAILED {line}")
    return [
        (
            f"schemathesis: operations / cases ({examples} per operation)",
            f"{report.operations} / {report.cases}",
            "",
        ),
        ("schemathesis: server errors (5xx)", str(report.server_errors), "0"),
        ("schemathesis: failed checks (schema untrue to an answer)", str(len(report.failures)), "0"),
    ]


if __name__ == "__main__":
    for row in run():
        print(row)
