from django.contrib import admin

from gongzhi.accounts.models import RoleAssignment
from gongzhi.core.admin import ScopedAdmin


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(ScopedAdmin):
    scope_action = "users.manage"
    list_display = ["user", "role", "division", "compound", "building"]
    list_filter = ["role"]
    raw_id_fields = ["user", "division", "compound", "building"]
    readonly_fields = ["path"]

    def save_model(self, request, obj, form, change):  # type: ignore[no-untyped-def]
        obj.path = obj.place.path
        super().save_model(request, obj, form, change)
