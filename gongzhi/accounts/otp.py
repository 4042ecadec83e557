"""TOTP second factor (django-otp): one authenticator-app device per account, set up by scanning a QR code
drawn here, offline, by segno (no image service, no network)."""

from __future__ import annotations

import base64
from typing import Any

import segno
from django.db import transaction
from django.http import HttpRequest
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice


def confirmed_device(user: Any) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


def pending_device(user: Any) -> TOTPDevice:
    """The unconfirmed device the user is setting up (created with a fresh random key when none is)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="authenticator", confirmed=False)
    return device


@transaction.atomic
def verify(request: HttpRequest, device: TOTPDevice, code: str) -> bool:
    """Check `code` (throttled by django-otp); on success mark the session verified and, when setting up,
    confirm the device and drop any other."""
    if not device.verify_token(code):
        return False
    if not device.confirmed:
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        TOTPDevice.objects.filter(user=device.user).exclude(pk=device.pk).delete()
    otp_login(request, device)
    return True


def qr_data_uri(device: TOTPDevice) -> str:
    """The device's otpauth:// URL as an SVG QR code in a data: URI (the CSP allows data: images)."""
    return str(segno.make(device.config_url, error="m").svg_data_uri(scale=5, border=2))


def secret_text(device: TOTPDevice) -> str:
    """The key in base32, in groups of four, for typing in when the camera cannot scan."""
    raw = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(raw[i : i + 4] for i in range(0, len(raw), 4))
