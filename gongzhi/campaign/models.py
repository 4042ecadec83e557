"""The three-year campaign (深化红色物业 共建幸福家园, 2024–2026): phases, measures, targets and their progress.

A target sits at a compound or a community (its `path` is that place's). Its goal type is data: a goal that
the registries can see names a figure of the indicator catalogue (`figure`, `threshold`) and the target then
completes from the figure at its place, never by hand; a goal without a figure is reported by hand with
dated updates and evidence files. See docs/campaign.md.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from gongzhi.places.models import Compound, Division

UNIT = [MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("1"))]


class Campaign(models.Model):
    name = models.CharField(_("名称"), max_length=100)
    division = models.ForeignKey(Division, verbose_name=_("发起地区"), on_delete=models.PROTECT)
    first_year = models.PositiveSmallIntegerField(_("起始年"))
    last_year = models.PositiveSmallIntegerField(_("结束年"))
    motto = models.CharField(_("口号"), max_length=100, blank=True, default="")
    path = models.CharField(max_length=100, editable=False, db_index=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("专项行动")
        verbose_name_plural = _("专项行动")
        ordering = ["-first_year", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(last_year__gte=models.F("first_year")), name="campaign_years_ordered"
            )
        ]

    def __str__(self) -> str:
        return self.name


class Phase(models.Model):
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="phases")
    seq = models.PositiveSmallIntegerField(_("序号"))
    name = models.CharField(_("阶段"), max_length=50)
    starts_on = models.DateField(_("开始日期"))
    ends_on = models.DateField(_("结束日期"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("阶段")
        verbose_name_plural = _("阶段")
        ordering = ["campaign", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "seq"], name="phase_seq_unique"),
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")), name="phase_dates"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Measure(models.Model):
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="measures")
    seq = models.PositiveSmallIntegerField(_("序号"))
    name = models.CharField(_("举措"), max_length=50)
    weight = models.DecimalField(_("权重"), max_digits=6, decimal_places=2, default=Decimal("1"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("举措")
        verbose_name_plural = _("举措")
        ordering = ["campaign", "seq"]
        constraints = [models.UniqueConstraint(fields=["campaign", "seq"], name="measure_seq_unique")]

    def __str__(self) -> str:
        return self.name


class GoalType(models.Model):
    """What a target is to achieve. With `figure`, the catalogue decides: met when figure ≥ threshold."""

    code = models.SlugField(_("代码"), max_length=40, unique=True)
    name = models.CharField(_("目标类型"), max_length=50)
    figure = models.CharField(_("指标代码"), max_length=60, blank=True, default="")
    threshold = models.DecimalField(_("达标值"), max_digits=12, decimal_places=4, default=Decimal("1"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("目标类型")
        verbose_name_plural = _("目标类型")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class Status(models.TextChoices):
    OPEN = "open", _("推进中")
    DONE = "done", _("已完成")


class Target(models.Model):
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="targets")
    phase = models.ForeignKey(Phase, verbose_name=_("阶段"), on_delete=models.PROTECT, related_name="targets")
    measure = models.ForeignKey(
        Measure, verbose_name=_("举措"), on_delete=models.PROTECT, related_name="targets"
    )
    goal_type = models.ForeignKey(GoalType, verbose_name=_("目标类型"), on_delete=models.PROTECT)
    compound = models.ForeignKey(
        Compound, verbose_name=_("小区"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    community = models.ForeignKey(
        Division, verbose_name=_("社区"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("攻坚目标"), max_length=200)
    owner = models.CharField(_("责任人"), max_length=100)
    deadline = models.DateField(_("完成时限"))
    weight = models.DecimalField(_("权重"), max_digits=6, decimal_places=2, default=Decimal("1"))
    status = models.CharField(_("状态"), max_length=8, choices=Status.choices, default=Status.OPEN)
    progress = models.DecimalField(
        _("进度"), max_digits=5, decimal_places=4, null=True, blank=True, validators=UNIT
    )
    done_on = models.DateField(_("完成日期"), null=True, blank=True)
    path = models.CharField(max_length=100, editable=False, db_index=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("攻坚目标")
        verbose_name_plural = _("攻坚目标")
        ordering = ["deadline", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(compound__isnull=False) | models.Q(community__isnull=False),
                name="target_has_place",
            ),
            models.CheckConstraint(
                condition=models.Q(progress__isnull=True)
                | (models.Q(progress__gte=0) & models.Q(progress__lte=1)),
                name="target_progress_unit",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def place(self) -> Compound | Division:
        return self.compound or self.community  # type: ignore[return-value]

    @property
    def automatic(self) -> bool:
        return bool(self.goal_type.figure)


class Update(models.Model):
    """A dated progress report on a target, optionally with an evidence file (private: served after a check)."""

    target = models.ForeignKey(Target, on_delete=models.CASCADE, related_name="updates")
    on = models.DateField(_("日期"))
    progress = models.DecimalField(_("进度"), max_digits=5, decimal_places=4, validators=UNIT)
    note = models.CharField(_("说明"), max_length=500, blank=True, default="")
    evidence = models.FileField(_("佐证材料"), upload_to="campaign/%Y/%m/", blank=True, default="")
    evidence_name = models.CharField(max_length=200, blank=True, default="")
    evidence_type = models.CharField(max_length=100, blank=True, default="")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    source = models.CharField(_("来源"), max_length=40, default="manual")  # manual | figure code
    path = models.CharField(max_length=100, editable=False, db_index=True)

    class Meta:
        verbose_name = _("进度更新")
        verbose_name_plural = _("进度更新")
        ordering = ["target", "on", "id"]

    def __str__(self) -> str:
        return f"{self.on:%Y-%m-%d} {self.progress}"
