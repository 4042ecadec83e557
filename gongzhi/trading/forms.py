"""The listing form: every field checked with a Chinese message; the rules of publication are in services."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from gongzhi.trading.models import Kind


class ListingForm(forms.Form):
    village = forms.CharField(label=_("村（区划代码）"), max_length=12)
    code = forms.RegexField(label=_("挂牌编号"), regex=r"^[A-Za-z0-9-]{3,32}$", max_length=32)
    title = forms.CharField(label=_("标的名称"), max_length=200)
    kind = forms.ChoiceField(label=_("类别"), choices=Kind.choices)
    area_mu = forms.DecimalField(label=_("面积（亩）"), min_value=0, max_digits=12, decimal_places=2)
    term_years = forms.IntegerField(label=_("流转年限"), min_value=1, max_value=30)
    reserve_yuan = forms.IntegerField(label=_("底价（元）"), min_value=1, max_value=10**12)
    step_yuan = forms.IntegerField(label=_("加价幅度（元）"), min_value=1, max_value=10**11)
    previous_income_yuan = forms.IntegerField(label=_("原收益（元，无则填0）"), min_value=0, max_value=10**12)
    decision = forms.IntegerField(
        label=_("四议两公开决策编号"),
        min_value=1,
        max_value=2**62,
        help_text=_("村集体三资中该村“资产资源发包、租赁”决策的编号，六个步骤须已完成"),
    )
    publish_from = forms.DateField(label=_("公告开始"))
    publish_until = forms.DateField(label=_("公告截止"))


def whole_yuan(raw: str | None, label: str) -> int:
    """A positive whole-yuan amount from a form, or ValueError with a Chinese message."""
    text = (raw or "").strip().replace(",", "")
    if not text.isdigit() or len(text) > 13 or int(text) <= 0:
        raise ValueError(_("%(f)s须为正整数（元）") % {"f": label})
    return int(text)


class ContractForm(forms.Form):
    """签订流转合同: the listed asset or resource of the collective, the number, the dates, the schedule."""

    subject = forms.ChoiceField(label=_("标的（村集体资产或资源）"))
    code = forms.RegexField(label=_("合同编号"), regex=r"^[A-Za-z0-9-]{3,40}$", max_length=40)
    signed_on = forms.DateField(label=_("签约日期"))
    starts_on = forms.DateField(label=_("合同起始日期"))
    yearly = forms.TypedChoiceField(
        label=_("价款支付"),
        choices=[("0", _("一次性付清")), ("1", _("按年分期"))],
        coerce=lambda v: v == "1",
    )

    def __init__(self, *args: object, subjects: list[tuple[str, str]], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["subject"].choices = subjects  # type: ignore[attr-defined]
