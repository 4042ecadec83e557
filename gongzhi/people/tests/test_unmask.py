"""The one unmask rule: pages, the API and ledger exports agree on who sees full ID numbers and phones."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from hypothesis import given
from hypothesis import strategies as st
from python_calamine import CalamineWorkbook

from gongzhi.accounts.roles import Role
from gongzhi.ledgers.importer import export_file
from gongzhi.people.masking import may_unmask, unmask_allowed
from gongzhi.people.models import AccessLog, Person
from gongzhi.people.services import access_log_write
from gongzhi.places.ledger import HOMES_LEDGER
from gongzhi.tests.factories import SYSTEM, user_with

ID = "11010519491231002X"
segment = st.text(alphabet="0123456789", min_size=1, max_size=3)
path = st.lists(segment, min_size=1, max_size=4).map(lambda parts: "/".join(parts) + "/")


@given(st.lists(path, max_size=3), st.lists(path, max_size=3))
def test_rule_is_any_home_under_any_grant(grants, homes):
    expected = any(h.startswith(g) for h in homes for g in grants)
    assert unmask_allowed(grants, homes) is expected
    assert unmask_allowed(grants, homes, everywhere=True) is True


def test_nobody_anonymous_may_unmask():
    assert not may_unmask(None, ["37/"])
    assert may_unmask(SYSTEM, ["37/"])


def _page_shows(client, home) -> bool:
    return ID in client.get(f"/places/h/{home.pk}/?unmask=1").content.decode()


def _api_shows(client, person) -> bool:
    response = client.get(f"/api/v1/persons/{person.pk}/?unmask=1")
    assert response.status_code in (200, 403, 404)
    return response.status_code == 200 and response.json()["id_number"] == ID


def _export_shows(user, compound, tmp_path) -> bool:
    target = tmp_path / f"{user.username}.xlsx"
    export_file(HOMES_LEDGER, target, compound.path, user)
    rows = CalamineWorkbook.from_path(str(target)).get_sheet_by_name("业主").to_python()
    return any(ID in row for row in rows[1:])


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "level", "sees"),
    [
        (Role.COMMUNITY_WORKER, "community", True),
        (Role.DISTRICT_ADMIN, "district", True),
        (Role.PARTY_SECRETARY, "compound", False),
        (Role.COMMITTEE_MEMBER, "compound", False),
    ],
)
def test_pages_api_and_exports_agree(tree, tmp_path, role, level, sees):
    compound = tree.compounds[0]
    home = compound.buildings.first().homes.first()
    person = Person.objects.get(ownerships__home=home)
    person.id_number = ID
    person.save()
    place = {"community": compound.community, "district": compound.community.parent.parent}.get(
        level, compound
    )
    user = user_with(role, place)
    client = Client()
    client.force_login(user)
    assert may_unmask(user, [home.path]) is sees
    assert _page_shows(client, home) is sees
    assert _api_shows(client, person) is sees
    assert _export_shows(user, compound, tmp_path) is sees
    # Each unmasked view wrote its log row: the page, the API and the export (issue 15: exports are logged).
    assert AccessLog.objects.filter(user=user, person=person).count() == (3 if sees else 0)


@pytest.mark.django_db
def test_access_log_is_one_row_per_person_with_who_what_why(tree):
    home = tree.compounds[0].buildings.first().homes.first()
    person = Person.objects.get(ownerships__home=home)
    worker = user_with(Role.COMMUNITY_WORKER, tree.compounds[0].community)
    assert access_log_write(actor=worker, persons=[person, person], paths=[home.path], purpose="核对") == 1
    log = AccessLog.objects.get()
    assert (log.user, log.person, log.fields, log.purpose) == (worker, person, "id_number,phone", "核对")
    secretary = user_with(Role.PARTY_SECRETARY, tree.compounds[0])
    with pytest.raises(PermissionDenied):
        access_log_write(actor=secretary, persons=[person], paths=[home.path], purpose="x")
    with pytest.raises(PermissionDenied):
        access_log_write(actor=None, persons=[person], paths=[home.path], purpose="x")
    assert AccessLog.objects.count() == 1
