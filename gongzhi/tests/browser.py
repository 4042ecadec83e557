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


def nav_click(page: Any, label: str) -> None:
    """Follow a navigation entry by its label, opening its menu first when it sits in one (the bar groups
    entries per system: gongzhi/core/navgroups.py)."""
    link = page.locator(f"#gz-nav a:text-is('{label}')").first
    if not link.is_visible():
        if page.locator(".navbar-toggler").is_visible():  # the phone's folded bar
            page.locator(".navbar-toggler").click()
        if not link.is_visible():
            inside = page.locator(f"a:text-is('{label}')")  # relative to the menu's <li>
            page.locator("#gz-nav li.dropdown").filter(has=inside).locator(".dropdown-toggle").click()
    link.click()
