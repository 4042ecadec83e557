"""What a building grant sees above it (accounts/access.py, ABOVE_A_BUILDING): its compound, view only,
with the compound's party organisation and compound-wide matters — not the compound's other buildings."""

from __future__ import annotations

import pytest
from django.test import Client

from gongzhi.accounts.access import can, scoped
from gongzhi.accounts.roles import Action, Role
from gongzhi.affairs import services as affairs
from gongzhi.affairs.models import Matter, MatterCategory, Scope
from gongzhi.affairs.seeds import ensure_seeded
from gongzhi.places.models import Compound
from gongzhi.tests.factories import SYSTEM, make_compound, user_with

pytestmark = pytest.mark.django_db


def test_a_building_grant_sees_its_compound_and_nothing_beside_it(tree) -> None:  # type: ignore[no-untyped-def]
    compound, (mine, theirs), _homes = make_compound(tree.compounds[0].community, "两楼小区", buildings=2)
    other_compound = tree.compounds[0]
    leader = user_with(Role.BUILDING_LEADER, mine)
    assert can(leader, Action.PLACE_VIEW, compound) and can(leader, Action.PARTY_VIEW, compound)
    assert can(leader, Action.MATTER_RAISE, compound)
    assert not can(leader, Action.PERSON_VIEW, compound)  # the people of other buildings stay hidden
    assert not can(leader, Action.PLACE_VIEW, theirs) and not can(leader, Action.PLACE_VIEW, other_compound)
    assert not can(leader, Action.PLACE_VIEW, compound.community)
    assert list(scoped(leader, Compound.objects.all())) == [compound]

    client = Client()
    client.force_login(leader)
    page = client.get(f"/places/c/{compound.code}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert f'href="/places/b/{mine.pk}/"' in html and f'href="/places/b/{theirs.pk}/"' not in html
    assert client.get(f"/places/c/{compound.code}/edit/").status_code == 403  # view only
    assert client.get(f"/places/b/{theirs.pk}/").status_code == 404
    assert client.get(f"/places/c/{other_compound.code}/").status_code == 404
    party = client.get("/party/", follow=True)
    assert party.status_code == 200 and party.redirect_chain[-1][0] == f"/party/c/{compound.code}/"
    building_page = client.get(f"/places/b/{mine.pk}/").content.decode()
    assert f'href="/places/c/{compound.code}/"' in building_page


def test_compound_wide_matters_show_and_can_be_raised(tree) -> None:  # type: ignore[no-untyped-def]
    ensure_seeded()
    compound, (mine, theirs), _homes = make_compound(tree.compounds[0].community, "两楼小区", buildings=2)
    category = MatterCategory.objects.order_by("pk").first()
    assert category is not None

    def raise_(title: str, scope: str, building=None) -> Matter:  # type: ignore[no-untyped-def]
        return affairs.matter_raise(
            actor=SYSTEM, compound=compound, title=title, category=category, scope=scope, building=building
        )

    raise_("小区大门维修", Scope.COMPOUND)
    raise_("本楼楼道灯", Scope.BUILDING, mine)
    raise_("别楼外墙", Scope.BUILDING, theirs)
    leader = user_with(Role.BUILDING_LEADER, mine)
    client = Client()
    client.force_login(leader)
    listing = client.get("/affairs/").content.decode()
    assert "小区大门维修" in listing and "本楼楼道灯" in listing and "别楼外墙" not in listing
    form = client.get("/affairs/new/").content.decode()
    assert compound.name in form
