"""On PostgreSQL the database itself refuses two leases of one room whose closed date ranges share a day: an
exclusion constraint over (space_id =, daterange(starts_on, ends_on, '[]') &&), which needs btree_gist for
the equality on an integer inside a GiST index. SQLite has no such constraint: there services.lease_sign's
check under the room's lock is the guard (it is on PostgreSQL too, and gives the readable message)."""

from typing import Any

from django.db import migrations


def add(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("CREATE EXTENSION IF NOT EXISTS btree_gist")
        schema_editor.execute(
            "ALTER TABLE centre_lease ADD CONSTRAINT centre_lease_no_overlap EXCLUDE USING gist "
            "(space_id WITH =, daterange(starts_on, ends_on, '[]') WITH &&)"
        )


def drop(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE centre_lease DROP CONSTRAINT centre_lease_no_overlap")


class Migration(migrations.Migration):
    dependencies = [("centre", "0004_stage_needs_evidence")]

    operations = [migrations.RunPython(add, drop)]
