"""防止返贫动态监测 over the API: households, cases, visits and department warning lists, read-only and
scoped by `monitoring.view` (gongzhi.core.api). Households carry their number and village, never members'
names or ID numbers (those stay on the pages, masked). Writes are the pages' (services)."""

from __future__ import annotations

from rest_framework import serializers

from gongzhi.core.api import ScopedReadOnlyViewSet
from gongzhi.monitoring.models import VIEW, Case, Household, Visit, WarningList


class RuralHouseholdSerializer(serializers.ModelSerializer[Household]):
    village = serializers.CharField(source="village.code")

    class Meta:
        model = Household
        fields = ["id", "number", "village", "path", "category"]


class HouseholdViewSet(ScopedReadOnlyViewSet):
    base_queryset = Household.objects.select_related("village").order_by("number")
    serializer_class = RuralHouseholdSerializer
    action_required = VIEW


class CaseSerializer(serializers.ModelSerializer[Case]):
    class Meta:
        model = Case
        fields = [
            "id",
            "household",
            "path",
            "channel",
            "category",
            "hardship",
            "status",
            "risk",
            "opened_on",
            "eliminated_on",
        ]


class CaseViewSet(ScopedReadOnlyViewSet):
    base_queryset = Case.objects.order_by("-opened_on", "-pk")
    serializer_class = CaseSerializer
    action_required = VIEW


class VisitSerializer(serializers.ModelSerializer[Visit]):
    class Meta:
        model = Visit
        fields = [
            "id",
            "household",
            "path",
            "visited_on",
            "findings",
            "education_secure",
            "medical_secure",
            "housing_secure",
            "water_secure",
            "next_due",
        ]


class VisitViewSet(ScopedReadOnlyViewSet):
    base_queryset = Visit.objects.order_by("-visited_on", "-pk")
    serializer_class = VisitSerializer
    action_required = VIEW


class WarningListSerializer(serializers.ModelSerializer[WarningList]):
    class Meta:
        model = WarningList
        fields = ["id", "department", "path", "imported_on", "rows", "matched", "unknown"]


class WarningListViewSet(ScopedReadOnlyViewSet):
    base_queryset = WarningList.objects.order_by("-imported_on", "-pk")
    serializer_class = WarningListSerializer
    action_required = VIEW
