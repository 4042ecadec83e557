from django.contrib import admin
from django.db.models import Q

from gongzhi.core.admin import ScopedAdmin, register_lookup_scope
from gongzhi.core.registry import access
from gongzhi.people.models import AccessLog, Ownership, Person, Residence, SecurityAlert
from gongzhi.places.models import Home


def _persons_in_scope(user, qs, action):  # type: ignore[no-untyped-def]
    """A person is in scope where they own or live in a home there."""
    homes = access().scoped(user, Home.objects.all(), action, "path")
    return qs.filter(Q(ownerships__home__in=homes) | Q(residences__home__in=homes)).distinct()


register_lookup_scope(Person, _persons_in_scope)


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["name", "kind"]
    search_fields = ["name", "pinyin", "initials"]
    exclude = ["pinyin", "initials"]

    def has_module_permission(self, request):  # type: ignore[no-untyped-def]
        # Persons are scoped through their homes; the admin list is for platform operators only.
        return bool(request.user.is_superuser)


@admin.register(Ownership)
class OwnershipAdmin(ScopedAdmin):
    path_field = "home__path"
    list_display = ["home", "person", "share"]
    raw_id_fields = ["home", "person"]
    exclude = ["compound_id_cache"]


@admin.register(Residence)
class ResidenceAdmin(ScopedAdmin):
    path_field = "home__path"
    list_display = ["home", "person", "relation"]
    raw_id_fields = ["home", "person"]


@admin.register(AccessLog)
class AccessLogAdmin(admin.ModelAdmin):
    list_display = ["at", "user", "person", "fields", "purpose"]
    readonly_fields = ["at", "user", "person", "fields", "purpose"]

    def has_module_permission(self, request):  # type: ignore[no-untyped-def]
        return bool(request.user.is_superuser)


@admin.register(SecurityAlert)
class SecurityAlertAdmin(admin.ModelAdmin):
    """Read-only for now: the security administrator's page (accounts roles) will mark alerts seen."""

    list_display = ["at", "kind", "user", "message", "seen_at"]
    list_filter = ["kind"]

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False
