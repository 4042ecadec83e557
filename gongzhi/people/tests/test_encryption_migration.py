"""Migration people.0006 encrypts the rows that were stored in plaintext, and unapplying it decrypts them."""

from __future__ import annotations

import pytest
from django.db import connection

from gongzhi.people.models import Person
from gongzhi.tests.migrations import leaves, migrate_to

BEFORE = [("people", "0005_historicalperson_path")]
ID = "11010519491231002X"


def _raw() -> tuple[str, str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT id_number, phone FROM people_person")
        row = cursor.fetchone()
    return row[0], row[1]


@pytest.mark.django_db(transaction=True)
def test_existing_rows_are_encrypted_and_the_migration_reverses():
    latest = [("people", name) for app, name in leaves() if app == "people"]
    migrate_to(BEFORE)
    try:
        with connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO people_person (kind, name, id_number, credit_code, phone, pinyin, initials, "
                "created_at, path) VALUES ('individual', '张伟', %s, NULL, '13812345678', '', '', %s, '?')",
                [ID, "2024-01-01 00:00:00+00:00"],
            )
        migrate_to(latest)
        idn, phone = _raw()
        assert idn.startswith("dev1:aes:") and phone.startswith("dev1:aes:")
        assert Person.objects.get(id_number=ID).phone == "13812345678"
        migrate_to(BEFORE)
        assert _raw() == (ID, "13812345678")
    finally:
        migrate_to(leaves())  # every app: unapplying people.0006 unapplied the apps that depend on it too
