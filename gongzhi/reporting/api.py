"""双报到 over the API: units, reported members, needs and service records, read-only and scoped by
`reporting.view` (gongzhi.core.api). Members carry names, never ID numbers or phones (/persons/ masks them).
Writes are the pages' (they go through gongzhi.reporting.services)."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from gongzhi.core.api import ScopedReadOnlyViewSet
from gongzhi.reporting.models import VIEW, Need, Report, ServiceRecord, Unit


class UnitSerializer(serializers.ModelSerializer[Unit]):
    contact_points = serializers.SerializerMethodField()

    class Meta:
        model = Unit
        fields = ["id", "code", "name", "kind", "founded_on", "contact_points"]

    def get_contact_points(self, obj: Unit) -> list[dict[str, Any]]:
        return [
            {"compound": c.compound_id, "path": c.path, "since": c.since}
            for c in obj.coverages.all()
            if c.until is None and c.compound_id is not None
        ]


class UnitViewSet(ScopedReadOnlyViewSet):
    base_queryset = Unit.objects.active().prefetch_related("coverages").order_by("code")
    serializer_class = UnitSerializer
    action_required = VIEW


class ReportSerializer(serializers.ModelSerializer[Report]):
    name = serializers.CharField(source="person.name")
    skills: Any = serializers.SlugRelatedField(many=True, read_only=True, slug_field="code")

    class Meta:
        model = Report
        fields = [
            "id",
            "name",
            "compound",
            "unit",
            "workplace",
            "reported_on",
            "ended_on",
            "skills",
            "strengths",
            "hours_month",
            "weekdays",
            "weekends",
        ]


class MemberViewSet(ScopedReadOnlyViewSet):
    base_queryset = Report.objects.select_related("person").prefetch_related("skills").order_by("path", "id")
    serializer_class = ReportSerializer
    action_required = VIEW


class NeedSerializer(serializers.ModelSerializer[Need]):
    skills: Any = serializers.SlugRelatedField(many=True, read_only=True, slug_field="code")

    class Meta:
        model = Need
        fields = [
            "id",
            "compound",
            "title",
            "detail",
            "skills",
            "hours",
            "per_member",
            "starts_on",
            "ends_on",
        ]
        fields += ["urgency", "status"]


class NeedViewSet(ScopedReadOnlyViewSet):
    base_queryset = Need.objects.prefetch_related("skills").order_by("path", "id")
    serializer_class = NeedSerializer
    action_required = VIEW


class RecordSerializer(serializers.ModelSerializer[ServiceRecord]):
    class Meta:
        model = ServiceRecord
        fields = ["id", "report", "unit", "need", "served_on", "hours", "note", "status"]


class RecordViewSet(ScopedReadOnlyViewSet):
    base_queryset = ServiceRecord.objects.order_by("path", "served_on", "id")
    serializer_class = RecordSerializer
    action_required = VIEW
