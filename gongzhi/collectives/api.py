"""/api/v1/collectives/…: read-only, scoped by `collectives.view` (the one permission check)."""

from __future__ import annotations

from rest_framework import serializers

from gongzhi.collectives.models import (
    VIEW,
    Account,
    Asset,
    Collective,
    Contract,
    Decision,
    DecisionStep,
    Entry,
    Resource,
)
from gongzhi.core.api import ScopedReadOnlyViewSet


class CollectiveSerializer(serializers.ModelSerializer[Collective]):
    class Meta:
        model = Collective
        fields = ["id", "code", "name", "path", "founded_on"]


class AssetSerializer(serializers.ModelSerializer[Asset]):
    class Meta:
        model = Asset
        fields = ["id", "collective_id", "name", "kind", "value_yuan", "acquired_on"]


class ResourceSerializer(serializers.ModelSerializer[Resource]):
    class Meta:
        model = Resource
        fields = ["id", "collective_id", "name", "kind", "area_mu"]


class AccountSerializer(serializers.ModelSerializer[Account]):
    class Meta:
        model = Account
        fields = ["id", "collective_id", "name", "bank"]


class DecisionStepSerializer(serializers.ModelSerializer[DecisionStep]):
    class Meta:
        model = DecisionStep
        fields = ["step", "on", "votes_for", "votes_against", "votes_abstain", "note"]


class DecisionSerializer(serializers.ModelSerializer[Decision]):
    steps = DecisionStepSerializer(many=True, read_only=True)

    class Meta:
        model = Decision
        fields = ["id", "collective_id", "title", "kind", "amount_yuan", "opened_on", "steps_done", "steps"]


class EntrySerializer(serializers.ModelSerializer[Entry]):
    account = serializers.CharField(source="account.name", read_only=True)

    class Meta:
        model = Entry
        fields = ["id", "account", "on", "direction", "amount_yuan", "summary", "decision_id"]


class CollectiveContractSerializer(serializers.ModelSerializer[Contract]):
    class Meta:
        model = Contract
        fields = [
            "id",
            "collective_id",
            "code",
            "kind",
            "asset_id",
            "resource_id",
            "party",
            "starts_on",
            "ends_on",
            "annual_yuan",
            "area_mu",
            "decision_id",
            "out_of_range",
            "unapproved",
        ]


class CollectiveViewSet(ScopedReadOnlyViewSet):
    base_queryset = Collective.objects.active().order_by("id")
    serializer_class = CollectiveSerializer
    action_required = VIEW


class AssetViewSet(ScopedReadOnlyViewSet):
    base_queryset = Asset.objects.order_by("id")
    serializer_class = AssetSerializer
    action_required = VIEW


class ResourceViewSet(ScopedReadOnlyViewSet):
    base_queryset = Resource.objects.order_by("id")
    serializer_class = ResourceSerializer
    action_required = VIEW


class EntryViewSet(ScopedReadOnlyViewSet):
    base_queryset = Entry.objects.select_related("account").order_by("-on", "-id")
    serializer_class = EntrySerializer
    action_required = VIEW


class ContractViewSet(ScopedReadOnlyViewSet):
    base_queryset = Contract.objects.order_by("id")
    serializer_class = CollectiveContractSerializer
    action_required = VIEW


class AccountViewSet(ScopedReadOnlyViewSet):
    base_queryset = Account.objects.order_by("id")
    serializer_class = AccountSerializer
    action_required = VIEW


class DecisionViewSet(ScopedReadOnlyViewSet):
    """The major matters with the 四议两公开 steps taken so far (in order)."""

    base_queryset = Decision.objects.prefetch_related("steps").order_by("id")
    serializer_class = DecisionSerializer
    action_required = VIEW
