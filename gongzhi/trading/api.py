"""/api/v1/trading/listings/: the listings the caller may see (scoped read); bidders appear by number only."""

from __future__ import annotations

from rest_framework import serializers

from gongzhi.core.api import ScopedReadOnlyViewSet
from gongzhi.trading.models import VIEW, Listing


class ListingSerializer(serializers.ModelSerializer[Listing]):
    village = serializers.CharField(source="village.code", read_only=True)
    village_name = serializers.CharField(source="village.name", read_only=True)
    town = serializers.CharField(source="village.parent.name", read_only=True)

    class Meta:
        model = Listing
        fields = [
            "id",
            "code",
            "title",
            "kind",
            "village",
            "village_name",
            "town",
            "area_mu",
            "term_years",
            "reserve_yuan",
            "step_yuan",
            "deposit_yuan",
            "decision",
            "decided_on",
            "publish_from",
            "publish_until",
            "status",
            "price_yuan",
            "bids_count",
            "winner_id",
            "tenant_matched",
            "closed_on",
            "settled_on",
        ]


class ListingViewSet(ScopedReadOnlyViewSet):
    base_queryset = Listing.objects.select_related("village__parent").order_by("-id")
    serializer_class = ListingSerializer
    action_required = VIEW
