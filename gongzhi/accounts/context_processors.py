"""What the navigation bar may offer the current user: the entries apps registered, filtered by the same
permission check as every page (gongzhi.core.registry.navigation)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from gongzhi.core.registry import navigation


def rights(request: HttpRequest) -> dict[str, Any]:
    return {"nav": navigation(getattr(request, "user", None)), "gz_demo_warning": settings.GONGZHI_DEMO}
