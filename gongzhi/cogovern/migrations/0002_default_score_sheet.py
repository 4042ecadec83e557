"""Ship Qingdao's quarterly quantitative assessment (8 categories, 39 items, 100 points) as the default
score sheet, from gongzhi/cogovern/data/score_sheet.json; districts edit it as a new ScoreSheet version."""

import json
from pathlib import Path

from django.db import migrations

SHEET = Path(__file__).resolve().parent.parent / "data" / "score_sheet.json"


def forwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    ScoreSheet = apps.get_model("cogovern", "ScoreSheet")
    if not ScoreSheet.objects.filter(is_default=True).exists():
        sheet = json.loads(SHEET.read_text(encoding="utf-8"))
        ScoreSheet.objects.create(name=sheet["name"], sheet=sheet, is_default=True)


class Migration(migrations.Migration):
    dependencies = [("cogovern", "0001_initial")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
