"""ANALYZE after bulk loads: the planner's statistics describe the rows just loaded (PostgreSQL)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.utils import timezone

from gongzhi.core.bulk import analyze, insert_rows
from gongzhi.people.models import Person


@pytest.mark.django_db
def test_analyze_refreshes_the_statistics_of_a_bulk_load() -> None:
    fields = ["kind", "name", "phone", "pinyin", "initials", "created_at"]
    n = insert_rows(
        Person, fields, (["individual", f"人{i}", "", "", "", timezone.now()] for i in range(300))
    )
    assert Person.objects.filter(path="?").count() == n  # bulk rows start with an unknown place path
    analyze(Person)  # on SQLite a no-op, which must not fail
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples FROM pg_class WHERE relname = 'people_person'")
        assert cursor.fetchone()[0] == n
    analyze()  # the whole database
