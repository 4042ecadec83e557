from django.contrib import admin

from gongzhi.core.admin import ScopedAdmin
from gongzhi.places.models import Building, Compound, Division, Home


@admin.register(Division)
class DivisionAdmin(ScopedAdmin):
    list_display = ["code", "name", "level", "compounds_count", "homes_count"]
    list_filter = ["level"]
    search_fields = ["code", "name", "pinyin", "initials"]
    readonly_fields = ["path", "compounds_count", "buildings_count", "homes_count", "pinyin", "initials"]


@admin.register(Compound)
class CompoundAdmin(ScopedAdmin):
    list_display = ["code", "name", "community", "management_type", "buildings_count", "homes_count"]
    list_filter = ["management_type"]
    search_fields = ["code", "name", "pinyin", "initials"]
    raw_id_fields = ["community"]
    readonly_fields = ["path", "compounds_count", "buildings_count", "homes_count", "pinyin", "initials"]


@admin.register(Building)
class BuildingAdmin(ScopedAdmin):
    list_display = ["compound", "number", "units", "floors", "has_elevator", "homes_count"]
    raw_id_fields = ["compound"]
    readonly_fields = ["path", "homes_count"]


@admin.register(Home)
class HomeAdmin(ScopedAdmin):
    list_display = ["compound", "building", "unit_no", "room", "area", "delivered"]
    raw_id_fields = ["building", "compound"]
    readonly_fields = ["path"]
