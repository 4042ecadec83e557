"""Matters and votes over the API: read-only, scoped like the pages; results as stored at closing."""

from __future__ import annotations

from django_filters import rest_framework as filters
from rest_framework import serializers

from gongzhi.affairs.models import Matter, Meeting, Vote
from gongzhi.core.api import ScopedReadOnlyViewSet


class MatterSerializer(serializers.ModelSerializer):
    category = serializers.CharField(source="category.code", read_only=True)
    compound_code = serializers.CharField(source="compound.code", read_only=True)

    class Meta:
        model = Matter
        fields = [
            "id",
            "title",
            "category",
            "item",
            "scope",
            "compound",
            "compound_code",
            "building",
            "unit_no",
            "status",
            "responsible",
            "responsible_name",
            "raised_at",
            "updated_at",
            "resolved_at",
        ]


class VoteSerializer(serializers.ModelSerializer):
    rule_set = serializers.CharField(source="rule_set.code", read_only=True, default=None)
    area_total = serializers.DecimalField(max_digits=14, decimal_places=2, read_only=True)
    area_voted = serializers.DecimalField(max_digits=14, decimal_places=2, read_only=True)
    area_agree = serializers.DecimalField(max_digits=14, decimal_places=2, read_only=True)
    # The reasons worded in the caller's language; ``reason_codes`` as stored (code and parameters).
    reasons = serializers.ListField(source="shown_reasons", child=serializers.CharField(), read_only=True)
    reason_codes = serializers.JSONField(source="reasons", read_only=True)
    rule_applied = serializers.CharField(source="shown_rule_applied", read_only=True)

    class Meta:
        model = Vote
        fields = [
            "id",
            "matter",
            "question",
            "item",
            "scope",
            "compound",
            "building",
            "unit_no",
            "rule_set",
            "status",
            "opened_at",
            "closed_at",
            "published_at",
            "homes",
            "owners_total",
            "area_total",
            "owners_voted",
            "area_voted",
            "owners_agree",
            "area_agree",
            "owners_against",
            "owners_abstain",
            "participation_met",
            "approval_met",
            "conditions_met",
            "passed",
            "participation_rule",
            "approval_rule",
            "rule_applied",
            "reasons",
            "reason_codes",
        ]


class MeetingSerializer(serializers.ModelSerializer):
    class Meta:
        model = Meeting
        fields = ["id", "kind", "compound", "matters", "held_at", "venue", "attendees_count", "outcome"]


class MatterViewSet(ScopedReadOnlyViewSet):
    base_queryset = Matter.objects.select_related("category", "compound").order_by("-updated_at", "-id")
    serializer_class = MatterSerializer
    filterset_fields = ["status", "compound", "item", "category__code"]
    filter_backends = [filters.DjangoFilterBackend]


class VoteViewSet(ScopedReadOnlyViewSet):
    base_queryset = Vote.objects.select_related("rule_set").order_by("-opened_at", "-id")
    serializer_class = VoteSerializer
    filterset_fields = ["status", "compound", "matter", "passed"]
    filter_backends = [filters.DjangoFilterBackend]


class MeetingViewSet(ScopedReadOnlyViewSet):
    base_queryset = Meeting.objects.prefetch_related("matters").order_by("-held_at", "-id")
    serializer_class = MeetingSerializer
    filterset_fields = ["kind", "compound"]
    filter_backends = [filters.DjangoFilterBackend]
