"""Token log-in for API clients: POST username and password (and a TOTP code when the account needs a second
factor), get a token that expires; rotate it before it does (django-axes and the account delay guard it)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from gongzhi.accounts import lockout, services
from gongzhi.accounts.events import gate_for, log_event
from gongzhi.accounts.models import ApiToken
from gongzhi.accounts.otp import confirmed_device

TokenResponse = inline_serializer(
    "TokenResponse", {"token": serializers.CharField(), "expires_at": serializers.DateTimeField()}
)


class TokenLoginSerializer(AuthTokenSerializer):
    otp = serializers.RegexField(r"^\d{6}$", required=False, write_only=True, label="动态验证码")

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        attrs = super().validate(attrs)
        user = attrs["user"]
        from django.conf import settings

        if gate_for(user)["otp"] and not settings.GONGZHI_DEMO:
            device = confirmed_device(user)
            code = attrs.get("otp")
            if device is None:
                raise serializers.ValidationError("此账号须先在网页上启用两步验证。", code="authorization")
            if not code or not device.verify_token(code):
                log_event("otp_failed", user.get_username(), self.context.get("request"), user)
                raise serializers.ValidationError("需要正确的动态验证码（otp）。", code="authorization")
        return attrs


def _issued(request: Request, user: Any) -> Response:
    token, key = services.token_issue(actor=user, user=user)
    lockout.record_success(user.get_username())
    log_event("token", user.get_username(), request._request, user)
    return Response({"token": key, "expires_at": token.expires_at})


class TokenView(APIView):
    permission_classes = [AllowAny]
    authentication_classes: list[type] = []
    # The API parses JSON only (a form cannot say null); a log-in has no nullable field, so forms stay.
    parser_classes = [JSONParser, FormParser, MultiPartParser]
    serializer_class = TokenLoginSerializer

    @extend_schema(request=TokenLoginSerializer, responses=TokenResponse)
    def post(self, request: Request) -> Response:
        serializer = TokenLoginSerializer(data=request.data, context={"request": request._request})
        serializer.is_valid(raise_exception=True)
        return _issued(request, serializer.validated_data["user"])


class TokenRotateView(APIView):
    """POST with `Authorization: Token <key>`: that token is revoked and a new one returned."""

    permission_classes = [IsAuthenticated]

    @extend_schema(request=None, responses=TokenResponse)
    def post(self, request: Request) -> Response:
        current = request.auth
        if not isinstance(current, ApiToken):
            raise serializers.ValidationError("只能用接口令牌调用。")
        token, key = services.token_rotate(actor=request.user, token=current)
        return Response({"token": key, "expires_at": token.expires_at})
