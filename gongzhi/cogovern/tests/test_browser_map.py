"""A community worker opens the property-management map, switches layers and clicks through to a card."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from gongzhi.accounts.roles import Role
from gongzhi.cogovern.tests.kit import build_kit
from gongzhi.cogovern.tests.test_views import spread
from gongzhi.places.models import Compound
from gongzhi.tests.browser import login
from gongzhi.tests.factories import make_tree, user_with

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_map_outlines_layers_and_click_to_card(page, live_server, artifacts_dir):  # type: ignore[no-untyped-def]
    tree = make_tree()
    spread(tree)
    first = tree.compounds[0]
    build_kit(first)
    community = first.community
    user_with(Role.COMMUNITY_WORKER, community, username="worker")
    login(page, live_server, "worker")
    page.goto(f"{live_server.url}/cogovern/map/{community.code}/")
    in_db = Compound.objects.filter(path__under=community.path, outline__isnull=False).count()
    expect(page.locator("#gz-pm-map")).to_have_attribute("data-gz-features", str(in_db))
    expect(page.locator("#gz-pm-map path.leaflet-interactive")).to_have_count(in_db)
    expect(page.locator('[data-gz-count="management:professional"]')).to_have_text(str(in_db))
    page.screenshot(path=str(artifacts_dir / "cogovern-map-management.png"), full_page=True)

    outline = page.locator(f'#gz-pm-map path[data-gz-compound="{first.code}"]')
    management_fill = outline.get_attribute("fill")
    page.get_by_role("button", name="业委会状态").click()
    expect(page.locator('[data-gz-legend="committee"]')).to_be_visible()
    expect(page.locator('[data-gz-legend="management"]')).to_be_hidden()
    expect(outline).to_have_attribute("fill", "#43a047")  # formed: the committee layer's green
    assert outline.get_attribute("fill") != management_fill
    page.get_by_role("button", name="红色物业").click()
    expect(outline).to_have_attribute("fill", "#c62828")
    page.screenshot(path=str(artifacts_dir / "cogovern-map-red.png"), full_page=True)

    outline.click()
    expect(page).to_have_url(f"{live_server.url}/cogovern/c/{first.code}/")
    expect(page.locator("h1")).to_have_text(first.name)
    expect(page.get_by_text("测试物业党支部").or_(page.get_by_text("测试物业" + first.code))).to_be_visible()
    page.screenshot(path=str(artifacts_dir / "cogovern-card.png"), full_page=True)
