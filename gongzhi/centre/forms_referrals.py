"""Forms of the finance referrals: each field checked with a Chinese message; the rules (an approval within
the amount asked, a refusal with its reason, dates in order) are the services' and come back as form errors."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from gongzhi.centre.forms import DATE, _styled
from gongzhi.centre.models import PARTNER_KINDS, Referral
from gongzhi.organisations.models import Organisation

MAX = Decimal("99999999999999")
YUAN = {"min_value": Decimal("0.01"), "max_value": MAX, "decimal_places": 2, "max_digits": 16}


class ReferralForm(forms.Form):
    """Refer a finance request to one of the centre's partners."""

    partner = forms.ModelChoiceField(label=_("合作机构"), queryset=Organisation.objects.none())
    product = forms.ChoiceField(label=_("融资品种"), choices=Referral.Product.choices)
    amount_asked_yuan = forms.DecimalField(label=_("申请金额（元）"), **YUAN)  # type: ignore[arg-type]
    referred_on = forms.DateField(label=_("推介日期"), widget=DATE)

    def __init__(self, *args: Any, partners: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["partner"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = partners
        _styled(self)


class ResultForm(forms.Form):
    """The partner's answer: approved with an amount, declined with a reason, or withdrawn."""

    result = forms.ChoiceField(
        label=_("结果"), choices=[(v, label) for v, label in Referral.Result.choices if v != "pending"]
    )
    answered_on = forms.DateField(label=_("答复日期"), widget=DATE)
    amount_approved_yuan = forms.DecimalField(label=_("批准金额（元）"), required=False, **YUAN)  # type: ignore[arg-type]
    reason = forms.CharField(label=_("原因"), max_length=200, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _styled(self)


class PartnerForm(forms.Form):
    kind = forms.ChoiceField(label=_("机构类型"), choices=list(PARTNER_KINDS.items()))
    name = forms.CharField(label=_("机构名称"), max_length=100)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _styled(self)


class PartnerRenameForm(forms.Form):
    name = forms.CharField(label=_("新名称"), max_length=100)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _styled(self)


class PartnerEndForm(forms.Form):
    ends_on = forms.DateField(label=_("终止日期"), widget=DATE)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _styled(self)
