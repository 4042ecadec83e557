"""Each stage step keeps its project's platform and path, and each credit its project's path (filled here for
the rows already written), so the funnel and the per-party figures group one table without a join."""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def fill(apps, schema_editor):
    project = apps.get_model("centre", "Project")
    for name in ("StageStep", "Credit"):
        model = apps.get_model("centre", name)
        of = project.objects.filter(pk=OuterRef("project_id"))
        values = {"path": Subquery(of.values("path")[:1])}
        if name == "StageStep":
            values["platform_id"] = Subquery(of.values("platform_id")[:1])
        model.objects.update(**values)


class Migration(migrations.Migration):

    dependencies = [
        ('centre', '0007_enterprise_settled_index'),
    ]

    operations = [
        migrations.AddField(
            model_name='credit',
            name='path',
            field=models.CharField(blank=True, max_length=120),
        ),
        migrations.AddField(
            model_name='historicalcredit',
            name='path',
            field=models.CharField(blank=True, max_length=120),
        ),
        migrations.AddField(
            model_name='historicalstagestep',
            name='path',
            field=models.CharField(blank=True, max_length=120),
        ),
        migrations.AddField(
            model_name='historicalstagestep',
            name='platform',
            field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='centre.platform'),
        ),
        migrations.AddField(
            model_name='stagestep',
            name='path',
            field=models.CharField(blank=True, max_length=120),
        ),
        migrations.AddField(
            model_name='stagestep',
            name='platform',
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='centre.platform'),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name='credit',
            index=models.Index(fields=['path', 'part', 'party', 'share'], name='centre_credit_path_idx', opclasses=['varchar_pattern_ops', 'text_ops', 'text_ops', 'int2_ops']),
        ),
        migrations.AddIndex(
            model_name='stagestep',
            index=models.Index(fields=['path', 'platform', 'stage', 'days'], name='centre_step_funnel_idx', opclasses=['varchar_pattern_ops', 'int8_ops', 'int8_ops', 'int4_ops']),
        ),
        migrations.AddIndex(
            model_name='stagestep',
            index=models.Index(fields=['project', 'stage', 'days'], name='centre_step_days_idx'),
        ),
    ]
