"""The goal types of the 2024–2026 campaign (data; a district adds its own in the admin).

Those the registries can see name a catalogued figure at the target's place and complete from it:
a party organisation covering the compound (party app), an owners' committee filed (the co-governance
registry's `owners_committee_formed`; until that registry is installed such targets wait, unchanged).
"""

from decimal import Decimal

from django.db import migrations

TYPES = [
    ("party_org", "组建小区党组织", "compounds_covered", Decimal("1")),
    ("owners_committee", "成立业主委员会", "owners_committee_formed", Decimal("1")),
    ("property_company", "引入物业服务企业", "", Decimal("1")),
    ("closed_renovation", "封闭式小区改造", "", Decimal("1")),
    ("old_renovation", "老旧小区改造", "", Decimal("1")),
    ("building_groups", "建立楼栋党小组", "building_party_groups", Decimal("1")),
    ("supervision", "履职监督与考评", "", Decimal("1")),
]


def add(apps, schema_editor):
    GoalType = apps.get_model("campaign", "GoalType")
    for code, name, figure, threshold in TYPES:
        GoalType.objects.get_or_create(code=code, defaults={"name": name, "figure": figure, "threshold": threshold})


class Migration(migrations.Migration):
    dependencies = [("campaign", "0001_initial")]
    operations = [migrations.RunPython(add, migrations.RunPython.noop)]
