"""Two threshold-free maxima on the per-compound counters, so the gaps page looks only into the compounds
that may have a gap (issue 7): computed here for existing rows with grouped queries."""

from collections import defaultdict
from typing import Any

from django.db import migrations, models
from django.db.models import Count


def fill(apps: Any, schema_editor: Any) -> None:
    Stats = apps.get_model("party", "CompoundPartyStats")
    Member = apps.get_model("party", "PartyMember")
    Link = apps.get_model("party", "HouseholdLink")
    Group = apps.get_model("party", "BuildingGroup")
    grouped = set(Group.buildings.through.objects.values_list("building_id", flat=True))
    tops: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for cid, bid, n in (
        Member.objects.filter(building__isnull=False)
        .values("compound_id", "building_id")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("compound_id", "building_id", "n")
    ):
        if bid not in grouped:
            tops[cid][0] = max(tops[cid][0], n)
    for cid, n in (
        Link.objects.values("household__compound_id", "household_id")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("household__compound_id", "n")
    ):
        tops[cid][1] = max(tops[cid][1], n)
    rows = list(Stats.objects.filter(compound_id__in=list(tops)).only("pk")) if len(tops) < 900 else None
    if rows is None:
        rows = [r for r in Stats.objects.only("pk").iterator(chunk_size=2000) if r.pk in tops]
    for r in rows:
        r.top_ungrouped_building, r.top_household_links = tops[r.pk]
    Stats.objects.bulk_update(rows, ["top_ungrouped_building", "top_household_links"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [("party", "0004_member_key_index")]

    operations = [
        migrations.AddField(
            model_name="compoundpartystats",
            name="top_household_links",
            field=models.PositiveIntegerField(default=0),
        ),
        migrations.AddField(
            model_name="compoundpartystats",
            name="top_ungrouped_building",
            field=models.PositiveIntegerField(default=0),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
