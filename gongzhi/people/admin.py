from django.contrib import admin

from gongzhi.core.admin import ScopedAdmin
from gongzhi.people.models import AccessLog, Ownership, Person, Residence


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
