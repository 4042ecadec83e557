from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django_filters import rest_framework as filters
from rest_framework import serializers

from gongzhi.accounts.access import actor_of
from gongzhi.core.api import ScopedReadOnlyViewSet
from gongzhi.core.pagination import KeysetPagination, path_parts
from gongzhi.places.models import Building, Compound, Division, Home


class DivisionSerializer(serializers.ModelSerializer):
    parent_code = serializers.CharField(source="parent.code", read_only=True, default=None)

    class Meta:
        model = Division
        fields = ["code", "name", "level", "parent_code", "compounds_count", "buildings_count", "homes_count"]


class CompoundSerializer(serializers.ModelSerializer):
    community_code = serializers.CharField(source="community.code", read_only=True)

    class Meta:
        model = Compound
        fields = [
            "id",
            "code",
            "name",
            "address",
            "community_code",
            "management_type",
            "first_delivered_on",
            "total_area",
            "delivered_area",
            "owners_total",
            "owners_delivered",
            "buildings_count",
            "homes_count",
            "outline",
        ]


class BuildingSerializer(serializers.ModelSerializer):
    class Meta:
        model = Building
        fields = ["id", "compound", "number", "units", "floors", "has_elevator", "homes_count"]


class HomeSerializer(serializers.ModelSerializer):
    class Meta:
        model = Home
        fields = ["id", "building", "compound", "unit_no", "room", "floor", "area", "delivered"]


class DivisionViewSet(ScopedReadOnlyViewSet):
    base_queryset = Division.objects.select_related("parent").order_by("code")
    serializer_class = DivisionSerializer
    lookup_field = "code"
    filterset_fields = ["level", "parent__code"]
    filter_backends = [filters.DjangoFilterBackend]


class CompoundViewSet(ScopedReadOnlyViewSet):
    base_queryset = Compound.objects.select_related("community").order_by("code")
    serializer_class = CompoundSerializer
    filterset_fields = ["community__code", "management_type"]
    filter_backends = [filters.DjangoFilterBackend]


class BuildingViewSet(ScopedReadOnlyViewSet):
    base_queryset = Building.objects.order_by("compound_id", "seq")
    serializer_class = BuildingSerializer
    filterset_fields = ["compound"]
    filter_backends = [filters.DjangoFilterBackend]


class HomeViewSet(ScopedReadOnlyViewSet):
    """Homes by place then id, paged by key: one index range per grant, however deep the page."""

    base_queryset = Home.objects.order_by("path", "id")
    serializer_class = HomeSerializer
    filterset_fields = ["building", "compound", "delivered"]
    filter_backends = [filters.DjangoFilterBackend]
    pagination_class = KeysetPagination
    keyset = ("path", "id")

    def keyset_parts(self, queryset: QuerySet[Any]) -> list[QuerySet[Any]]:
        actor = actor_of(self.request.user)
        return path_parts(queryset, None if actor.is_superuser else actor.paths(self.action_required))
