"""GET /api/v1/indicators/?place=<division code or compound id> — the figures of a place, scoped."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from gongzhi.insights.registry import indicators
from gongzhi.places.selectors import resolve_place


class IndicatorsView(APIView):
    @extend_schema(
        parameters=[
            OpenApiParameter(
                "place",
                str,
                description="division code (e.g. 370202) or compound id; default: your top place",
            ),
            OpenApiParameter("compound", int, description="compound id (unambiguous alternative to place)"),
        ],
        responses=OpenApiTypes.OBJECT,
    )
    def get(self, request: Request) -> Response:
        place = resolve_place(
            request.user, request.query_params.get("place", ""), request.query_params.get("compound", "")
        )
        return Response(indicators(place))
