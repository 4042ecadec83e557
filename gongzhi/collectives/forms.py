"""Forms of the collectives pages: every field checked with a Chinese message; the rules are in services."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from gongzhi.collectives.models import Account, Asset, ContractKind, Decision, Entry, MatterKind, Resource

YUAN = {"min_value": 1, "max_value": 10**12}
VOTES = {"min_value": 0, "max_value": 100_000, "required": False}


def _decisions(path: str) -> list[tuple[str, Any]]:
    rows = Decision.objects.filter(path=path).order_by("-opened_on", "-id")[:100]
    return [("", _("（无）")), *((str(d.pk), f"{d.title}（{d.steps_done}/6）") for d in rows)]


def _choose(field: Any, choices: list[tuple[str, Any]]) -> None:
    field.choices = choices


class ContractForm(forms.Form):
    code = forms.RegexField(label=_("合同编号"), regex=r"^[A-Za-z0-9-]{3,40}$", max_length=40)
    kind = forms.ChoiceField(label=_("方式"), choices=ContractKind.choices)
    subject = forms.ChoiceField(label=_("资产或资源"))
    party = forms.CharField(label=_("承包（承租）方"), max_length=100)
    starts_on = forms.DateField(label=_("起始日期"))
    ends_on = forms.DateField(label=_("到期日期"))
    annual_yuan = forms.IntegerField(label=_("年租金（承包费，元）"), **YUAN)  # type: ignore[arg-type]
    decision = forms.ChoiceField(label=_("依据的四议两公开决策"), required=False)

    def __init__(self, *args: Any, subjects: list[tuple[str, str]], path: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choose(self.fields["subject"], subjects)
        _choose(self.fields["decision"], _decisions(path))


class EntryForm(forms.Form):
    account = forms.ChoiceField(label=_("账户"))
    on = forms.DateField(label=_("日期"))
    direction = forms.ChoiceField(label=_("收支"), choices=Entry.Direction.choices)
    amount_yuan = forms.IntegerField(label=_("金额（元）"), **YUAN)  # type: ignore[arg-type]
    summary = forms.CharField(label=_("摘要"), max_length=200)
    decision = forms.ChoiceField(label=_("依据的四议两公开决策"), required=False)

    def __init__(self, *args: Any, path: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        accounts = Account.objects.filter(path=path).order_by("name")
        _choose(self.fields["account"], [(str(a.pk), a.name) for a in accounts])
        _choose(self.fields["decision"], _decisions(path))


class DecisionForm(forms.Form):
    title = forms.CharField(label=_("事项"), max_length=200)
    kind = forms.ChoiceField(label=_("类别"), choices=MatterKind.choices)
    amount_yuan = forms.IntegerField(label=_("涉及金额（元）"), min_value=0, max_value=10**12)
    opened_on = forms.DateField(label=_("提出日期"))


class StepForm(forms.Form):
    step = forms.IntegerField(label=_("步骤"), min_value=1, max_value=6)
    on = forms.DateField(label=_("日期"))
    votes_for = forms.IntegerField(label=_("赞成"), **VOTES)  # type: ignore[arg-type]
    votes_against = forms.IntegerField(label=_("反对"), **VOTES)  # type: ignore[arg-type]
    votes_abstain = forms.IntegerField(label=_("弃权"), **VOTES)  # type: ignore[arg-type]
    note = forms.CharField(label=_("说明（会议、公开方式）"), max_length=200, required=False)


class ThresholdForm(forms.Form):
    major_yuan = forms.IntegerField(label=_("重大事项金额标准（元）"), **YUAN)  # type: ignore[arg-type]


class LimitForm(forms.Form):
    subject = forms.CharField(max_length=16)
    max_years = forms.IntegerField(label=_("最长期限（年）"), min_value=1, max_value=99)
    min_yuan_per_mu = forms.IntegerField(
        label=_("每亩年价下限（元）"), min_value=0, max_value=10**7, required=False
    )
    max_yuan_per_mu = forms.IntegerField(
        label=_("每亩年价上限（元）"), min_value=0, max_value=10**7, required=False
    )


class CriterionForm(forms.Form):
    figure = forms.CharField(label=_("指标代码"), max_length=64)
    weight = forms.IntegerField(label=_("权重"), min_value=1, max_value=100)
    higher_better = forms.BooleanField(label=_("越高越好"), required=False)
    full_at = forms.DecimalField(label=_("满分标准"), max_digits=16, decimal_places=2)
    half_at = forms.DecimalField(label=_("半分标准"), max_digits=16, decimal_places=2)


class FloorForm(forms.Form):
    grade = forms.ChoiceField(choices=[("exemplary", _("示范")), ("excellent", _("创优"))])
    min_score = forms.DecimalField(
        label=_("最低得分"), min_value=0, max_value=100, max_digits=5, decimal_places=1
    )


class AssetForm(forms.ModelForm):  # type: ignore[type-arg]
    value_yuan = forms.IntegerField(label=_("账面价值（元）"), **YUAN)  # type: ignore[arg-type]

    class Meta:
        model = Asset
        fields = ["name", "kind", "value_yuan", "acquired_on"]


class ResourceForm(forms.ModelForm):  # type: ignore[type-arg]
    area_mu = forms.DecimalField(
        label=_("面积（亩）"), min_value=Decimal("0.01"), max_value=10**8, max_digits=12, decimal_places=2
    )

    class Meta:
        model = Resource
        fields = ["name", "kind", "area_mu"]


class AccountForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = Account
        fields = ["name", "bank"]
