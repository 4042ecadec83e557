"""Seed the matter categories and the vote rule sets (gongzhi.affairs.seeds); a second run changes nothing."""

from django.db import migrations


def seed(apps, schema_editor):
    from gongzhi.affairs.seeds import seed as seed_settings

    seed_settings(apps.get_model("affairs", "MatterCategory"), apps.get_model("affairs", "VoteRuleSet"))


class Migration(migrations.Migration):
    dependencies = [("affairs", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
