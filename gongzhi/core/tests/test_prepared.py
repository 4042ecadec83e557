"""gongzhi.core.prepared: hand-written SQL as server-side prepared statements on PostgreSQL."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext

from gongzhi.core.prepared import fetch

pytestmark = pytest.mark.django_db

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="prepared statements: PostgreSQL"
)


def _prepared_names() -> set[str]:
    rows = fetch("SELECT name FROM pg_prepared_statements", [], prepare=False)
    return {r[0] for r in rows}


def test_rows_come_back_on_every_database() -> None:
    sql = "SELECT %s + 1, %s" if connection.vendor != "postgresql" else "SELECT %s::bigint + 1, %s::text"
    assert fetch(sql, [41, "共治"]) == [(42, "共治")]


def test_the_query_log_and_execute_wrappers_see_the_statement() -> None:
    seen: list[str] = []

    def note(execute, sql, params, many, context):  # type: ignore[no-untyped-def]
        seen.append(sql)
        return execute(sql, params, many, context)

    with CaptureQueriesContext(connection) as captured, connection.execute_wrapper(note):
        fetch("SELECT 1", [])
    assert len(captured) == 1
    assert "SELECT 1" in captured[0]["sql"]
    assert seen == ["SELECT 1"]


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_a_statement_is_prepared_once_per_connection_and_again_after_a_reconnect() -> None:
    sql = "SELECT %s::bigint * 2 /* test_prepared reconnect */"
    before = _prepared_names()
    assert fetch(sql, [21]) == [(42,)]
    made = _prepared_names() - before
    assert len(made) == 1  # prepared by psycopg, kept on the connection
    assert fetch(sql, [5]) == [(10,)]
    assert _prepared_names() - before == made  # reused, not prepared again
    # A connection closed and opened again (CONN_MAX_AGE over, a dropped connection) starts with none:
    # psycopg prepares the statement again on the new one.
    connection.close()
    assert _prepared_names() == set()
    assert fetch(sql, [7]) == [(14,)]
    assert len(_prepared_names()) == 1


@postgres_only
def test_named_parameters_repeat_with_their_casts_and_null_travels() -> None:
    rows = fetch(
        "SELECT %(a)s::bigint + %(a)s::bigint, %(b)s::bigint IS NULL, %(c)s::text = 'x'",
        {"a": 2, "b": None, "c": "x"},
    )
    assert rows == [(4, True, True)]


@postgres_only
def test_a_failed_statement_rolls_back_its_savepoint_and_the_transaction_goes_on() -> None:
    fetch("CREATE TEMPORARY TABLE prepared_t (id bigint PRIMARY KEY)", [], prepare=False)
    insert = "INSERT INTO prepared_t (id) VALUES (%s::bigint) RETURNING id"
    assert fetch(insert, [1]) == [(1,)]
    with pytest.raises(IntegrityError), transaction.atomic():
        fetch(insert, [1])
    # the savepoint was rolled back; the same prepared statement works again in the transaction
    assert fetch(insert, [2]) == [(2,)]
    with pytest.raises(DatabaseError), transaction.atomic():
        fetch("SELECT %s::bigint FROM no_such_table_here", [1])
    assert fetch("SELECT count(*) FROM prepared_t", []) == [(2,)]


def test_statements_without_rows_and_empty_results() -> None:
    """A statement that returns no rows gives [], one that returns rows gives them, whatever the kind."""
    fetch("CREATE TEMPORARY TABLE prepared_probe (n integer)", [], prepare=False)
    assert fetch("INSERT INTO prepared_probe (n) VALUES (%s)", [1]) == []
    assert fetch("SELECT n FROM prepared_probe WHERE n = %s", [2]) == []
    assert fetch("UPDATE prepared_probe SET n = %s WHERE n = %s RETURNING n", [3, 1]) == [(3,)]
    assert fetch("UPDATE prepared_probe SET n = %s WHERE n = %s", [4, 3]) == []
    assert fetch("SELECT n FROM prepared_probe", []) == [(4,)]
