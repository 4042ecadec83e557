"""The centre's forms: each field checked with a Chinese message; the rules of the pipeline (evidence,
registration, lease, shares summing to 100) are the services' and come back as form errors."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from gongzhi.centre import rules
from gongzhi.centre.models import (
    Centre,
    Enterprise,
    Event,
    Industry,
    Part,
    Party,
    Platform,
    Project,
    Space,
    Stage,
)

DATE = forms.DateInput(attrs={"type": "date", "class": "form-control"}, format="%Y-%m-%d")


def _styled(form: forms.Form) -> None:
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.Select):
            widget.attrs.setdefault("class", "form-select")
        else:
            widget.attrs.setdefault("class", "form-control")


class ProjectForm(forms.Form):
    """A project's description and next action (the platform is chosen when it is created)."""

    platform = forms.ModelChoiceField(label=_("平台"), queryset=Platform.objects.none())
    name = forms.CharField(label=_("项目（企业）名称"), max_length=80)
    industry = forms.ModelChoiceField(label=_("行业门类"), queryset=Industry.objects.all())
    kind = forms.ChoiceField(label=_("企业类型"), choices=Enterprise.Kind.choices)
    next_action = forms.CharField(label=_("下一步"), max_length=60, required=False)
    next_action_on = forms.DateField(label=_("下一步日期"), required=False, widget=DATE)
    likelihood = forms.IntegerField(label=_("落地可能性（%）"), min_value=0, max_value=100, initial=0)
    expected_on = forms.DateField(label=_("预计落地日期"), required=False, widget=DATE)
    needs_area = forms.DecimalField(
        label=_("需求面积（平方米）"), required=False, min_value=0, max_value=1_000_000, decimal_places=2
    )

    def __init__(self, *args: Any, centre: Centre, creating: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if creating:
            self.fields["platform"].queryset = centre.platforms.all()  # type: ignore[attr-defined]
        else:
            del self.fields["platform"]
        _styled(self)


class AdvanceForm(forms.Form):
    """Move a project to a stage on a day, with what shows it; registration may come with the move."""

    stage = forms.ModelChoiceField(label=_("进入阶段"), queryset=Stage.objects.order_by("position"))
    on = forms.DateField(label=_("日期"), widget=DATE)
    evidence = forms.CharField(label=_("佐证"), max_length=200, required=False)
    credit_code = forms.CharField(label=_("统一社会信用代码（注册时填写）"), max_length=18, required=False)
    registered_on = forms.DateField(label=_("注册日期"), required=False, widget=DATE)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _styled(self)


def credit_field(part: str, party: str) -> str:
    return f"{part}_{party}"


class CreditForm(forms.Form):
    """The four parties' shares (%) of each part; a part left blank keeps what it had."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for part, part_label in Part.choices:
            for party, party_label in Party.choices:
                label = f"{part_label}·{party_label}"
                self.fields[credit_field(part, party)] = forms.IntegerField(
                    label=label,
                    min_value=0,
                    max_value=100,
                    required=False,
                    widget=forms.NumberInput(attrs={"aria-label": label}),
                )
        _styled(self)

    def shares(self) -> dict[str, dict[str, int]]:
        """{part: {party: share}} for the parts given (any share filled in)."""
        out: dict[str, dict[str, int]] = {}
        for part in Part.values:
            given = {party: self.cleaned_data.get(credit_field(part, party)) for party in Party.values}
            if any(v is not None for v in given.values()):
                out[part] = {party: v or 0 for party, v in given.items()}
        return out

    def grid(self) -> list[tuple[str, list[Any]]]:
        """Rows of the table: per party, its bound field for each part."""
        return [
            (str(label), [self[credit_field(part, party)] for part in Part.values])
            for party, label in Party.choices
        ]


class NeedForm(forms.Form):
    """An enterprise's needs of the tower, asked with GET: the matching page ranks the free rooms."""

    area_min = forms.DecimalField(
        label=_("面积下限（平方米）"), min_value=0, max_value=1_000_000, decimal_places=2
    )
    area_max = forms.DecimalField(
        label=_("面积上限（平方米）"), min_value=0, max_value=1_000_000, decimal_places=2
    )
    floor_min = forms.IntegerField(label=_("楼层下限"), required=False, min_value=-10, max_value=200)
    floor_max = forms.IntegerField(label=_("楼层上限"), required=False, min_value=-10, max_value=200)
    use = forms.ChoiceField(label=_("用途"), required=False, choices=[("", _("不限")), *Space.Use.choices])
    from_on = forms.DateField(label=_("起用日期"), widget=DATE)
    until_on = forms.DateField(label=_("用至（可空）"), required=False, widget=DATE)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _styled(self)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not self.errors:
            problem = rules.need_problem(self.need())
            if problem:
                raise forms.ValidationError(problem)
        return data

    def need(self) -> rules.Need:
        d = self.cleaned_data
        return rules.Need(
            area_min=d["area_min"],
            area_max=d["area_max"],
            from_on=d["from_on"],
            until_on=d.get("until_on"),
            floor_min=d.get("floor_min"),
            floor_max=d.get("floor_max"),
            use=d.get("use") or "",
        )


def need_of(project: Project, today: date) -> dict[str, str]:
    """The matching page's query for a project: its needed area ±20%, from its expected landing day."""
    if project.needs_area is None:
        return {}
    area = Decimal(project.needs_area)
    return {
        "area_min": f"{(area * Decimal('0.8')).quantize(Decimal('1'))}",
        "area_max": f"{(area * Decimal('1.2')).quantize(Decimal('1'))}",
        "from_on": f"{max(project.expected_on or today, today)}",
        "project": str(project.pk),  # the matching page then offers to land it in a room
    }


class LandForm(forms.Form):
    """Land a project in a free room: the room (of the project's centre), the lease's dates, rent and
    incentive; the enterprise is the project's own (name, code, section, kind, platform), never retyped."""

    space = forms.ModelChoiceField(label=_("房间"), queryset=Space.objects.none())
    starts_on = forms.DateField(label=_("起租日"), widget=DATE)
    ends_on = forms.DateField(label=_("到期日"), widget=DATE)
    monthly_rent_yuan = forms.DecimalField(
        label=_("月租金（元）"), min_value=0, max_value=Decimal("9999999999"), decimal_places=2
    )
    incentive = forms.CharField(label=_("优惠政策"), required=False, max_length=100)

    def __init__(self, *args: Any, centre: Centre, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["space"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Space.objects.filter(centre=centre)
        _styled(self)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            raise forms.ValidationError(_("到期日不能早于起租日。"))
        return data


def land_initial(query: Any, today: date) -> dict[str, Any]:
    """The landing form's first values from the matching page's link: the room, and the need's dates (a
    lease of three years when the need gave no end)."""
    initial: dict[str, Any] = {"starts_on": today}
    try:
        initial["space"] = int(query.get("space", ""))
        starts = date.fromisoformat(query.get("from_on", ""))
        initial["starts_on"] = starts
        until = query.get("until_on", "")
        initial["ends_on"] = (
            date.fromisoformat(until) if until else starts.replace(year=starts.year + 3) - timedelta(days=1)
        )
    except (ValueError, OverflowError):
        pass
    return initial


class EventForm(forms.Form):
    """An event, with its guests as two lists (one organisation a line): attended, and invited but absent."""

    kind = forms.ChoiceField(label=_("类型"), choices=Event.Kind.choices)
    title = forms.CharField(label=_("名称"), max_length=80)
    held_on = forms.DateField(label=_("日期"), widget=DATE)
    attended = forms.CharField(
        label=_("到场嘉宾单位（每行一个）"), required=False, widget=forms.Textarea(attrs={"rows": 6})
    )
    absent = forms.CharField(
        label=_("受邀未到场单位（每行一个）"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _styled(self)

    def guests(self) -> list[tuple[str, bool]]:
        def lines(key: str) -> list[str]:
            return [line.strip() for line in self.cleaned_data[key].splitlines() if line.strip()]

        return [(n, True) for n in lines("attended")] + [(n, False) for n in lines("absent")]


class AgreementForm(forms.Form):
    """An agreement signed at an event: a project of the centre not yet signed, the amount, who follows up."""

    project = forms.ModelChoiceField(label=_("签约项目"), queryset=Project.objects.none())
    amount_yuan = forms.DecimalField(
        label=_("协议金额（元）"), min_value=0, max_value=Decimal("99999999999999"), decimal_places=2
    )
    follow_up = forms.CharField(label=_("跟进责任人"), max_length=30)

    def __init__(self, *args: Any, centre: Centre, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["project"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Project.objects.filter(centre=centre, agreement__isnull=True).order_by("name")
        _styled(self)
