"""Homes' keyset index for the API list on PostgreSQL: (path COLLATE "C", id), the order pages walk.

SQLite needs none: its index on path carries the rowid (the id) already, in the same bytewise order.
"""

from typing import Any

from django.db import migrations


def index(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute('CREATE INDEX home_path_key ON places_home ((path COLLATE "C"), id)')


def drop_index(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX home_path_key")


class Migration(migrations.Migration):
    dependencies = [("places", "0002_historicalbuilding_historicalcompound_historicalhome")]

    operations = [migrations.RunPython(index, drop_index)]
