"""Person.path: where a person's homes lie, so scoped person lists are one index range (gongzhi.people.paths).

The index is (path, id) in bytewise order — on PostgreSQL over `path COLLATE "C"` — so keyset pages walk it.
"""

from typing import Any

from django.db import migrations, models


def fill(apps: Any, schema_editor: Any) -> None:
    from gongzhi.people.paths import refresh_paths

    refresh_paths()


def index(apps: Any, schema_editor: Any) -> None:
    key = '(path COLLATE "C")' if schema_editor.connection.vendor == "postgresql" else "path"
    schema_editor.execute(f"CREATE INDEX person_path_key ON people_person ({key}, id)")


def drop_index(apps: Any, schema_editor: Any) -> None:
    schema_editor.execute("DROP INDEX person_path_key")


class Migration(migrations.Migration):
    dependencies = [("people", "0002_historicalownership")]

    operations = [
        migrations.AddField(
            model_name="person",
            name="path",
            field=models.CharField(db_default="?", default="?", editable=False, max_length=110),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.RunPython(index, drop_index),
    ]
