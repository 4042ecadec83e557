"""Copy the party organisations into the organisations core, keeping their ids (every FK stays valid).

Committee seats become Seats (of the member's person; the secretary's seat is the 'secretary' role),
covered compounds become Coverage from the founding date. Each copied row gets a history row naming this
migration. The next migration points the FKs at the core table and drops the old ones.
"""

from __future__ import annotations

from typing import Any

from django.core.management.color import no_style
from django.db import migrations
from django.utils import timezone

REASON = "migration:party.0002"
BATCH = 2000


def _history(apps: Any, name: str, rows: list[Any], fields: list[str]) -> None:
    model = apps.get_model("organisations", f"Historical{name}")
    now = timezone.now()
    model.objects.bulk_create(
        [
            model(
                **{f: getattr(r, f) for f in fields},
                history_date=now,
                history_type="+",
                history_change_reason=REASON,
            )
            for r in rows
        ],
        batch_size=BATCH,
    )


def forward(apps: Any, schema_editor: Any) -> None:
    Old = apps.get_model("party", "PartyOrganisation")
    OldSeat = apps.get_model("party", "CommitteeSeat")
    Organisation = apps.get_model("organisations", "Organisation")
    Coverage = apps.get_model("organisations", "Coverage")
    Seat = apps.get_model("organisations", "Seat")
    Member = apps.get_model("party", "PartyMember")

    org_fields = ["id", "kind", "code", "name", "pinyin", "initials", "founded_on", "path"]
    orgs = [Organisation(**row) for row in Old.objects.order_by("pk").values(*org_fields)]
    Organisation.objects.bulk_create(orgs, batch_size=BATCH)
    _history(apps, "Organisation", orgs, org_fields + ["ended_on", "parent_id"])
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), [Organisation]):
            cursor.execute(sql)

    founded = {o.pk: o.founded_on for o in orgs}
    through = Old.compounds.through
    coverages = [
        Coverage(organisation_id=oid, compound_id=cid, path=path, since=founded.get(oid))
        for oid, cid, path in through.objects.order_by("pk").values_list(
            "partyorganisation_id", "compound_id", "compound__path"
        )
    ]
    Coverage.objects.bulk_create(coverages, batch_size=BATCH)
    saved = list(Coverage.objects.order_by("pk"))
    _history(apps, "Coverage", saved, ["id", "organisation_id", "compound_id", "path", "since", "until"])

    person_of = dict(Member.objects.values_list("pk", "person_id"))
    roles: dict[tuple[int, int], str] = {}
    for oid, mid, title in OldSeat.objects.order_by("pk").values_list("organisation_id", "member_id", "title"):
        roles[(oid, person_of[mid])] = title
    for oid, mid in Old.objects.filter(secretary__isnull=False).values_list("pk", "secretary_id"):
        for key, role in list(roles.items()):
            if key[0] == oid and role == "secretary":
                roles[key] = "member"
        roles[(oid, person_of[mid])] = "secretary"
    Seat.objects.bulk_create(
        [Seat(organisation_id=o, person_id=p, role=r) for (o, p), r in sorted(roles.items())], batch_size=BATCH
    )
    _history(
        apps, "Seat", list(Seat.objects.order_by("pk")), ["id", "organisation_id", "person_id", "role", "since", "until"]
    )


class Migration(migrations.Migration):
    dependencies = [
        ("organisations", "0001_initial"),
        ("party", "0001_initial"),
    ]

    operations = [migrations.RunPython(forward, migrations.RunPython.noop, elidable=False)]
