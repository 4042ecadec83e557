"""What the navigation bar may offer the current user: the entries apps registered, filtered by the same
permission check as every page (gongzhi.core.registry.navigation), gathered into menus (navigation_menu)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from gongzhi.accounts.access import can
from gongzhi.accounts.roles import Action
from gongzhi.core.registry import navigation, navigation_menu


def rights(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    return {
        "nav": navigation(user),
        "nav_menu": navigation_menu(user),
        # The navbar's place search belongs to 小区治理: offered only to who may use it (places.views.search).
        "may_search_places": bool(user and user.is_authenticated and can(user, Action.GOVERNANCE_VIEW)),
        "gz_demo_warning": settings.GONGZHI_DEMO,
    }
