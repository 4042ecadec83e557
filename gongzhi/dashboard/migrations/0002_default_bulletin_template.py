"""The platform's default bulletin template (a district saves its own copy to change it)."""

from django.db import migrations

BODY = """截至{{ date }}，{{ place }}共有小区{{ f.compounds_total|num }}个，其中{{ f.compounds_covered|num }}个小区实现党组织覆盖，覆盖率{{ f.party_org_coverage|pct }}{% if ya.party_org_coverage is not None %}（去年同期{{ ya.party_org_coverage|pct }}）{% endif %}；建立楼栋党小组{{ f.building_party_groups|num }}个，选树党员中心户{{ f.central_households|num }}户，联系群众{{ f.homes_linked|num }}户。

{% if f.campaign_targets %}“深化红色物业 共建幸福家园”三年行动排定攻坚目标{{ f.campaign_targets|num }}个，已完成{{ f.campaign_targets_done|num }}个，总体进度{{ f.campaign_progress|pct }}{% if ya.campaign_progress is not None %}，去年同期为{{ ya.campaign_progress|pct }}{% endif %}。{% endif %}

居民议事共受理自治事务{{ f.matters_total|num }}件，已办结{{ f.matters_resolved|num }}件；召开吹风会{{ f.briefing_sessions|num }}场，完成业主表决{{ f.votes_held|num }}次，通过{{ f.votes_passed|num }}次。"""

TABLE = "compounds_total,compounds_covered,party_org_coverage,building_party_groups,central_households,campaign_targets,campaign_targets_done,matters_resolved"


def add(apps, schema_editor):
    BulletinTemplate = apps.get_model("dashboard", "BulletinTemplate")
    if not BulletinTemplate.objects.filter(division__isnull=True).exists():
        BulletinTemplate.objects.create(
            division=None, title="红色物业工作简报", body=BODY, table_figures=TABLE, chart_figure="campaign_progress", path=""
        )


def remove(apps, schema_editor):
    apps.get_model("dashboard", "BulletinTemplate").objects.filter(division__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("dashboard", "0001_initial")]
    operations = [migrations.RunPython(add, remove)]
