"""The English switch covers what users read (issue 9): 民法典 item titles, categories, ledger titles and the
new pages' messages; what is stored (reasons, the statute's wording in records) stays Chinese."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import translation

from gongzhi.accounts.roles import Role
from gongzhi.affairs.civil_code import Item
from gongzhi.affairs.models import MatterCategory
from gongzhi.affairs.seeds import ensure_seeded
from gongzhi.tests.factories import user_with


def test_item_titles_translate_for_display_only() -> None:
    with translation.override("en"):
        assert str(Item.FUND_USE.display_title).endswith(
            "Using the maintenance fund of the buildings and their ancillary facilities"
        )
        assert Item.FUND_USE.title == "（五）使用建筑物及其附属设施的维修资金"  # the record keeps the statute
    with translation.override("zh-hans"):
        assert str(Item.FUND_USE.display_title) == Item.FUND_USE.title


@pytest.mark.django_db
def test_categories_and_ledger_titles_in_english(tree) -> None:  # type: ignore[no-untyped-def]
    ensure_seeded()
    elevator = MatterCategory.objects.get(code="elevator")
    with translation.override("en"):
        assert elevator.label == "Adding a lift" and str(elevator) == "Adding a lift"
    assert elevator.name == "加装电梯"
    client = Client()
    client.force_login(user_with(Role.DISTRICT_ADMIN, tree.d("370202")))
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    page = client.get("/ledgers/").content.decode()
    assert "Homes and owners ledger" in page and "房屋业主台账" not in page
    page = client.get("/affairs/").content.decode()
    assert "Adding a lift" in page
    page = client.get("/places/d/370202/").content.decode()
    assert "Governance at a glance" in page and "Party members" in page
