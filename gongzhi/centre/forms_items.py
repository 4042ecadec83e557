"""The catalogue item's form: each field checked with a Chinese message; the rules are the service's and come
back as form errors."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from gongzhi.centre.forms import _styled
from gongzhi.centre.models import ServiceItem
from gongzhi.centre.rules import ITEM_LIMIT_MAX, ITEM_TEXT_MAX


class ServiceItemForm(forms.Form):
    category = forms.ChoiceField(label=_("类别"), choices=ServiceItem.Category.choices)
    name = forms.CharField(label=_("事项"), max_length=ITEM_TEXT_MAX)
    handler = forms.CharField(label=_("承办部门或银行"), max_length=ITEM_TEXT_MAX)
    limit_days = forms.IntegerField(label=_("时限（工作日）"), min_value=1, max_value=ITEM_LIMIT_MAX)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _styled(self)
