"""Collective "三资" supervision (issue 14 item 2): village collective economic organisations and what they hold.

A collective is an Organisation of kind `collectives.village` on the organisations core, covering its
village (seats for its officers). Its assets, resources, fund accounts and entries, contracts and
decisions each copy the village's `path`, so the one permission check scopes every row. Settings are rows
(contract limits per resource kind, the major-matter threshold, the rating criteria and grade floors),
editable by the county bureau; the rules that read them are pure functions in `rules.py`.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from gongzhi.organisations.kinds import register_kind
from gongzhi.organisations.models import Organisation, OrganisationQuerySet

VIEW = "collectives.view"
MANAGE = "collectives.manage"
SETTINGS = "collectives.settings"
DISCLOSURE = "collectives.disclosure"

KIND = "collectives.village"
OFFICER_ROLES = {
    "chair": _("理事长"),
    "director": _("理事"),
    "supervisor": _("监事长"),
    "accountant": _("报账员"),
}
register_kind(
    KIND, _("村集体经济组织"), app="collectives", view_action=VIEW, edit_action=MANAGE, roles=OFFICER_ROLES
)


class CollectiveManager(models.Manager[Organisation]):
    def get_queryset(self) -> OrganisationQuerySet[Organisation]:
        return OrganisationQuerySet(self.model, using=self._db).filter(kind=KIND)

    def active(self) -> OrganisationQuerySet[Organisation]:
        return self.get_queryset().active()


class Collective(Organisation):
    """A village collective economic organisation (村股份经济合作社)."""

    objects = CollectiveManager()  # type: ignore[misc,assignment]

    class Meta:
        proxy = True
        verbose_name = _("村集体经济组织")
        verbose_name_plural = _("村集体经济组织")


class AssetKind(models.TextChoices):
    BUILDING = "building", _("房屋建筑")
    FACILITY = "facility", _("设施")
    EQUIPMENT = "equipment", _("机械设备")


class ResourceKind(models.TextChoices):
    LAND = "land", _("耕地")
    FOREST = "forest", _("林地")
    WATER = "water", _("水面")
    WASTELAND = "wasteland", _("四荒地")


class Held(models.Model):
    collective = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    path = models.CharField(_("路径"), max_length=80, db_index=True)
    name = models.CharField(_("名称"), max_length=100)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.name


class Asset(Held):
    kind = models.CharField(_("类别"), max_length=16, choices=AssetKind.choices)
    value_yuan = models.PositiveBigIntegerField(_("账面价值（元）"))
    acquired_on = models.DateField(_("购建日期"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("集体资产")
        ordering = ["path", "name"]


class Resource(Held):
    kind = models.CharField(_("类别"), max_length=16, choices=ResourceKind.choices)
    area_mu = models.DecimalField(_("面积（亩）"), max_digits=12, decimal_places=2)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("集体资源")
        ordering = ["path", "name"]


class Account(Held):
    bank = models.CharField(_("开户行"), max_length=100, blank=True, default="")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("资金账户")
        ordering = ["path", "name"]


class MatterKind(models.TextChoices):
    CONTRACT = "contract", _("资产资源发包、租赁")
    SPENDING = "spending", _("重大开支")
    OTHER = "other", _("其他重大事项")


class Decision(models.Model):
    """A major matter decided by the 四议两公开 steps (DecisionStep, in order)."""

    collective = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    path = models.CharField(_("路径"), max_length=80, db_index=True)
    title = models.CharField(_("事项"), max_length=200)
    kind = models.CharField(_("类别"), max_length=16, choices=MatterKind.choices)
    amount_yuan = models.PositiveBigIntegerField(_("涉及金额（元）"), default=0)
    opened_on = models.DateField(_("提出日期"))
    steps_done = models.PositiveSmallIntegerField(_("已完成步骤"), default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("重大事项决策")
        ordering = ["-opened_on", "-id"]

    def __str__(self) -> str:
        return self.title


class DecisionStep(models.Model):
    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="steps")
    step = models.PositiveSmallIntegerField(_("步骤"))
    on = models.DateField(_("日期"))
    votes_for = models.PositiveIntegerField(_("赞成"), default=0)
    votes_against = models.PositiveIntegerField(_("反对"), default=0)
    votes_abstain = models.PositiveIntegerField(_("弃权"), default=0)
    note = models.CharField(_("说明"), max_length=200, blank=True, default="")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("四议两公开步骤")
        ordering = ["decision", "step"]
        constraints = [models.UniqueConstraint(fields=["decision", "step"], name="collectives_one_step")]

    def __str__(self) -> str:
        return f"{self.decision_id}#{self.step}"


class Entry(models.Model):
    class Direction(models.TextChoices):
        INCOME = "income", _("收入")
        SPENDING = "spending", _("支出")

    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="entries")
    path = models.CharField(_("路径"), max_length=80)
    on = models.DateField(_("日期"))
    direction = models.CharField(_("收支"), max_length=8, choices=Direction.choices)
    amount_yuan = models.PositiveBigIntegerField(_("金额（元）"))
    summary = models.CharField(_("摘要"), max_length=200)
    decision = models.ForeignKey(Decision, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("收支记录")
        ordering = ["-on", "-id"]
        indexes = [models.Index(fields=["path", "on"], name="collectives_entry_path_on")]

    def __str__(self) -> str:
        return f"{self.on} {self.summary} {self.amount_yuan}"


class ContractKind(models.TextChoices):
    LEASE = "lease", _("租赁")
    CONTRACTING = "contracting", _("承包")


class Contract(models.Model):
    collective = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    path = models.CharField(_("路径"), max_length=80, db_index=True)
    code = models.CharField(_("合同编号"), max_length=40, unique=True)
    kind = models.CharField(_("方式"), max_length=16, choices=ContractKind.choices)
    asset = models.ForeignKey(
        Asset, null=True, blank=True, on_delete=models.PROTECT, related_name="contracts"
    )
    resource = models.ForeignKey(
        Resource, null=True, blank=True, on_delete=models.PROTECT, related_name="contracts"
    )
    party = models.CharField(_("承包（承租）方"), max_length=100)
    starts_on = models.DateField(_("起始日期"))
    ends_on = models.DateField(_("到期日期"))
    annual_yuan = models.PositiveBigIntegerField(_("年租金（承包费，元）"))
    area_mu = models.DecimalField(_("面积（亩）"), max_digits=12, decimal_places=2, default=0)
    decision = models.ForeignKey(Decision, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    # The warnings found when it was written (rules.contract_warnings), kept for lists and figures.
    out_of_range = models.BooleanField(_("超出规定"), default=False)
    unapproved = models.BooleanField(_("缺少民主决策"), default=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("资产资源合同")
        ordering = ["ends_on", "id"]
        indexes = [models.Index(fields=["path", "ends_on"], name="collectives_contract_path_end")]

    def __str__(self) -> str:
        return f"{self.code} {self.party}"

    @property
    def subject(self) -> Asset | Resource | None:
        return self.resource or self.asset


# -- settings as data ----------------------------------------------------------------------------------


class ContractLimit(models.Model):
    """The longest term and the range of the yearly price per 亩 for one kind of subject."""

    subject = models.CharField(_("标的类别"), max_length=16, unique=True)
    max_years = models.PositiveSmallIntegerField(_("最长期限（年）"))
    min_yuan_per_mu = models.PositiveIntegerField(_("每亩年价下限（元）"), null=True, blank=True)
    max_yuan_per_mu = models.PositiveIntegerField(_("每亩年价上限（元）"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("合同限定")
        ordering = ["subject"]

    def __str__(self) -> str:
        return self.subject


class Threshold(models.Model):
    """Amounts above which a matter needs a completed 四议两公开 decision (one row, pk 1)."""

    major_yuan = models.PositiveBigIntegerField(_("重大事项金额标准（元）"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("重大事项标准")

    def __str__(self) -> str:
        return str(self.major_yuan)


class Grade(models.TextChoices):
    EXEMPLARY = "exemplary", _("示范")
    EXCELLENT = "excellent", _("创优")
    STRENGTHENING = "strengthening", _("强基")


class Criterion(models.Model):
    """One line of the town rating: a catalogue figure, its weight, and the values that earn full or half."""

    figure = models.CharField(_("指标"), max_length=64, unique=True)
    weight = models.PositiveSmallIntegerField(_("权重"))
    higher_better = models.BooleanField(_("越高越好"), default=True)
    full_at = models.DecimalField(_("满分标准"), max_digits=16, decimal_places=2)
    half_at = models.DecimalField(_("半分标准"), max_digits=16, decimal_places=2)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("评定指标")
        ordering = ["-weight", "figure"]

    def __str__(self) -> str:
        return self.figure


class GradeFloor(models.Model):
    """The lowest score of a grade; below every floor a town is 强基."""

    grade = models.CharField(_("等次"), max_length=16, choices=Grade.choices, unique=True)
    min_score = models.DecimalField(_("最低得分"), max_digits=5, decimal_places=1)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("等次分数线")
        ordering = ["-min_score"]

    def __str__(self) -> str:
        return f"{self.grade} ≥ {self.min_score}"
