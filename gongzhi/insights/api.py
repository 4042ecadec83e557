"""GET /api/v1/indicators/?place=<division code or compound id> — the figures of a place, scoped.

GET /api/v1/indicators/catalogue/?level=<level> — what each figure code means (label, unit, levels).
"""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from gongzhi.core.registry import LEVELS, SIGNED_IN, Rule
from gongzhi.insights.registry import catalogue, indicators
from gongzhi.places.selectors import resolve_place


class IndicatorsView(APIView):
    # The place parameter is checked by resolve_place (404 outside the caller's places).
    required_action = Rule("place.view")

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


class CatalogueView(APIView):
    required_action = Rule(SIGNED_IN)

    @extend_schema(
        parameters=[
            OpenApiParameter("level", str, enum=list(LEVELS), description="only figures for this level")
        ],
        responses=OpenApiTypes.OBJECT,
    )
    def get(self, request: Request) -> Response:
        level = request.query_params.get("level", "")
        if level and level not in LEVELS:
            return Response({"level": f"unknown level {level!r}; one of {', '.join(LEVELS)}"}, status=400)
        return Response({"results": [f.as_dict() for f in catalogue(level)]})
