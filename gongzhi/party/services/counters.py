"""The per-compound counters of the chain (CompoundPartyStats), recomputed by every write.

Counters are derived data, not a governance record: they carry no history and no actor of their own.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models import Case, Count, IntegerField, Value, When

from gongzhi.organisations.models import Coverage
from gongzhi.organisations.services import common_path
from gongzhi.party import rules
from gongzhi.party.models import (
    PARTY_KINDS,
    BuildingGroup,
    CentralHousehold,
    CompoundPartyStats,
    HouseholdLink,
    OrgKind,
    PartyMember,
)
from gongzhi.places.models import Compound

__all__ = ["common_path", "party_recount", "stats_refresh"]


def _stats_rows(ids: list[int] | None) -> list[CompoundPartyStats]:
    """Counters for the compounds `ids` (all when None), from grouped queries; the rules decide the flags."""

    def only(qs: Any, field: str = "compound_id") -> Any:
        return qs if ids is None else qs.filter(**{f"{field}__in": ids})

    compounds = only(Compound.objects.all(), "pk").values_list("pk", "path")
    members: dict[int, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    elsewhere = Case(
        When(relation_elsewhere="", then=Value(0)), default=Value(1), output_field=IntegerField()
    )
    for row in (
        only(PartyMember.objects.all())
        .annotate(away=elsewhere)
        .values("compound_id", "status", "away")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        m = members[row["compound_id"]]
        m[0] += row["n"]
        m[1] += row["n"] if row["status"] == rules.FULL else 0
        m[2] += row["n"] if row["status"] == rules.PROBATIONARY else 0
        m[3] += row["n"] if rules.counts_toward_branch(row["status"], "x" if row["away"] else "") else 0
    kinds: dict[int, set[str]] = defaultdict(set)
    for cid, kind in only(Coverage.objects.current().filter(organisation__kind__in=PARTY_KINDS)).values_list(
        "compound_id", "organisation__kind"
    ):
        kinds[cid].add(kind)
    groups = dict(
        only(BuildingGroup.objects.all()).values_list("compound_id").annotate(n=Count("pk")).order_by()
    )
    households = dict(
        only(CentralHousehold.objects.all()).values_list("compound_id").annotate(n=Count("pk")).order_by()
    )
    links = dict(
        only(HouseholdLink.objects.all(), "household__compound_id")
        .values_list("household__compound_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    tops = _tops(only)
    out = []
    for cid, path in compounds:
        total, full, prob, counted = members.get(cid, [0, 0, 0, 0])
        k = kinds.get(cid, set())
        out.append(
            CompoundPartyStats(
                compound_id=cid,
                path=path,
                members=total,
                full_members=full,
                probationary_members=prob,
                counted_members=counted,
                qualifies=rules.must_form_own_branch(counted),
                has_own_org=bool(k & {OrgKind.BRANCH, OrgKind.GENERAL}),
                covered=bool(k),
                building_groups=groups.get(cid, 0),
                central_households=households.get(cid, 0),
                homes_linked=links.get(cid, 0),
                top_ungrouped_building=tops[cid][0],
                top_household_links=tops[cid][1],
            )
        )
    return out


def _tops(only: Any) -> dict[int, list[int]]:
    """Per compound: the most members living in one building without a party group, and the most homes
    one central household links."""
    tops: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    grouped = set(
        only(BuildingGroup.buildings.through.objects.all(), "buildinggroup__compound_id").values_list(
            "building_id", flat=True
        )
    )
    for cid, bid, n in (
        only(PartyMember.objects.filter(building__isnull=False))
        .values("compound_id", "building_id")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("compound_id", "building_id", "n")
    ):
        if bid not in grouped:
            tops[cid][0] = max(tops[cid][0], n)
    for cid, n in (
        only(HouseholdLink.objects.all(), "household__compound_id")
        .values("household__compound_id", "household_id")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("household__compound_id", "n")
    ):
        tops[cid][1] = max(tops[cid][1], n)
    return tops


@transaction.atomic
def stats_refresh(*, compound_ids: Iterable[int]) -> None:
    """Recompute the chain counters of some compounds (called by every write below)."""
    ids = sorted(set(compound_ids))
    for i in range(0, len(ids), 500):
        part = ids[i : i + 500]
        rows = _stats_rows(part)
        CompoundPartyStats.objects.filter(compound_id__in=part).delete()
        CompoundPartyStats.objects.bulk_create(rows)


@transaction.atomic
def party_recount() -> None:
    """Rebuild every compound's counters from the rows (after bulk loads and imports)."""
    rows = _stats_rows(None)
    CompoundPartyStats.objects.all().delete()
    CompoundPartyStats.objects.bulk_create(rows, batch_size=2000)
