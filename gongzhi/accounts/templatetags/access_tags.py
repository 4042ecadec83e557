"""Show an action only when the permission check allows it: templates ask gongzhi.accounts.access.can.

    {% load access_tags %}
    {% can "ledger.export" "person.unmask" on=place as may_export %}{% if may_export %}<a …>{% endif %}
    {% can_any "ledger.import" "ledger.export" as may_ledgers %}

`on` is the object (a place, or anything placed); without it the question is "anywhere at all".
"""

from __future__ import annotations

from typing import Any

from django import template

from gongzhi.accounts.access import can as may

register = template.Library()


@register.simple_tag(takes_context=True)
def can(context: template.Context, *actions: str, on: Any = None) -> bool:
    """Whether the current user may do every one of `actions` (on `on`)."""
    user = context.get("user")
    return bool(actions) and all(may(user, a, on) for a in actions)


@register.simple_tag(takes_context=True)
def can_any(context: template.Context, *actions: str, on: Any = None) -> bool:
    """Whether the current user may do at least one of `actions` (on `on`)."""
    user = context.get("user")
    return any(may(user, a, on) for a in actions)
