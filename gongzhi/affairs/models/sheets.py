"""A filled-in paper-ballot sheet waiting for, or read by, a background worker (gongzhi.affairs.tasks)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from gongzhi.affairs.models.votes import Vote


class SheetStatus(models.TextChoices):
    PENDING = "pending", _("排队中")
    RUNNING = "running", _("录入中")
    DONE = "done", _("已录入")
    REJECTED = "rejected", _("有错误，未录入")
    FAILED = "failed", _("失败")


class SheetJob(models.Model):
    """One upload of a vote's ballot sheet: the private file until it is read, then the outcome — counts, or
    the errors by row (nothing written). The ballots it records carry their own chain and changes."""

    vote = models.ForeignKey(Vote, on_delete=models.CASCADE, related_name="+")
    file = models.CharField(_("文件"), max_length=255)
    original_name = models.CharField(_("原文件名"), max_length=255, blank=True, default="")
    status = models.CharField(
        _("状态"), max_length=16, choices=SheetStatus.choices, default=SheetStatus.PENDING
    )
    errors = models.JSONField(default=list, blank=True)  # [{"row", "column", "message"}]
    counts = models.JSONField(default=dict, blank=True)  # rows, recorded, changed, unchanged
    message = models.CharField(max_length=300, blank=True, default="")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)  # gongzhi.core.heartbeat
    attempts = models.PositiveSmallIntegerField(default=0)
    task_id = models.CharField(max_length=64, blank=True, default="")
    # The requester's language: the worker writes the messages and row errors in it (core.job_language).
    language = models.CharField(max_length=16, blank=True, default="")

    class Meta:
        verbose_name = _("纸质票录入任务")
        verbose_name_plural = _("纸质票录入任务")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.vote_id} #{self.pk} {self.status}"

    @property
    def finished(self) -> bool:
        return self.status in (SheetStatus.DONE, SheetStatus.REJECTED, SheetStatus.FAILED)
