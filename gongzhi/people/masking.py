"""Masking personal data for display (个人信息保护法: show only what the role needs)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from gongzhi.accounts.access import actor_of
from gongzhi.accounts.roles import Action
from gongzhi.core.paths import is_under


def mask_id_number(value: str | None) -> str:
    """370202********1234: keep the region (6) and the last four."""
    if not value:
        return ""
    if len(value) <= 10:
        return "*" * len(value)
    return value[:6] + "*" * (len(value) - 10) + value[-4:]


def mask_phone(value: str | None) -> str:
    """138****5678."""
    if not value:
        return ""
    if len(value) < 7:
        return "*" * len(value)
    return value[:3] + "*" * (len(value) - 7) + value[-4:]


def mask_name(value: str | None) -> str:
    """张*明 / 李*: for public vote results."""
    if not value:
        return ""
    if len(value) == 1:
        return value
    if len(value) == 2:
        return value[0] + "*"
    return value[0] + "*" * (len(value) - 2) + value[-1]


def unmask_allowed(
    unmask_paths: Sequence[str], person_paths: Iterable[str], *, everywhere: bool = False
) -> bool:
    """The one unmask rule (PIPL art. 6, 51: only who needs it): may someone whose person.unmask grants lie at
    `unmask_paths` see the full ID number and phone of a person living or owning at `person_paths`?

    Yes when any of the person's homes lies under one of those grants (or the actor acts everywhere).
    Pages, the API and ledger exports all ask this, through `may_unmask`.
    """
    if everywhere:
        return True
    return any(is_under(path, list(unmask_paths)) for path in person_paths)


def may_unmask(user: Any, person_paths: Iterable[str]) -> bool:
    """`unmask_allowed` for a user (or system actor) and the home paths of a person (or of a row)."""
    actor = actor_of(user)
    return unmask_allowed(actor.paths(Action.PERSON_UNMASK), person_paths, everywhere=actor.is_superuser)
