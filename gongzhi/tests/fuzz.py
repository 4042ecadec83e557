"""schemathesis over the whole OpenAPI schema, in-process (WSGI): every operation, generated requests, every
check (no server error, status codes and bodies as the schema says). Shared by the bounded test
(`test_api_fuzz.py`) and the long run of `make bench` (`bench/bench_fuzz.py`)."""

from __future__ import annotations

import contextlib
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis.core.result import Err
from schemathesis.specs.openapi.checks import ignored_auth, positive_data_acceptance

SCHEMA_PATH = "/api/v1/schema/"
# Every check of schemathesis but two: `ignored_auth` probes with made-up credentials, while these runs
# authenticate with a real token on purpose (access without one is the permission matrix's test); and
# `positive_data_acceptance` calls any 400 to a schema-valid request a failure, but a filter naming an id
# outside the caller's places (or none) is refused with 400 by design (django-filter's model choice), which
# the schema documents.
EXCLUDED = [ignored_auth, positive_data_acceptance]


@dataclass
class FuzzReport:
    operations: int = 0
    cases: int = 0
    server_errors: int = 0
    failures: list[str] = field(default_factory=list)
    statuses: Counter[int] = field(default_factory=Counter)
    seen: set[str] = field(default_factory=set)


def _record(report: FuzzReport, label: str, case: Any, response: Any, exc: BaseException) -> None:
    """Failed checks, once per operation and kind; body and answer shown where they explain it."""
    for failure in getattr(exc, "exceptions", [exc]):
        kind = type(failure).__name__
        if f"{label}:{kind}" in report.seen:
            continue
        report.seen.add(f"{label}:{kind}")
        text = " ".join(str(failure).strip().splitlines()[:4])[:300]
        if kind in ("RejectedPositiveData", "JsonSchemaError"):
            text += f" <- {case.method} {case.formatted_path} q={case.query} body={case.body!r:.200}"
            text += f" -> {response.text[:200]}"
        report.failures.append(f"{label}: {kind}: {text} [{response.status_code}]")


def _fuzz_operation(operation: Any, report: FuzzReport, headers: dict[str, str], examples: int) -> None:
    @given(case=operation.as_strategy())
    @settings(max_examples=examples, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    def run(case: Any) -> None:
        report.cases += 1
        response = case.call(headers=headers)
        report.statuses[response.status_code] += 1
        if response.status_code >= 500:
            report.server_errors += 1
        try:
            case.validate_response(response, headers=headers, excluded_checks=EXCLUDED)
        except BaseException as exc:  # failed checks are collected, not raised
            _record(report, operation.label, case, response, exc)

    with contextlib.suppress(Unsatisfiable):
        run()


# Tested on their own (gongzhi/accounts/tests/test_tokens.py): they revoke the caller's own token.
SPENDS_THE_TOKEN = ("/auth/token/rotate/",)


def fuzz(headers: dict[str, str], examples: int) -> FuzzReport:
    """Run `examples` generated cases per operation as the user `headers` authenticate."""
    from django.core import signals
    from django.db import close_old_connections

    from gongzhi.wsgi import application

    report = FuzzReport()
    # As Django's test client does: a request (the schema's own included) must not close the test's
    # connection; on PostgreSQL that ends the test's transaction and every later request fails.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        schema = schemathesis.openapi.from_wsgi(SCHEMA_PATH, application)
        for result in schema.get_all_operations():
            report.operations += 1
            if isinstance(result, Err):  # a part of the schema schemathesis cannot read is a failure too
                report.failures.append(f"invalid schema: {result.err()}")
                continue
            operation = result.ok()
            if operation.path.endswith(SPENDS_THE_TOKEN):
                continue  # rotating the token the fuzz signs in with would turn every later case into a 403
            _fuzz_operation(operation, report, headers, examples)
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)
    return report
