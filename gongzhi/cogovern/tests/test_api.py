"""The read endpoints of every co-governance registry: each lists the records of the caller's places only."""

from __future__ import annotations

import pytest
from django.test import Client

from gongzhi.accounts.roles import Role
from gongzhi.cogovern import rules
from gongzhi.cogovern.tests.kit import build_kit
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
