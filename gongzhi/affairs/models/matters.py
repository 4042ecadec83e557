"""Resident matters (自治事务), their timeline events, meetings and attachments.

Rows change only through gongzhi.affairs.services (see gongzhi.affairs.models).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from gongzhi.affairs import timeline
from gongzhi.affairs.civil_code import Item
from gongzhi.affairs.models.categories import (
    ITEM_CHOICES,
    MatterCategory,
    Responsible,
    Scope,
    Status,
)
from gongzhi.places.models import Building, Compound, path_index

# The action of taking a matter on (物业服务企业承接), granted to property staff in affairs/apps.py.
MATTER_TAKE = "matter.take"


class Matter(models.Model):
    """A resident matter with its scope, category, art. 278 item, status and timeline."""

    title = models.CharField(_("事项"), max_length=120)
    description = models.TextField(_("说明"), blank=True, default="")
    category = models.ForeignKey(
        MatterCategory, verbose_name=_("类别"), on_delete=models.PROTECT, related_name="matters"
    )
    item = models.PositiveSmallIntegerField(
        _("民法典第二百七十八条事项"),
        choices=ITEM_CHOICES,
        null=True,
        blank=True,
        help_text=_("属于业主共同决定事项时填写，决定表决门槛；不需业主表决的留空"),
    )
    scope = models.CharField(_("范围"), max_length=16, choices=Scope.choices, default=Scope.COMPOUND)
    compound = models.ForeignKey(Compound, verbose_name=_("小区"), on_delete=models.PROTECT, related_name="+")
    building = models.ForeignKey(
        Building, verbose_name=_("楼栋"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    unit_no = models.PositiveSmallIntegerField(_("单元"), null=True, blank=True)
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.RAISED)
    responsible = models.CharField(
        _("牵头组织"), max_length=16, choices=Responsible.choices, default=Responsible.PARTY
    )
    responsible_name = models.CharField(_("牵头组织名称"), max_length=100, blank=True, default="")
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("提出人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    raised_by_name = models.CharField(_("提出人（显示名）"), max_length=100, blank=True, default="")
    raised_at = models.DateTimeField(_("提出时间"))
    updated_at = models.DateTimeField(_("更新时间"))
    resolved_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    # 民法典 第二百八十一条 第二款: in an emergency the fund is used without the owners' vote, on record.
    emergency_at = models.DateTimeField(_("紧急使用维修资金时间"), null=True, blank=True)
    emergency_reason = models.TextField(_("紧急情况"), blank=True, default="", db_default="")
    # Taken on by the property company (物业服务企业): who took it and when; the timeline has the step.
    taken_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("承接人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    taken_at = models.DateTimeField(_("承接时间"), null=True, blank=True)
    path = models.CharField(max_length=110, editable=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("自治事务")
        verbose_name_plural = _("自治事务")
        ordering = ["-updated_at", "-id"]
        indexes = [
            path_index("matter_path_idx"),
            models.Index(fields=["status", "-updated_at"], name="matter_status_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(scope=Scope.COMPOUND, building__isnull=True, unit_no__isnull=True)
                    | Q(scope=Scope.BUILDING, building__isnull=False, unit_no__isnull=True)
                    | Q(scope=Scope.UNIT, building__isnull=False, unit_no__isnull=False)
                ),
                name="matter_scope_consistent",
            ),
            models.CheckConstraint(
                condition=Q(item__isnull=True) | Q(item__gte=1, item__lte=9), name="matter_item_range"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def item_enum(self) -> Item | None:
        return Item(self.item) if self.item else None

    @property
    def needs_vote(self) -> bool:
        """An art. 278 matter is decided by the owners; others are settled by consultation."""
        return self.item is not None

    @property
    def is_open(self) -> bool:
        return self.status not in (Status.RESOLVED, Status.SHELVED)

    @property
    def scope_label(self) -> str:
        if self.scope == Scope.UNIT and self.building is not None:
            return f"{self.building.number}{self.unit_no}单元"
        if self.scope == Scope.BUILDING and self.building is not None:
            return f"{self.building.number}"
        return str(_("全小区"))


class EventKind(models.TextChoices):
    RAISED = "raised", _("提出")
    STATUS = "status", _("进入新阶段")
    NOTE = "note", _("记录")
    MEETING = "meeting", _("会议")
    ATTACHMENT = "attachment", _("附件")
    VOTE_OPENED = "vote_opened", _("开始表决")
    VOTE_CLOSED = "vote_closed", _("表决结束")
    VOTE_PUBLISHED = "vote_published", _("结果公示")
    EMERGENCY = "emergency", _("紧急使用维修资金")
    TAKEN = "taken", _("物业承接")


class MatterEvent(models.Model):
    """One entry of a matter's timeline; written by the services, never edited."""

    matter = models.ForeignKey(Matter, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("类型"), max_length=16, choices=EventKind.choices)
    status_from = models.CharField(max_length=16, choices=Status.choices, blank=True, default="")
    status_to = models.CharField(max_length=16, choices=Status.choices, blank=True, default="")
    text = models.TextField(_("内容"), blank=True, default="")
    # A sentence the platform wrote: its code and parameters (gongzhi.affairs.timeline words them in the
    # reader's language); blank for what a person typed and for entries older than the codes.
    code = models.CharField(max_length=32, blank=True, default="", db_default="")
    params = models.JSONField(blank=True, default=dict)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_name = models.CharField(max_length=100, blank=True, default="")
    at = models.DateTimeField(_("时间"))

    class Meta:
        verbose_name = _("事务进程")
        verbose_name_plural = _("事务进程")
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["matter", "at"], name="matter_event_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.at:%Y-%m-%d}"

    @property
    def shown_text(self) -> str:
        """The entry's text in the reader's language when the platform wrote it, else as stored."""
        return (self.code and timeline.words(self.code, self.params)) or self.text


class MeetingKind(models.TextChoices):
    BRIEFING = "briefing", _("吹风会")
    CONSULTATION = "consultation", _("协商议事会")
    ASSEMBLY = "assembly", _("业主大会")


class Meeting(models.Model):
    """A briefing session, consultation meeting or owners' assembly about one or more matters."""

    kind = models.CharField(_("会议类型"), max_length=16, choices=MeetingKind.choices)
    compound = models.ForeignKey(Compound, verbose_name=_("小区"), on_delete=models.PROTECT, related_name="+")
    matters = models.ManyToManyField(Matter, verbose_name=_("议题"), related_name="meetings")
    held_at = models.DateTimeField(_("时间"))
    venue = models.CharField(_("地点"), max_length=100)
    attendees_count = models.PositiveIntegerField(_("参会人数"), default=0)
    attendees = models.TextField(_("参会人员"), blank=True, default="")
    minutes = models.TextField(_("会议纪要"), blank=True, default="")
    outcome = models.TextField(_("会议结果"), blank=True, default="")
    path = models.CharField(max_length=110, editable=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("会议")
        verbose_name_plural = _("会议")
        ordering = ["-held_at", "-id"]
        indexes = [path_index("meeting_path_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.held_at:%Y-%m-%d}"


ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024
ATTACHMENT_TYPES = {
    ".pdf": "application/pdf",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


class Attachment(models.Model):
    """A file about a matter (plans, notices, minutes, signed mandates), stored under MEDIA_ROOT."""

    matter = models.ForeignKey(Matter, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("文件"), upload_to="affairs/%Y/%m/")
    name = models.CharField(_("文件名"), max_length=200)
    size = models.PositiveIntegerField(_("大小（字节）"))
    content_type = models.CharField(max_length=100)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("上传时间"))
    path = models.CharField(max_length=110, editable=False)

    class Meta:
        verbose_name = _("附件")
        verbose_name_plural = _("附件")
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.name
