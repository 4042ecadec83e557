"""Persons, and who owns and lives in which home.

Personal information (names, ID numbers, phones) falls under the Personal Information Protection Law:
pages show it masked (gongzhi.people.masking) unless the actor's role needs it, and each unmasked view is
recorded in AccessLog. ID numbers and phones are encrypted at rest and found by a keyed hash
(gongzhi.core.fields): code keeps writing `Person(id_number=…)` and `filter(phone=…)`; substring lookups
on them raise FieldError.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from gongzhi.core.fields import BlindIndexField, EncryptedCharField, EncryptedModelMixin, EncryptedQuerySet
from gongzhi.places.models import Home


class PersonKind(models.TextChoices):
    INDIVIDUAL = "individual", _("自然人")
    # A developer holding unsold or undelivered homes counts as one owner together (SPC interpretation art. 9).
    DEVELOPER = "developer", _("建设单位（开发商）")
    ORGANISATION = "organisation", _("单位")


class Person(EncryptedModelMixin, models.Model):
    kind = models.CharField(
        _("类别"), max_length=16, choices=PersonKind.choices, default=PersonKind.INDIVIDUAL
    )
    name = models.CharField(_("姓名"), max_length=100)
    id_number = EncryptedCharField(
        _("身份证号"), max_length=18, null=True, blank=True, index_field="id_number_index"
    )
    # The keyed hash of the ID number: what equality lookups and uniqueness use (gongzhi.core.fields).
    id_number_index = BlindIndexField(source="id_number", null=True, unique=True)
    credit_code = models.CharField(_("统一社会信用代码"), max_length=18, null=True, blank=True, unique=True)
    phone = EncryptedCharField(_("手机号"), max_length=20, blank=True, default="", index_field="phone_index")
    phone_index = BlindIndexField(source="phone", blank=True, default="", db_index=True)
    pinyin = models.CharField(max_length=255, blank=True, default="")
    initials = models.CharField(max_length=64, blank=True, default="")
    created_at = models.DateTimeField(default=timezone.now)
    # Where the person's homes (owned or lived in) lie: the longest path above all of them, "" for none,
    # UNKNOWN_PATH until computed. Lets a scoped list be one index range; kept by gongzhi.people.paths.
    path = models.CharField(max_length=110, default="?", db_default="?", editable=False)

    objects = EncryptedQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("人员")
        verbose_name_plural = _("人员")
        indexes = [models.Index(fields=["name"]), models.Index(fields=["initials"])]

    def __str__(self) -> str:
        return self.name


class Ownership(models.Model):
    """An owner of a home. Co-owners hold shares; a person may own several homes."""

    home = models.ForeignKey(
        Home, verbose_name=_("房屋"), on_delete=models.CASCADE, related_name="ownerships"
    )
    person = models.ForeignKey(
        Person, verbose_name=_("业主"), on_delete=models.PROTECT, related_name="ownerships"
    )
    # Denormalised from the home so per-compound owner counts need no join.
    compound_id_cache = models.BigIntegerField(db_index=True, editable=False)
    share = models.DecimalField(_("份额"), max_digits=5, decimal_places=4, default=Decimal("1"))
    since = models.DateField(_("起始日期"), null=True, blank=True)
    until = models.DateField(_("终止日期"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("产权")
        verbose_name_plural = _("产权")
        constraints = [
            models.UniqueConstraint(fields=["home", "person"], name="ownership_unique"),
            models.CheckConstraint(
                condition=models.Q(share__gt=0) & models.Q(share__lte=1), name="ownership_share_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} → {self.home}"


class Residence(models.Model):
    class Relation(models.TextChoices):
        OWNER = "owner", _("业主本人")
        FAMILY = "family", _("家庭成员")
        TENANT = "tenant", _("租户")
        OTHER = "other", _("其他")

    home = models.ForeignKey(
        Home, verbose_name=_("房屋"), on_delete=models.CASCADE, related_name="residences"
    )
    person = models.ForeignKey(
        Person, verbose_name=_("居民"), on_delete=models.PROTECT, related_name="residences"
    )
    relation = models.CharField(_("关系"), max_length=16, choices=Relation.choices, default=Relation.OWNER)
    since = models.DateField(_("入住日期"), null=True, blank=True)
    until = models.DateField(_("迁出日期"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("居住")
        verbose_name_plural = _("居住")
        constraints = [models.UniqueConstraint(fields=["home", "person"], name="residence_unique")]

    def __str__(self) -> str:
        return f"{self.person} @ {self.home}"


class AccessLog(models.Model):
    """Who saw whose unmasked personal data, when, and where (PIPL art. 51: access control and records)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    fields = models.CharField(max_length=100)
    purpose = models.CharField(max_length=100, blank=True, default="")
    # The viewer's role and unit when they looked ("社区工作者 · 云霄路社区"): what the person is shown on
    # their "my data" page, instead of the staff member's name (gongzhi.people.selectors.viewer_label).
    viewer = models.CharField(max_length=200, blank=True, default="")
    at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("个人信息查看记录")
        verbose_name_plural = _("个人信息查看记录")
        ordering = ["-at"]
        # The bulk-unmask limit counts a user's rows in a window; the "my data" page reads a person's.
        indexes = [models.Index(fields=["user", "at"]), models.Index(fields=["person", "at"])]

    def __str__(self) -> str:
        return f"{self.user_id} → {self.person_id} ({self.fields})"


class SecurityAlert(models.Model):
    """Something the security administrator must look at: a user went over the bulk-unmask limit.

    Written by gongzhi.people.services (and logged at WARNING); a page for the security administrator reads
    the unseen ones (`seen_at` empty).
    """

    class Kind(models.TextChoices):
        UNMASK_RATE = "unmask_rate", _("批量查看个人信息超过限额")

    kind = models.CharField(_("类别"), max_length=32, choices=Kind.choices)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    message = models.CharField(_("内容"), max_length=500)
    at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)
    seen_at = models.DateTimeField(_("已查看"), null=True, blank=True)

    class Meta:
        verbose_name = _("安全告警")
        verbose_name_plural = _("安全告警")
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.kind} {self.user_id} {self.at:%Y-%m-%d %H:%M}"
