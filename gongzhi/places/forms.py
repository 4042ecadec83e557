"""Forms for registering compounds and buildings from the place browser."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from gongzhi.core import jsonsafe
from gongzhi.places.geo import validate_outline
from gongzhi.places.models import Building, Compound, ManagementType


class CompoundForm(forms.Form):
    name = forms.CharField(label=_("小区名称"), max_length=100)
    address = forms.CharField(label=_("地址"), max_length=200, required=False)
    management_type = forms.ChoiceField(label=_("物业管理方式"), choices=ManagementType.choices)
    first_delivered_on = forms.DateField(
        label=_("首次交付日期"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    outline = forms.CharField(
        label=_("边界（GeoJSON，可选）"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "class": "form-control font-monospace small"}),
        help_text=_("粘贴测绘部门提供的 GeoJSON 多边形（WGS 84 经纬度）。"),
    )

    def __init__(self, *args: Any, community: Any = None, instance: Compound | None = None, **kwargs: Any):
        if instance is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "name": instance.name,
                "address": instance.address,
                "management_type": instance.management_type,
                "first_delivered_on": instance.first_delivered_on,
                "outline": json.dumps(instance.outline, ensure_ascii=False) if instance.outline else "",
            }
        super().__init__(*args, **kwargs)
        self.community = community if community is not None else (instance.community if instance else None)
        self.instance = instance
        for field in self.fields.values():
            field.widget.attrs.setdefault("class", "form-control")
        self.fields["management_type"].widget.attrs["class"] = "form-select"

    def clean_name(self) -> str:
        name = str(self.cleaned_data["name"]).strip()
        if not name:
            raise ValidationError(_("请填写小区名称。"))
        clash = Compound.objects.filter(community=self.community, name=name)
        if self.instance is not None:
            clash = clash.exclude(pk=self.instance.pk)
        if clash.exists():
            raise ValidationError(_("本社区已有同名小区。"))
        return name

    def clean_outline(self) -> dict[str, Any] | None:
        text = str(self.cleaned_data.get("outline") or "").strip()
        if not text:
            return None
        try:
            value = jsonsafe.loads(text)  # bounded nesting (issue 15)
        except json.JSONDecodeError as exc:
            raise ValidationError(_("不是有效的 JSON：%(err)s") % {"err": exc.msg}) from exc
        except ValueError as exc:
            raise ValidationError(str(exc)) from exc
        return validate_outline(value)


class BuildingForm(forms.Form):
    number = forms.CharField(label=_("楼号"), max_length=32, help_text=_("如：3号楼"))
    units = forms.IntegerField(label=_("单元数"), min_value=1, max_value=20, initial=2)
    floors = forms.IntegerField(label=_("层数"), min_value=1, max_value=80, initial=6)
    per_floor = forms.IntegerField(label=_("每层每单元户数"), min_value=1, max_value=12, initial=2)
    area = forms.DecimalField(
        label=_("每户专有部分面积（㎡）"),
        min_value=Decimal("0.01"),
        max_digits=10,
        decimal_places=2,
        initial=90,
    )
    has_elevator = forms.BooleanField(label=_("有电梯"), required=False)

    def __init__(self, *args: Any, compound: Compound, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.compound = compound
        for name, field in self.fields.items():
            field.widget.attrs.setdefault(
                "class", "form-check-input" if name == "has_elevator" else "form-control"
            )

    def clean_number(self) -> str:
        number = str(self.cleaned_data["number"]).strip()
        if Building.objects.filter(compound=self.compound, number=number).exists():
            raise ValidationError(_("本小区已有这个楼号。"))
        return number
