"""Persons over the API: masked unless the caller's role may see them in full (then logged)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from rest_framework import serializers
from rest_framework.exceptions import PermissionDenied

from gongzhi.accounts.access import actor_of
from gongzhi.accounts.roles import Action
from gongzhi.core.api import ScopedReadOnlyViewSet
from gongzhi.core.pagination import KeysetPagination
from gongzhi.people.masking import mask_id_number, mask_phone, may_unmask
from gongzhi.people.models import Person
from gongzhi.people.paths import visible_parts, visible_q
from gongzhi.people.selectors import person_paths
from gongzhi.people.services import access_log_write


class PersonSerializer(serializers.ModelSerializer):
    id_number = serializers.SerializerMethodField()
    phone = serializers.SerializerMethodField()

    class Meta:
        model = Person
        fields = ["id", "kind", "name", "id_number", "phone"]

    def _unmasked(self) -> bool:
        return bool(self.context.get("unmask"))

    def get_id_number(self, obj: Person) -> str:
        return (obj.id_number or "") if self._unmasked() else mask_id_number(obj.id_number)

    def get_phone(self, obj: Person) -> str:
        return obj.phone if self._unmasked() else mask_phone(obj.phone)


class PersonViewSet(ScopedReadOnlyViewSet):
    """Persons whose homes (owned or lived in) lie in the caller's scope, listed by place then id.

    The list pages by key over (path, id) and reads one index range per grant (gongzhi.people.paths), so a
    district administrator's page costs what a superuser's does, however deep.
    """

    base_queryset = Person.objects.order_by("path", "id")
    serializer_class = PersonSerializer
    action_required = Action.PERSON_VIEW
    pagination_class = KeysetPagination
    keyset = ("path", "id")

    def _grants(self) -> list[str] | None:
        actor = actor_of(self.request.user)
        return None if actor.is_superuser else actor.paths(Action.PERSON_VIEW)

    def get_queryset(self) -> QuerySet[Any]:
        if self.action == "list":  # the list reads keyset_parts; building the one-filter form would be waste
            return Person.objects.none()
        return Person.objects.filter(visible_q(self._grants())).order_by("path", "id")

    def keyset_parts(self, queryset: QuerySet[Any]) -> list[QuerySet[Any]]:
        return visible_parts(self._grants())

    def get_serializer_context(self) -> dict[str, Any]:
        context = super().get_serializer_context()
        # Unmasked only for a single record the caller asked for by id, and only where the one unmask rule
        # (gongzhi.people.masking.may_unmask) allows; retrieve() refuses otherwise and logs first.
        context["unmask"] = self.action == "retrieve" and self.request.query_params.get("unmask") == "1"
        return context

    def retrieve(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        if request.query_params.get("unmask") == "1":
            person = self.get_object()
            paths = person_paths(person.pk)
            if not may_unmask(request.user, paths):
                raise PermissionDenied(_("您没有查看完整身份证号和手机号的权限"))
            access_log_write(actor=request.user, persons=[person], paths=paths, purpose="api")
        return super().retrieve(request, *args, **kwargs)
