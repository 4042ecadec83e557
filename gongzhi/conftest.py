"""Shared fixtures: a small real division tree and users holding each role."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from gongzhi.tests.factories import make_tree


@pytest.fixture
def tree(db):  # type: ignore[no-untyped-def]
    """Two subdistricts of 市南区, two communities each, compounds with buildings and homes."""
    return make_tree()


@pytest.fixture
def artifacts_dir() -> Path:
    path = Path(__file__).resolve().parent.parent / "test-artifacts"
    path.mkdir(exist_ok=True)
    return path


CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):  # type: ignore[no-untyped-def]
    """Debian's Chromium, never a downloaded browser; flags keep it off the (closed) network."""
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_FLAGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):  # type: ignore[no-untyped-def]
    return {**browser_context_args, "locale": "zh-CN", "viewport": {"width": 1280, "height": 900}}


@pytest.fixture(autouse=True)
def _chinese_after_each_test():  # type: ignore[no-untyped-def]
    """A request in English leaves its thread in English; the next test on this worker expects Chinese."""
    yield
    from django.conf import settings as django_settings
    from django.utils import translation

    translation.activate(django_settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _no_axes_lockout_in_tests(settings):  # type: ignore[no-untyped-def]
    settings.AXES_ENABLED = False
    # Tests sign in with force_login and factory passwords: run as the demo does (no forced password
    # change, no second factor); gongzhi/accounts/tests/test_login_gate.py turns the gate on.
    settings.GONGZHI_DEMO = True
    settings.ALLOWED_HOSTS = ["*"]
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


def pytest_configure(config):  # type: ignore[no-untyped-def]
    """A fast hasher for the tests: PBKDF2's 1,000,000 rounds cost ~0.25 s for every user a factory makes.

    Production keeps Django's default; `gongzhi/accounts/tests` still checks what a stored hash reveals.
    """
    from django.conf import settings

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
