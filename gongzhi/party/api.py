"""The chain over the API: read-only, scoped by gongzhi.accounts.access like every other endpoint.

Members carry names but never ID numbers or phones (those go through /persons/ with its masking).
"""

from __future__ import annotations

from typing import Any

from django_filters import rest_framework as filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from gongzhi.accounts.access import get_or_404
from gongzhi.accounts.roles import Action
from gongzhi.core.api import ScopedReadOnlyViewSet
from gongzhi.party import selectors
from gongzhi.party.models import BuildingGroup, CentralHousehold, PartyMember, PartyOrganisation, PartySetting
from gongzhi.places.models import Compound, Division


class OrganisationSerializer(serializers.ModelSerializer):
    compounds: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        many=True, read_only=True, slug_field="code"
    )
    secretary = serializers.CharField(source="secretary.person.name", read_only=True, default=None)

    class Meta:
        model = PartyOrganisation
        fields = ["id", "code", "name", "kind", "compounds", "secretary", "founded_on"]


class MemberSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="person.name", read_only=True)
    compound = serializers.CharField(source="compound.code", read_only=True)
    organisation = serializers.CharField(source="organisation.code", read_only=True, default=None)

    class Meta:
        model = PartyMember
        fields = [
            "id",
            "name",
            "status",
            "joined_on",
            "full_on",
            "compound",
            "home",
            "building",
            "in_service",
            "workplace",
            "organisation",
            "relation_elsewhere",
            "group",
        ]


class GroupSerializer(serializers.ModelSerializer):
    compound = serializers.CharField(source="compound.code", read_only=True)
    organisation = serializers.CharField(source="organisation.code", read_only=True)
    leader = serializers.CharField(source="leader.person.name", read_only=True, default=None)

    class Meta:
        model = BuildingGroup
        fields = ["id", "compound", "organisation", "name", "buildings", "leader"]


class HouseholdSerializer(serializers.ModelSerializer):
    member = serializers.CharField(source="member.person.name", read_only=True)
    compound = serializers.CharField(source="compound.code", read_only=True)
    links = serializers.SerializerMethodField()

    class Meta:
        model = CentralHousehold
        fields = ["id", "member", "home", "compound", "group", "designated_on", "links"]

    def get_links(self, obj: CentralHousehold) -> list[int]:
        return [link.home_id for link in obj.links.all()]


class SettingSerializer(serializers.ModelSerializer):
    class Meta:
        model = PartySetting
        fields = ["id", "key", "value", "effective_from", "place_name", "note"]


class OrganisationViewSet(ScopedReadOnlyViewSet):
    base_queryset = (
        PartyOrganisation.objects.select_related("secretary__person")
        .prefetch_related("compounds")
        .order_by("code")
    )
    serializer_class = OrganisationSerializer
    action_required = Action.PARTY_VIEW
    filterset_fields = ["kind", "code"]
    filter_backends = [filters.DjangoFilterBackend]


class MemberViewSet(ScopedReadOnlyViewSet):
    base_queryset = PartyMember.objects.select_related("person", "compound", "organisation").order_by("pk")
    serializer_class = MemberSerializer
    action_required = Action.PARTY_VIEW
    filterset_fields = ["status", "in_service", "compound", "organisation", "group"]
    filter_backends = [filters.DjangoFilterBackend]


class GroupViewSet(ScopedReadOnlyViewSet):
    base_queryset = (
        BuildingGroup.objects.select_related("compound", "organisation", "leader__person")
        .prefetch_related("buildings")
        .order_by("pk")
    )
    serializer_class = GroupSerializer
    action_required = Action.PARTY_VIEW
    filterset_fields = ["compound", "organisation"]
    filter_backends = [filters.DjangoFilterBackend]


class HouseholdViewSet(ScopedReadOnlyViewSet):
    base_queryset = (
        CentralHousehold.objects.select_related("member__person", "compound")
        .prefetch_related("links")
        .order_by("pk")
    )
    serializer_class = HouseholdSerializer
    action_required = Action.PARTY_VIEW
    filterset_fields = ["compound", "group"]
    filter_backends = [filters.DjangoFilterBackend]


class SettingViewSet(ScopedReadOnlyViewSet):
    """Settings records: those of places the caller sees, and the platform-wide ones."""

    base_queryset = PartySetting.objects.order_by("key", "-effective_from")
    serializer_class = SettingSerializer
    action_required = Action.PARTY_VIEW

    def get_queryset(self) -> Any:
        return super().get_queryset() | PartySetting.objects.filter(path="")


class GapsView(APIView):
    @extend_schema(
        parameters=[OpenApiParameter("place", str, description="division code or 15-digit compound code")],
        responses=OpenApiTypes.OBJECT,
    )
    def get(self, request: Request) -> Response:
        code = request.query_params.get("place", "").strip()
        qs: Any = Compound.objects.all() if len(code) == 15 else Division.objects.all()
        place = get_or_404(request.user, qs, Action.PARTY_VIEW, code=code)
        lines = selectors.gaps(place)
        return Response(
            {
                "place": code,
                "gaps": [
                    {
                        "kind": g.kind,
                        "subject": g.subject,
                        "reason": g.reason,
                        "source": g.source,
                        "compound": g.compound_code,
                        "organisation": g.org_code,
                    }
                    for g in lines
                ],
            }
        )
