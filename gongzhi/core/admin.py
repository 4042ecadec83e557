"""Admin classes that show only what the staff user's roles cover (the same check as every page).

Rights come from gongzhi.accounts.roles, not from Django's per-model permissions, so that one table decides.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from gongzhi.core.registry import access


class ScopedAdmin(admin.ModelAdmin):
    path_field: ClassVar[str] = "path"
    scope_action: ClassVar[str] = "place.edit"  # gongzhi.accounts.roles.Action.PLACE_EDIT

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        return access().scoped(
            request.user, super().get_queryset(request), self.scope_action, self.path_field
        )

    def _may(self, request: HttpRequest, obj: Any = None) -> bool:
        if not request.user.is_staff:
            return False
        if obj is None or self.path_field != "path":
            return access().can(request.user, self.scope_action)
        return access().can(request.user, self.scope_action, obj)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self._may(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._may(request, obj)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._may(request, obj)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return self._may(request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Places carry counters and history; they are retired through services, not deleted here.
        return bool(request.user.is_superuser)
