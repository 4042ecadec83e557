"""API tokens that expire, rotate and can be revoked (replaces DRF's authtoken, which never expires).

The key is 40 random URL-safe characters shown once; the database keeps its SHA-256 digest, so a copy of the
database opens no account. `Authorization: Token <key>` as before.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication

# last_used_at is written at most this often, so an API client's requests are not each a write.
TOUCH_EVERY = timedelta(minutes=1)


def digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def new_key() -> str:
    return secrets.token_urlsafe(30)[:40]


def ttl() -> timedelta:
    return timedelta(hours=settings.GONGZHI_TOKEN_TTL_HOURS)


class ExpiringTokenAuthentication(TokenAuthentication):
    """`Token <key>`: refused when unknown, revoked, expired or its holder is inactive."""

    def authenticate_credentials(self, key: str) -> tuple[Any, Any]:
        from gongzhi.accounts.models import ApiToken

        token = ApiToken.objects.select_related("user").filter(digest=digest(key)).first()
        now = timezone.now()
        if token is None or token.revoked_at is not None:
            raise exceptions.AuthenticationFailed(_("令牌无效或已撤销。"))
        if token.expires_at <= now:
            raise exceptions.AuthenticationFailed(_("令牌已过期，请重新获取。"))
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("账号已停用。"))
        if token.last_used_at is None or now - token.last_used_at > TOUCH_EVERY:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        return token.user, token
