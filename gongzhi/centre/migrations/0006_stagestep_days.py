"""Each step's days from its project's registration as a lead, filled in for the steps already written."""

from django.db import migrations, models


def fill(apps, schema_editor):
    step = apps.get_model("centre", "StageStep")
    rows = list(step.objects.select_related("project").only("id", "on", "project__created_on"))
    for row in rows:
        row.days = (row.on - row.project.created_on).days
    step.objects.bulk_update(rows, ["days"], batch_size=2000)


class Migration(migrations.Migration):
    dependencies = [("centre", "0005_lease_no_overlap")]

    operations = [
        migrations.AddField(
            model_name="stagestep",
            name="days",
            field=models.IntegerField(default=0, verbose_name="距登记天数"),
        ),
        migrations.AddField(
            model_name="historicalstagestep",
            name="days",
            field=models.IntegerField(default=0, verbose_name="距登记天数"),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
