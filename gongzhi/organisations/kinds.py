"""The kinds of organisation, registered by the apps that own them.

The core stores a kind as a plain string; an app declares its kinds (with the labels of the seats they
have) when its models module loads, so the core can name a kind or a seat without importing the app.
A kind's code is unique across apps: new apps prefix theirs ("owners.committee"); the party chain,
registered first, keeps its plain codes ("branch", "joint", "general") that its ledgers and API already use.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Kind:
    code: str
    label: Any  # a lazy translation string
    app: str
    # The permission actions (gongzhi.accounts.roles.Action values) that see and edit this kind.
    view_action: str = ""
    edit_action: str = ""
    roles: Mapping[str, Any] = field(default_factory=dict)


KINDS: dict[str, Kind] = {}


def register_kind(
    code: str,
    label: Any,
    *,
    app: str,
    view_action: str,
    edit_action: str,
    roles: Mapping[str, Any] | None = None,
) -> Kind:
    """Declare a kind (idempotent for the same app; a clash with another app's kind is an error)."""
    known = KINDS.get(code)
    if known is not None and known.app != app:
        raise ValueError(f"organisation kind {code!r} is already registered by {known.app}")
    kind = Kind(code, label, app, view_action, edit_action, dict(roles or {}))
    KINDS[code] = kind
    return kind


def kinds_of(app: str) -> list[str]:
    return [k.code for k in KINDS.values() if k.app == app]


def kind_label(code: str) -> str:
    kind = KINDS.get(code)
    return str(kind.label) if kind else code


def role_label(kind: str, role: str) -> str:
    known = KINDS.get(kind)
    label = known.roles.get(role) if known else None
    return str(label) if label is not None else role
