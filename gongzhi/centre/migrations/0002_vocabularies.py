"""GB/T 4754-2017's twenty sections, the default pipeline stages and the working-day calendar (the State
Council's holiday notice for 2025: weekday holidays and adjusted working days), from the app's data files.
Later years are added as rows (admin or a ledger), not code."""

import csv
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().parent.parent / "data"


def _rows(name):
    with open(DATA / name, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def load(apps, schema_editor):
    Industry = apps.get_model("centre", "Industry")
    Stage = apps.get_model("centre", "Stage")
    for row in _rows("gbt4754_sections.csv"):
        Industry.objects.update_or_create(code=row["code"], defaults={"name": row["name"]})
    WorkCalendar = apps.get_model("centre", "WorkCalendar")
    for row in _rows("work_calendar.csv"):
        WorkCalendar.objects.update_or_create(
            day=row["day"], defaults={"working": row["working"] == "1", "note": row["note"]}
        )
    for row in _rows("stages.csv"):
        Stage.objects.update_or_create(
            code=row["code"],
            defaults={"name": row["name"], "position": int(row["position"]), "requires": row["requires"]},
        )


class Migration(migrations.Migration):
    dependencies = [("centre", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
