"""What the navigation bar may offer the current user (from the same permission check as every page)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from gongzhi.accounts.access import can
from gongzhi.accounts.roles import Action


def rights(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"may_manage_users": False, "may_ledgers": False}
    return {
        "may_manage_users": can(user, Action.USERS_MANAGE),
        "may_ledgers": can(user, Action.LEDGER_IMPORT),
    }
