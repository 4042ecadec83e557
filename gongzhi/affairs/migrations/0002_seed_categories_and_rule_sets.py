"""Seed the matter categories (a controlled vocabulary) and the vote rule sets of civil_code.DEFAULT_RULE_SETS.

Both are data a district administrator edits afterwards; a second run changes nothing.
"""

from django.db import migrations

CATEGORIES = [
    # code, name, art. 278 item usually concerned (None: settled by consultation), usual scope
    ("road", "路面翻修", None, "compound"),
    ("elevator", "加装电梯", 7, "unit"),
    ("parking", "停车管理", 8, "compound"),
    ("greening", "绿化提升", None, "compound"),
    ("fund_use", "维修资金使用", 5, "building"),
    ("fund_raising", "维修资金筹集", 6, "compound"),
    ("property", "选聘、更换物业", 4, "compound"),
    ("committee", "业委会选举", 3, "compound"),
    ("statute", "管理规约、议事规则", 2, "compound"),
    ("facilities", "设施维修", None, "building"),
    ("environment", "环境整治", None, "compound"),
    ("other", "其他重大事项", 9, "compound"),
]

ELEVATOR_SOURCE = (
    "民法典第二百七十八条；青岛市既有住宅加装电梯工作实施意见（2021 年起按单元计算双 2/3 参与、"
    "双 3/4 同意，须书面签字、公示不少于 15 日、无直接受影响业主的未解决异议）"
)


def seed(apps, schema_editor):
    from gongzhi.affairs.civil_code import DEFAULT_RULE_SETS

    Category = apps.get_model("affairs", "MatterCategory")
    RuleSet = apps.get_model("affairs", "VoteRuleSet")
    for order, (code, name, item, scope) in enumerate(CATEGORIES, start=1):
        Category.objects.get_or_create(
            code=code, defaults={"name": name, "default_item": item, "default_scope": scope, "order": order}
        )
    elevator = Category.objects.get(code="elevator")
    for rs in DEFAULT_RULE_SETS:
        RuleSet.objects.get_or_create(
            code=rs.code,
            defaults={
                "name": rs.name,
                "category": elevator,
                "effective_from": rs.effective_from,
                "effective_to": rs.effective_to,
                "participation": rs.participation.code,
                "approval": rs.approval.code,
                "notice_days": rs.notice_days,
                "requires_signatures": rs.requires_signatures,
                "requires_no_objection": rs.requires_no_objection,
                "source": ELEVATOR_SOURCE,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("affairs", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
