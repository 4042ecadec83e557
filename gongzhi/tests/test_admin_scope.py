"""Issue 15 item 5: the Django admin crossed districts (online-voting links listed and deleted, raw-id
lookups naming any person, home, user or compound by id). A district administrator with admin access here
walks every registered admin and enumerates the ids of another district's objects: none is listed, opened,
deleted or named, and the admins that have no place to scope by are for superusers only."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.contrib.auth.models import User
from django.db.models import Model
from django.test import Client
from django.urls import reverse

from gongzhi.accounts.roles import Role
from gongzhi.affairs import services as affairs
from gongzhi.affairs.tests.helpers import make_estate, open_vote
from gongzhi.core.admin import ScopedAdmin
from gongzhi.people.models import Person
from gongzhi.tests.factories import SYSTEM, UserFactory, user_with

OTHER = "370203"  # 市北区; the administrator holds 市南区 (370202)


class CountingClient(Client):
    """Counts the requests it sends: the probes figure of the closing note (docs/security.md)."""

    sent = 0

    def request(self, **request):  # type: ignore[no-untyped-def]
        self.sent += 1
        return super().request(**request)


def _path_of(model_admin: admin.ModelAdmin) -> str:
    return getattr(model_admin, "path_field", "path")


@pytest.fixture
def world(tree):  # type: ignore[no-untyped-def]
    estate = make_estate(tree.d("370203005001"), "外区小区")
    for i, person in enumerate(estate.owners):
        Person.objects.filter(pk=person.pk).update(name=f"外区业主{i}号")
    open_vote(estate)
    owner_login = UserFactory.create(username="waiqu-owner")
    affairs.voter_link(user=owner_login, person=estate.owners[0], actor=SYSTEM)
    user_with(Role.SUBDISTRICT_STAFF, tree.d("370203005"), username="waiqu-staff")
    manager = user_with(Role.DISTRICT_ADMIN, tree.d("370202"), is_staff=True)
    c = CountingClient(raise_request_exception=False)
    c.force_login(manager)
    return c


def foreign(model_admin: admin.ModelAdmin) -> list[Model]:
    model = model_admin.model
    if isinstance(model_admin, ScopedAdmin):
        return list(
            model._default_manager.filter(**{f"{_path_of(model_admin)}__startswith": OTHER}).distinct()
        )
    return list(model._default_manager.all()[:20])  # superuser-only: every row is off limits


@pytest.mark.django_db
def test_no_admin_lists_opens_or_deletes_another_districts_objects(world):
    enumerated = 0
    for model, model_admin in admin.site._registry.items():
        info = (model._meta.app_label, model._meta.model_name)
        listing = world.get(reverse("admin:{}_{}_changelist".format(*info)))
        if getattr(model_admin, "staff_visible", False):
            continue  # settings-as-data: no place, the same for every district
        objects = foreign(model_admin)
        if isinstance(model_admin, ScopedAdmin):
            assert listing.status_code == 200, info
        else:
            assert listing.status_code == 403, info
        for obj in objects:
            enumerated += 1
            change = reverse("admin:{}_{}_change".format(*info), args=[obj.pk])
            assert change not in listing.content.decode(), (info, obj.pk)
            assert world.get(change).status_code in (302, 403), (info, obj.pk)
            delete = reverse("admin:{}_{}_delete".format(*info), args=[obj.pk])
            assert world.post(delete, {"post": "yes"}).status_code in (302, 403), (info, obj.pk)
            assert model._default_manager.filter(pk=obj.pk).exists(), (info, obj.pk)
    print(f"\nadmin scope: {enumerated} foreign objects enumerated, {world.sent} requests")
    assert enumerated >= 20


@pytest.mark.django_db
def test_raw_id_lookups_name_nothing_outside_the_district(world):
    from gongzhi.places.models import Building, Compound, Division, Home

    names = {
        Person: Person.objects.filter(name__startswith="外区业主"),
        User: User.objects.filter(username="waiqu-staff"),
        Compound: Compound.objects.filter(path__startswith=OTHER),
        Building: Building.objects.filter(path__startswith=OTHER),
        Home: Home.objects.filter(path__startswith=OTHER),
        Division: Division.objects.filter(path__startswith=OTHER, level__gt=1),
    }
    tried = 0
    for model, model_admin in admin.site._registry.items():
        if not isinstance(model_admin, ScopedAdmin) or not model_admin.raw_id_fields:
            continue
        info = (model._meta.app_label, model._meta.model_name)
        add = reverse("admin:{}_{}_add".format(*info))
        if world.get(add).status_code != 200:
            continue
        for field in model_admin.raw_id_fields:
            related = model._meta.get_field(field).related_model
            assert related is not None and not isinstance(related, str)
            for obj in names.get(related, related._default_manager.none())[:5]:
                tried += 1
                page = world.post(add, {field: obj.pk})
                assert page.status_code in (200, 403), (info, field, obj.pk)
                assert str(obj) not in page.content.decode(), (info, field, obj.pk)
    print(f"\nadmin raw-id lookups: {tried} foreign ids posted, {world.sent} requests")
    assert tried >= 10


@pytest.mark.django_db
def test_lookup_popups_and_autocomplete_of_unscoped_models_are_refused(world):
    for url in (
        "/admin/people/person/?_to_field=id&_popup=1",
        "/admin/auth/user/?_to_field=id&_popup=1",
        "/admin/autocomplete/?app_label=people&model_name=ownership&field_name=person&term=外区",
    ):
        assert world.get(url).status_code in (403, 404), url
    print(f"\nadmin popups and autocomplete: {world.sent} requests")
