"""Base viewset that scopes every query through the permission check (gongzhi.accounts.access, via the hook).

Lists hold only what the caller may do `action_required` on. A single record outside the caller's places is
404 (its existence does not leak); inside them but without the right, 403 — the same answers as the pages.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.core.exceptions import FieldDoesNotExist, PermissionDenied
from django.db.models import Model, QuerySet
from django.http import Http404
from rest_framework import viewsets

from gongzhi.core.registry import access, rule_for

PLACE_VIEW = "place.view"  # gongzhi.accounts.roles.Action.PLACE_VIEW (core names no app)


class ScopedReadOnlyViewSet(viewsets.ReadOnlyModelViewSet):
    """Lists and details only what the caller may see; anything else is 404 (403 inside without the right)."""

    base_queryset: ClassVar[QuerySet[Any]]
    path_field: ClassVar[str] = "path"
    action_required: ClassVar[str] = PLACE_VIEW

    def get_queryset(self) -> QuerySet[Model]:
        return access().scoped(
            self.request.user, self.base_queryset.all(), self.action_required, self.path_field
        )

    def get_object(self) -> Any:
        try:
            return super().get_object()
        except Http404:
            if self._visible_without_the_right():
                raise PermissionDenied from None
            raise

    def _concealed(self) -> bool:
        """The URL's registered rule says 404 even inside the scope (its existence is personal data)."""
        match = self.request.resolver_match
        rule = rule_for(match.view_name, match.func) if match else None
        return bool(rule and rule.conceal)

    def _visible_without_the_right(self) -> bool:
        """Inside the caller's places (place.view) though not open to `action_required`: one query, on refusal."""
        if self.action_required == PLACE_VIEW or self._concealed():
            return False
        model = self.base_queryset.model
        try:
            model._meta.get_field(self.path_field.split("__")[0])
        except FieldDoesNotExist:
            return False
        lookup = self.lookup_url_kwarg or self.lookup_field
        value = self.kwargs.get(lookup)
        qs = access().scoped(self.request.user, self.base_queryset.all(), PLACE_VIEW, self.path_field)
        try:
            return bool(qs.filter(**{self.lookup_field: value}).exists())
        except (ValueError, TypeError):
            return False
