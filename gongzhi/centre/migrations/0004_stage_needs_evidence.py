"""Stages that ask for evidence (visit, signed, registered, moved in, producing), from stages.csv."""

from django.db import migrations, models


def load(apps, schema_editor):
    from gongzhi.centre.vocab import load as load_rows

    load_rows(apps.get_model("centre", "Industry"), apps.get_model("centre", "Stage"), apps.get_model("centre", "WorkCalendar"))


class Migration(migrations.Migration):
    dependencies = [("centre", "0003_history")]

    operations = [
        migrations.AddField(
            model_name="stage",
            name="needs_evidence",
            field=models.BooleanField(default=False, verbose_name="须有佐证"),
        ),
        migrations.AddField(
            model_name="historicalstage",
            name="needs_evidence",
            field=models.BooleanField(default=False, verbose_name="须有佐证"),
        ),
        migrations.RunPython(load, migrations.RunPython.noop),
    ]
