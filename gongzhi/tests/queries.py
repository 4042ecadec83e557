"""The one query-count helper: pin the exact number of queries a block runs, and show them when it is wrong.

    from gongzhi.tests.queries import assert_queries

    with assert_queries(6):          # session, user, grants, count, page, categories
        client.get(url)

On a mismatch the assertion lists every statement the block ran, numbered, so the extra query (an N+1, a
lazy foreign key in a template) is visible in the test output without re-running anything.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import DEFAULT_DB_ALIAS, connections
from django.test.utils import CaptureQueriesContext


def describe(ctx: CaptureQueriesContext, limit: int = 200) -> str:
    lines = [f"{i:>3}. {q['sql']}" for i, q in enumerate(ctx.captured_queries[:limit], 1)]
    if len(ctx.captured_queries) > limit:
        lines.append(f"     … and {len(ctx.captured_queries) - limit} more")
    return "\n".join(lines)


@contextmanager
def assert_queries(
    expected: int, *, using: str = DEFAULT_DB_ALIAS, label: str = ""
) -> Iterator[CaptureQueriesContext]:
    """Fail unless the block runs exactly `expected` queries on `using`; the message lists them all."""
    with CaptureQueriesContext(connections[using]) as ctx:
        yield ctx
    ran = len(ctx.captured_queries)
    if ran != expected:
        where = f" ({label})" if label else ""
        raise AssertionError(f"expected {expected} queries{where}, ran {ran}:\n{describe(ctx)}")


@contextmanager
def count_queries(*, using: str = DEFAULT_DB_ALIAS) -> Iterator[CaptureQueriesContext]:
    """Capture without asserting (for comparing two runs); `len(ctx)` is the count, `describe(ctx)` the list."""
    with CaptureQueriesContext(connections[using]) as ctx:
        yield ctx
