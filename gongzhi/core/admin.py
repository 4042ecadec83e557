"""Admin classes that show only what the staff user's roles cover (the same check as every page).

Rights come from gongzhi.accounts.roles, not from Django's per-model permissions, so that one table decides.
Issue 15 found the admin crossing districts, so three rules hold for every model registered:

* A `ScopedAdmin` lists, opens, changes and deletes only objects inside the user's places.
* Its foreign-key fields (select boxes, raw-id inputs and the name a raw-id input shows beside an id) offer
  only related objects the user's scope covers, by `scope_related` below: a model with a `path`, or one an
  app registered with `register_lookup_scope`; anything else is offered to superusers only.
* Every other admin (Django's users and groups, tokens, axes, tasks, unscoped app models) is for superusers
  only, unless it is marked `staff_visible = True` (settings-as-data with no place); `lock_unscoped` applies
  this to the whole site once the URLs load.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from django.contrib import admin
from django.contrib.admin.widgets import ForeignKeyRawIdWidget
from django.db.models import Model, QuerySet
from django.http import HttpRequest

from gongzhi.core.registry import access

LookupScope = Callable[[Any, QuerySet[Any], str], QuerySet[Any]]
_LOOKUP_SCOPES: dict[type[Model], LookupScope] = {}


def register_lookup_scope(model: type[Model], scope: LookupScope) -> None:
    """How to narrow `model` to a user's scope when it is offered in another admin's form."""
    _LOOKUP_SCOPES[model] = scope


def scope_related(user: Any, model: type[Model], qs: QuerySet[Any], action: str) -> QuerySet[Any]:
    if getattr(user, "is_superuser", False):
        return qs
    if model in _LOOKUP_SCOPES:
        return _LOOKUP_SCOPES[model](user, qs, action)
    if any(f.name == "path" for f in model._meta.concrete_fields):
        return access().scoped(user, qs, action, "path")
    return qs.none()


class ScopedRawIdWidget(ForeignKeyRawIdWidget):
    """Names the object beside a typed id only when the user may see it (Django's names any id)."""

    def __init__(self, *args: Any, allowed: QuerySet[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.allowed = allowed

    def label_and_url_for_value(self, value: Any) -> tuple[str, str]:
        try:
            visible = self.allowed.filter(pk=value).exists()
        except (TypeError, ValueError):
            visible = False
        return super().label_and_url_for_value(value) if visible else ("", "")


class ScopedAdmin(admin.ModelAdmin):
    path_field: ClassVar[str] = "path"
    scope_action: ClassVar[str] = "place.edit"  # gongzhi.accounts.roles.Action.PLACE_EDIT

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        qs = access().scoped(request.user, super().get_queryset(request), self.scope_action, self.path_field)
        return qs.distinct() if "__" in self.path_field and not request.user.is_superuser else qs

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        model = db_field.remote_field.model
        allowed = scope_related(request.user, model, model._default_manager.all(), self.scope_action)
        kwargs.setdefault("queryset", allowed)
        if db_field.name in self.raw_id_fields and "widget" not in kwargs:
            kwargs["widget"] = ScopedRawIdWidget(
                db_field.remote_field, self.admin_site, using=kwargs.get("using"), allowed=allowed
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

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


def _superuser_only(self: Any, request: HttpRequest, *args: Any, **kwargs: Any) -> bool:
    return bool(request.user.is_active and request.user.is_superuser)


def lock_unscoped(site: admin.AdminSite) -> None:
    """Make every admin that neither scopes by place nor is marked staff_visible superuser-only."""
    for model_admin in site._registry.values():
        if isinstance(model_admin, ScopedAdmin) or getattr(model_admin, "staff_visible", False):
            continue
        for name in (
            "has_module_permission",
            "has_view_permission",
            "has_change_permission",
            "has_add_permission",
            "has_delete_permission",
        ):
            setattr(model_admin, name, _superuser_only.__get__(model_admin))
