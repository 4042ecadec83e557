"""Forms of the chain page: each parses input for one service call (gongzhi.party.services)."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from gongzhi.core.pickers import PickerSelect
from gongzhi.party.models import (
    CentralHousehold,
    MemberStatus,
    OrgKind,
    PartyMember,
    PartyOrganisation,
    SeatTitle,
    SettingKey,
)
from gongzhi.party.selectors import member_candidates
from gongzhi.people.models import Person
from gongzhi.places.models import Building, Compound, Division, Home

DATE = forms.DateInput(attrs={"type": "date"})


def field(form: forms.Form, name: str) -> forms.ModelChoiceField:
    """A model-choice field of `form`, typed (its queryset is narrowed per compound)."""
    return cast(forms.ModelChoiceField, form.fields[name])


class MemberChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        home = f" {obj.home.label}" if obj.home_id else ""
        return f"{obj.person.name}（{obj.get_status_display()}）{home}"


def compound_members(compound: Compound) -> Any:
    return (
        PartyMember.objects.filter(compound=compound)
        .select_related("person", "home__building")
        .order_by("person__pinyin")
    )


class OrganisationForm(forms.Form):
    kind = forms.ChoiceField(label=_("类型"), choices=OrgKind.choices)
    name = forms.CharField(label=_("名称"), max_length=100)
    founded_on = forms.DateField(label=_("成立日期"), required=False, widget=DATE)
    others = forms.ModelMultipleChoiceField(
        label=_("联合党支部的其他小区（最多 4 个）"),
        queryset=Compound.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )

    def __init__(self, *args: Any, compound: Compound, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.compound = compound
        self.fields["name"].initial = f"{compound.name}党支部"
        subdistrict = compound.path.rstrip("/").rsplit("/", 2)[0] + "/"
        field(self, "others").queryset = (
            Compound.objects.filter(path__under=subdistrict).exclude(pk=compound.pk).order_by("code")
        )

    def compounds(self) -> list[Compound]:
        others = list(self.cleaned_data.get("others") or [])
        return [self.compound, *others] if self.cleaned_data["kind"] == OrgKind.JOINT else [self.compound]


class SecretaryForm(forms.Form):
    organisation = forms.ModelChoiceField(label=_("党组织"), queryset=PartyOrganisation.objects.none())
    member = MemberChoice(label=_("党员"), queryset=PartyMember.objects.none())
    title = forms.ChoiceField(label=_("职务"), choices=SeatTitle.choices, initial=SeatTitle.SECRETARY)

    def __init__(self, *args: Any, compound: Compound, **kwargs: Any):
        super().__init__(*args, **kwargs)
        field(self, "organisation").queryset = PartyOrganisation.objects.active().covering(compound.path)
        field(self, "member").queryset = compound_members(compound).filter(status="full")


class GroupForm(forms.Form):
    organisation = forms.ModelChoiceField(label=_("所属党组织"), queryset=PartyOrganisation.objects.none())
    name = forms.CharField(label=_("名称"), max_length=100)
    buildings = forms.ModelMultipleChoiceField(
        label=_("覆盖楼栋"), queryset=Building.objects.none(), widget=forms.SelectMultiple(attrs={"size": 6})
    )
    leader = MemberChoice(label=_("组长"), queryset=PartyMember.objects.none(), required=False)

    def __init__(self, *args: Any, compound: Compound, **kwargs: Any):
        super().__init__(*args, **kwargs)
        orgs = PartyOrganisation.objects.active().covering(compound.path).order_by("kind")
        field(self, "organisation").queryset = orgs
        self.fields["organisation"].initial = orgs.first()
        field(self, "buildings").queryset = Building.objects.filter(
            compound=compound, party_groups__isnull=True
        ).order_by("seq")
        field(self, "leader").queryset = compound_members(compound).filter(status="full")


class HouseholdForm(forms.Form):
    member = MemberChoice(label=_("党员"), queryset=PartyMember.objects.none())
    links = forms.IntegerField(label=_("联系户数（自动选同楼栋邻近住户）"), min_value=0, initial=6)
    designated_on = forms.DateField(label=_("确定日期"), required=False, widget=DATE)

    def __init__(self, *args: Any, compound: Compound, **kwargs: Any):
        super().__init__(*args, **kwargs)
        field(self, "member").queryset = compound_members(compound).filter(
            home__isnull=False, central_household__isnull=True
        )


class HomeChoices(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.unit_no}-{obj.room}"


class LinksForm(forms.Form):
    homes = HomeChoices(
        label=_("联系户"),
        queryset=Home.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, household: CentralHousehold, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.household = household
        field(self, "homes").queryset = (
            Home.objects.filter(building_id=household.home.building_id)
            .exclude(pk=household.home_id)
            .filter(Q(household_link__isnull=True) | Q(household_link__household=household))
            .order_by("unit_no", "floor", "room")
        )
        self.fields["homes"].initial = [link.home_id for link in household.links.all()]


class PersonChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return obj.name


class MemberForm(forms.Form):
    person = PersonChoice(label=_("居民"), queryset=Person.objects.none())
    status = forms.ChoiceField(label=_("党员状态"), choices=MemberStatus.choices)
    joined_on = forms.DateField(label=_("入党日期"), required=False, widget=DATE)
    full_on = forms.DateField(label=_("转正日期"), required=False, widget=DATE)
    in_service = forms.BooleanField(label=_("在职党员"), required=False)
    workplace = forms.CharField(label=_("工作单位"), max_length=100, required=False)
    organisation = forms.ModelChoiceField(
        label=_("组织关系所在党组织"), queryset=PartyOrganisation.objects.none(), required=False
    )
    relation_elsewhere = forms.CharField(
        label=_("或：组织关系在外单位（填写单位党组织名称）"), max_length=100, required=False
    )

    def __init__(self, *args: Any, compound: Compound, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.compound = compound
        person = field(self, "person")
        person.queryset = member_candidates(compound)
        # Hundreds of names: a searchable picker asking the same queryset (gongzhi.core.pickers).
        person.widget = PickerSelect(reverse("party:pick_candidates", args=[compound.code]))
        person.widget.choices = person.choices
        field(self, "organisation").queryset = PartyOrganisation.objects.active().covering(compound.path)

    def home(self) -> Home | None:
        person = self.cleaned_data["person"]
        return (
            Home.objects.filter(
                Q(residences__person=person) | Q(ownerships__person=person), compound=self.compound
            )
            .order_by("pk")
            .first()
        )


class FullForm(forms.Form):
    member = MemberChoice(label=_("预备党员"), queryset=PartyMember.objects.none())
    full_on = forms.DateField(label=_("转正日期"), widget=DATE)

    def __init__(self, *args: Any, compound: Compound, **kwargs: Any):
        super().__init__(*args, **kwargs)
        field(self, "member").queryset = compound_members(compound).filter(status="probationary")


class TransferForm(forms.Form):
    member = MemberChoice(label=_("党员"), queryset=PartyMember.objects.none())
    to_organisation = forms.ModelChoiceField(
        label=_("转入本地党组织"), queryset=PartyOrganisation.objects.none(), required=False
    )
    to_text = forms.CharField(label=_("或：转往外单位"), max_length=100, required=False)
    on = forms.DateField(label=_("转接日期"), widget=DATE)
    note = forms.CharField(label=_("说明"), max_length=200, required=False)

    def __init__(self, *args: Any, compound: Compound, **kwargs: Any):
        super().__init__(*args, **kwargs)
        field(self, "member").queryset = compound_members(compound)
        subdistrict = compound.path.rstrip("/").rsplit("/", 2)[0] + "/"
        field(self, "to_organisation").queryset = (
            PartyOrganisation.objects.active().filter(path__under=subdistrict).order_by("code")
        )


class SettingForm(forms.Form):
    key = forms.ChoiceField(label=_("参数"), choices=SettingKey.choices)
    value = forms.IntegerField(label=_("数值"), min_value=1)
    effective_from = forms.DateField(label=_("生效日期"), widget=DATE)
    place = forms.ModelChoiceField(label=_("适用范围"), queryset=Division.objects.none())
    note = forms.CharField(label=_("依据或说明"), max_length=200, required=False)

    def __init__(self, *args: Any, places: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        field(self, "place").queryset = places
