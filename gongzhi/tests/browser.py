"""Helpers for Playwright tests against Debian's Chromium (see gongzhi/conftest.py for the browser setup)."""

from __future__ import annotations

from typing import Any

TEST_PASSWORD = "pw-for-tests"


def login(page: Any, live_server: Any, username: str, password: str = TEST_PASSWORD) -> None:
    """Log in through the real form, as a person would."""
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("#login-form button[type=submit]")
    page.wait_for_load_state("networkidle")
