"""The settings a county starts from (editable on /collectives/settings/): contract limits per subject,
the major-matter threshold, the town-rating criteria and the grade floors."""

from django.db import migrations

from gongzhi.collectives.defaults import CRITERIA, FLOORS, LIMITS, MAJOR_YUAN

def forwards(apps, schema_editor):
    m = {n: apps.get_model("collectives", n) for n in ("ContractLimit", "Threshold", "Criterion", "GradeFloor")}
    for subject, (years, low, high) in LIMITS.items():
        m["ContractLimit"].objects.get_or_create(
            subject=subject, defaults={"max_years": years, "min_yuan_per_mu": low, "max_yuan_per_mu": high}
        )
    m["Threshold"].objects.get_or_create(pk=1, defaults={"major_yuan": MAJOR_YUAN})
    for figure, (weight, higher, full, half) in CRITERIA.items():
        m["Criterion"].objects.get_or_create(
            figure=figure, defaults={"weight": weight, "higher_better": higher, "full_at": full, "half_at": half}
        )
    for grade, floor in FLOORS.items():
        m["GradeFloor"].objects.get_or_create(grade=grade, defaults={"min_score": floor})


class Migration(migrations.Migration):
    dependencies = [("collectives", "0001_initial")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
