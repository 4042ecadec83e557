"""Members' keyset index on PostgreSQL: (path COLLATE "C", id), the order lists walk (issue 7;
gongzhi.core.pagination compares paths bytewise).

SQLite needs none: its index on path carries the rowid (the id) already, in the same bytewise order.
"""

from typing import Any

from django.db import migrations


def index(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute('CREATE INDEX party_member_key ON party_partymember ((path COLLATE "C"), id)')


def drop_index(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX party_member_key")


class Migration(migrations.Migration):
    dependencies = [("party", "0003_on_organisations")]

    operations = [migrations.RunPython(index, drop_index)]
