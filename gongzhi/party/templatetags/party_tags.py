"""Template filters for the party pages (the permission question asked through gongzhi.accounts.access)."""

from __future__ import annotations

from typing import Any

from django import template

from gongzhi.accounts.access import can
from gongzhi.accounts.roles import Action

register = template.Library()


@register.filter
def sees_party(user: Any) -> bool:
    """Whether the user may see the organisation chain anywhere (the nav shows its links only then)."""
    return can(user, Action.PARTY_VIEW)
