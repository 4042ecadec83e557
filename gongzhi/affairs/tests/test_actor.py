"""One actor: no affairs service runs for nobody, and the history names who acted."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from gongzhi.accounts.roles import Role
from gongzhi.affairs import services
from gongzhi.affairs.models import Matter, MatterCategory, Status
from gongzhi.affairs.tests.helpers import make_estate
from gongzhi.core.actors import system
from gongzhi.tests.factories import user_with

pytestmark = pytest.mark.django_db


@pytest.fixture
def estate(tree):  # type: ignore[no-untyped-def]
    return make_estate(tree.d("370202001001"))


def test_anonymous_is_refused_and_nothing_is_written(estate) -> None:  # type: ignore[no-untyped-def]
    road = MatterCategory.objects.get(code="road")
    with pytest.raises(PermissionDenied):
        services.matter_raise(actor=None, compound=estate.compound, title="路面坑洼", category=road)
    assert not Matter.objects.exists()


def test_history_names_the_user_or_the_system_actor(estate) -> None:  # type: ignore[no-untyped-def]
    road = MatterCategory.objects.get(code="road")
    worker = user_with(Role.COMMUNITY_WORKER, estate.compound.community)
    matter = services.matter_raise(actor=worker, compound=estate.compound, title="路面坑洼", category=road)
    services.matter_advance(matter=matter, to=Status.CONSULTATION, actor=system("command:nightly"))
    first, second = matter.history.order_by("history_id")
    assert (first.history_type, first.history_user) == ("+", worker)
    assert (second.status, second.history_user, second.history_change_reason) == (
        Status.CONSULTATION,
        None,
        "system:command:nightly",
    )
    assert matter.events.order_by("-pk")[0].actor_name == "system:command:nightly"
