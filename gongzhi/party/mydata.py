"""What the party app holds about a person, for their "my data" page: their membership record."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from gongzhi.core.registry import PersonSection
from gongzhi.party.models import PartyMember


def sections(viewer: Any, person_id: int) -> list[PersonSection]:
    rows = [
        (m.get_status_display(), m.joined_on or "—", m.full_on or "—", m.compound.name, m.workplace or "—")
        for m in PartyMember.objects.filter(person_id=person_id).select_related("compound")
    ]
    if not rows:
        return []  # a person who is not a member sees no party section at all
    return [
        PersonSection(
            _("党员信息"),
            columns=(_("党员状态"), _("入党日期"), _("转正日期"), _("居住小区"), _("工作单位")),
            rows=rows,
            order=40,
        )
    ]
