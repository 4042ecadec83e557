"""Who acts: a user, or an explicit system actor for commands, migrations and the demo.

Every service takes `actor`. A user's rights are checked by gongzhi.accounts.access (which lets a
SystemActor through); a service never skips the check because the actor is missing: `None` is anonymous
and is refused. The audit trail (django-simple-history) records the user, or the system actor's name as
the change reason, so a row written by `seed_demo` or a ledger import is as traceable as one typed in.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class SystemActor:
    """A named non-human actor: `system("seed_demo")`, `system("command:import_ledger")`."""

    name: str
    is_authenticated: bool = True
    is_active: bool = True
    is_superuser: bool = False
    pk: None = None

    def __str__(self) -> str:
        return f"system:{self.name}"


def system(name: str) -> SystemActor:
    return SystemActor(name)


def is_system(actor: Any) -> bool:
    return isinstance(actor, SystemActor)


def history_user(actor: Any) -> Any:
    """The user to store on a history row (None for a system actor)."""
    if actor is None or is_system(actor) or not getattr(actor, "is_authenticated", False):
        return None
    return actor


def actor_label(actor: Any) -> str:
    """A short name for timelines and logs: the username, or `system:<name>`."""
    if actor is None:
        return ""
    if is_system(actor):
        return str(actor)
    full = actor.get_full_name() if hasattr(actor, "get_full_name") else ""
    return full or getattr(actor, "username", "") or str(actor)


def stamp(instance: Any, actor: Any, reason: str = "") -> Any:
    """Mark `instance` so its next save writes a history row naming the actor (and why)."""
    instance._history_user = history_user(actor)
    label = reason_of(actor, reason)
    if label:
        instance._change_reason = label[:100]
    return instance


def reason_of(actor: Any, reason: str = "") -> str:
    """The change reason of a history row: `reason`, with the system actor's name when no user acted."""
    if is_system(actor):
        return (f"{reason} ({actor})" if reason else str(actor))[:100]
    return reason[:100]
