"""Thresholds of the chain (参数设置): records are added, never edited."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from gongzhi.accounts.roles import Action
from gongzhi.party.models import PartySetting
from gongzhi.party.services._base import check, stamp
from gongzhi.places.models import Division


@transaction.atomic
def setting_add(
    *,
    actor: Any,
    key: str,
    value: int,
    effective_from: date,
    place: Division | None = None,
    note: str = "",
) -> PartySetting:
    """A new value of a threshold from a date, for a division and all beneath it (records are never edited)."""
    if place is None:
        _check_everywhere(actor)
    else:
        check(actor, place, Action.SETTINGS_EDIT)
    if value < 1:
        raise ValidationError("数值应大于 0")
    setting = PartySetting(
        key=key,
        value=value,
        effective_from=effective_from,
        path=place.path if place else "",
        place_name=place.name if place else "",
        note=note,
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    stamp(setting, actor)
    setting.save()
    return setting


def _check_everywhere(actor: Any) -> None:
    """A value for everywhere needs the right at the top of the tree (a superuser or a system actor)."""
    check(actor, _Top(), Action.SETTINGS_EDIT)


class _Top:
    path = ""
