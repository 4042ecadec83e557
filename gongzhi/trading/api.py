"""/api/v1/trading/: listings, bidders, bids and deposits (scoped reads, as the pages are), and the change feed.

- listings and bids: whoever may view trading in the listing's place; bidders appear by number only;
- bidders and deposits: the exchange's staff where the registration or listing lies (`trading.manage`),
  and a bidder its own; names of persons and document numbers masked;
- `changes/?since=<cursor>&limit=<n>`: every change of a listing, its auction, a bid, the award and the
  contract in a strict order, with an opaque cursor (selectors.changes_after says why it is stable).
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from gongzhi.accounts.access import can, scoped
from gongzhi.core.api import ScopedReadOnlyViewSet
from gongzhi.people.masking import mask_id_number, mask_name
from gongzhi.people.models import PersonKind
from gongzhi.trading import selectors
from gongzhi.trading.models import MANAGE, VIEW, Bid, Bidder, Change, Deposit, Listing

FEED_PAGE, FEED_MAX = 100, 500


class ListingSerializer(serializers.ModelSerializer[Listing]):
    village = serializers.CharField(source="village.code", read_only=True)
    village_name = serializers.CharField(source="village.name", read_only=True)
    town = serializers.CharField(source="village.parent.name", read_only=True)
    winner = serializers.CharField(source="winner.number", read_only=True, default=None)
    contract = serializers.CharField(source="contract.code", read_only=True, default=None)

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
            "decision_record",
            "decided_on",
            "publish_from",
            "publish_until",
            "status",
            "price_yuan",
            "bids_count",
            "winner_id",
            "winner",
            "tenant_matched",
            "closed_on",
            "contract",
            "signed_on",
            "settled_on",
        ]


class ListingViewSet(ScopedReadOnlyViewSet):
    base_queryset = Listing.objects.select_related("village__parent", "winner", "contract").order_by("-id")
    serializer_class = ListingSerializer
    action_required = VIEW


def masked_name(bidder: Bidder) -> str:
    """An organisation's name is public; a person's is masked (张*明), and so is a name whose holder is not
    on record (a bidder the staff registered by name only)."""
    person = bidder.person
    if person is not None and person.kind == PersonKind.ORGANISATION:
        return bidder.name
    return mask_name(bidder.name)


class BidderSerializer(serializers.ModelSerializer[Bidder]):
    name = serializers.SerializerMethodField()
    document = serializers.SerializerMethodField()

    class Meta:
        model = Bidder
        fields = ["id", "number", "name", "document", "status", "registered_on", "reviewed_on"]

    def get_name(self, obj: Bidder) -> str:
        return masked_name(obj)

    def get_document(self, obj: Bidder) -> str:
        person = obj.person
        return mask_id_number((person.id_number or person.credit_code or "") if person else "")


class _OwnOrManaged(ScopedReadOnlyViewSet):
    """The staff's scope under `trading.manage`, or the caller's own bidder's rows."""

    action_required = MANAGE
    own_field = "user"

    def get_queryset(self) -> QuerySet[Any]:
        managed = scoped(self.request.user, self.base_queryset.all(), MANAGE)
        own = self.base_queryset.filter(**{self.own_field: self.request.user.pk})
        return (managed | own).distinct()


class BidderViewSet(_OwnOrManaged):
    base_queryset = Bidder.objects.select_related("person").order_by("-id")
    serializer_class = BidderSerializer


class BidSerializer(serializers.ModelSerializer[Bid]):
    listing_code = serializers.CharField(source="listing.code", read_only=True)
    bidder = serializers.CharField(source="bidder.number", read_only=True)

    class Meta:
        model = Bid
        fields = ["id", "listing", "listing_code", "seq", "bidder", "amount_yuan", "at"]


class BidViewSet(ScopedReadOnlyViewSet):
    base_queryset = Bid.objects.select_related("listing", "bidder").order_by("-id")
    serializer_class = BidSerializer
    action_required = VIEW


class DepositSerializer(serializers.ModelSerializer[Deposit]):
    listing_code = serializers.CharField(source="listing.code", read_only=True)
    bidder = serializers.CharField(source="bidder.number", read_only=True)
    bidder_name = serializers.SerializerMethodField()

    class Meta:
        model = Deposit
        fields = [
            "id",
            "listing",
            "listing_code",
            "bidder",
            "bidder_name",
            "amount_yuan",
            "paid_on",
            "refunded_on",
        ]

    def get_bidder_name(self, obj: Deposit) -> str:
        return masked_name(obj.bidder)


class DepositViewSet(_OwnOrManaged):
    base_queryset = Deposit.objects.select_related("listing", "bidder__person").order_by("-id")
    serializer_class = DepositSerializer
    own_field = "bidder__user"


def change_row(c: Change) -> dict[str, Any]:
    return {
        "kind": c.kind,
        "event": c.event,
        "id": c.object_id,
        "listing": c.listing_id,
        "listing_code": c.listing.code,
        "at": c.at.isoformat(),
        "data": c.data,
    }


class ChangesView(APIView):
    """The trading change feed: read from no cursor (the beginning), then from each answer's `next`."""

    @extend_schema(
        parameters=[
            OpenApiParameter("since", str, description="the cursor of the previous answer (opaque)"),
            OpenApiParameter(
                "limit", int, description=f"changes per answer, 1–{FEED_MAX} (default {FEED_PAGE})"
            ),
        ],
        responses=OpenApiTypes.OBJECT,
    )
    def get(self, request: Request) -> Response:
        if not can(request.user, VIEW):
            raise PermissionDenied
        since = request.query_params.get("since", "")
        raw_limit = request.query_params.get("limit", "")
        after = None
        if since:
            try:
                after = selectors.cursor_decode(since)
            except ValueError:
                message = _("游标无效：请使用上一次返回的 next 游标，或不带游标从头读取")
                return Response({"detail": message}, status=400)
        well_formed = raw_limit.isascii() and raw_limit.isdigit() and len(raw_limit) <= 4
        if raw_limit and not (well_formed and 1 <= int(raw_limit) <= FEED_MAX):
            return Response({"detail": _("limit 须为 1 至 %(n)s 的整数") % {"n": FEED_MAX}}, status=400)
        limit = int(raw_limit) if raw_limit else FEED_PAGE
        qs = scoped(request.user, Change.objects.all(), VIEW)
        rows = selectors.changes_after(qs, after, limit + 1)
        more, rows = len(rows) > limit, rows[:limit]
        cursor = selectors.cursor_encode(rows[-1].txid, rows[-1].pk) if rows else since
        url = reverse("trading-changes")
        return Response(
            {
                "results": [change_row(c) for c in rows],
                "more": more,
                "cursor": cursor,
                "next": f"{url}?since={cursor}" + (f"&limit={limit}" if raw_limit else "") if cursor else url,
            }
        )
