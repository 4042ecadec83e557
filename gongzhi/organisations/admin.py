from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from gongzhi.organisations.models import Coverage, Organisation, Seat


class SeatInline(admin.TabularInline):
    model = Seat
    extra = 0
    raw_id_fields = ["person"]


class CoverageInline(admin.TabularInline):
    model = Coverage
    extra = 0
    raw_id_fields = ["division", "compound", "building"]
    readonly_fields = ["path"]


@admin.register(Organisation)
class OrganisationAdmin(SimpleHistoryAdmin):
    """Read and audit here; writes belong to each kind's own pages and services."""

    list_display = ["code", "name", "kind", "founded_on", "ended_on", "path"]
    list_filter = ["kind"]
    search_fields = ["code", "name", "initials"]
    raw_id_fields = ["parent"]
    inlines = [CoverageInline, SeatInline]
