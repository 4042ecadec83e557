"""The starting vocabulary of skills (issue 11: law, medicine, education, repairs, IT, psychology, culture,
elderly care, …); the district edits it afterwards at /reporting/skills/."""

from django.db import migrations

SKILLS = [
    ("law", "法律服务"),
    ("medicine", "医疗卫生"),
    ("education", "教育辅导"),
    ("repairs", "维修"),
    ("it", "信息技术"),
    ("psychology", "心理咨询"),
    ("culture", "文化体育"),
    ("elderly", "养老照护"),
    ("mediation", "矛盾调解"),
    ("policy", "政策宣讲"),
    ("greening", "环境绿化"),
    ("safety", "安全应急"),
]


def seed(apps, schema_editor):
    Skill = apps.get_model("reporting", "Skill")
    for i, (code, name) in enumerate(SKILLS):
        Skill.objects.get_or_create(code=code, defaults={"name": name, "order": i})


class Migration(migrations.Migration):
    dependencies = [("reporting", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
