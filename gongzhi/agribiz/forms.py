"""The registry's forms: every field checked with a Chinese message; the rules of law are in rules.py."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from gongzhi.agribiz.models import Grade, Product


class _Products(forms.ModelMultipleChoiceField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(
            queryset=Product.objects.all(),
            required=False,
            label=_("主要产品"),
            to_field_name="code",
            widget=forms.SelectMultiple(attrs={"class": "form-select"}),
            **kwargs,
        )


class _Graded(forms.Form):
    products = _Products()
    grade = forms.ChoiceField(
        label=_("示范等级"),
        choices=Grade.choices,
        required=False,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    grade_year = forms.IntegerField(label=_("评定年度"), min_value=1990, max_value=2100, required=False)


class CoopForm(_Graded):
    field_order = ["village", "name", "credit_code", "rep_name", "rep_id_number", "founded_on"]

    village = forms.RegexField(label=_("村（区划代码）"), regex=r"^\d{9,12}$", max_length=12)
    name = forms.CharField(label=_("合作社名称"), max_length=100)
    credit_code = forms.CharField(label=_("统一社会信用代码"), max_length=18, min_length=18)
    rep_name = forms.CharField(label=_("法定代表人姓名"), max_length=100)
    rep_id_number = forms.CharField(label=_("法定代表人身份证号"), max_length=18, min_length=18)
    founded_on = forms.DateField(label=_("成立日期"))
    members_count = forms.IntegerField(label=_("成员数"), min_value=0, max_value=100_000)
    land_mu = forms.DecimalField(label=_("经营土地（亩）"), min_value=0, max_digits=12, decimal_places=2)


class CoopEditForm(_Graded):
    field_order = ["members_count", "land_mu"]

    members_count = forms.IntegerField(label=_("成员数"), min_value=0, max_value=100_000)
    land_mu = forms.DecimalField(label=_("经营土地（亩）"), min_value=0, max_digits=12, decimal_places=2)


class FarmForm(_Graded):
    field_order = ["village", "code", "name", "operator_name", "operator_id_number", "credit_code"]

    village = forms.RegexField(label=_("村（区划代码）"), regex=r"^\d{9,12}$", max_length=12)
    code = forms.RegexField(label=_("名录编号"), regex=r"^[A-Za-z0-9-]{3,32}$", max_length=32)
    name = forms.CharField(label=_("家庭农场名称"), max_length=100)
    operator_name = forms.CharField(label=_("经营者姓名"), max_length=100)
    operator_id_number = forms.CharField(label=_("经营者身份证号"), max_length=18, min_length=18)
    credit_code = forms.CharField(label=_("统一社会信用代码（个体可不填）"), max_length=18, required=False)
    registered_on = forms.DateField(label=_("登记日期"))
    land_own_mu = forms.DecimalField(
        label=_("自有承包地（亩）"), min_value=0, max_digits=10, decimal_places=2
    )
    land_transferred_mu = forms.DecimalField(
        label=_("流转土地（亩）"), min_value=0, max_digits=10, decimal_places=2
    )
    labour = forms.IntegerField(label=_("家庭劳动力（人）"), min_value=0, max_value=99)


class FarmEditForm(_Graded):
    field_order = ["name", "land_own_mu", "land_transferred_mu", "labour"]

    name = forms.CharField(label=_("家庭农场名称"), max_length=100)
    land_own_mu = forms.DecimalField(
        label=_("自有承包地（亩）"), min_value=0, max_digits=10, decimal_places=2
    )
    land_transferred_mu = forms.DecimalField(
        label=_("流转土地（亩）"), min_value=0, max_digits=10, decimal_places=2
    )
    labour = forms.IntegerField(label=_("家庭劳动力（人）"), min_value=0, max_value=99)


class CoopReportForm(forms.Form):
    year = forms.IntegerField(label=_("年度"), min_value=1990, max_value=2100)
    members = forms.IntegerField(label=_("成员数"), min_value=0, max_value=100_000)
    revenue_yuan = forms.IntegerField(label=_("经营收入（元）"), min_value=0, max_value=10**12)
    surplus_returned_yuan = forms.IntegerField(
        label=_("按交易量返还成员的盈余（元）"), min_value=0, max_value=10**12
    )
    land_mu = forms.DecimalField(label=_("经营土地（亩）"), min_value=0, max_digits=12, decimal_places=2)


class FarmReportForm(forms.Form):
    year = forms.IntegerField(label=_("年度"), min_value=1990, max_value=2100)
    revenue_yuan = forms.IntegerField(label=_("经营收入（元）"), min_value=0, max_value=10**12)
    land_mu = forms.DecimalField(label=_("经营土地（亩）"), min_value=0, max_digits=12, decimal_places=2)
    labour = forms.IntegerField(label=_("劳动力（人）"), min_value=0, max_value=99)


class MemberJoinForm(forms.Form):
    """One member joins (入社): name, optional ID number (checked by the service), date."""

    name = forms.CharField(label=_("成员姓名"), max_length=100)
    id_number = forms.CharField(label=_("身份证号"), max_length=18, required=False)
    joined_on = forms.DateField(
        label=_("入社日期"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


class MemberLeaveForm(forms.Form):
    """One member leaves (退社); below five members the leaving needs `confirm`."""

    member = forms.IntegerField(min_value=1, max_value=2**63 - 1, widget=forms.HiddenInput)
    left_on = forms.DateField(label=_("退社日期"), widget=forms.DateInput(attrs={"type": "date"}))
    confirm = forms.BooleanField(label=_("确认成员已退社（成员将少于五名）"), required=False)
