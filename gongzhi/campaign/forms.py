"""Campaign forms, rendered bare (templates add Bootstrap classes with data-gz-controls)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from gongzhi.campaign.models import Campaign, GoalType, Measure, Phase
from gongzhi.places.models import Compound, Division


class ReportForm(forms.Form):
    progress = forms.DecimalField(
        label=_("进度（%）"), min_value=Decimal("0"), max_value=Decimal("100"), decimal_places=1
    )
    on = forms.DateField(label=_("日期"), widget=forms.DateInput(attrs={"type": "date"}))
    note = forms.CharField(label=_("说明"), max_length=500, required=False)
    evidence = forms.FileField(label=_("佐证材料（pdf、jpg、png、docx、xlsx，≤10 MB）"), required=False)


class TargetForm(forms.Form):
    title = forms.CharField(label=_("攻坚目标"), max_length=200)
    place = forms.CharField(label=_("小区编码或社区代码"), max_length=16)
    phase = forms.ModelChoiceField(Phase.objects.none(), label=_("阶段"))
    measure = forms.ModelChoiceField(Measure.objects.none(), label=_("举措"))
    goal_type = forms.ModelChoiceField(GoalType.objects.all(), label=_("目标类型"))
    owner = forms.CharField(label=_("责任人"), max_length=100)
    deadline = forms.DateField(label=_("完成时限"), widget=forms.DateInput(attrs={"type": "date"}))
    weight = forms.DecimalField(
        label=_("权重"), min_value=Decimal("0"), max_value=Decimal("100"), initial=1, decimal_places=2
    )

    def __init__(self, data: Any = None, *, campaign: Campaign) -> None:
        super().__init__(data)
        self.fields["phase"].queryset = campaign.phases.all()  # type: ignore[attr-defined]
        self.fields["measure"].queryset = campaign.measures.all()  # type: ignore[attr-defined]

    def clean_place(self) -> Compound | Division:
        code = self.cleaned_data["place"].strip()
        if not code.isdigit():
            raise forms.ValidationError(_("请填写数字编码"))
        found = (
            Compound.objects.filter(code=code).first()
            or Division.objects.filter(code=code, level__in=("community", "village")).first()
        )
        if found is None:
            raise forms.ValidationError(_("没有这个小区或社区"))
        return found
