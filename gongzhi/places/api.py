from __future__ import annotations

from django_filters import rest_framework as filters
from rest_framework import serializers

from gongzhi.core.api import ScopedReadOnlyViewSet
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
    base_queryset = Home.objects.order_by("building_id", "unit_no", "room")
    serializer_class = HomeSerializer
    filterset_fields = ["building", "compound", "delivered"]
    filter_backends = [filters.DjangoFilterBackend]
