"""Shared by the affairs services: the permission check, the timeline event and the matter's clock."""

from __future__ import annotations

from datetime import datetime
from typing import Any, TypeVar

from django.db.models import Model

from gongzhi.accounts.access import authorize
from gongzhi.affairs import civil_code, timeline
from gongzhi.affairs.models import (
    Matter,
    MatterEvent,
)
from gongzhi.core.actors import actor_label, history_user, stamp

_OPINIONS = {opinion.value: opinion for opinion in civil_code.Opinion}


M = TypeVar("M", bound=Model)


def _check(actor: Any, action: str, obj: Any) -> None:
    """Services refuse with PermissionDenied; views have already turned out-of-scope objects into 404.

    None is anonymous and refused; commands and the demo act as gongzhi.core.actors.system(...).
    """
    authorize(actor, action, obj)


def _name(actor: Any) -> str:
    return actor_label(actor) or "系统"


def _event(
    matter: Matter,
    kind: str,
    at: datetime,
    actor: Any,
    text: str = "",
    *,
    code: str = "",
    params: dict[str, Any] | None = None,
    **kw: Any,
) -> MatterEvent:
    """One timeline entry: what a person typed as ``text``, or a sentence of the platform as ``code`` and
    ``params`` (worded in the reader's language by gongzhi.affairs.timeline; ``text`` keeps the Chinese)."""
    params = params or {}
    if code:
        text = timeline.chinese(code, params)
    return MatterEvent.objects.create(
        matter=matter,
        kind=kind,
        text=text,
        code=code,
        params=params,
        actor=history_user(actor),
        actor_name=_name(actor),
        at=at,
        **kw,
    )


def _touch(matter: Matter, at: datetime, actor: Any, **fields: Any) -> None:
    """Move the matter's clock; a change of status or lead is saved with a history row naming the actor."""
    fields["updated_at"] = max(at, matter.updated_at) if matter.updated_at else at
    for key, value in fields.items():
        setattr(matter, key, value)
    if set(fields) == {"updated_at"}:
        Matter.objects.filter(pk=matter.pk).update(**fields)  # only the clock: no history row
        return
    stamp(matter, actor)
    matter.save(update_fields=list(fields))


def _create(model: type[M], actor: Any, **fields: Any) -> M:
    """`model.objects.create`, with the history row naming the actor (a system actor as the reason)."""
    obj = model(**fields)
    stamp(obj, actor)
    obj.save(force_insert=True)
    return obj
