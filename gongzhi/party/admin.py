from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from gongzhi.party.models import PartySetting


@admin.register(PartySetting)
class PartySettingAdmin(SimpleHistoryAdmin):
    list_display = ["key", "value", "effective_from", "place_name", "note"]
    list_filter = ["key"]
    readonly_fields = ["created_by", "created_at"]
