"""双报到: units report to compounds (contact points), in-service party members report where they live,
compounds publish needs, a solver proposes members for needs, members record the hours they served.

A unit is an organisations.Organisation of a `reporting.*` kind; its contact points are its Coverage of
compounds, each with a responsible person (a Seat of the unit, role `liaison`). Everything a member does
hangs on their Report (报到), placed by the path of the compound they live in; moving ends the report and
starts a new one, so the history stays. Every write goes through gongzhi.reporting.services.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from gongzhi.organisations.kinds import register_kind
from gongzhi.organisations.models import Coverage, Organisation, OrganisationQuerySet, Seat
from gongzhi.people.models import Person
from gongzhi.places.models import Compound, path_index

VIEW, MANAGE, CONFIRM, SELF, VOCABULARY = (
    "reporting.view",
    "reporting.manage",
    "reporting.confirm",
    "reporting.self",
    "reporting.vocabulary",
)

UNIT_ROLES = {"head": _("单位负责人"), "liaison": _("联系点负责人"), "secretary": _("单位党组织书记")}
UNIT_KINDS = {
    "reporting.agency": _("区直机关"),
    "reporting.institution": _("事业单位"),
    "reporting.enterprise": _("企业"),
}
for _code, _label in UNIT_KINDS.items():
    register_kind(_code, _label, app="reporting", view_action=VIEW, edit_action=MANAGE, roles=UNIT_ROLES)


class UnitManager(models.Manager["Unit"]):
    def get_queryset(self) -> OrganisationQuerySet[Unit]:
        return OrganisationQuerySet(self.model, using=self._db).filter(kind__in=list(UNIT_KINDS))

    def active(self) -> OrganisationQuerySet[Unit]:
        return self.get_queryset().active()


class Unit(Organisation):
    """A unit that reported to the community (区直单位, institution, enterprise): an organisation."""

    objects = UnitManager()  # type: ignore[assignment,misc]

    class Meta:
        proxy = True
        verbose_name = _("报到单位")
        verbose_name_plural = _("报到单位")


class ContactPoint(models.Model):
    """A unit's contact point (联系点) at a compound: the unit's coverage of it, with a responsible person."""

    coverage = models.OneToOneField(
        Coverage, verbose_name=_("覆盖范围"), on_delete=models.PROTECT, related_name="contact_point"
    )
    responsible = models.ForeignKey(
        Seat, verbose_name=_("负责人"), on_delete=models.PROTECT, related_name="contact_points"
    )
    path = models.CharField(_("路径"), max_length=110)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("联系点")
        verbose_name_plural = _("联系点")
        indexes = [path_index("contact_point_path_idx")]

    def __str__(self) -> str:
        return f"{self.coverage.organisation_id} → {self.path}"


class Skill(models.Model):
    """One term of the controlled vocabulary of skills (法律、医疗 …), edited by the district."""

    code = models.CharField(_("代码"), max_length=32, unique=True)
    name = models.CharField(_("名称"), max_length=32, unique=True)
    active = models.BooleanField(_("启用"), default=True)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("技能")
        verbose_name_plural = _("技能")
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.name


class MemberLogin(models.Model):
    """Which person a user is, so an in-service member reports and answers on the phone as themselves."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reporting_login"
    )
    person = models.OneToOneField(Person, on_delete=models.CASCADE, related_name="reporting_login")

    class Meta:
        verbose_name = _("党员账号")
        verbose_name_plural = _("党员账号")

    def __str__(self) -> str:
        return f"{self.user_id} → {self.person_id}"


class Channel(models.TextChoices):
    SELF = "self", _("本人报到")
    STAFF = "staff", _("工作人员代录")
    IMPORT = "import", _("台账导入")


class Report(models.Model):
    """An in-service member's report (报到) to the compound where they live; ended when they move."""

    person = models.ForeignKey(
        Person, verbose_name=_("党员"), on_delete=models.PROTECT, related_name="reports"
    )
    unit = models.ForeignKey(
        Organisation,
        verbose_name=_("工作单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reported_members",
    )
    workplace = models.CharField(_("工作单位名称"), max_length=100, blank=True, default="")
    compound = models.ForeignKey(
        Compound, verbose_name=_("居住小区"), on_delete=models.PROTECT, related_name="+"
    )
    path = models.CharField(_("路径"), max_length=110)
    reported_on = models.DateField(_("报到日期"))
    ended_on = models.DateField(_("结束日期"), null=True, blank=True)
    end_reason = models.CharField(_("结束原因"), max_length=100, blank=True, default="")
    skills = models.ManyToManyField(Skill, verbose_name=_("技能特长"), related_name="reports", blank=True)
    strengths = models.CharField(_("特长说明"), max_length=200, blank=True, default="")
    hours_month = models.PositiveSmallIntegerField(_("每月可服务时长（小时）"))
    weekdays = models.BooleanField(_("工作日可服务"), default=False)
    weekends = models.BooleanField(_("周末可服务"), default=True)
    channel = models.CharField(_("报到方式"), max_length=8, choices=Channel.choices, default=Channel.STAFF)
    history = HistoricalRecords(m2m_fields=[skills])

    class Meta:
        verbose_name = _("在职党员报到")
        verbose_name_plural = _("在职党员报到")
        ordering = ["path", "id"]
        indexes = [
            path_index("report_path_idx"),
            models.Index(fields=["unit", "ended_on"], name="report_unit_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["person"], condition=Q(ended_on__isnull=True), name="report_current_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.person_id} → {self.path}"

    @property
    def is_current(self) -> bool:
        return self.ended_on is None


class Urgency(models.IntegerChoices):
    NORMAL = 0, _("一般")
    URGENT = 1, _("较急")
    PRESSING = 2, _("紧急")


class NeedStatus(models.TextChoices):
    OPEN = "open", _("待认领")
    MATCHED = "matched", _("已认领")
    CLOSED = "closed", _("已关闭")


class Need(models.Model):
    """A compound's need (小区所需): skills wanted, hours wanted, a time window, urgency."""

    compound = models.ForeignKey(Compound, verbose_name=_("小区"), on_delete=models.PROTECT, related_name="+")
    path = models.CharField(_("路径"), max_length=110)
    title = models.CharField(_("需求"), max_length=100)
    detail = models.CharField(_("说明"), max_length=500, blank=True, default="")
    skills = models.ManyToManyField(Skill, verbose_name=_("所需技能"), related_name="needs")
    hours = models.PositiveIntegerField(_("所需总时长（小时）"))
    per_member = models.PositiveSmallIntegerField(_("每人时长（小时）"), default=4)
    starts_on = models.DateField(_("开始日期"))
    ends_on = models.DateField(_("截止日期"))
    urgency = models.PositiveSmallIntegerField(_("紧急程度"), choices=Urgency.choices, default=Urgency.NORMAL)
    status = models.CharField(_("状态"), max_length=8, choices=NeedStatus.choices, default=NeedStatus.OPEN)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords(m2m_fields=[skills])

    class Meta:
        verbose_name = _("小区需求")
        verbose_name_plural = _("小区需求")
        ordering = ["-urgency", "ends_on", "id"]
        indexes = [
            path_index("need_path_idx"),
            models.Index(fields=["status", "path"], name="need_status_idx"),
        ]

    def __str__(self) -> str:
        return self.title


class ResourceKind(models.TextChoices):
    VENUE = "venue", _("场地")
    EQUIPMENT = "equipment", _("设备")
    FUNDS = "funds", _("资金")
    OTHER = "other", _("其他")


class Resource(models.Model):
    """What a unit offers (资源清单): a venue, equipment, funds."""

    unit = models.ForeignKey(
        Organisation, verbose_name=_("单位"), on_delete=models.PROTECT, related_name="resources"
    )
    kind = models.CharField(_("类别"), max_length=12, choices=ResourceKind.choices)
    name = models.CharField(_("名称"), max_length=100)
    quantity = models.CharField(_("数量或金额"), max_length=50, blank=True, default="")
    path = models.CharField(_("路径"), max_length=110)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("资源")
        verbose_name_plural = _("资源")
        indexes = [path_index("resource_path_idx")]

    def __str__(self) -> str:
        return self.name


class Project(models.Model):
    """A project a unit adopted at a compound (项目清单), with its progress."""

    unit = models.ForeignKey(
        Organisation, verbose_name=_("单位"), on_delete=models.PROTECT, related_name="projects"
    )
    compound = models.ForeignKey(Compound, verbose_name=_("小区"), on_delete=models.PROTECT, related_name="+")
    path = models.CharField(_("路径"), max_length=110)
    title = models.CharField(_("项目"), max_length=100)
    progress = models.PositiveSmallIntegerField(_("进度（%）"), default=0)
    adopted_on = models.DateField(_("认领日期"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("项目")
        verbose_name_plural = _("项目")
        indexes = [path_index("project_path_idx")]
        constraints = [models.CheckConstraint(condition=Q(progress__lte=100), name="project_progress_le_100")]

    def __str__(self) -> str:
        return self.title


class ServicePost(models.Model):
    """A service post (服务岗位) published to units and communities, with how many members it wants."""

    name = models.CharField(_("岗位"), max_length=50)
    quota = models.PositiveSmallIntegerField(_("名额"))
    path = models.CharField(_("发布范围路径"), max_length=110)
    claims = models.ManyToManyField(Report, verbose_name=_("认领党员"), related_name="posts", blank=True)
    history = HistoricalRecords(m2m_fields=[claims])  # who claimed or gave up a post is on its history

    class Meta:
        verbose_name = _("服务岗位")
        verbose_name_plural = _("服务岗位")
        ordering = ["path", "id"]
        indexes = [path_index("post_path_idx")]

    def __str__(self) -> str:
        return self.name


class MatchStatus(models.TextChoices):
    PROPOSED = "proposed", _("待确认")
    ACCEPTED = "accepted", _("已接受")
    DECLINED = "declined", _("已婉拒")
    WITHDRAWN = "withdrawn", _("已撤回")


class Match(models.Model):
    """A member proposed for a need (by the solver or by staff), with why; the member accepts or declines."""

    need = models.ForeignKey(Need, verbose_name=_("需求"), on_delete=models.PROTECT, related_name="matches")
    report = models.ForeignKey(
        Report, verbose_name=_("报到党员"), on_delete=models.PROTECT, related_name="matches"
    )
    hours = models.PositiveSmallIntegerField(_("建议时长（小时）"))
    score = models.PositiveIntegerField(_("匹配分"), default=0)
    reasons = models.JSONField(_("推荐理由"), default=list)
    status = models.CharField(
        _("状态"), max_length=10, choices=MatchStatus.choices, default=MatchStatus.PROPOSED
    )
    by_staff = models.BooleanField(_("人工指定"), default=False)
    path = models.CharField(_("路径"), max_length=110)
    proposed_at = models.DateTimeField(auto_now_add=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("匹配")
        verbose_name_plural = _("匹配")
        ordering = ["need_id", "-score", "id"]
        indexes = [
            path_index("match_path_idx"),
            models.Index(fields=["report", "status"], name="match_report_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["need", "report"],
                condition=Q(status__in=["proposed", "accepted"]),
                name="match_live_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.need_id} ← {self.report_id}"


class Notice(models.Model):
    """A new need that fits a member, shown on their phone page."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="notices")
    need = models.ForeignKey(Need, on_delete=models.CASCADE, related_name="notices")
    created_at = models.DateTimeField(auto_now_add=True)
    seen = models.BooleanField(default=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["report", "need"], name="notice_unique")]

    def __str__(self) -> str:
        return f"{self.need_id} → {self.report_id}"


class RecordStatus(models.TextChoices):
    REPORTED = "reported", _("待确认")
    CONFIRMED = "confirmed", _("已确认")
    REJECTED = "rejected", _("未通过")


class ServiceRecord(models.Model):
    """Hours a member served: reported by the member and confirmed by the party secretary, or entered by staff."""

    report = models.ForeignKey(
        Report, verbose_name=_("报到党员"), on_delete=models.PROTECT, related_name="records"
    )
    unit = models.ForeignKey(
        Organisation,
        verbose_name=_("工作单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    need = models.ForeignKey(
        Need, verbose_name=_("需求"), null=True, blank=True, on_delete=models.PROTECT, related_name="records"
    )
    served_on = models.DateField(_("服务日期"))
    hours = models.DecimalField(_("服务时长（小时）"), max_digits=4, decimal_places=1)
    note = models.CharField(_("服务内容"), max_length=200, blank=True, default="")
    status = models.CharField(
        _("状态"), max_length=10, choices=RecordStatus.choices, default=RecordStatus.REPORTED
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    path = models.CharField(_("路径"), max_length=110)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("服务记录")
        verbose_name_plural = _("服务记录")
        ordering = ["-served_on", "id"]
        indexes = [
            path_index("record_path_idx"),
            models.Index(fields=["unit", "served_on"], name="record_unit_idx"),
        ]
        constraints = [models.CheckConstraint(condition=Q(hours__gt=0), name="record_hours_positive")]

    def __str__(self) -> str:
        return f"{self.report_id} {self.served_on} {self.hours}"


class HoursSetting(models.Model):
    """The yearly hours a member should serve (local practice, e.g. 50), set per place from a year on."""

    path = models.CharField(_("适用范围路径"), max_length=110, blank=True, default="")
    from_year = models.PositiveSmallIntegerField(_("起始年度"))
    min_hours = models.PositiveSmallIntegerField(_("每年最低服务时长"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("服务时长要求")
        verbose_name_plural = _("服务时长要求")
        ordering = ["-path", "-from_year"]

    def __str__(self) -> str:
        return f"{self.path or '*'} {self.from_year}: {self.min_hours}"
