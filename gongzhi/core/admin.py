"""Admin classes that show only what the staff user's roles cover (the same check as every page)."""

from __future__ import annotations

from typing import Any, ClassVar

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from gongzhi.accounts.access import scoped
from gongzhi.accounts.roles import Action


class ScopedAdmin(admin.ModelAdmin):
    path_field: ClassVar[str] = "path"
    scope_action: ClassVar[str] = Action.PLACE_EDIT

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        return scoped(request.user, super().get_queryset(request), self.scope_action, self.path_field)
