"""/api/v1/agribiz/cooperatives/, /family-farms/ and their yearly reports (/coop-reports/, /farm-reports/):
the registry the caller may see (scoped read); persons appear by masked name only."""

from __future__ import annotations

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field, extend_schema_view
from rest_framework import serializers

from gongzhi.agribiz.models import VIEW, CoopProfile, CoopReport, FamilyFarm, FarmReport
from gongzhi.core.api import ScopedReadOnlyViewSet
from gongzhi.people.masking import mask_name


@extend_schema_field(OpenApiTypes.STR)
class _Masked(serializers.Field):  # type: ignore[type-arg]
    def to_representation(self, value: Any) -> str:
        return mask_name(value.name)


class CoopSerializer(serializers.ModelSerializer[CoopProfile]):
    id = serializers.IntegerField(source="pk", read_only=True)
    name = serializers.CharField(source="organisation.name", read_only=True)
    founded_on = serializers.DateField(source="organisation.founded_on", read_only=True)
    village = serializers.CharField(source="village.code", read_only=True)
    legal_rep = _Masked(read_only=True)
    products: Any = serializers.SlugRelatedField(many=True, read_only=True, slug_field="code")

    class Meta:
        model = CoopProfile
        fields = [
            "id",
            "name",
            "credit_code",
            "village",
            "founded_on",
            "legal_rep",
            "members_count",
            "land_mu",
            "products",
            "grade",
            "grade_year",
        ]


class FarmSerializer(serializers.ModelSerializer[FamilyFarm]):
    village = serializers.CharField(source="village.code", read_only=True)
    operator = _Masked(read_only=True)
    products: Any = serializers.SlugRelatedField(many=True, read_only=True, slug_field="code")

    class Meta:
        model = FamilyFarm
        fields = [
            "id",
            "code",
            "name",
            "credit_code",
            "village",
            "operator",
            "registered_on",
            "land_own_mu",
            "land_transferred_mu",
            "labour",
            "products",
            "grade",
            "grade_year",
        ]


# The profile's key is its organisation's (a one-to-one primary key), which the schema cannot name by itself.
@extend_schema_view(retrieve=extend_schema(parameters=[OpenApiParameter("id", int, OpenApiParameter.PATH)]))
class CoopViewSet(ScopedReadOnlyViewSet):
    # The key is a foreign key, which Django does not guard against integers beyond 64 bits (SQLite raises
    # OverflowError, found by the API fuzzer): such an id matches no route and answers 404.
    lookup_value_regex = r"[0-9]{1,18}"
    base_queryset = (
        CoopProfile.objects.select_related("organisation", "village", "legal_rep")
        .prefetch_related("products")
        .order_by("pk")
    )
    serializer_class = CoopSerializer
    action_required = VIEW


class FarmViewSet(ScopedReadOnlyViewSet):
    base_queryset = (
        FamilyFarm.objects.select_related("village", "operator").prefetch_related("products").order_by("pk")
    )
    serializer_class = FarmSerializer
    action_required = VIEW


class CoopReportSerializer(serializers.ModelSerializer[CoopReport]):
    coop = serializers.IntegerField(source="coop_id", read_only=True)

    class Meta:
        model = CoopReport
        fields = [
            "id",
            "coop",
            "year",
            "members",
            "revenue_yuan",
            "surplus_returned_yuan",
            "land_mu",
            "filed_on",
        ]


class FarmReportSerializer(serializers.ModelSerializer[FarmReport]):
    farm = serializers.IntegerField(source="farm_id", read_only=True)

    class Meta:
        model = FarmReport
        fields = ["id", "farm", "year", "revenue_yuan", "land_mu", "labour", "filed_on"]


class CoopReportViewSet(ScopedReadOnlyViewSet):
    base_queryset = CoopReport.objects.order_by("id")
    serializer_class = CoopReportSerializer
    action_required = VIEW


class FarmReportViewSet(ScopedReadOnlyViewSet):
    base_queryset = FarmReport.objects.order_by("id")
    serializer_class = FarmReportSerializer
    action_required = VIEW
