"""What the affairs app holds about a person, for their "my data" page; and whose person a login is.

A login is a person's only through a Voter link, made by staff who checked the owner's identity.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.utils.translation import gettext as _

from gongzhi.affairs.models import Ballot, Voter
from gongzhi.core.registry import PersonSection


def person_of_user(user: Any) -> int | None:
    if getattr(user, "pk", None) is None:
        return None
    return Voter.objects.filter(user_id=user.pk).values_list("person_id", flat=True).first()


def sections(viewer: Any, person_id: int) -> list[PersonSection]:
    ballots = (
        Ballot.objects.filter(Q(owner_id=person_id) | Q(caster_id=person_id))
        .select_related("vote", "vote__compound")
        .order_by("-cast_at")
    )
    return [
        PersonSection(
            _("表决票"),
            columns=(_("小区"), _("表决事项"), _("表决意见"), _("来源"), _("表决时间")),
            rows=[
                (
                    b.vote.compound.name,
                    b.vote.question,
                    b.get_opinion_display(),
                    b.get_origin_display(),
                    b.cast_at,
                )
                for b in ballots
            ],
            order=50,
        )
    ]
