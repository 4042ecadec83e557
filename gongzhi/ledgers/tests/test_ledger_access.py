"""Each ledger opens to the roles its own actions name: the villages' and the centre's staff reach theirs,
市南区's staff keep theirs, and nobody sees or imports a ledger they may not use."""

from __future__ import annotations

import io

import pytest
from django.test import Client
from django.urls import reverse

from gongzhi.accounts.roles import Role
from gongzhi.core import registry
from gongzhi.ledgers.access import any_ledger_actions, usable_ledgers
from gongzhi.ledgers.importer import get_ledger, template_file
from gongzhi.ledgers.models import LedgerImport
from gongzhi.tests.factories import user_with

pytestmark = pytest.mark.django_db


def _client(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


def _slugs(user) -> set[str]:  # type: ignore[no-untyped-def]
    return {u.ledger.slug for u in usable_ledgers(user)}


def test_each_system_sees_its_own_ledgers(tree) -> None:  # type: ignore[no-untyped-def]
    district = tree.d("370202")
    county = user_with(Role.COUNTY_BUREAU, district)
    centre = user_with(Role.INVESTMENT_BUREAU, district)
    worker = user_with(Role.COMMUNITY_WORKER, tree.compounds[0].community)
    assert {"collectives", "agribiz", "monitoring_households"} <= _slugs(county)
    assert "homes" not in _slugs(county) and "party" not in _slugs(county)
    assert "centre_key_figures" in _slugs(centre) and "collectives" not in _slugs(centre)
    assert "homes" in _slugs(worker) and "collectives" not in _slugs(worker)

    page = _client(county).get(reverse("ledgers:home"))
    assert page.status_code == 200
    text = page.content.decode()
    assert "村集体三资台账" in text and "房屋业主台账" not in text
    # The menu offers 台账 to the county, and not to a resident, who may use no ledger.
    assert any(e.url_name == "ledgers:home" for e in registry.navigation(county))
    resident = user_with(Role.RESIDENT, tree.compounds[0])
    assert not any(e.url_name == "ledgers:home" for e in registry.navigation(resident))
    assert _client(resident).get(reverse("ledgers:home")).status_code == 403


def test_the_rule_of_the_page_follows_the_registered_ledgers() -> None:
    actions = any_ledger_actions()
    assert {"ledger.import", "ledger.export", "collectives.manage", "centre.edit"} <= set(actions)
    assert registry.RULES["ledgers:home"].alternatives == actions


def test_a_role_imports_only_the_ledgers_its_actions_open(tree, tmp_path) -> None:  # type: ignore[no-untyped-def]
    county = user_with(Role.COUNTY_BUREAU, tree.d("370202"))
    client = _client(county)
    path = tmp_path / "t.xlsx"
    template_file(get_ledger("collectives"), path)

    # Its own ledger: the template downloads and the upload becomes a job.
    assert client.get(reverse("ledgers:template", args=["collectives"])).status_code == 200
    with path.open("rb") as fh:
        answer = client.post(reverse("ledgers:upload"), {"ledger": "collectives", "file": fh})
    assert answer.status_code == 302
    assert LedgerImport.objects.filter(created_by=county, ledger="collectives").count() == 1

    # 市南区's homes ledger: neither its template nor an import, and nothing is queued.
    assert client.get(reverse("ledgers:template", args=["homes"])).status_code == 403
    answer = client.post(
        reverse("ledgers:upload"), {"ledger": "homes", "file": io.BytesIO(path.read_bytes())}
    )
    assert answer.status_code == 403
    assert not LedgerImport.objects.filter(ledger="homes").exists()


def test_exports_follow_the_ledgers_action_and_personal_data(tree) -> None:  # type: ignore[no-untyped-def]
    district = tree.d("370202")
    centre = user_with(Role.INVESTMENT_BUREAU, district)
    client = _client(centre)
    # Key figures hold no ID numbers: the centre exports them without the right to unmask.
    page = client.get(reverse("ledgers:home"), {"place": district.code}).content.decode()
    assert reverse("ledgers:export", args=["centre_key_figures"]) in page
    answer = client.get(reverse("ledgers:export", args=["centre_key_figures"]), {"place": district.code})
    assert answer.status_code == 200
    b"".join(answer.streaming_content)  # type: ignore[attr-defined]
    # The homes ledger is not the centre's.
    answer = client.get(reverse("ledgers:export", args=["homes"]), {"place": district.code})
    assert answer.status_code in (403, 404)


def test_without_a_place_the_export_is_offered_for_the_users_own_area(tree) -> None:  # type: ignore[no-untyped-def]
    district = tree.d("370202")
    county = user_with(Role.COUNTY_BUREAU, district)
    page = _client(county).get(reverse("ledgers:home")).content.decode()
    assert f"{reverse('ledgers:export', args=['collectives'])}?place={district.code}" in page
