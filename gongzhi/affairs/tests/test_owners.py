"""Owners who can vote: staff link a login from the home page, the owner's own page says why they cannot
vote yet, and the running tally stays hidden from owners (pages and API) until the vote closes."""

from __future__ import annotations

import pytest
from django.contrib.auth import authenticate
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from gongzhi.accounts.models import RoleAssignment
from gongzhi.accounts.roles import Role
from gongzhi.affairs import owners, services
from gongzhi.affairs.models import Origin, Voter
from gongzhi.affairs.tests.helpers import Estate, make_estate, open_vote
from gongzhi.people.models import Ownership
from gongzhi.tests.factories import SYSTEM, user_with

pytestmark = pytest.mark.django_db


@pytest.fixture
def estate(tree) -> Estate:  # type: ignore[no-untyped-def]
    return make_estate(tree.d("370202001001"))


@pytest.fixture
def worker(tree):  # type: ignore[no-untyped-def]
    return user_with(Role.COMMUNITY_WORKER, tree.d("370202001001"))


def client_for(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


def test_staff_create_a_resident_login_that_works(estate: Estate, worker) -> None:  # type: ignore[no-untyped-def]
    voter, password = services.owner_login_link(actor=worker, home=estate.homes[0], person=estate.owners[0])
    assert len(password) == 12
    user = authenticate(username=voter.user.username, password=password)
    assert user is not None and voter.person == estate.owners[0]
    assert RoleAssignment.objects.filter(user=user, role=Role.RESIDENT, compound=estate.compound).exists()
    with pytest.raises(ValidationError, match="已关联账号"):
        services.owner_login_link(actor=worker, home=estate.homes[0], person=estate.owners[0])


def test_linking_an_existing_login(estate: Estate, worker) -> None:  # type: ignore[no-untyped-def]
    resident = user_with(Role.RESIDENT, estate.compound)
    voter, password = services.owner_login_link(
        actor=worker, home=estate.homes[1], person=estate.owners[1], username=resident.username
    )
    assert voter.user == resident and password == ""
    with pytest.raises(ValidationError, match="找不到可用的账号"):
        services.owner_login_link(
            actor=worker, home=estate.homes[2], person=estate.owners[2], username="nobody"
        )


def test_only_a_current_owner_of_the_home_is_linked(estate: Estate, worker) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError, match="不是该房屋业主名册上的现业主"):
        services.owner_login_link(actor=worker, home=estate.homes[0], person=estate.owners[1])
    assert not Voter.objects.exists()


def test_who_may_link(estate: Estate, tree) -> None:  # type: ignore[no-untyped-def]
    for outsider in (
        user_with(Role.RESIDENT, estate.compound),
        user_with(Role.COMMUNITY_WORKER, tree.d("370202001002")),
    ):
        with pytest.raises(PermissionDenied):
            services.owner_login_link(actor=outsider, home=estate.homes[0], person=estate.owners[0])
    assert not Voter.objects.exists()


def test_find_owners_by_exact_phone_and_id_address_and_name(estate: Estate, worker, tree) -> None:  # type: ignore[no-untyped-def]
    person = estate.owners[3]
    person.phone, person.id_number = "13912345678", "370202199001011237"
    person.save()
    home = estate.homes[3]
    found = lambda q: [c.person for c in owners.find_owners(worker, q, compound_id=estate.compound.pk)]  # noqa: E731
    assert found("13912345678") == [person]
    assert found("1391234567") == []  # a part of a phone finds nothing (exact match only)
    assert found("370202199001011237") == [person]
    assert found("370202199001011238") == []
    assert found(f"1号楼{home.unit_no}单元{home.room}") == [person]
    assert found(f"1-{home.unit_no}-{home.room}") == [person]
    assert found(person.name) == [person]
    assert owners.find_owners(worker, "13912345678")[0].phone_masked == "139****5678"
    elsewhere = user_with(Role.COMMUNITY_WORKER, tree.d("370202001002"))
    assert owners.find_owners(elsewhere, "13912345678") == []


def test_the_owner_is_told_why_they_cannot_vote(estate: Estate, worker) -> None:  # type: ignore[no-untyped-def]
    stranger = user_with(Role.RESIDENT, estate.compound)
    assert "尚未与业主身份关联" in owners.voting_status(stranger).reasons[0]
    voter, _password = services.owner_login_link(actor=worker, home=estate.homes[0], person=estate.owners[0])
    status = owners.voting_status(voter.user)
    assert status.may_vote and status.reasons == []
    estate.homes[0].delivered = False
    estate.homes[0].save()
    status = owners.voting_status(voter.user)
    assert not status.may_vote and "尚未交付" in status.homes[0].reason
    Ownership.objects.filter(person=estate.owners[0]).delete()
    assert "业主名册上没有您名下的房屋" in owners.voting_status(voter.user).reasons[0]


def test_the_link_page_creates_a_login_and_shows_the_password_once(estate: Estate, worker) -> None:  # type: ignore[no-untyped-def]
    client = client_for(worker)
    url = reverse("affairs:home_owners", args=[estate.homes[0].pk])
    page = client.get(url, {"q": estate.owners[0].name})
    assert page.status_code == 200 and estate.owners[0].name in page.content.decode()
    response = client.post(url, {"person": estate.owners[0].pk, "username": ""})
    assert response.status_code == 200
    voter = Voter.objects.get()
    assert voter.user.username in response.content.decode()
    assert 'id="created-password"' in response.content.decode()
    again = client.get(url)
    assert 'id="created-password"' not in again.content.decode()
    assert (
        client.get(reverse("places:home_detail", args=[estate.homes[0].pk])).content.decode().count(url) == 1
    )


@pytest.mark.parametrize(
    "data",
    [{}, {"person": "abc"}, {"person": "-1"}, {"person": "99999999"}, {"person": "1", "username": "x" * 500}],
)
def test_bad_link_posts_write_nothing(estate: Estate, worker, data) -> None:  # type: ignore[no-untyped-def]
    response = client_for(worker).post(reverse("affairs:home_owners", args=[estate.homes[0].pk]), data)
    assert response.status_code == 400
    assert not Voter.objects.exists()


def test_a_resident_cannot_open_the_link_page(estate: Estate) -> None:
    resident = user_with(Role.RESIDENT, estate.compound)
    response = client_for(resident).get(reverse("affairs:home_owners", args=[estate.homes[0].pk]))
    assert response.status_code in (403, 404)


def test_the_owner_page_and_the_hidden_tally(estate: Estate, worker) -> None:  # type: ignore[no-untyped-def]
    vote = open_vote(estate)
    voter, _password = services.owner_login_link(actor=worker, home=estate.homes[0], person=estate.owners[0])
    for i in range(1, 6):
        services.ballot_cast(
            vote=vote, person=estate.owners[i], opinion="agree", origin=Origin.PAPER, actor=SYSTEM
        )
    owner = client_for(voter.user)
    mine = owner.get(reverse("affairs:my_page")).content.decode()
    assert vote.question in mine and "尚未表决" in mine
    page = owner.get(reverse("affairs:vote", args=[vote.pk])).content.decode()
    assert "表决结束前不公布票数" in page and "已收到" not in page and 'id="provisional"' not in page
    api = owner.get(f"/api/v1/votes/{vote.pk}/").json()
    assert api["owners_voted"] is None and api["owners_agree"] is None
    organiser = (
        client_for(user_with(Role.PARTY_SECRETARY, estate.compound))
        .get(reverse("affairs:vote", args=[vote.pk]))
        .content.decode()
    )
    assert "已收到 5 张表决票" in organiser and 'id="provisional"' in organiser
    owner.post(reverse("affairs:vote_cast", args=[vote.pk]), {"opinion": "against"})
    mine = owner.get(reverse("affairs:my_page")).content.decode()
    assert "已表决：反对" in mine
    services.vote_close(vote=vote, actor=SYSTEM)
    page = owner.get(reverse("affairs:vote", args=[vote.pk])).content.decode()
    assert "表决结束前不公布票数" not in page


def test_a_resident_without_a_link_is_told_on_the_vote_page(estate: Estate) -> None:
    vote = open_vote(estate)
    resident = user_with(Role.RESIDENT, estate.compound)
    page = client_for(resident).get(reverse("affairs:vote", args=[vote.pk])).content.decode()
    assert "尚未与业主身份关联" in page
