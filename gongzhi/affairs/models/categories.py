"""Choices shared by matters and votes, the matter categories and the local vote rule sets (with history).

Rows change only through gongzhi.affairs.services (see gongzhi.affairs.models).
"""

from __future__ import annotations

from datetime import date
from fractions import Fraction
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from gongzhi.affairs import civil_code
from gongzhi.affairs.civil_code import Item

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
        return self.label

    @property
    def label(self) -> str:
        """The name in the user's language (names are stored in Chinese; seeds mark them for translation)."""
        return gettext(self.name)


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
    scope = models.CharField(
        _("适用的表决范围"),
        max_length=16,
        choices=Scope.choices,
        blank=True,
        default="",
        help_text=_("门槛在此范围内计算；其他范围的表决不能适用本规则。留空：事务类别通常的范围"),
    )
    invalid_participates = models.BooleanField(
        _("废票计入参与表决"),
        default=True,
        help_text=_("议事规则的选择；默认按民法典第二百七十八条：交回表决票即参与表决"),
    )
    co_owner_rule = models.CharField(
        _("共有人意见不一致时"),
        max_length=16,
        choices=[(r.value, r.label) for r in civil_code.CoOwnerRule],
        default=civil_code.CoOwnerRule.REPRESENTATIVE,
    )
    register_holds = models.BooleanField(
        _("表决期间产权变更时以公布的业主名册为准"),
        default=True,
        help_text=_(
            "默认：名册公布后至表决结束，按公布的业主名册计票（青岛市物业管理条例第二十四条）；否则按计票日的产权登记"
        ),
    )
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

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Refuse, on every save path, a rule set laxer than the law (民法典 第二百七十八条 第二款)."""
        if not self.scope and self.category_id is not None:
            self.scope = MatterCategory.objects.get(pk=self.category_id).default_scope
        faults = self.law_faults()
        if faults:
            raise ValidationError([f"{fault}：地方规则只能更严，不能更宽" for fault in faults])
        super().save(*args, **kwargs)

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
            scope=self.scope or Scope.COMPOUND,
            invalid_participates=self.invalid_participates,
            co_owner_rule=self.co_owner_rule,
        )

    def law_faults(self) -> list[str]:
        """Where the rule set is laxer than the Civil Code for its category's usual item (empty: none)."""
        category = MatterCategory.objects.filter(pk=self.category_id).first() if self.category_id else None
        items = [category.default_item] if category and category.default_item else []
        return civil_code.laxness_faults(self.as_rule_set(), items)

    def clean(self) -> None:
        if self.effective_to and self.effective_to < self.effective_from:
            raise ValidationError(_("失效日期不能早于生效日期"))
        faults = self.law_faults()
        if faults:
            raise ValidationError([f"{fault}：地方规则只能更严，不能更宽" for fault in faults])
        if self.category_id is None:
            return
        scope = self.scope or MatterCategory.objects.get(pk=self.category_id).default_scope
        others = VoteRuleSet.objects.filter(category_id=self.category_id, scope=scope).exclude(pk=self.pk)
        end = self.effective_to or date.max
        for other in others:
            other_end = other.effective_to or date.max
            if other.effective_from <= end and self.effective_from <= other_end:
                raise ValidationError(
                    _("与规则「%(name)s」的生效期间重叠：同一天只能有一套规则生效") % {"name": other.name}
                )
