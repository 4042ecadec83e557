"""The bulletin template form: the codes are chosen from the catalogue, the body is checked in the sandbox."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from gongzhi.dashboard.models import BulletinTemplate
from gongzhi.insights.registry import catalogue


def _choices() -> list[tuple[str, str]]:
    return [(f.code, f"{f.label_zh}（{f.code}）") for f in catalogue()]


class BulletinTemplateForm(forms.Form):
    title = forms.CharField(label=_("标题"), max_length=100)
    body = forms.CharField(label=_("正文模板"), widget=forms.Textarea(attrs={"rows": 12}), max_length=5000)
    table_figures = forms.MultipleChoiceField(
        label=_("表格指标"), choices=_choices, widget=forms.SelectMultiple(attrs={"size": 8})
    )
    chart_figure = forms.ChoiceField(label=_("图表指标"), choices=_choices)

    def __init__(self, data: Any = None, *, instance: BulletinTemplate) -> None:
        initial = {
            "title": instance.title,
            "body": instance.body,
            "table_figures": instance.figure_codes(),
            "chart_figure": instance.chart_figure,
        }
        super().__init__(data, initial=initial)
