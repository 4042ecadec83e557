"""Unmasked access is logged with the viewer's office, bulk unmasking is limited, responses are not stored,
and a person sees what is held about them and who looked."""

from __future__ import annotations

import pytest
from django.test import Client, override_settings
from python_calamine import CalamineWorkbook

from gongzhi.accounts.roles import Role
from gongzhi.affairs.services.votes import voter_link
from gongzhi.ledgers.importer import export_file
from gongzhi.people.models import AccessLog, Person, SecurityAlert
from gongzhi.people.services import UnmaskLimitExceeded, access_log_write
from gongzhi.places.ledger import HOMES_LEDGER
from gongzhi.tests.factories import SYSTEM, UserFactory, user_with


def _first(tree):  # type: ignore[no-untyped-def]
    home = tree.compounds[0].buildings.first().homes.first()
    return home, Person.objects.get(ownerships__home=home)


@pytest.mark.django_db
def test_log_names_the_viewers_role_and_unit(tree):
    home, person = _first(tree)
    community = tree.compounds[0].community
    worker = user_with(Role.COMMUNITY_WORKER, community)
    access_log_write(actor=worker, persons=[person], paths=[home.path], purpose="home page")
    assert AccessLog.objects.get().viewer == f"社区工作者 · {community.name}"


@pytest.mark.django_db
@override_settings(GONGZHI_UNMASK_LIMIT=3, GONGZHI_UNMASK_WINDOW_SECONDS=3600)
def test_bulk_unmasking_is_limited_and_alerts(tree):
    compound = tree.compounds[0]
    worker = user_with(Role.COMMUNITY_WORKER, compound.community)
    persons = list(Person.objects.filter(ownerships__home__compound=compound).distinct()[:4])
    assert len(persons) == 4
    paths = [compound.path]
    access_log_write(actor=worker, persons=persons[:2], paths=paths, purpose="home page")
    with pytest.raises(UnmaskLimitExceeded):
        access_log_write(actor=worker, persons=persons[2:], paths=paths, purpose="api")
    assert AccessLog.objects.filter(user=worker).count() == 2  # nothing more was shown or logged
    alert = SecurityAlert.objects.get()
    assert (alert.kind, alert.user) == (SecurityAlert.Kind.UNMASK_RATE, worker)
    assert "超过限额 3" in alert.message
    # Another user has a limit of their own.
    other = user_with(Role.COMMUNITY_WORKER, compound.community)
    assert access_log_write(actor=other, persons=persons[2:], paths=paths, purpose="api") == 2


@pytest.mark.django_db
@override_settings(GONGZHI_UNMASK_LIMIT=2)
def test_page_and_api_refuse_over_the_limit(tree):
    compound = tree.compounds[0]
    worker = user_with(Role.COMMUNITY_WORKER, compound.community)
    client = Client()
    client.force_login(worker)
    homes = list(compound.buildings.first().homes.order_by("pk"))
    assert client.get(f"/places/h/{homes[0].pk}/?unmask=1").status_code == 200
    assert client.get(f"/places/h/{homes[1].pk}/?unmask=1").status_code == 200
    assert client.get(f"/places/h/{homes[2].pk}/?unmask=1").status_code == 403
    person = Person.objects.get(ownerships__home=homes[3])
    assert client.get(f"/api/v1/persons/{person.pk}/?unmask=1").status_code == 403
    assert client.get(f"/places/h/{homes[3].pk}/").status_code == 200  # masked stays open
    assert SecurityAlert.objects.count() == 2


@pytest.mark.django_db
def test_export_logs_every_person_written_in_full(tree, tmp_path):
    compound = tree.compounds[0]
    admin = user_with(Role.DISTRICT_ADMIN, compound.community.parent.parent)
    export_file(HOMES_LEDGER, tmp_path / "a.xlsx", compound.path, admin)
    owners = set(Person.objects.filter(ownerships__home__compound=compound).values_list("pk", flat=True))
    logged = set(AccessLog.objects.filter(user=admin).values_list("person_id", flat=True))
    assert logged == owners
    assert set(AccessLog.objects.values_list("purpose", flat=True)) == {"homes ledger export"}


@pytest.mark.django_db
@override_settings(GONGZHI_UNMASK_LIMIT=2)
def test_export_over_the_limit_fails_and_alerts(tree, tmp_path):
    compound = tree.compounds[0]
    admin = user_with(Role.DISTRICT_ADMIN, compound.community.parent.parent)
    with pytest.raises(UnmaskLimitExceeded):
        export_file(HOMES_LEDGER, tmp_path / "a.xlsx", compound.path, admin)
    assert AccessLog.objects.count() == 0
    assert SecurityAlert.objects.filter(user=admin).exists()


@pytest.mark.django_db
def test_system_export_is_full_and_unlogged(tree, tmp_path):
    compound = tree.compounds[0]
    export_file(HOMES_LEDGER, tmp_path / "s.xlsx", compound.path, None)
    rows = CalamineWorkbook.from_path(str(tmp_path / "s.xlsx")).get_sheet_by_name("业主").to_python()
    assert any(r[6] for r in rows[1:])  # phones present
    assert AccessLog.objects.count() == 0


@pytest.mark.django_db
def test_every_dynamic_response_is_no_store(tree):
    home, person = _first(tree)
    admin = user_with(Role.DISTRICT_ADMIN, tree.compounds[0].community.parent.parent)
    client = Client()
    for url in ("/accounts/login/", "/nowhere/"):
        assert "no-store" in client.get(url)["Cache-Control"]
    client.force_login(admin)
    for url in (
        "/",
        f"/places/h/{home.pk}/",
        f"/places/h/{home.pk}/?unmask=1",
        "/api/v1/persons/",
        f"/api/v1/persons/{person.pk}/?unmask=1",
        "/me/my-data/",
    ):
        response = client.get(url, follow=False)
        assert "no-store" in response["Cache-Control"], url
        assert "private" in response["Cache-Control"], url


def test_static_files_stay_cacheable(client):
    response = client.get("/static/gongzhi/site.js")
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")


@pytest.mark.django_db
def test_my_data_shows_own_record_and_who_looked(tree):
    home, person = _first(tree)
    person.id_number = "11010519491231002X"
    person.save()
    resident = UserFactory.create()
    voter_link(user=resident, person=person, actor=SYSTEM)
    worker = user_with(Role.COMMUNITY_WORKER, tree.compounds[0].community)
    access_log_write(actor=worker, persons=[person], paths=[home.path], purpose="home page")
    client = Client()
    client.force_login(resident)
    page = client.get("/me/my-data/").content.decode()
    assert person.name in page
    assert "110105********002X" in page and "11010519491231002X" not in page
    assert f"{home.unit_no}-{home.room}" in page
    assert f"社区工作者 · {tree.compounds[0].community.name}" in page
    assert "房屋页面查看" in page
    assert worker.username not in page  # the office, not the staff member
    # Another resident sees only their own (here: nothing linked).
    client.force_login(UserFactory.create())
    other = client.get("/me/my-data/").content.decode()
    assert person.name not in other and "尚未与人员信息关联" in other


@pytest.mark.django_db
def test_party_ledger_export_logs_each_member_it_names(tree):
    from gongzhi.ledgers.tests.test_party_ledger import build_chain
    from gongzhi.party.models import PartyMember

    build_chain(tree)
    admin = user_with(Role.DISTRICT_ADMIN, tree.d("370202"))
    client = Client()
    client.force_login(admin)
    response = client.get("/ledgers/party/export/?place=370202")
    assert response.status_code == 200
    assert response.getvalue()  # the file is written
    members = set(
        PartyMember.objects.filter(path__under=tree.d("370202").path)
        .exclude(person__id_number=None)
        .values_list("person_id", flat=True)
    )
    logged = AccessLog.objects.filter(user=admin, purpose="party ledger export")
    assert members and set(logged.values_list("person_id", flat=True)) == members
    assert set(logged.values_list("fields", flat=True)) == {"id_number"}
