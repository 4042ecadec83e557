"""The settings a county starts from (editable on /collectives/settings/): contract limits per subject,
the major-matter threshold, the town-rating criteria and the grade floors."""

from decimal import Decimal

from django.db import migrations

# subject: (longest term in years, yearly price per 亩 low, high). Assets: 《民法典》第七百零五条 (20 years).
LIMITS = {
    "land": (30, 300, 1500),
    "forest": (50, 20, 300),
    "water": (30, 200, 2000),
    "wasteland": (50, 20, 500),
    "asset": (20, None, None),
}
# figure: (weight, higher is better, full at, half at).
CRITERIA = {
    "contracts_unapproved_pct": (40, False, Decimal(0), Decimal(5)),
    "contracts_out_of_range_pct": (30, False, Decimal(2), Decimal(10)),
    "collective_income_avg_yuan": (30, True, Decimal(200_000), Decimal(100_000)),
}
FLOORS = {"exemplary": Decimal(85), "excellent": Decimal(60)}


def forwards(apps, schema_editor):
    m = {n: apps.get_model("collectives", n) for n in ("ContractLimit", "Threshold", "Criterion", "GradeFloor")}
    for subject, (years, low, high) in LIMITS.items():
        m["ContractLimit"].objects.get_or_create(
            subject=subject, defaults={"max_years": years, "min_yuan_per_mu": low, "max_yuan_per_mu": high}
        )
    m["Threshold"].objects.get_or_create(pk=1, defaults={"major_yuan": 50_000})
    for figure, (weight, higher, full, half) in CRITERIA.items():
        m["Criterion"].objects.get_or_create(
            figure=figure, defaults={"weight": weight, "higher_better": higher, "full_at": full, "half_at": half}
        )
    for grade, floor in FLOORS.items():
        m["GradeFloor"].objects.get_or_create(grade=grade, defaults={"min_score": floor})


class Migration(migrations.Migration):
    dependencies = [("collectives", "0001_initial")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
