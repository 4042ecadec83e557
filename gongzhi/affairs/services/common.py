"""Shared by the affairs services: the permission check, the timeline event and the matter's clock."""

from datetime import datetime
from typing import Any

from gongzhi.accounts.access import authorize
from gongzhi.affairs import civil_code
from gongzhi.affairs.models import (
    Matter,
    MatterEvent,
)
from gongzhi.core.actors import actor_label, history_user

SHEET_MAX_BYTES = 20 * 1024 * 1024
_OPINIONS = {opinion.value: opinion for opinion in civil_code.Opinion}


def _check(actor: Any, action: str, obj: Any) -> None:
    """Services refuse with PermissionDenied; views have already turned out-of-scope objects into 404.

    None is anonymous and refused; commands and the demo act as gongzhi.core.actors.system(...).
    """
    authorize(actor, action, obj)


def _name(actor: Any) -> str:
    return actor_label(actor) or "系统"


def _event(matter: Matter, kind: str, at: datetime, actor: Any, text: str = "", **kw: Any) -> MatterEvent:
    return MatterEvent.objects.create(
        matter=matter,
        kind=kind,
        text=text,
        actor=history_user(actor),
        actor_name=_name(actor),
        at=at,
        **kw,
    )


def _touch(matter: Matter, at: datetime, **fields: Any) -> None:
    fields["updated_at"] = max(at, matter.updated_at) if matter.updated_at else at
    for key, value in fields.items():
        setattr(matter, key, value)
    Matter.objects.filter(pk=matter.pk).update(**fields)
