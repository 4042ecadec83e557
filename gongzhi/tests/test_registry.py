"""The plug-in registry: apps' registrations add up to the permission table, the navigation and the ledgers."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from gongzhi.accounts.roles import PERMISSIONS, READ_ONLY_ROLES, Role, granted_roles
from gongzhi.core import registry
from gongzhi.tests.factories import user_with

STAFF = {
    "place.view",
    "place.edit",
    "person.view",
    "person.unmask",
    "person.edit",
    "party.view",
    "party.edit",
    "matter.raise",
    "matter.manage",
    "vote.manage",
    "ledger.import",
    "ledger.export",
}
# The table as it stood before the apps registered their own actions: the registrations must add up to it.
BEFORE = {
    Role.DISTRICT_ADMIN: STAFF | {"settings.edit", "users.manage"},
    Role.SUBDISTRICT_STAFF: STAFF | {"users.manage"},
    Role.COMMUNITY_WORKER: STAFF,
    Role.PARTY_SECRETARY: {
        "place.view",
        "person.view",
        "party.view",
        "party.edit",
        "matter.raise",
        "matter.manage",
        "vote.manage",
        "ledger.export",
    },
    Role.BUILDING_LEADER: {"place.view", "person.view", "party.view", "matter.raise"},
    Role.COMMITTEE_MEMBER: {"place.view", "person.view", "matter.raise", "matter.manage", "vote.manage"},
    Role.PROPERTY_STAFF: {"place.view", "matter.raise", "matter.take"},  # taking a matter on (issue 9)
    Role.PARTY_MEMBER: {"place.view", "party.view", "matter.raise"},
    Role.RESIDENT: {"place.view", "matter.raise"},
    # Separation of duties (accounts/duties.py): the audit roles only read.
    Role.SYSTEM_ADMIN: {"place.view", "matter.raise", "settings.edit", "users.manage"},
    Role.SECURITY_ADMIN: {"place.view", "matter.raise", "security.manage"},
    Role.AUDIT_ADMIN: {"place.view", "audit.view"},
    Role.AUDIT_READER: {"place.view", "audit.view"},
}


FOUNDING = {"places", "people", "party", "affairs", "ledgers", "accounts"}


def test_the_apps_registrations_make_the_permission_table() -> None:
    """The founding apps' registrations add up to the old table; later apps (reporting …) pin their own."""
    founding = {code for code, spec in registry.ACTIONS.items() if spec.app in FOUNDING}
    table = {role: set(PERMISSIONS[role]) & founding for role in BEFORE}  # later systems' roles add theirs
    # governance.view came later: the 驾驶舱 and 小区治理 pages, the governance roles' (these thirteen).
    assert table == {str(k): v | {"governance.view"} for k, v in BEFORE.items()}
    assert {spec.app for spec in registry.ACTIONS.values()} >= FOUNDING


def test_an_action_belongs_to_one_app() -> None:
    spec = registry.ACTIONS["place.view"]
    with pytest.raises(ValueError, match="registered by places and intruder"):
        registry.register_actions("intruder", spec)


def test_the_ledgers_are_registered_by_their_apps() -> None:
    from gongzhi.ledgers.importer import all_ledgers

    assert set(registry.LEDGERS) >= {"homes", "party"}
    assert {ledger.slug for ledger in all_ledgers()} == set(registry.LEDGERS)


@pytest.mark.django_db
@pytest.mark.parametrize("role", granted_roles())
def test_navigation_offers_only_links_the_role_can_open(tree: Any, role: str) -> None:
    places: dict[str, Any] = {
        Role.DISTRICT_ADMIN: tree.d("370202"),
        Role.SUBDISTRICT_STAFF: tree.d("370202001"),
        Role.COMMUNITY_WORKER: tree.d("370202001001"),
        Role.BUILDING_LEADER: tree.compounds[0].buildings.first(),
    }
    place = places.get(role, tree.compounds[0])
    user = user_with(role, place)
    client = Client()
    client.force_login(user)
    shown = registry.navigation(user)
    assert shown, role
    page = client.get("/", follow=True).content.decode()
    for entry in registry.NAVIGATION:
        url = reverse(entry.url_name)
        if entry in shown:
            assert f'href="{url}"' in page, (role, url)
            assert client.get(url, follow=True).status_code == 200, (role, url)
        else:
            assert url == "/" or f'href="{url}"' not in page, (role, url)  # "/": the brand, on every page
            # A hidden page either refuses, or is open to every signed-in user showing only their scope (the
            # matter list for the read-only audit roles, who may not raise a matter: accounts/duties.py), or
            # is "/", which sends a role of another system to its own start page.
            rule = registry.RULES.get(entry.url_name)
            signed_in = rule == registry.Rule(registry.SIGNED_IN)
            reads = rule is not None and rule.action in (registry.SIGNED_IN, "governance.view")
            open_to_all = (reads and role in READ_ONLY_ROLES) or (signed_in and url == "/")
            allowed = (403, 404, 200) if open_to_all else (403, 404)
            assert client.get(url, follow=True).status_code in allowed, (role, url)


def test_anonymous_users_get_no_navigation() -> None:
    assert registry.navigation(None) == []


def test_one_registry_of_person_sections_each_shown_to_its_audience(monkeypatch: Any) -> None:
    """register_person_section is the one registry for the staff person page and the person's own page."""
    monkeypatch.setattr(registry, "PERSON_SECTIONS", [])
    monkeypatch.setattr(
        registry, "_load", lambda target: lambda viewer, pk: [registry.PersonSection(target, [])]
    )
    registry.register_person_section("a:staff", 20)
    registry.register_person_section("a:own", 10, shown_to=(registry.SELF,))
    registry.register_person_section("a:both", 30, shown_to=(registry.SELF, registry.STAFF))
    registry.register_person_section("a:staff", 20)  # registering twice keeps one
    assert [s.title for s in registry.person_sections(None, 1)] == ["a:staff", "a:both"]
    assert [s.title for s in registry.person_sections(None, 1, registry.SELF)] == ["a:own", "a:both"]
    with pytest.raises(ValueError, match="unknown audiences"):
        registry.register_person_section("a:x", shown_to=("everyone",))


def test_navigation_gathers_entries_into_their_groups(monkeypatch: Any) -> None:
    """Groups are data: an entry names its group; a group with one usable entry shows as that entry."""
    monkeypatch.setattr(registry, "NAVIGATION", [])
    monkeypatch.setattr(registry, "NAV_GROUPS", {})
    menu = registry.NavGroup("m", "菜单", 20)
    solo = registry.NavGroup("s", "单项", 5)
    registry.register_nav(
        registry.NavEntry("乙", "b", ("x",), 2, menu),
        registry.NavEntry("甲", "a", ("x",), 1, menu),
        registry.NavEntry("丙", "c", ("x",), 1, solo),
        registry.NavEntry("丁", "d", ("x",), 10),
        registry.NavEntry("戊", "e", ("y",), 3, menu),
    )

    class Access:
        def can(self, user: Any, action: str, obj: Any = None) -> bool:
            return action == "x"

    monkeypatch.setattr(registry, "access", lambda: Access())
    user = type("U", (), {"is_authenticated": True})()
    bar = registry.navigation_menu(user)
    assert [(m.label, m.is_group, [e.url_name for e in m.entries]) for m in bar] == [
        ("丙", False, ["c"]),
        ("丁", False, ["d"]),
        ("菜单", True, ["a", "b"]),
    ]
    with pytest.raises(ValueError, match="declared twice"):
        registry.register_nav(registry.NavEntry("己", "f", ("x",), 1, registry.NavGroup("m", "别的", 20)))
