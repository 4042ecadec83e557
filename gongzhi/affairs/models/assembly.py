"""The assembly's procedure before a vote: the notice with its items, and the register of owners (业主名册)
frozen and published with it; objections to the register and their answers.

《青岛市物业管理条例》第二十四条、第二十九条、第四十四条: the notice with the items and their full text and the
register of owners and their vote weights are published at least 15 days before voting
(civil_code.earliest_voting_day); only an item of the notice may be voted (Vote.notice_item). Rows change only
through gongzhi.affairs.services (assembly).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from gongzhi.affairs.models.categories import ITEM_CHOICES
from gongzhi.affairs.models.matters import Matter
from gongzhi.people.models import Person
from gongzhi.places.models import Home, path_index


class Notice(models.Model):
    """The notice of a vote (表决公告), posted with the register of owners frozen on the same day. A matter
    voted again (after a vote that failed) needs a new notice: the latest one governs."""

    matter = models.ForeignKey(Matter, on_delete=models.PROTECT, related_name="notices")
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    posted_on = models.DateField(_("公告日期"))
    voting_from = models.DateField(_("表决开始日期"))
    text = models.TextField(_("公告全文"))
    posted_at = models.DateTimeField()
    posted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The register's totals when frozen (its rows: RegisterEntry).
    homes = models.PositiveIntegerField(default=0)
    owners_total = models.PositiveIntegerField(default=0)
    area_total = models.DecimalField(max_digits=14, decimal_places=2, default=0)
    path = models.CharField(max_length=110, editable=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("表决公告")
        verbose_name_plural = _("表决公告")
        ordering = ["-posted_at", "-id"]
        indexes = [path_index("notice_path_idx")]

    def __str__(self) -> str:
        return f"{self.matter_id} @ {self.posted_on}"


class NoticeItem(models.Model):
    """One item of the notice, with its full text: the only things the owners may vote on."""

    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="items")
    number = models.PositiveSmallIntegerField(_("序号"))
    title = models.CharField(_("表决事项"), max_length=200)
    text = models.TextField(_("事项全文"))
    item = models.PositiveSmallIntegerField(_("民法典第二百七十八条事项"), choices=ITEM_CHOICES)

    class Meta:
        verbose_name = _("公告事项")
        verbose_name_plural = _("公告事项")
        ordering = ["number"]
        constraints = [models.UniqueConstraint(fields=["notice", "number"], name="notice_item_unique")]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"

    def scope_path(self) -> str:
        return self.notice.path


class RegisterEntry(models.Model):
    """One home of the frozen register: its counted owner and vote weight (area) as published."""

    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="entries")
    home = models.ForeignKey(Home, on_delete=models.PROTECT, related_name="+")
    owner = models.ForeignKey(Person, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    developer = models.BooleanField(default=False)
    developer_id_counted = models.BigIntegerField(null=True, blank=True)
    delivered = models.BooleanField(default=True)
    area = models.DecimalField(_("专有部分面积"), max_digits=10, decimal_places=2)

    class Meta:
        verbose_name = _("业主名册条目")
        verbose_name_plural = _("业主名册")
        constraints = [models.UniqueConstraint(fields=["notice", "home"], name="register_entry_unique")]

    def __str__(self) -> str:
        return f"{self.home_id}: {self.owner_id} {self.area}"


class RegisterObjection(models.Model):
    """An owner's objection to the register or the notice, recorded and answered (the answer kept)."""

    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="objections")
    home = models.ForeignKey(Home, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    raised_by_name = models.CharField(_("提出人"), max_length=100)
    text = models.TextField(_("异议内容"))
    raised_on = models.DateField(_("提出日期"))
    answer = models.TextField(_("答复"), blank=True, default="")
    answered_on = models.DateField(_("答复日期"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    path = models.CharField(max_length=110, editable=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("名册异议")
        verbose_name_plural = _("名册异议")
        ordering = ["raised_on", "id"]

    def __str__(self) -> str:
        return f"{self.raised_by_name}: {self.text[:20]}"
