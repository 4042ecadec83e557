"""Base viewset that scopes every query through gongzhi.accounts.access."""

from __future__ import annotations

from typing import Any, ClassVar

from django.db.models import Model, QuerySet
from rest_framework import viewsets

from gongzhi.accounts.access import scoped
from gongzhi.accounts.roles import Action


class ScopedReadOnlyViewSet(viewsets.ReadOnlyModelViewSet):
    """Lists and details only what the caller may see; anything else is 404."""

    base_queryset: ClassVar[QuerySet[Any]]
    path_field: ClassVar[str] = "path"
    action_required: ClassVar[str] = Action.PLACE_VIEW

    def get_queryset(self) -> QuerySet[Model]:
        return scoped(self.request.user, self.base_queryset.all(), self.action_required, self.path_field)
