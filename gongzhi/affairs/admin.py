"""Admin: the settings a district administrator edits (vote rule sets, matter categories), with history;
matters and votes read-only (they change only through services, whose rules the pages apply)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from gongzhi.accounts.access import can
from gongzhi.accounts.roles import Action
from gongzhi.affairs import services
from gongzhi.affairs.models import Matter, MatterCategory, Vote, Voter, VoteRuleSet
from gongzhi.core.admin import ScopedAdmin
from gongzhi.people.models import Ownership


class SettingsAdmin(SimpleHistoryAdmin):
    """Settings-as-data: visible to staff, editable with the settings right (district administrator)."""

    staff_visible = True  # no place to scope by (gongzhi.core.admin.lock_unscoped)

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
    list_display = [
        "name",
        "code",
        "category",
        "scope",
        "effective_from",
        "effective_to",
        "participation",
        "approval",
    ]
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


class VoterForm(forms.ModelForm):
    class Meta:
        model = Voter
        fields = ["user", "person"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        person = data.get("person")
        actor = getattr(self, "actor", None)
        owned = Ownership.objects.filter(person=person).select_related("home").first() if person else None
        if person is not None and owned is None:
            raise forms.ValidationError(_("该人员没有登记的房屋，不能网上表决"))
        if owned is not None and actor is not None and not can(actor, Action.PERSON_EDIT, owned.home):
            raise forms.ValidationError(_("您无权为该房屋的业主开通网上表决"))
        return data


@admin.register(Voter)
class VoterAdmin(ScopedAdmin):
    """Staff who checked an owner's identity link the owner's login to their person (services.voter_link).
    Listed and deleted only where the person owns a home in the staff user's places."""

    path_field = "person__ownerships__home__path"
    scope_action = Action.PERSON_EDIT
    form = VoterForm
    list_display = ["user", "person", "linked_at", "linked_by"]
    raw_id_fields = ["user", "person"]

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any) -> Any:
        form = super().get_form(request, obj, change=change, **kwargs)
        form.actor = request.user  # type: ignore[attr-defined]
        return form

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        linked = services.voter_link(user=obj.user, person=obj.person, actor=request.user)
        obj.pk, obj.linked_at, obj.linked_by = linked.pk, linked.linked_at, linked.linked_by

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._may(request, obj)  # the object comes from the scoped queryset
