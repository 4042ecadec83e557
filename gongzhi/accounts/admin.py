"""Admin for role assignments: a manager grants roles only inside their own places, never above them."""

from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import HttpRequest

from gongzhi.accounts.access import can
from gongzhi.accounts.duties import OPERATOR_GRANTS
from gongzhi.accounts.models import LoginEvent, RoleAssignment
from gongzhi.accounts.roles import Action
from gongzhi.core.admin import ScopedAdmin, register_lookup_scope


def _users_in_scope(user: Any, qs: Any, action: str) -> Any:
    """Accounts holding a role inside the user's places for `action`, and plain owner logins (no role) that
    services.voter_link may attach to a person; never an account that outranks the user (accounts.rank)."""
    from gongzhi.accounts.access import scope_q

    inside = RoleAssignment.objects.filter(scope_q(user, action)).values("user_id")
    qs = qs.filter(Q(pk__in=inside) | Q(roles__isnull=True)).distinct()
    if not user.is_staff:
        qs = qs.filter(is_staff=False)
    return qs.filter(is_superuser=False)


register_lookup_scope(User, _users_in_scope)


class RoleAssignmentForm(forms.ModelForm):
    class Meta:
        model = RoleAssignment
        fields = ["user", "role", "division", "compound", "building"]

    request: HttpRequest

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        places = [data.get(k) for k in ("division", "compound", "building") if data.get(k)]
        if len(places) != 1:
            raise ValidationError("请选择且只选择一个范围：行政区划、小区或楼栋。")
        place = places[0]
        assert place is not None
        user = self.request.user
        if not can(user, Action.USERS_MANAGE, place):
            raise ValidationError("只能在自己管理的范围内授权。")
        if data.get("role") in OPERATOR_GRANTS and not user.is_superuser:
            raise ValidationError("区级管理员和系统、安全、审计管理员只能由平台管理员授权。")
        self.instance.path = place.path
        return data


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(ScopedAdmin):
    scope_action = Action.USERS_MANAGE
    form = RoleAssignmentForm
    list_display = ["user", "role", "division", "compound", "building"]
    list_filter = ["role"]
    raw_id_fields = ["user", "division", "compound", "building"]

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any) -> Any:
        form = super().get_form(request, obj, change, **kwargs)
        form.request = request  # type: ignore[attr-defined]
        return form


@admin.register(LoginEvent)
class LoginEventAdmin(admin.ModelAdmin):
    """Superusers read the log-in log here too (lock_unscoped); seal_admin removes add, change and delete."""

    list_display = ["at", "username", "kind", "ip"]
    list_filter = ["kind"]
    search_fields = ["username"]
