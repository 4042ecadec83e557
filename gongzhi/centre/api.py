"""/api/v1/centre/…: the centre's rooms, enterprises, leases, projects and finance referrals, read-only and scoped by
`centre.view` (the one permission check). Ids are integers of at most 18 digits in the route, so an id beyond
64 bits matches no route and answers 404."""

from __future__ import annotations

from rest_framework import serializers

from gongzhi.centre.models import VIEW, Enterprise, Lease, Project, Referral, Space
from gongzhi.core.api import ScopedReadOnlyViewSet

ID = r"[0-9]{1,18}"


class SpaceSerializer(serializers.ModelSerializer[Space]):
    class Meta:
        model = Space
        fields = ["id", "centre_id", "floor", "number", "area", "use"]


class EnterpriseSerializer(serializers.ModelSerializer[Enterprise]):
    industry = serializers.CharField(source="industry.code", read_only=True)

    class Meta:
        model = Enterprise
        fields = [
            "id",
            "centre_id",
            "name",
            "credit_code",
            "industry",
            "kind",
            "platform_id",
            "incubation",
            "registered_on",
            "settled_on",
        ]


class LeaseSerializer(serializers.ModelSerializer[Lease]):
    class Meta:
        model = Lease
        fields = [
            "id",
            "space_id",
            "enterprise_id",
            "starts_on",
            "ends_on",
            "area",
            "monthly_rent_yuan",
            "incentive",
        ]


class ProjectSerializer(serializers.ModelSerializer[Project]):
    industry = serializers.CharField(source="industry.code", read_only=True)
    stage = serializers.CharField(source="stage.code", read_only=True)

    class Meta:
        model = Project
        fields = [
            "id",
            "centre_id",
            "platform_id",
            "name",
            "industry",
            "kind",
            "stage",
            "created_on",
            "registered_on",
            "next_action",
            "next_action_on",
            "likelihood",
            "expected_on",
            "needs_area",
            "enterprise_id",
        ]


class SpaceViewSet(ScopedReadOnlyViewSet):
    lookup_value_regex = ID
    base_queryset = Space.objects.order_by("id")
    serializer_class = SpaceSerializer
    action_required = VIEW


class EnterpriseViewSet(ScopedReadOnlyViewSet):
    lookup_value_regex = ID
    base_queryset = Enterprise.objects.select_related("industry").order_by("id")
    serializer_class = EnterpriseSerializer
    action_required = VIEW


class LeaseViewSet(ScopedReadOnlyViewSet):
    lookup_value_regex = ID
    base_queryset = Lease.objects.order_by("id")
    serializer_class = LeaseSerializer
    action_required = VIEW


class ProjectViewSet(ScopedReadOnlyViewSet):
    lookup_value_regex = ID
    base_queryset = Project.objects.select_related("industry", "stage").order_by("id")
    serializer_class = ProjectSerializer
    action_required = VIEW


class ReferralSerializer(serializers.ModelSerializer[Referral]):
    partner = serializers.CharField(source="partner.name", read_only=True)
    partner_kind = serializers.CharField(source="partner.kind", read_only=True)

    class Meta:
        model = Referral
        fields = [
            "id",
            "request_id",
            "enterprise_id",
            "partner_id",
            "partner",
            "partner_kind",
            "product",
            "amount_asked_yuan",
            "referred_on",
            "answer_due_on",
            "answered_on",
            "result",
            "amount_approved_yuan",
            "reason",
        ]


class ReferralViewSet(ScopedReadOnlyViewSet):
    lookup_value_regex = ID
    base_queryset = Referral.objects.select_related("partner").order_by("id")
    serializer_class = ReferralSerializer
    action_required = VIEW
