"""Resident matters (自治事务), their meetings and timeline, and owners' votes (业主表决).

Every row carries ``path``, the materialised path of its scope (the compound, or the building for a building
or unit scope), so gongzhi.accounts.access decides who sees and does what with one prefix test. Rows change
only through gongzhi.affairs.services; the counting law is gongzhi.affairs.civil_code.
"""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal
from fractions import Fraction

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from gongzhi.affairs import civil_code
from gongzhi.affairs.civil_code import Item
from gongzhi.people.models import Person
from gongzhi.places.models import Building, Compound, path_index

ITEM_CHOICES = Item.choices()


class Scope(models.TextChoices):
    COMPOUND = "compound", _("小区")
    BUILDING = "building", _("楼栋")
    UNIT = "unit", _("单元")


class Status(models.TextChoices):
    RAISED = "raised", _("已提出")
    BRIEFING = "briefing", _("吹风会")
    CONSULTATION = "consultation", _("协商")
    VOTING = "voting", _("表决")
    IMPLEMENTATION = "implementation", _("实施")
    RESOLVED = "resolved", _("已解决")
    SHELVED = "shelved", _("已搁置")


class Responsible(models.TextChoices):
    PARTY = "party", _("小区党组织")
    COMMITTEE = "committee", _("业主委员会")
    PROPERTY = "property", _("物业服务企业")
    COMMUNITY = "community", _("社区居委会")
    OTHER = "other", _("其他")


class ShareChoice(models.TextChoices):
    """Thresholds a rule set may use; never laxer than the Civil Code (civil_code.tally enforces it)."""

    TWO_THIRDS = "2/3", _("2/3以上")
    THREE_QUARTERS = "3/4", _("3/4以上")
    MORE_THAN_HALF = ">1/2", _("过半数")


def threshold_of(code: str) -> civil_code.Threshold:
    if code.startswith(">"):
        num, den = code[1:].split("/")
        return civil_code.Threshold(Fraction(int(num), int(den)), inclusive=False)
    num, den = code.split("/")
    return civil_code.Threshold(Fraction(int(num), int(den)), inclusive=True)


class MatterCategory(models.Model):
    """A controlled vocabulary (字典) the district administrator edits: road repaving, elevators …"""

    code = models.SlugField(_("编码"), max_length=32, unique=True)
    name = models.CharField(_("名称"), max_length=50)
    default_item = models.PositiveSmallIntegerField(
        _("通常适用的民法典第二百七十八条事项"), choices=ITEM_CHOICES, null=True, blank=True
    )
    default_scope = models.CharField(
        _("通常的范围"), max_length=16, choices=Scope.choices, default=Scope.COMPOUND
    )
    order = models.PositiveSmallIntegerField(_("排序"), default=0)
    active = models.BooleanField(_("启用"), default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("事务类别")
        verbose_name_plural = _("事务类别")
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return self.name


class VoteRuleSet(models.Model):
    """A dated local rule set for votes of one category (e.g. Qingdao's unit-scope elevator votes).

    Seeded from civil_code.DEFAULT_RULE_SETS; a district administrator edits them in the admin, with
    history. Two rule sets of one category in force on the same day are refused (clean()).
    """

    code = models.SlugField(_("编码"), max_length=64, unique=True)
    name = models.CharField(_("名称"), max_length=100)
    category = models.ForeignKey(
        MatterCategory, verbose_name=_("适用事务类别"), on_delete=models.PROTECT, related_name="rule_sets"
    )
    effective_from = models.DateField(_("生效日期"))
    effective_to = models.DateField(_("失效日期（含当日）"), null=True, blank=True)
    participation = models.CharField(
        _("参与表决门槛"), max_length=8, choices=ShareChoice.choices, default=ShareChoice.TWO_THIRDS
    )
    approval = models.CharField(
        _("同意门槛"), max_length=8, choices=ShareChoice.choices, default=ShareChoice.THREE_QUARTERS
    )
    notice_days = models.PositiveSmallIntegerField(_("公示天数"), default=15)
    requires_signatures = models.BooleanField(_("须书面签字"), default=True)
    requires_no_objection = models.BooleanField(_("须无直接受影响业主的未解决异议"), default=True)
    source = models.CharField(_("依据"), max_length=200, blank=True, default="")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("表决规则")
        verbose_name_plural = _("表决规则")
        ordering = ["category_id", "effective_from"]
        constraints = [
            models.CheckConstraint(
                condition=Q(effective_to__isnull=True) | Q(effective_to__gte=models.F("effective_from")),
                name="rule_set_dates_ordered",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def as_rule_set(self) -> civil_code.RuleSet:
        return civil_code.RuleSet(
            code=self.code,
            name=self.name,
            effective_from=self.effective_from,
            effective_to=self.effective_to,
            participation=threshold_of(self.participation),
            approval=threshold_of(self.approval),
            notice_days=self.notice_days,
            requires_signatures=self.requires_signatures,
            requires_no_objection=self.requires_no_objection,
        )

    def clean(self) -> None:
        if self.effective_to and self.effective_to < self.effective_from:
            raise ValidationError(_("失效日期不能早于生效日期"))
        participation = threshold_of(self.participation)
        if not participation.at_least_as_strict_as(civil_code.participation_threshold()):
            raise ValidationError(_("参与表决门槛不能低于民法典的 2/3"))
        if not threshold_of(self.approval).at_least_as_strict_as(civil_code.MORE_THAN_HALF):
            raise ValidationError(_("同意门槛不能低于过半数"))
        if self.category_id is None:
            return
        others = VoteRuleSet.objects.filter(category_id=self.category_id).exclude(pk=self.pk)
        end = self.effective_to or date.max
        for other in others:
            other_end = other.effective_to or date.max
            if other.effective_from <= end and self.effective_from <= other_end:
                raise ValidationError(
                    _("与规则「%(name)s」的生效期间重叠：同一天只能有一套规则生效") % {"name": other.name}
                )


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


class MatterEvent(models.Model):
    """One entry of a matter's timeline; written by the services, never edited."""

    matter = models.ForeignKey(Matter, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("类型"), max_length=16, choices=EventKind.choices)
    status_from = models.CharField(max_length=16, choices=Status.choices, blank=True, default="")
    status_to = models.CharField(max_length=16, choices=Status.choices, blank=True, default="")
    text = models.TextField(_("内容"), blank=True, default="")
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


class VoteStatus(models.TextChoices):
    OPEN = "open", _("表决中")
    CLOSED = "closed", _("已结束")


class Vote(models.Model):
    """An owners' vote on a matter, counted at closing by civil_code.tally; the result is stored here."""

    matter = models.ForeignKey(Matter, on_delete=models.PROTECT, related_name="votes")
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    question = models.CharField(_("表决事项"), max_length=200)
    item = models.PositiveSmallIntegerField(_("民法典第二百七十八条事项"), choices=ITEM_CHOICES)
    scope = models.CharField(_("表决范围"), max_length=16, choices=Scope.choices)
    compound = models.ForeignKey(Compound, on_delete=models.PROTECT, related_name="+")
    building = models.ForeignKey(Building, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    unit_no = models.PositiveSmallIntegerField(null=True, blank=True)
    rule_set = models.ForeignKey(
        VoteRuleSet,
        verbose_name=_("适用地方规则"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="votes",
    )
    status = models.CharField(_("状态"), max_length=8, choices=VoteStatus.choices, default=VoteStatus.OPEN)
    opened_at = models.DateTimeField(_("开始时间"))
    closes_on = models.DateField(_("截止日期"), null=True, blank=True)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    closed_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    published_at = models.DateTimeField(_("公示时间"), null=True, blank=True)
    # Conditions of a local rule set, entered at closing.
    signatures_complete = models.BooleanField(_("书面签字齐全"), null=True, blank=True)
    notice_from = models.DateField(_("公示开始"), null=True, blank=True)
    notice_until = models.DateField(_("公示结束"), null=True, blank=True)
    unresolved_objections = models.PositiveIntegerField(_("未解决异议"), null=True, blank=True)
    # The result, stored at closing.
    homes = models.PositiveIntegerField(null=True, blank=True)
    owners_total = models.PositiveIntegerField(null=True, blank=True)
    area_total = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    owners_voted = models.PositiveIntegerField(null=True, blank=True)
    area_voted = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    owners_agree = models.PositiveIntegerField(null=True, blank=True)
    area_agree = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    owners_against = models.PositiveIntegerField(null=True, blank=True)
    area_against = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    owners_abstain = models.PositiveIntegerField(null=True, blank=True)
    area_abstain = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    participation_met = models.BooleanField(null=True, blank=True)
    approval_met = models.BooleanField(null=True, blank=True)
    conditions_met = models.BooleanField(null=True, blank=True)
    passed = models.BooleanField(_("通过"), null=True, blank=True)
    participation_rule = models.CharField(max_length=8, blank=True, default="")
    approval_rule = models.CharField(max_length=8, blank=True, default="")
    rule_applied = models.CharField(_("适用规则"), max_length=300, blank=True, default="")
    reasons = models.JSONField(_("计算依据"), default=list, blank=True)
    path = models.CharField(max_length=110, editable=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("业主表决")
        verbose_name_plural = _("业主表决")
        ordering = ["-opened_at", "-id"]
        indexes = [path_index("vote_path_idx")]
        constraints = [
            models.CheckConstraint(condition=Q(item__gte=1, item__lte=9), name="vote_item_range"),
            models.CheckConstraint(
                condition=(
                    Q(scope=Scope.COMPOUND, building__isnull=True, unit_no__isnull=True)
                    | Q(scope=Scope.BUILDING, building__isnull=False, unit_no__isnull=True)
                    | Q(scope=Scope.UNIT, building__isnull=False, unit_no__isnull=False)
                ),
                name="vote_scope_consistent",
            ),
            models.CheckConstraint(
                condition=Q(status=VoteStatus.OPEN) | Q(passed__isnull=False, closed_at__isnull=False),
                name="vote_closed_has_result",
            ),
        ]

    def __str__(self) -> str:
        return self.question

    @property
    def item_enum(self) -> Item:
        return Item(self.item)

    @property
    def is_open(self) -> bool:
        return self.status == VoteStatus.OPEN

    @property
    def scope_label(self) -> str:
        if self.scope == Scope.UNIT and self.building is not None:
            return f"{self.building.number}{self.unit_no}单元"
        if self.scope == Scope.BUILDING and self.building is not None:
            return f"{self.building.number}"
        return str(_("全小区"))

    def share(self, part: int | Decimal | None, whole: int | Decimal | None) -> str:
        if part is None or not whole:
            return "—"
        return f"{Decimal(part) * 100 / Decimal(whole):.2f}%"

    @property
    def participation_area_pct(self) -> str:
        return self.share(self.area_voted, self.area_total)

    @property
    def participation_heads_pct(self) -> str:
        return self.share(self.owners_voted, self.owners_total)

    @property
    def approval_area_pct(self) -> str:
        return self.share(self.area_agree, self.area_voted)

    @property
    def approval_heads_pct(self) -> str:
        return self.share(self.owners_agree, self.owners_voted)


class Origin(models.TextChoices):
    ONLINE = "online", _("网上")
    PAPER = "paper", _("纸质")
    PROXY = "proxy", _("委托代理")


class OpinionChoice(models.TextChoices):
    AGREE = civil_code.Opinion.AGREE.value, _("同意")
    AGAINST = civil_code.Opinion.AGAINST.value, _("反对")
    ABSTAIN = civil_code.Opinion.ABSTAIN.value, _("弃权")


class Ballot(models.Model):
    """One owner's current opinion in a vote: one row per (vote, owner), changeable while the vote is open.

    ``owner`` is the person the electorate counts (司法解释 第九条): the home's representative owner, or the
    developer. Every cast, first or changed, is kept in BallotChange.
    """

    vote = models.ForeignKey(Vote, on_delete=models.CASCADE, related_name="ballots")
    owner = models.ForeignKey(Person, verbose_name=_("业主"), on_delete=models.PROTECT, related_name="+")
    opinion = models.CharField(_("表决意见"), max_length=8, choices=OpinionChoice.choices)
    origin = models.CharField(_("来源"), max_length=8, choices=Origin.choices)
    proxy_name = models.CharField(_("受托人"), max_length=100, blank=True, default="")
    mandate = models.TextField(_("委托书内容"), blank=True, default="")
    mandate_file = models.FileField(_("委托书附件"), upload_to="affairs/mandates/%Y/", blank=True, default="")
    cast_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    cast_at = models.DateTimeField(_("表决时间"))
    changes = models.PositiveIntegerField(_("修改次数"), default=0)

    class Meta:
        verbose_name = _("表决票")
        verbose_name_plural = _("表决票")
        constraints = [
            models.UniqueConstraint(fields=["vote", "owner"], name="ballot_one_per_owner"),
            models.CheckConstraint(
                condition=~Q(origin=Origin.PROXY)
                | (~Q(proxy_name="") & (~Q(mandate="") | ~Q(mandate_file=""))),
                name="ballot_proxy_has_mandate",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.owner_id}: {self.opinion}"

    def scope_path(self) -> str:
        """Where the ballot lies, for gongzhi.accounts.access: its vote's scope."""
        return self.vote.path


class BallotChange(models.Model):
    """Every cast of a ballot, kept: the first opinion and each change until the vote closed."""

    vote = models.ForeignKey(Vote, on_delete=models.CASCADE, related_name="+")
    owner = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    opinion = models.CharField(max_length=8, choices=OpinionChoice.choices)
    previous = models.CharField(max_length=8, choices=OpinionChoice.choices, blank=True, default="")
    origin = models.CharField(max_length=8, choices=Origin.choices)
    cast_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField()

    class Meta:
        verbose_name = _("表决票变更记录")
        verbose_name_plural = _("表决票变更记录")
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["vote", "owner"], name="ballot_change_idx")]

    def __str__(self) -> str:
        return f"{self.owner_id}: {self.previous or '—'} → {self.opinion}"


class Voter(models.Model):
    """Links a login to the person it may cast ballots for (an owner voting online for themself).

    Kept here, not on Person, so the people app stays ignorant of votes. Created by staff who checked the
    owner's identity (services.voter_link).
    """

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="voter")
    person = models.OneToOneField(Person, on_delete=models.PROTECT, related_name="+")
    linked_at = models.DateTimeField()
    linked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("网上表决账号")
        verbose_name_plural = _("网上表决账号")

    def __str__(self) -> str:
        return f"{self.user_id} → {self.person_id}"
