"""Searchable pickers (gongzhi.core.pickers): server-side search by name, pinyin and initials, scoped by the
permission check, telling namesakes apart, bad query strings answered 400 and query counts pinned."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from gongzhi.accounts.roles import Role
from gongzhi.core.pickers import SMALL
from gongzhi.people.models import Person, Residence
from gongzhi.people.services import ownership_add
from gongzhi.places.services import compound_create
from gongzhi.tests.factories import SYSTEM, PersonFactory, user_with
from gongzhi.tests.queries import assert_queries

pytestmark = pytest.mark.django_db


def client_for(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


def test_compounds_by_name_pinyin_and_initials_within_scope(tree) -> None:  # type: ignore[no-untyped-def]
    worker = client_for(user_with(Role.COMMUNITY_WORKER, tree.d("370202001001")))  # 金门路小区, 云霄花园
    url = "/places/pick/compounds/"
    for text in ["云霄", "yunxiao", "yxhy", "YXHY"]:
        rows = worker.get(url, {"q": text, "action": "matter.raise"}).json()["results"]
        assert [r["label"] for r in rows] == ["云霄花园"], text
        assert "云霄路社区" in rows[0]["detail"]
    # 湛山新村 lies outside the worker's community: never offered, however it is asked for.
    assert worker.get(url, {"q": "zsxc"}).json()["results"] == []
    admin = client_for(user_with(Role.DISTRICT_ADMIN, tree.d("370202")))
    assert [r["label"] for r in admin.get(url, {"q": "zsxc"}).json()["results"]] == ["湛山新村"]


@pytest.mark.parametrize(
    "params",
    [{"q": "x" * 51}, {"q": "云\x00霄"}, {"q": "\n"}],
)
def test_bad_query_strings_are_400_with_a_message(tree, params) -> None:  # type: ignore[no-untyped-def]
    client = client_for(user_with(Role.DISTRICT_ADMIN, tree.d("370202")))
    response = client.get("/places/pick/compounds/", params)
    assert response.status_code == 400  # a NUL byte is refused earlier, by the site's middleware
    if response["Content-Type"] == "application/json":
        assert response.json()["results"] == [] and response.json()["error"]


def test_empty_or_unknown_action_finds_nothing(tree) -> None:  # type: ignore[no-untyped-def]
    client = client_for(user_with(Role.DISTRICT_ADMIN, tree.d("370202")))
    assert client.get("/places/pick/compounds/", {"q": ""}).json()["results"] == []
    assert client.get("/places/pick/compounds/", {"q": "云霄", "action": "'; drop"}).json()["results"] == []


def test_compound_picker_query_count_is_fixed(tree) -> None:  # type: ignore[no-untyped-def]
    client = client_for(user_with(Role.DISTRICT_ADMIN, tree.d("370202")))
    client.get("/places/pick/compounds/", {"q": "x"})
    with assert_queries(4, label="session, user, grants, compounds"):
        client.get("/places/pick/compounds/", {"q": "xiao"})


def _namesakes(tree) -> tuple[Person, Person]:  # type: ignore[no-untyped-def]
    compound = tree.compounds[0]
    homes = [h for h in tree.homes if h.compound_id == compound.pk]
    a = PersonFactory.create(name="张伟", phone="13900001111", id_number="370202197501011234")
    b = PersonFactory.create(name="张伟", phone="13900002222", id_number="370202198802021237")
    Residence.objects.create(home=homes[0], person=a)
    ownership_add(actor=SYSTEM, home=homes[1], person=b)
    return a, b


def test_candidates_tell_two_namesakes_apart(tree) -> None:  # type: ignore[no-untyped-def]
    _namesakes(tree)
    compound = tree.compounds[0]
    secretary = client_for(user_with(Role.PARTY_SECRETARY, compound))
    url = f"/party/c/{compound.code}/pick/candidates/"
    for text in ["张伟", "zhangwei", "zw"]:
        rows = secretary.get(url, {"q": text}).json()["results"]
        details = [r["detail"] for r in rows if r["label"] == "张伟"]
        assert len(details) >= 2, text
        assert any("139****1111" in d and "1975年生" in d for d in details)
        assert any("139****2222" in d and "1988年生" in d for d in details)
        assert all("139000" not in d for d in details)  # the phone stays masked
    # By the exact mobile number, not a LIKE on it.
    rows = secretary.get(url, {"q": "13900002222"}).json()["results"]
    assert [r["detail"].split(" · ")[0] for r in rows] == ["139****2222"]
    assert secretary.get(url, {"q": "1390000"}).json()["results"] == []


def test_candidates_need_party_edit_and_scope(tree) -> None:  # type: ignore[no-untyped-def]
    compound, other = tree.compounds[0], tree.compounds[-1]
    member = client_for(user_with(Role.PARTY_MEMBER, compound))
    assert member.get(f"/party/c/{compound.code}/pick/candidates/", {"q": "z"}).status_code == 403
    secretary = client_for(user_with(Role.PARTY_SECRETARY, compound))
    assert secretary.get(f"/party/c/{other.code}/pick/candidates/", {"q": "z"}).status_code == 404
    assert secretary.get(f"/party/c/{compound.code}/pick/candidates/", {"q": "z" * 60}).status_code == 400


def test_candidates_query_count_is_fixed(tree) -> None:  # type: ignore[no-untyped-def]
    _namesakes(tree)
    compound = tree.compounds[0]
    secretary = client_for(user_with(Role.PARTY_SECRETARY, compound))
    url = f"/party/c/{compound.code}/pick/candidates/"
    secretary.get(url, {"q": "z"})
    with assert_queries(7, label="session, user, grants, compound, persons, residences, ownerships"):
        secretary.get(url, {"q": "zw"})


def test_member_form_renders_only_the_chosen_option(tree) -> None:  # type: ignore[no-untyped-def]
    a, _ = _namesakes(tree)
    compound = tree.compounds[0]
    home = next(h for h in tree.homes if h.compound_id == compound.pk)
    for i in range(SMALL):
        Residence.objects.create(home=home, person=PersonFactory.create(name=f"住户{i}"))
    secretary = client_for(user_with(Role.PARTY_SECRETARY, compound))
    page = secretary.get(f"/party/c/{compound.code}/edit/member/").content.decode()
    assert f'data-gz-picker="/party/c/{compound.code}/pick/candidates/"' in page
    assert "<option" in page and page.count("张伟") == 0  # no list of every resident
    # A bad choice is refused by the form (nothing written) and the page still renders.
    response = secretary.post(
        f"/party/c/{compound.code}/edit/member/", {"person": "999999", "status": "full"}
    )
    assert response.status_code == 200
    assert not a.__class__.objects.filter(party_member__isnull=False).exists()
    # A valid choice that fails elsewhere re-renders with the chosen person only.
    response = secretary.post(f"/party/c/{compound.code}/edit/member/", {"person": str(a.pk), "status": "?"})
    assert response.content.decode().count("张伟") == 1


def test_matter_form_uses_the_compound_picker(tree) -> None:  # type: ignore[no-untyped-def]
    client = client_for(user_with(Role.DISTRICT_ADMIN, tree.d("370202")))
    # Five compounds: a plain select offers them all.
    page = client.get("/affairs/new/").content.decode()
    assert "data-gz-picker" not in page and "湛山新村" in page
    for i in range(SMALL):
        compound_create(actor=SYSTEM, community=tree.d("370202001002"), name=f"新建小区{i}")
    page = client.get("/affairs/new/").content.decode()
    assert 'data-gz-picker="/places/pick/compounds/?action=matter.raise"' in page
    assert "湛山新村" not in page and "新建小区" not in page
