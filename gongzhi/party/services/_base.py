"""What every party service shares: the permission check and the audit stamp."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError

from gongzhi.accounts.access import authorize
from gongzhi.accounts.roles import Action
from gongzhi.core.actors import stamp

__all__ = ["check", "fail", "stamp"]


def check(actor: Any, obj: Any, action: str = Action.PARTY_EDIT) -> None:
    """The actor may do `action` (editing the chain) at `obj`; None (anonymous) is refused, never skipped."""
    authorize(actor, action, obj)


def fail(messages: list[str]) -> None:
    """Raise the first message of a validator, if any (pages show one message at a time)."""
    if messages:
        raise ValidationError(messages[0])
