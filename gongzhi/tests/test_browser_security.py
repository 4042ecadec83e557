"""Issue 15 item 1: a compound name with markup ran in the district administrator's browser on the map.

The name must show as text on the map's labels, no dialog may open, and the pages carry a content security
policy that refuses inline script (so even a missed sink could not run one)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from gongzhi.accounts.roles import Role
from gongzhi.places.models import Compound
from gongzhi.tests.browser import login
from gongzhi.tests.factories import make_tree, user_with

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HOSTILE = '<img src=x onerror="alert(document.domain)">小区'


def test_hostile_compound_name_is_text_on_the_map(page, live_server, artifacts_dir):
    tree = make_tree()
    compound = tree.compounds[0]
    Compound.objects.filter(pk=compound.pk).update(name=HOSTILE)
    user_with(Role.DISTRICT_ADMIN, tree.d("370202"), username="admin")
    dialogs: list[str] = []

    def on_dialog(dialog):  # type: ignore[no-untyped-def]
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    violations: list[str] = []
    page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
    login(page, live_server, "admin")
    response = page.goto(f"{live_server.url}/places/d/{compound.community.code}/")
    assert response is not None
    csp = response.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]
    assert "camera=()" in response.headers["permissions-policy"]
    label = page.locator(".leaflet-tooltip", has_text="小区").filter(has_text="<img")
    expect(label).to_be_visible()
    expect(label).to_contain_text(HOSTILE)
    assert page.locator(".leaflet-tooltip img").count() == 0
    page.wait_for_timeout(300)
    assert dialogs == []
    assert violations == []  # the page's own scripts all run under the policy
    page.screenshot(path=str(artifacts_dir / "security-hostile-name.png"), full_page=True)
