"""The co-governance ledgers through the ledgers page, after each ledger names its actions: 市南区's staff
download the template, import and export; a role that may only view co-governance uses none of them."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from gongzhi.accounts.access import can
from gongzhi.accounts.roles import Role
from gongzhi.ledgers.access import usable_ledgers
from gongzhi.ledgers.importer import get_ledger, template_file
from gongzhi.ledgers.models import LedgerImport
from gongzhi.tests.factories import user_with

pytestmark = pytest.mark.django_db
MINE = {"cogovern_committees", "cogovern_participants", "property_companies"}


def _client(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


def test_staff_import_and_export_the_committees_ledger_through_the_page(tree, tmp_path: Path) -> None:
    community = tree.compounds[0].community
    worker = user_with(Role.COMMUNITY_WORKER, community)
    assert {u.ledger.slug for u in usable_ledgers(worker)} >= MINE
    client = _client(worker)
    assert client.get(reverse("ledgers:template", args=["cogovern_committees"])).status_code == 200
    path = tmp_path / "t.xlsx"
    template_file(get_ledger("cogovern_committees"), path)
    with path.open("rb") as fh:
        answer = client.post(reverse("ledgers:upload"), {"ledger": "cogovern_committees", "file": fh})
    assert answer.status_code == 302
    assert LedgerImport.objects.filter(created_by=worker, ledger="cogovern_committees").count() == 1
    answer = client.get(reverse("ledgers:export", args=["cogovern_committees"]), {"place": community.code})
    # The committees ledger names members by ID number: its export needs the right to unmask there too.
    assert answer.status_code == (200 if can(worker, "person.unmask", community) else 403)


def test_a_viewer_of_co_governance_uses_none_of_its_ledgers(tree) -> None:
    staff = user_with(Role.PROPERTY_STAFF, tree.compounds[0])
    assert not MINE & {u.ledger.slug for u in usable_ledgers(staff)}
    client = _client(staff)
    assert client.get(reverse("ledgers:template", args=["cogovern_committees"])).status_code == 403
