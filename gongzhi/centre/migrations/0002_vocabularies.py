"""GB/T 4754-2017's twenty sections, the default pipeline stages and the 2025 working-day calendar, from the
app's data files (gongzhi.centre.vocab). Later years are rows added through the admin, not code."""

from django.db import migrations


def load(apps, schema_editor):
    from gongzhi.centre.vocab import load as load_rows

    load_rows(apps.get_model("centre", "Industry"), apps.get_model("centre", "Stage"), apps.get_model("centre", "WorkCalendar"))


class Migration(migrations.Migration):
    dependencies = [("centre", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
