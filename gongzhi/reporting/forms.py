"""Forms of the 双报到 pages: they parse types only; the rules (gongzhi.reporting.rules) are the services'."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from gongzhi.reporting.models import ResourceKind, Skill, Urgency


def skill_choices() -> list[tuple[str, str]]:
    return list(Skill.objects.filter(active=True).values_list("code", "name"))


class ReportForm(forms.Form):
    """Skills are free strings checked against the vocabulary by the service (an unknown code is named)."""

    skills = forms.MultipleChoiceField(
        label=_("技能特长"), required=False, widget=forms.CheckboxSelectMultiple
    )
    strengths = forms.CharField(label=_("特长说明"), required=False, max_length=200)
    hours_month = forms.IntegerField(label=_("每月可服务时长（小时）"))
    weekdays = forms.BooleanField(label=_("工作日可服务"), required=False)
    weekends = forms.BooleanField(label=_("周末可服务"), required=False, initial=True)
    workplace = forms.CharField(label=_("工作单位"), required=False, max_length=100)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["skills"]
        assert isinstance(field, forms.MultipleChoiceField)
        field.choices = skill_choices()
        field.valid_value = lambda value: True  # type: ignore[method-assign]  # the service names unknown skills


class NeedForm(forms.Form):
    title = forms.CharField(label=_("需求"), max_length=100)
    detail = forms.CharField(
        label=_("说明"), required=False, max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )
    skills = forms.MultipleChoiceField(
        label=_("所需技能"), required=False, widget=forms.CheckboxSelectMultiple
    )
    hours = forms.IntegerField(label=_("所需总时长（小时）"))
    per_member = forms.IntegerField(label=_("每人时长（小时）"), initial=4)
    starts_on = forms.DateField(label=_("开始日期"), widget=forms.DateInput(attrs={"type": "date"}))
    ends_on = forms.DateField(label=_("截止日期"), widget=forms.DateInput(attrs={"type": "date"}))
    urgency = forms.TypedChoiceField(label=_("紧急程度"), choices=Urgency.choices, coerce=int, initial=0)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["skills"]
        assert isinstance(field, forms.MultipleChoiceField)
        field.choices = skill_choices()
        field.valid_value = lambda value: True  # type: ignore[method-assign]
        _styled(self)


def _styled(form: forms.Form) -> None:
    for f in form.fields.values():
        if not isinstance(f.widget, forms.CheckboxSelectMultiple | forms.CheckboxInput):
            f.widget.attrs.setdefault(
                "class", "form-select" if isinstance(f.widget, forms.Select) else "form-control"
            )


class RecordForm(forms.Form):
    served_on = forms.DateField(label=_("服务日期"), widget=forms.DateInput(attrs={"type": "date"}))
    hours = forms.DecimalField(label=_("服务时长（小时）"), max_digits=6, decimal_places=1)
    note = forms.CharField(label=_("服务内容"), required=False, max_length=200)


class SkillForm(forms.Form):
    code = forms.CharField(label=_("代码"), max_length=32)
    name = forms.CharField(label=_("名称"), max_length=32)
    active = forms.BooleanField(label=_("启用"), required=False, initial=True)


class ResourceForm(forms.Form):
    kind = forms.ChoiceField(label=_("类别"), choices=ResourceKind.choices)
    name = forms.CharField(label=_("名称"), max_length=100)
    quantity = forms.CharField(label=_("数量或金额"), required=False, max_length=50)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _styled(self)


class ProjectForm(forms.Form):
    """The compound is one of the unit's contact points (given by the view)."""

    compound = forms.ChoiceField(label=_("小区"))
    title = forms.CharField(label=_("项目"), max_length=100)
    progress = forms.IntegerField(label=_("进度（%）"), initial=0)
    adopted_on = forms.DateField(label=_("认领日期"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args: Any, compounds: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["compound"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = compounds
        _styled(self)


class PostForm(forms.Form):
    name = forms.CharField(label=_("岗位"), max_length=50)
    quota = forms.IntegerField(label=_("名额"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _styled(self)


class HoursForm(forms.Form):
    from_year = forms.IntegerField(label=_("起始年度"))
    min_hours = forms.IntegerField(label=_("每年最低服务时长（小时）"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _styled(self)
