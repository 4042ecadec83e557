"""Forms: parse and check input shapes only; the rules live in services and civil_code."""

from __future__ import annotations

from typing import Any

from django import forms
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from gongzhi.affairs.civil_code import Item
from gongzhi.affairs.models import (
    MatterCategory,
    MeetingKind,
    Notice,
    NoticeItem,
    OpinionChoice,
    Origin,
    Responsible,
    Scope,
)
from gongzhi.core.pickers import PickerSelect
from gongzhi.places.models import Building, Compound


class BootstrapMixin:
    """Adds Bootstrap's classes to every widget, so templates stay plain."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[call-arg]
        for field in self.fields.values():  # type: ignore[attr-defined]
            widget = field.widget
            if isinstance(widget, forms.HiddenInput | forms.RadioSelect):
                continue
            if isinstance(widget, forms.CheckboxInput):
                css = "form-check-input"
            elif isinstance(widget, forms.Select):
                css = "form-select"
            else:
                css = "form-control"
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()


ITEM_FIELD_CHOICES = [("", _("不属于业主共同决定事项（无需表决）")), *Item.choices()]


class MatterForm(BootstrapMixin, forms.Form):
    compound = forms.ModelChoiceField(Compound.objects.none(), label=_("小区"))
    title = forms.CharField(label=_("事项"), max_length=120)
    category = forms.ModelChoiceField(MatterCategory.objects.filter(active=True), label=_("类别"))
    item = forms.TypedChoiceField(
        label=_("民法典第二百七十八条事项"),
        choices=ITEM_FIELD_CHOICES,
        coerce=int,
        empty_value=None,
        required=False,
    )
    scope = forms.ChoiceField(label=_("范围"), choices=Scope.choices, initial=Scope.COMPOUND)
    building = forms.ModelChoiceField(Building.objects.none(), label=_("楼栋"), required=False)
    unit_no = forms.IntegerField(label=_("单元"), min_value=1, max_value=20, required=False)
    responsible = forms.ChoiceField(
        label=_("牵头组织"), choices=Responsible.choices, initial=Responsible.PARTY
    )
    description = forms.CharField(label=_("说明"), widget=forms.Textarea(attrs={"rows": 4}), required=False)

    def __init__(self, *args: Any, compounds: Any, buildings: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["compound"].queryset = compounds  # type: ignore[attr-defined]
        self.fields["building"].queryset = buildings  # type: ignore[attr-defined]
        # Hundreds of compounds: a searchable picker over the same scope (gongzhi.core.pickers).
        picker = PickerSelect(
            reverse("places:pick_compounds"), {"class": "form-select"}, action="matter.raise"
        )
        picker.choices = self.fields["compound"].choices  # type: ignore[attr-defined]
        self.fields["compound"].widget = picker


class AdvanceForm(BootstrapMixin, forms.Form):
    to = forms.CharField(widget=forms.HiddenInput)
    note = forms.CharField(label=_("说明"), max_length=1000, required=False)


class NoteForm(BootstrapMixin, forms.Form):
    text = forms.CharField(label=_("记录"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)


class TakeForm(BootstrapMixin, forms.Form):
    """The property company's note when it takes a matter on (optional: when and how the work starts)."""

    note = forms.CharField(
        label=_("承接说明（选填）"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=500,
        required=False,
    )


class EmergencyForm(BootstrapMixin, forms.Form):
    """The emergency for the record when the fund is used without a vote (民法典 第二百八十一条 第二款)."""

    reason = forms.CharField(
        label=_("紧急情况及维修内容"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )


class MeetingForm(BootstrapMixin, forms.Form):
    kind = forms.ChoiceField(label=_("会议类型"), choices=MeetingKind.choices)
    held_at = forms.DateTimeField(
        label=_("时间"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
    )
    venue = forms.CharField(label=_("地点"), max_length=100)
    attendees_count = forms.IntegerField(label=_("参会人数"), min_value=0, initial=0)
    attendees = forms.CharField(label=_("参会人员"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    minutes = forms.CharField(label=_("会议纪要"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    outcome = forms.CharField(label=_("会议结果"), max_length=1000, required=False)


class AttachmentForm(BootstrapMixin, forms.Form):
    file = forms.FileField(label=_("附件（pdf、jpg、png、docx、xlsx，≤10 MB）"))


class VoteOpenForm(BootstrapMixin, forms.Form):
    question = forms.CharField(label=_("表决事项"), max_length=200, required=False)
    notice_item = forms.ModelChoiceField(NoticeItem.objects.none(), label=_("公告事项"), required=False)
    closes_on = forms.DateField(
        label=_("截止日期"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, notice: Notice | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        items = NoticeItem.objects.filter(notice=notice) if notice else NoticeItem.objects.none()
        self.fields["notice_item"].queryset = items  # type: ignore[attr-defined]


class OwnBallotForm(BootstrapMixin, forms.Form):
    # An invalid ballot (废票) is a paper ballot's fault found by the counters, never an owner's choice.
    opinion = forms.ChoiceField(
        label=_("我的意见"),
        choices=[c for c in OpinionChoice.choices if c[0] != OpinionChoice.INVALID],
        widget=forms.RadioSelect,
    )


class RecordBallotForm(BootstrapMixin, forms.Form):
    """A paper or proxy ballot entered by staff for one owner (named by the home they own)."""

    building = forms.ModelChoiceField(Building.objects.none(), label=_("楼栋"))
    unit_no = forms.IntegerField(label=_("单元"), min_value=1, max_value=20)
    room = forms.CharField(label=_("房号"), max_length=16)
    opinion = forms.ChoiceField(label=_("意见"), choices=OpinionChoice.choices)
    origin = forms.ChoiceField(
        label=_("来源"), choices=[(Origin.PAPER, Origin.PAPER.label), (Origin.PROXY, Origin.PROXY.label)]
    )
    proxy_name = forms.CharField(label=_("受托人"), max_length=100, required=False)
    mandate = forms.CharField(label=_("委托书内容"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    mandate_file = forms.FileField(label=_("委托书附件"), required=False)

    def __init__(self, *args: Any, buildings: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["building"].queryset = buildings  # type: ignore[attr-defined]


class SheetForm(BootstrapMixin, forms.Form):
    sheet = forms.FileField(label=_("纸质表决统计表（.xlsx）"))


class CloseForm(BootstrapMixin, forms.Form):
    signatures_complete = forms.BooleanField(label=_("参与表决业主书面签字齐全"), required=False)
    notice_from = forms.DateField(
        label=_("公示开始"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    notice_until = forms.DateField(
        label=_("公示结束"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    unresolved_objections = forms.IntegerField(
        label=_("直接受影响业主未解决的异议（件）"), min_value=0, required=False
    )
    # An empty POST must not close a vote: the organiser ticks this, and gives a reason when closing early.
    confirm = forms.BooleanField(
        label=_("我已核对表决票，确认结束表决"), error_messages={"required": _("请勾选确认后再结束表决。")}
    )
    reason = forms.CharField(
        label=_("理由（在截止日期前结束表决时必填，记入事务进程）"),
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, early: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if early:  # the browser asks for it too; the service decides (workflow.closes_early)
            self.fields["reason"].widget.attrs["required"] = True


class PublishForm(BootstrapMixin, forms.Form):
    """The reason publishing asks for; the service checks it (workflow.reason_refusal)."""

    reason = forms.CharField(
        label=_("公示理由（记入事务进程）"),
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 2, "required": True}),
    )


class NoticeForm(BootstrapMixin, forms.Form):
    voting_from = forms.DateField(label=_("表决开始日期"), widget=forms.DateInput(attrs={"type": "date"}))
    text = forms.CharField(label=_("公告全文"), max_length=20000, widget=forms.Textarea(attrs={"rows": 4}))
    items = forms.CharField(
        label=_("表决事项（每项之间空一行；每项第一行为事项名称，其后为全文）"),
        max_length=40000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )

    def item_texts(self) -> list[tuple[str, str]]:
        """(title, full text) per blank-line-separated block; a block of one line is its own full text."""
        blocks = [b.strip() for b in self.cleaned_data["items"].replace("\r\n", "\n").split("\n\n")]
        result = []
        for block in filter(None, blocks):
            title, _sep, rest = block.partition("\n")
            result.append((title.strip(), rest.strip() or title.strip()))
        return result


class ObjectionForm(BootstrapMixin, forms.Form):
    raised_by_name = forms.CharField(label=_("提出人"), max_length=100)
    text = forms.CharField(label=_("异议内容"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


class AnswerForm(BootstrapMixin, forms.Form):
    objection = forms.IntegerField(min_value=1, max_value=2**62, widget=forms.HiddenInput)
    answer = forms.CharField(label=_("答复"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))
