"""Forms of the committee steps: they parse and check shapes only; the rules live in rules.py and the
services, whose Chinese messages the page shows as they are."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from gongzhi.affairs.forms import BootstrapMixin
from gongzhi.affairs.models.votes import Vote
from gongzhi.cogovern.models import COMMITTEE_ROLES, PREP_ROLES, TRANSITION_ROLES
from gongzhi.core.pickers import PickerSelect
from gongzhi.people.models import Person
from gongzhi.places.models import Compound

MAX_SEATS = 21
CONFIRM = _("我已核对，确认提交（提交后不能撤回）")


def owners_of(compound: Compound) -> Any:
    """The persons who own a home in the compound: the committee's members come from them."""
    return Person.objects.filter(ownerships__home__compound=compound).distinct().order_by("pinyin", "pk")


def community_people(compound: Compound) -> Any:
    """Owners and residents of the compound's community: the preparatory group also seats the community
    party organisation's and the subdistrict's representatives, who need not own a home in the compound."""
    path = compound.path.rsplit("/", 2)[0] + "/"  # the community's path
    return (
        Person.objects.filter(Q(ownerships__home__path__under=path) | Q(residences__home__path__under=path))
        .distinct()
        .order_by("pinyin", "pk")
    )


CANDIDATES = {"owners": owners_of, "community": community_people}


class ApplyForm(BootstrapMixin, forms.Form):
    applied_on = forms.DateField(label=_("业主申请日期"), widget=forms.DateInput(attrs={"type": "date"}))
    owners_applying = forms.IntegerField(
        label=_("申请业主人数"), min_value=0, max_value=10**6, required=False
    )
    area_applying = forms.DecimalField(
        label=_("申请业主专有部分面积（㎡）"),
        min_value=0,
        max_digits=14,
        decimal_places=2,
        required=False,
        help_text=_("第二十二条：申请业主人数或专有部分面积应达 5%；填写其一即核对"),
    )


class ExemptForm(BootstrapMixin, forms.Form):
    reason = forms.CharField(label=_("无需成立业主大会的理由（《物业管理条例》第十条）"), max_length=200)
    confirm = forms.BooleanField(label=CONFIRM)


class ExtendFirstForm(BootstrapMixin, forms.Form):
    confirm = forms.BooleanField(label=_("筹备组决定首次业主大会延期 30 日（只能延期一次）"))


class FilingForm(BootstrapMixin, forms.Form):
    filed_on = forms.DateField(label=_("备案日期"), widget=forms.DateInput(attrs={"type": "date"}))
    filing_no = forms.CharField(label=_("备案编号"), max_length=40, required=False)


class ExtendTermForm(BootstrapMixin, forms.Form):
    term_extended_to = forms.DateField(
        label=_("业主大会决定任期延长至"), widget=forms.DateInput(attrs={"type": "date"})
    )
    confirm = forms.BooleanField(label=CONFIRM)


class HandoverForm(BootstrapMixin, forms.Form):
    handed_over_on = forms.DateField(
        label=_("上届资料移交日期"), widget=forms.DateInput(attrs={"type": "date"})
    )


class SeatsForm(BootstrapMixin, forms.Form):
    """Members as rows of (owner, role); empty rows are ignored, a person may sit once."""

    roles: dict[str, Any] = {}
    candidates = "owners"

    def __init__(self, *args: Any, compound: Compound, rows: int = 9, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.compound = compound
        queryset = CANDIDATES[self.candidates](compound)
        url = reverse("cogovern:pick_person", args=[compound.code, self.candidates])
        self.rows = min(rows, MAX_SEATS)
        for i in range(self.rows):
            person = forms.ModelChoiceField(queryset=queryset, required=False, label=_("成员"))
            person.widget = PickerSelect(url)  # hundreds of owners: searched as typed
            person.widget.choices = person.choices
            self.fields[f"person_{i}"] = person
            self.fields[f"role_{i}"] = forms.ChoiceField(
                choices=[("", "—"), *self.roles.items()],
                required=False,
                label=_("职务"),
                widget=forms.Select(attrs={"class": "form-select"}),  # added after the mixin's pass
            )

    def seat_rows(self) -> list[tuple[Any, Any]]:
        return [(self[f"person_{i}"], self[f"role_{i}"]) for i in range(self.rows)]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        seats, seen = [], set()
        for i in range(self.rows):
            person, role = data.get(f"person_{i}"), data.get(f"role_{i}")
            if person is None and not role:
                continue
            if person is None or not role:
                raise forms.ValidationError(_("第 %(n)d 行：请同时选择成员和职务") % {"n": i + 1})
            if person.pk in seen:
                raise forms.ValidationError(_("%(name)s 重复填写") % {"name": person.name})
            seen.add(person.pk)
            seats.append((person.pk, role))
        if not seats:
            raise forms.ValidationError(_("请至少填写一名成员"))
        data["seats"] = seats
        return data


class PrepForm(SeatsForm):
    roles = PREP_ROLES
    candidates = "community"
    formed_on = forms.DateField(label=_("筹备组成立日期"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args: Any, compound: Compound, **kwargs: Any) -> None:
        super().__init__(*args, compound=compound, rows=11, **kwargs)


class ElectForm(SeatsForm):
    roles = COMMITTEE_ROLES
    vote = forms.ModelChoiceField(
        queryset=Vote.objects.none(), label=_("选举表决（民法典第二百七十八条第（三）项）"), required=False
    )
    elected_on = forms.DateField(label=_("选举日期"), widget=forms.DateInput(attrs={"type": "date"}))
    term_start = forms.DateField(label=_("任期开始"), widget=forms.DateInput(attrs={"type": "date"}))
    term_end = forms.DateField(label=_("任期结束"), widget=forms.DateInput(attrs={"type": "date"}))
    confirm = forms.BooleanField(label=CONFIRM)

    def __init__(self, *args: Any, compound: Compound, **kwargs: Any) -> None:
        super().__init__(*args, compound=compound, rows=9, **kwargs)
        vote = self.fields["vote"]
        assert isinstance(vote, forms.ModelChoiceField)
        vote.queryset = Vote.objects.filter(compound=compound, item=3, passed=True).order_by("-pk")


class TransitionForm(SeatsForm):
    """The 换届小组 and its members (owners of the compound)."""

    roles = TRANSITION_ROLES
    formed_on = forms.DateField(label=_("换届小组成立日期"), widget=forms.DateInput(attrs={"type": "date"}))
    confirm = forms.BooleanField(label=CONFIRM)

    def __init__(self, *args: Any, compound: Compound, **kwargs: Any) -> None:
        super().__init__(*args, compound=compound, rows=7, **kwargs)


class TransitionHandoverForm(BootstrapMixin, forms.Form):
    handed_over_on = forms.DateField(
        label=_("资料移交换届小组日期"), widget=forms.DateInput(attrs={"type": "date"})
    )


DECISION_ROWS = 5


class MeetingForm(BootstrapMixin, forms.Form):
    """A committee meeting: the day, the members who came (ticked), up to five decisions with their votes."""

    held_on = forms.DateField(label=_("会议日期"), widget=forms.DateInput(attrs={"type": "date"}))
    confirm = forms.BooleanField(label=CONFIRM)

    def __init__(self, *args: Any, members: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Added after the mixin's pass: the ticks and the rows carry their own classes.
        self.fields["present"] = forms.TypedMultipleChoiceField(
            choices=members,
            coerce=int,
            label=_("出席委员"),
            widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
            error_messages={"required": _("请勾选出席的委员")},
        )
        for i in range(DECISION_ROWS):
            self.fields[f"subject_{i}"] = forms.CharField(
                max_length=200, required=False, label=_("决定事项"), widget=_box()
            )
            for key, label in (("for", _("同意")), ("against", _("反对"))):
                self.fields[f"{key}_{i}"] = forms.IntegerField(
                    min_value=0, max_value=MAX_SEATS, required=False, label=label, widget=_box("number")
                )

    def decision_rows(self) -> list[tuple[Any, Any, Any]]:
        return [(self[f"subject_{i}"], self[f"for_{i}"], self[f"against_{i}"]) for i in range(DECISION_ROWS)]

    def decision_errors(self) -> list[str]:
        """The rows' cell errors, named by row (the table shows the boxes only)."""
        return [
            _("第 %(n)d 项决定：%(e)s") % {"n": i + 1, "e": e}
            for i in range(DECISION_ROWS)
            for key in ("subject", "for", "against")
            for e in self.errors.get(f"{key}_{i}", [])
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        decisions = []
        for i in range(DECISION_ROWS):
            subject, agree, against = (data.get(f"{k}_{i}") for k in ("subject", "for", "against"))
            if not subject and agree is None and against is None:
                continue
            if not subject or agree is None or against is None:
                raise forms.ValidationError(
                    _("第 %(n)d 项决定：请填写事项、同意票数和反对票数") % {"n": i + 1}
                )
            decisions.append((subject, agree, against))
        data["decisions"] = decisions
        return data


def _box(kind: str = "text") -> forms.Widget:
    widget: forms.Widget = forms.NumberInput() if kind == "number" else forms.TextInput()
    widget.attrs["class"] = "form-control form-control-sm"
    return widget
