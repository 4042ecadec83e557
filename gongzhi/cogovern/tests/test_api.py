"""The read endpoints of every co-governance registry: each lists the records of the caller's places only."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client

from gongzhi.accounts.roles import Role
from gongzhi.cogovern import property_rules, rules
from gongzhi.cogovern.models import ScoreSheet
from gongzhi.cogovern.services import default_sheet
from gongzhi.cogovern.tests.kit import PREP_SEATS, build_assembly, build_kit, mark_map
from gongzhi.tests.factories import user_with

pytestmark = pytest.mark.django_db

ENDPOINTS = {
    "committees": "committee",
    "self-committees": "self_committee",
    "contracts": "contract",
    "evaluations": "evaluation",
    "complaints": "complaint",
    "redblack": "list_entry",
    "participants": "participant",
    "meetings": "meeting",
    "transition-groups": "transition_group",
}


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_each_registry_lists_inside_and_hides_outside(tree, endpoint: str) -> None:
    inside = build_kit(tree.compounds[0])
    outside = build_kit(tree.compounds[-1])  # 市北区
    client = Client()
    client.force_login(user_with(Role.COMMUNITY_WORKER, tree.compounds[0].community))
    response = client.get(f"/api/v1/cogovern/{endpoint}/")
    assert response.status_code == 200
    body = response.json()
    ids = {row["id"] for row in (body["results"] if isinstance(body, dict) else body)}
    attr = ENDPOINTS[endpoint]
    assert getattr(inside, attr).pk in ids
    assert getattr(outside, attr).pk not in ids
    assert client.get(f"/api/v1/cogovern/{endpoint}/{getattr(outside, attr).pk}/").status_code == 404
    one = client.get(f"/api/v1/cogovern/{endpoint}/{getattr(inside, attr).pk}/")
    assert one.status_code == 200 and one.json()["id"] == getattr(inside, attr).pk


def test_an_evaluation_shows_its_sheet_and_total(tree) -> None:
    kit = build_kit(tree.compounds[0])
    client = Client()
    client.force_login(user_with(Role.DISTRICT_ADMIN, tree.d("370202")))
    row = client.get(f"/api/v1/cogovern/evaluations/{kit.evaluation.pk}/").json()
    assert row["total"] == str(kit.evaluation.total)
    assert row["compound"] == kit.compound.code and len(row["scores"]) == len(kit.evaluation.scores)


def test_a_transition_group_shows_its_term_members_and_the_handover_against_its_due_day(tree) -> None:
    kit = build_kit(tree.compounds[0])
    client = Client()
    client.force_login(user_with(Role.DISTRICT_ADMIN, tree.d("370202")))
    row = client.get(f"/api/v1/cogovern/transition-groups/{kit.transition_group.pk}/").json()
    group = kit.transition_group
    assert row["compound"] == kit.compound.code and row["members"] == 2
    assert (
        row["term_end"] == group.term.term_end.isoformat() and row["formed_on"] == group.formed_on.isoformat()
    )
    assert row["handover_due"] == rules.transition_handover_due(group.formed_on).isoformat()
    assert row["handed_over_on"] == group.handed_over_on.isoformat()  # type: ignore[union-attr]
    assert "present" not in row and "leader" not in row  # counts, not persons


APART = {"assembly-cases": build_assembly, "maps": mark_map}


@pytest.mark.parametrize("endpoint", APART)
def test_assembly_cases_and_maps_list_inside_and_hide_outside(tree, endpoint: str) -> None:
    inside = APART[endpoint](tree.compounds[0])
    outside = APART[endpoint](tree.compounds[-1])  # 市北区
    client = Client()
    client.force_login(user_with(Role.COMMUNITY_WORKER, tree.compounds[0].community))
    response = client.get(f"/api/v1/cogovern/{endpoint}/")
    assert response.status_code == 200
    ids = {row["id"] for row in response.json()["results"]}
    assert inside.pk in ids and outside.pk not in ids
    assert client.get(f"/api/v1/cogovern/{endpoint}/{outside.pk}/").status_code == 404
    assert client.get(f"/api/v1/cogovern/{endpoint}/{inside.pk}/").json()["id"] == inside.pk


def test_an_assembly_case_shows_its_deadlines_and_its_preparatory_group_in_counts(tree) -> None:
    case = build_assembly(tree.compounds[0])
    client = Client()
    client.force_login(user_with(Role.DISTRICT_ADMIN, tree.d("370202")))
    row = client.get(f"/api/v1/cogovern/assembly-cases/{case.pk}/").json()
    assert row["compound"] == case.compound.code and row["applied_on"] == case.applied_on.isoformat()  # type: ignore[union-attr]
    assert row["prep_group_due"] == rules.prep_group_due(case.applied_on).isoformat()  # type: ignore[arg-type]
    assert row["first_assembly_due"] == rules.first_assembly_due(case.prep_formed_on).isoformat()  # type: ignore[arg-type]
    assert row["first_assembly_on"] is None and row["first_assembly_extended"] is False
    group = row["prep_group"]
    assert group["id"] == case.prep_group_id and group["members"] == len(PREP_SEATS)
    assert (
        group["owners"] == sum(r in ("owner", "leader") for r in PREP_SEATS) and group["party_org_included"]
    )
    assert "seats" not in group and "leader" not in group  # counts, not persons


def test_a_case_without_an_application_has_no_deadlines(tree) -> None:
    kit = build_kit(tree.compounds[0])  # the election closed the case: first assembly held, no group
    client = Client()
    client.force_login(user_with(Role.DISTRICT_ADMIN, tree.d("370202")))
    rows = client.get("/api/v1/cogovern/assembly-cases/").json()["results"]
    (row,) = [r for r in rows if r["compound"] == kit.compound.code]
    assert row["prep_group"] is None and row["prep_group_due"] is None and row["first_assembly_due"] is None
    assert row["first_assembly_on"] == kit.transition_group.term.elected_on.isoformat()


def test_a_map_record_says_when_and_by_whom(tree) -> None:
    record = mark_map(tree.compounds[0])
    client = Client()
    client.force_login(user_with(Role.DISTRICT_ADMIN, tree.d("370202")))
    row = client.get(f"/api/v1/cogovern/maps/{record.pk}/").json()
    assert row["community"] == tree.compounds[0].community.code
    assert (
        row["drawn_on"] == record.drawn_on.isoformat() and row["drawn_by_name"] == record.drawn_by_name != ""
    )


def test_the_score_sheet_reads_as_its_categories_and_items_and_only_for_viewers(tree) -> None:
    sheet = default_sheet()
    categories, items, points = property_rules.sheet_shape(sheet.sheet)
    client = Client()
    client.force_login(user_with(Role.COMMUNITY_WORKER, tree.compounds[0].community))
    rows = client.get("/api/v1/cogovern/score-sheets/").json()["results"]
    assert [r["id"] for r in rows] == list(
        ScoreSheet.objects.order_by("-is_default", "-pk").values_list("pk", flat=True)
    )
    row = client.get(f"/api/v1/cogovern/score-sheets/{sheet.pk}/").json()
    assert row["is_default"] and row["items"] == items and Decimal(row["points"]) == points
    assert len(row["categories"]) == categories
    assert sum(len(c["items"]) for c in row["categories"]) == items
    assert sum(Decimal(c["points"]) for c in row["categories"]) == points
    first = sheet.sheet["categories"][0]
    assert row["categories"][0]["name"] == first["name"]
    assert [i["name"] for i in row["categories"][0]["items"]] == [i["name"] for i in first["items"]]
    nobody = Client()
    nobody.force_login(user_with(Role.RESIDENT, tree.compounds[0]))
    assert nobody.get("/api/v1/cogovern/score-sheets/").json()["results"] == []
    assert nobody.get(f"/api/v1/cogovern/score-sheets/{sheet.pk}/").status_code == 403
