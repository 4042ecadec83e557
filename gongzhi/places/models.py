"""Places: the division tree (city → district → subdistrict → community/village) and the compounds,
buildings and homes the platform records beneath it.

Each row carries a materialised path (see gongzhi.core.paths) and counters of what lies beneath it, so a
page at any level costs the same whatever the size of the district. Counters change only through
gongzhi.places.services.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Level(models.TextChoices):
    PROVINCE = "province", _("省")
    CITY = "city", _("市")
    DISTRICT = "district", _("区（县级市）")
    SUBDISTRICT = "subdistrict", _("街道（镇）")
    COMMUNITY = "community", _("社区")
    VILLAGE = "village", _("村")


class ManagementType(models.TextChoices):
    PROFESSIONAL = "professional", _("专业物业")
    SELF = "self", _("自管")
    FALLBACK = "fallback", _("托管兜底")
    NONE = "none", _("无物业")


def path_index(name: str, field: str = "path") -> models.Index:
    # varchar_pattern_ops lets PostgreSQL use the index for LIKE 'prefix%' under any collation;
    # other databases ignore opclasses and build a plain index.
    return models.Index(fields=[field], name=name, opclasses=["varchar_pattern_ops"])


class Counted(models.Model):
    """Counters of what lies beneath a place, kept by the services that write places."""

    compounds_count = models.PositiveIntegerField(_("小区数"), default=0)
    buildings_count = models.PositiveIntegerField(_("楼栋数"), default=0)
    homes_count = models.PositiveIntegerField(_("房屋数"), default=0)

    class Meta:
        abstract = True


class Division(Counted):
    """An administrative division with its national statistical code (GB/T 2260 and the 12-digit code)."""

    code = models.CharField(_("区划代码"), max_length=12, unique=True)
    name = models.CharField(_("名称"), max_length=64)
    level = models.CharField(_("层级"), max_length=16, choices=Level.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    path = models.CharField(_("路径"), max_length=80)
    pinyin = models.CharField(max_length=255, blank=True, default="")
    initials = models.CharField(max_length=64, blank=True, default="")

    class Meta:
        verbose_name = _("行政区划")
        verbose_name_plural = _("行政区划")
        ordering = ["code"]
        indexes = [path_index("division_path_idx")]

    def __str__(self) -> str:
        return self.name

    @property
    def kind(self) -> str:
        return "division"


class Compound(Counted):
    """A residential compound (小区), the unit of governance."""

    code = models.CharField(_("小区编码"), max_length=16, unique=True)
    name = models.CharField(_("小区名称"), max_length=100)
    address = models.CharField(_("地址"), max_length=200, blank=True, default="")
    community = models.ForeignKey(
        Division, verbose_name=_("所属社区"), on_delete=models.PROTECT, related_name="compounds"
    )
    management_type = models.CharField(
        _("物业管理方式"), max_length=16, choices=ManagementType.choices, default=ManagementType.PROFESSIONAL
    )
    first_delivered_on = models.DateField(_("首次交付日期"), null=True, blank=True)
    total_area = models.DecimalField(
        _("专有部分总面积（㎡）"), max_digits=14, decimal_places=2, default=Decimal("0")
    )
    delivered_area = models.DecimalField(
        _("已交付专有部分面积（㎡）"), max_digits=14, decimal_places=2, default=Decimal("0")
    )
    owners_total = models.PositiveIntegerField(_("业主总数"), default=0)
    owners_delivered = models.PositiveIntegerField(_("已交付业主数"), default=0)
    outline = models.JSONField(_("边界（GeoJSON）"), null=True, blank=True)
    path = models.CharField(_("路径"), max_length=100)
    pinyin = models.CharField(max_length=255, blank=True, default="")
    initials = models.CharField(max_length=64, blank=True, default="")

    history = HistoricalRecords(excluded_fields=["compounds_count", "buildings_count", "homes_count"])

    class Meta:
        verbose_name = _("小区")
        verbose_name_plural = _("小区")
        ordering = ["code"]
        indexes = [path_index("compound_path_idx")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(delivered_area__lte=models.F("total_area")),
                name="compound_delivered_area_le_total",
            ),
            models.CheckConstraint(
                condition=models.Q(owners_delivered__lte=models.F("owners_total")),
                name="compound_owners_delivered_le_total",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def kind(self) -> str:
        return "compound"


class Building(models.Model):
    """A building (楼栋) of a compound, with its entrances (单元) and floors."""

    compound = models.ForeignKey(
        Compound, verbose_name=_("小区"), on_delete=models.PROTECT, related_name="buildings"
    )
    seq = models.PositiveIntegerField(_("序号"))
    number = models.CharField(_("楼号"), max_length=32)
    units = models.PositiveSmallIntegerField(_("单元数"), default=1, validators=[MinValueValidator(1)])
    floors = models.PositiveSmallIntegerField(_("层数"), default=1, validators=[MinValueValidator(1)])
    has_elevator = models.BooleanField(_("有电梯"), default=False)
    homes_count = models.PositiveIntegerField(_("房屋数"), default=0)
    path = models.CharField(_("路径"), max_length=110)

    history = HistoricalRecords(excluded_fields=["homes_count"])

    class Meta:
        verbose_name = _("楼栋")
        verbose_name_plural = _("楼栋")
        ordering = ["compound_id", "seq"]
        indexes = [path_index("building_path_idx")]
        constraints = [
            models.UniqueConstraint(fields=["compound", "seq"], name="building_seq_unique"),
            models.UniqueConstraint(fields=["compound", "number"], name="building_number_unique"),
            models.CheckConstraint(condition=models.Q(units__gte=1), name="building_units_ge_1"),
            models.CheckConstraint(condition=models.Q(floors__gte=1), name="building_floors_ge_1"),
        ]

    def __str__(self) -> str:
        return f"{self.number}"

    @property
    def kind(self) -> str:
        return "building"


class Home(models.Model):
    """One exclusive part (专有部分): the unit of ownership and of the owners' headcount."""

    building = models.ForeignKey(
        Building, verbose_name=_("楼栋"), on_delete=models.PROTECT, related_name="homes"
    )
    # Denormalised so per-compound aggregates (votes, figures) need no join.
    compound = models.ForeignKey(
        Compound, verbose_name=_("小区"), on_delete=models.PROTECT, related_name="homes"
    )
    unit_no = models.PositiveSmallIntegerField(_("单元"), validators=[MinValueValidator(1)])
    room = models.CharField(_("房号"), max_length=16)
    floor = models.SmallIntegerField(_("楼层"), null=True, blank=True)
    area = models.DecimalField(
        _("专有部分面积（㎡）"),
        max_digits=10,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    delivered = models.BooleanField(_("已交付"), default=True)
    path = models.CharField(_("路径"), max_length=110)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("房屋")
        verbose_name_plural = _("房屋")
        ordering = ["building_id", "unit_no", "room"]
        indexes = [path_index("home_path_idx"), models.Index(fields=["compound", "delivered"])]
        constraints = [
            models.UniqueConstraint(fields=["building", "unit_no", "room"], name="home_unique_room"),
            models.CheckConstraint(condition=models.Q(area__gt=0), name="home_area_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.unit_no}-{self.room}"

    @property
    def kind(self) -> str:
        return "home"

    @property
    def label(self) -> str:
        return f"{self.building.number} {self.unit_no}单元 {self.room}"
