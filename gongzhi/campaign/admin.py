"""Goal types are data the platform operator edits here (superuser-only: gongzhi.core.admin.lock_unscoped)."""

from __future__ import annotations

from django import forms
from django.contrib import admin

from gongzhi.campaign.models import GoalType
from gongzhi.core.registry import FIGURES


class GoalTypeForm(forms.ModelForm):
    class Meta:
        model = GoalType
        fields = ["code", "name", "figure", "threshold"]

    def clean_figure(self) -> str:
        code = str(self.cleaned_data["figure"]).strip()
        if code and code not in FIGURES:
            raise forms.ValidationError(f"指标目录中没有指标「{code}」")
        return code


@admin.register(GoalType)
class GoalTypeAdmin(admin.ModelAdmin):
    form = GoalTypeForm
    list_display = ["code", "name", "figure", "threshold"]
