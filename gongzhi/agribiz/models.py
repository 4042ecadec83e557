"""New agricultural business entities (新型农业经营主体, 平度市, issue 14 item 4): farmers' cooperatives and
family farms, their products, grades and yearly reports.

A cooperative is an organisation of the core (kind `agribiz.coop`, covering its village), so its legal
representative is a seat and its history the core's; what only a cooperative has (credit code, members,
land, grade) sits in `CoopProfile`, one-to-one. A family farm is run by one person and is not an
organisation: its own row. Both copy their village's `path`, so the one permission check and the figures
read one indexed range.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from gongzhi.organisations.kinds import register_kind
from gongzhi.organisations.models import Organisation, OrganisationQuerySet
from gongzhi.people.models import Person
from gongzhi.places.models import Division, path_index

VIEW, MANAGE, REPORT = "agribiz.view", "agribiz.manage", "agribiz.report"
COOP = "agribiz.coop"

register_kind(
    COOP,
    _("农民专业合作社"),
    app="agribiz",
    view_action=VIEW,
    edit_action=MANAGE,
    roles={"legal_rep": _("法定代表人")},
)


class Grade(models.TextChoices):
    NONE = "", _("无")
    NATIONAL = "national", _("国家级示范")
    PROVINCIAL = "provincial", _("省级示范")
    CITY = "city", _("市级示范")


class Product(models.Model):
    """The products vocabulary (data, loaded by migration; a county adds its own)."""

    code = models.CharField(_("代码"), max_length=16, unique=True)
    name = models.CharField(_("产品"), max_length=32, unique=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("产品类别")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class CoopManager(models.Manager[Organisation]):
    def get_queryset(self) -> OrganisationQuerySet[Organisation]:
        return OrganisationQuerySet(self.model, using=self._db).filter(kind=COOP)


class Cooperative(Organisation):
    objects = CoopManager()  # type: ignore[misc,assignment]

    class Meta:
        proxy = True
        verbose_name = _("农民专业合作社")
        verbose_name_plural = _("农民专业合作社")


class CoopProfile(models.Model):
    """What only a cooperative has; `path` is its village's (where it is registered and counted)."""

    organisation = models.OneToOneField(
        Organisation, primary_key=True, on_delete=models.PROTECT, related_name="agribiz_coop"
    )
    village = models.ForeignKey(Division, on_delete=models.PROTECT, related_name="+")
    path = models.CharField(_("路径"), max_length=110)
    credit_code = models.CharField(_("统一社会信用代码"), max_length=18, unique=True)
    legal_rep = models.ForeignKey(
        Person, verbose_name=_("法定代表人"), on_delete=models.PROTECT, related_name="+"
    )
    members_count = models.PositiveIntegerField(_("成员数"), default=0)
    land_mu = models.DecimalField(_("经营土地（亩）"), max_digits=12, decimal_places=2, default=0)
    products = models.ManyToManyField(Product, verbose_name=_("主要产品"), blank=True, related_name="+")
    grade = models.CharField(_("示范社等级"), max_length=16, choices=Grade.choices, blank=True, default="")
    grade_year = models.PositiveSmallIntegerField(_("评定年度"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("合作社档案")
        indexes = [
            path_index("agribiz_coop_path_idx"),
            models.Index(fields=["grade"], name="agribiz_coop_grade"),
        ]

    def __str__(self) -> str:
        return self.credit_code


class CoopMember(models.Model):
    """A member row where the ledger names one (the count on the profile stands where it does not)."""

    coop = models.ForeignKey(CoopProfile, on_delete=models.PROTECT, related_name="members")
    person = models.ForeignKey(Person, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("成员"), max_length=100)
    joined_on = models.DateField(_("入社日期"), null=True, blank=True)
    # A member who leaves (退社, 《农民专业合作社法》第二十五条) keeps the row, dated; nothing is deleted.
    left_on = models.DateField(_("退社日期"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("合作社成员")
        ordering = ["coop", "id"]

    def __str__(self) -> str:
        return self.name


class FamilyFarm(models.Model):
    code = models.CharField(_("名录编号"), max_length=32, unique=True)
    name = models.CharField(_("名称"), max_length=100)
    operator = models.ForeignKey(Person, verbose_name=_("经营者"), on_delete=models.PROTECT, related_name="+")
    village = models.ForeignKey(Division, on_delete=models.PROTECT, related_name="+")
    path = models.CharField(_("路径"), max_length=110)
    # Optional: a farm registered as 个体工商户 may have none (one is issued when it registers as a business).
    credit_code = models.CharField(_("统一社会信用代码"), max_length=18, null=True, blank=True, unique=True)
    registered_on = models.DateField(_("登记日期"))
    land_own_mu = models.DecimalField(_("自有承包地（亩）"), max_digits=10, decimal_places=2, default=0)
    land_transferred_mu = models.DecimalField(_("流转土地（亩）"), max_digits=10, decimal_places=2, default=0)
    labour = models.PositiveSmallIntegerField(_("家庭劳动力（人）"), default=1)
    products = models.ManyToManyField(Product, verbose_name=_("主要产品"), blank=True, related_name="+")
    grade = models.CharField(_("示范等级"), max_length=16, choices=Grade.choices, blank=True, default="")
    grade_year = models.PositiveSmallIntegerField(_("评定年度"), null=True, blank=True)
    ended = models.BooleanField(_("已注销"), default=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("家庭农场")
        verbose_name_plural = _("家庭农场")
        indexes = [
            path_index("agribiz_farm_path_idx"),
            models.Index(fields=["grade"], name="agribiz_farm_grade"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def land_mu(self) -> object:
        return self.land_own_mu + self.land_transferred_mu


class CoopReport(models.Model):
    """A cooperative's yearly report (年度报告) for `year`, filed on `filed_on`."""

    coop = models.ForeignKey(CoopProfile, on_delete=models.PROTECT, related_name="reports")
    path = models.CharField(max_length=110, db_index=True)
    year = models.PositiveSmallIntegerField(_("年度"))
    members = models.PositiveIntegerField(_("成员数"))
    revenue_yuan = models.PositiveBigIntegerField(_("经营收入（元）"))
    surplus_returned_yuan = models.PositiveBigIntegerField(_("按交易量返还成员的盈余（元）"))
    land_mu = models.DecimalField(_("经营土地（亩）"), max_digits=12, decimal_places=2)
    filed_on = models.DateField(_("报送日期"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("合作社年度报告")
        ordering = ["coop", "-year"]
        constraints = [models.UniqueConstraint(fields=["coop", "year"], name="agribiz_coop_report_year")]

    def __str__(self) -> str:
        return f"{self.coop_id}/{self.year}"


class FarmReport(models.Model):
    farm = models.ForeignKey(FamilyFarm, on_delete=models.PROTECT, related_name="reports")
    path = models.CharField(max_length=110, db_index=True)
    year = models.PositiveSmallIntegerField(_("年度"))
    revenue_yuan = models.PositiveBigIntegerField(_("经营收入（元）"))
    land_mu = models.DecimalField(_("经营土地（亩）"), max_digits=12, decimal_places=2)
    labour = models.PositiveSmallIntegerField(_("劳动力（人）"))
    filed_on = models.DateField(_("报送日期"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("家庭农场年度报告")
        ordering = ["farm", "-year"]
        constraints = [models.UniqueConstraint(fields=["farm", "year"], name="agribiz_farm_report_year")]

    def __str__(self) -> str:
        return f"{self.farm_id}/{self.year}"
