"""Persons over the API: masked unless the caller's role may see them in full (then logged)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from rest_framework import serializers

from gongzhi.accounts.access import actor_of, can
from gongzhi.accounts.roles import Action
from gongzhi.core.api import ScopedReadOnlyViewSet
from gongzhi.core.pagination import KeysetPagination
from gongzhi.people.masking import mask_id_number, mask_phone
from gongzhi.people.models import AccessLog, Person
from gongzhi.people.paths import visible_parts, visible_q


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
        # Unmasked only for a single record the caller asked for by id, and only for roles entitled to it.
        context["unmask"] = self.action == "retrieve" and self.request.query_params.get("unmask") == "1"
        return context

    def retrieve(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        response = super().retrieve(request, *args, **kwargs)
        if request.query_params.get("unmask") == "1":
            person = self.get_object()
            homes = [o.home for o in person.ownerships.select_related("home")] + [
                r.home for r in person.residences.select_related("home")
            ]
            if not any(can(request.user, Action.PERSON_UNMASK, h) for h in homes):
                from rest_framework.exceptions import PermissionDenied

                raise PermissionDenied("unmasking needs the person.unmask right")
            AccessLog.objects.create(
                user=request.user, person=person, fields="id_number,phone", purpose="api"
            )
        return response
