"""Admin: the settings a district administrator edits (vote rule sets, matter categories), with history;
matters and votes read-only (they change only through services, whose rules the pages apply)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from gongzhi.accounts.access import can
from gongzhi.accounts.roles import Action
from gongzhi.affairs.models import Matter, MatterCategory, Vote, VoteRuleSet
from gongzhi.core.admin import ScopedAdmin


class SettingsAdmin(SimpleHistoryAdmin):
    """Settings-as-data: visible to staff, editable with the settings right (district administrator)."""

    def has_module_permission(self, request: HttpRequest) -> bool:
        return bool(request.user.is_staff)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return bool(request.user.is_staff)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return bool(request.user.is_staff) and can(request.user, Action.SETTINGS_EDIT)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return self.has_change_permission(request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return bool(request.user.is_superuser)


@admin.register(VoteRuleSet)
class VoteRuleSetAdmin(SettingsAdmin):
    list_display = ["name", "code", "category", "effective_from", "effective_to", "participation", "approval"]
    list_filter = ["category"]


@admin.register(MatterCategory)
class MatterCategoryAdmin(SettingsAdmin):
    list_display = ["name", "code", "default_item", "default_scope", "order", "active"]


class ReadOnlyScopedAdmin(ScopedAdmin):
    scope_action = Action.PLACE_VIEW

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(Matter)
class MatterAdmin(ReadOnlyScopedAdmin):
    list_display = ["title", "compound", "category", "item", "status", "updated_at"]
    list_filter = ["status", "category"]
    search_fields = ["title"]
    raw_id_fields = ["compound", "building", "raised_by"]


@admin.register(Vote)
class VoteAdmin(ReadOnlyScopedAdmin):
    list_display = ["question", "compound", "scope", "item", "status", "passed", "closed_at"]
    list_filter = ["status", "passed", "scope"]
    raw_id_fields = ["matter", "compound", "building", "opened_by", "closed_by"]
