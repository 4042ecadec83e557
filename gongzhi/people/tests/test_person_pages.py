"""Person search and the person page: exact phone and ID number, names by pinyin, addresses; scoped, masked,
unmasked only by the one rule and then logged; fixed query counts; bad input answered plainly."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from gongzhi.accounts.roles import Role
from gongzhi.party.tests.helpers import add_member
from gongzhi.people.models import AccessLog, Person, Residence
from gongzhi.tests.factories import PersonFactory, user_with
from gongzhi.tests.queries import assert_queries

pytestmark = pytest.mark.django_db


def client_for(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


@pytest.fixture
def family(tree):  # type: ignore[no-untyped-def]
    """An owner of the first home of 金门路小区 living there with a family member and a tenant."""
    home = tree.homes[0]
    owner = home.ownerships.get().person
    owner.id_number, owner.phone = "370202197501011234", "13912345678"
    owner.save()
    spouse = PersonFactory.create(name="欧阳娜娜")
    tenant = PersonFactory.create(name="租客甲")
    Residence.objects.create(home=home, person=owner, relation="owner")
    Residence.objects.create(home=home, person=spouse, relation="family")
    Residence.objects.create(home=home, person=tenant, relation="tenant")
    return home, owner, spouse, tenant


def test_search_by_exact_phone_id_name_pinyin_and_address(tree, family) -> None:  # type: ignore[no-untyped-def]
    home, owner, spouse, _tenant = family
    worker = client_for(user_with(Role.COMMUNITY_WORKER, tree.d("370202001001")))
    for params in [
        {"q": "13912345678"},
        {"q": "370202197501011234"},
        {"q": f"{home.compound.name} {home.building.number} {home.unit_no}-{home.room}", "by": "address"},
    ]:
        rows = worker.post("/people/", params).context["rows"]
        assert owner.pk in [r.person.pk for r in rows], params
    # A partial phone or ID number finds nobody: those columns are matched exactly, never by LIKE.
    assert worker.post("/people/", {"q": "1391234"}).context["rows"] == []
    assert worker.post("/people/", {"q": "3702021975"}).context["rows"] == []
    for text in ["欧阳娜娜", "ouyangnana", "oynn"]:
        assert [r.person.pk for r in worker.post("/people/", {"q": text}).context["rows"]] == [spouse.pk]
    page = worker.post("/people/", {"q": "13912345678"}).content.decode()
    assert "139****5678" in page and page.count("13912345678") == 1  # only in the search box


def test_search_is_scoped(tree, family) -> None:  # type: ignore[no-untyped-def]
    other = client_for(user_with(Role.COMMUNITY_WORKER, tree.d("370202001002")))  # 湛山社区
    assert other.post("/people/", {"q": "欧阳娜娜"}).context["rows"] == []
    resident = client_for(user_with(Role.RESIDENT, tree.compounds[0]))
    assert resident.post("/people/", {"q": "欧阳娜娜"}).status_code == 403


@pytest.mark.parametrize("q", ["x" * 51, "a\x07b"])
def test_search_bad_input_is_a_clear_400(tree, q) -> None:  # type: ignore[no-untyped-def]
    worker = client_for(user_with(Role.COMMUNITY_WORKER, tree.d("370202001001")))
    response = worker.post("/people/", {"q": q})
    assert response.status_code == 400
    assert "搜索内容过长或含有无效字符" in response.content.decode()


def test_search_query_count_is_fixed(tree, family) -> None:  # type: ignore[no-untyped-def]
    admin = client_for(user_with(Role.DISTRICT_ADMIN, tree.d("370202")))
    admin.post("/people/", {"q": "z"})
    with assert_queries(6, label="session, user, grants, persons, their residences and ownerships"):
        admin.post("/people/", {"q": "zw"})


def test_person_page_shows_homes_household_party_and_relation(tree, family) -> None:  # type: ignore[no-untyped-def]
    home, owner, _spouse, tenant = family
    add_member(home, person=owner)
    secretary = client_for(user_with(Role.PARTY_SECRETARY, home.compound))
    page = secretary.get(f"/people/{owner.pk}/").content.decode()
    assert "370202********1234" in page and "139****5678" in page and "1975" in page
    assert "家庭成员" in page and "租户" in page  # the household with their relation
    assert "欧**娜" in page and "租*甲" in page
    assert "正式党员" in page and f"/party/c/{home.compound.code}/" in page
    assert "显示完整身份证号和手机号" not in page  # a secretary may not unmask
    # The home page says how each resident relates to the home, and links to the person.
    home_page = secretary.get(f"/places/h/{home.pk}/").content.decode()
    assert "租户" in home_page and f"/people/{tenant.pk}/" in home_page


def test_person_page_unmask_is_logged_and_ruled(tree, family) -> None:  # type: ignore[no-untyped-def]
    _home, owner, _spouse, _tenant = family
    worker_user = user_with(Role.COMMUNITY_WORKER, tree.d("370202001001"))
    worker = client_for(worker_user)
    assert "13912345678" not in worker.get(f"/people/{owner.pk}/").content.decode()
    assert not AccessLog.objects.exists()
    page = worker.get(f"/people/{owner.pk}/", {"unmask": "1"}).content.decode()
    assert "13912345678" in page and "370202197501011234" in page
    assert AccessLog.objects.filter(user=worker_user, person=owner).count() == 1
    secretary = client_for(user_with(Role.PARTY_SECRETARY, tree.compounds[0]))
    assert "13912345678" not in secretary.get(f"/people/{owner.pk}/", {"unmask": "1"}).content.decode()
    assert AccessLog.objects.count() == 3  # the worker's view of the owner and the two living with them


def test_person_page_conceals_existence(tree, family) -> None:  # type: ignore[no-untyped-def]
    _home, owner, _spouse, _tenant = family
    other = client_for(user_with(Role.COMMUNITY_WORKER, tree.d("370202001002")))
    assert other.get(f"/people/{owner.pk}/").status_code == 404
    resident = client_for(user_with(Role.RESIDENT, tree.compounds[0]))
    assert resident.get(f"/people/{owner.pk}/").status_code == 404
    assert resident.get("/people/999999999/").status_code == 404


def test_person_page_query_count_is_fixed(tree, family) -> None:  # type: ignore[no-untyped-def]
    home, owner, _spouse, _tenant = family
    add_member(home, person=owner)
    admin = client_for(user_with(Role.DISTRICT_ADMIN, tree.d("370202")))
    admin.get(f"/people/{owner.pk}/")
    with assert_queries(10, label="session, user, grants, person, paths, profile ×3, party, matters"):
        admin.get(f"/people/{owner.pk}/")


def test_person_picker(tree, family) -> None:  # type: ignore[no-untyped-def]
    worker = client_for(user_with(Role.COMMUNITY_WORKER, tree.d("370202001001")))
    rows = worker.get("/people/pick/", {"q": "oynn"}).json()["results"]
    assert [r["label"] for r in rows] == ["欧阳娜娜"]
    assert worker.get("/people/pick/", {"q": "x" * 80}).status_code == 400
    assert Person.objects.count() > 3
