"""Admin for places: edits go through the services (paths, counters, pinyin, history stay right).

New compounds, buildings and homes come from the services or a ledger import, never from a bare admin
form, so the admin offers changes only.
"""

from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext as _

from gongzhi.core import jsonsafe
from gongzhi.core.actors import stamp
from gongzhi.core.admin import ScopedAdmin
from gongzhi.places.geo import validate_outline
from gongzhi.places.models import Building, Compound, Division, Home
from gongzhi.places.services import compound_refresh_figures, compound_update


class ChangeOnlyAdmin(ScopedAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(Division)
class DivisionAdmin(ChangeOnlyAdmin):
    list_display = ["code", "name", "level", "compounds_count", "homes_count"]
    list_filter = ["level"]
    search_fields = ["code", "name", "pinyin", "initials"]
    fields = ("code", "name", "level", "parent", "path", "compounds_count", "buildings_count", "homes_count")
    readonly_fields = fields  # divisions change only by loading the official file (load_divisions)


class BoundedJSONField(forms.JSONField):
    """Django's JSON form field with the nesting bound of gongzhi.core.jsonsafe."""

    def to_python(self, value: Any) -> Any:
        if isinstance(value, str) and jsonsafe.depth(value) > jsonsafe.MAX_DEPTH:
            raise forms.ValidationError(_("JSON 嵌套超过 %(depth)d 层") % {"depth": jsonsafe.MAX_DEPTH})
        return super().to_python(value)

    def bound_data(self, data: Any, initial: Any) -> Any:
        if isinstance(data, str) and jsonsafe.depth(data) > jsonsafe.MAX_DEPTH:
            return data
        return super().bound_data(data, initial)


class CompoundForm(forms.ModelForm):
    outline = BoundedJSONField(required=False)

    class Meta:
        model = Compound
        fields = ["name", "address", "management_type", "first_delivered_on", "outline"]

    def clean_outline(self) -> Any:
        value = self.cleaned_data.get("outline")
        return validate_outline(value) if value else None


@admin.register(Compound)
class CompoundAdmin(ChangeOnlyAdmin):
    form = CompoundForm
    list_display = ["code", "name", "community", "management_type", "buildings_count", "homes_count"]
    list_filter = ["management_type"]
    search_fields = ["code", "name", "pinyin", "initials"]
    fields = [
        "code",
        "community",
        "name",
        "address",
        "management_type",
        "first_delivered_on",
        "outline",
        "total_area",
        "delivered_area",
        "owners_total",
        "owners_delivered",
        "buildings_count",
        "homes_count",
    ]
    readonly_fields = [
        "code",
        "community",
        "total_area",
        "delivered_area",
        "owners_total",
        "owners_delivered",
        "buildings_count",
        "homes_count",
    ]

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        compound_update(
            actor=request.user, compound=obj, **{name: form.cleaned_data[name] for name in form.changed_data}
        )


@admin.register(Building)
class BuildingAdmin(ChangeOnlyAdmin):
    list_display = ["compound", "number", "units", "floors", "has_elevator", "homes_count"]
    fields = ["compound", "number", "units", "floors", "has_elevator", "homes_count"]
    readonly_fields = ["compound", "homes_count"]


@admin.register(Home)
class HomeAdmin(ChangeOnlyAdmin):
    list_display = ["compound", "building", "unit_no", "room", "area", "delivered"]
    fields = ["compound", "building", "unit_no", "room", "floor", "area", "delivered"]
    readonly_fields = ["compound", "building", "unit_no"]

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        stamp(obj, request.user, "admin")
        super().save_model(request, obj, form, change)
        compound_refresh_figures(compound_id=obj.compound_id)  # area and delivery feed the owners' figures
