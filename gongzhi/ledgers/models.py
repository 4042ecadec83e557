"""Records of imports (with their progress and errors) and of exports (who took what)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class ImportStatus(models.TextChoices):
    PENDING = "pending", _("排队中")
    RUNNING = "running", _("导入中")
    DONE = "done", _("已完成")
    REJECTED = "rejected", _("有错误，未导入")
    FAILED = "failed", _("失败")


class JobKind(models.TextChoices):
    IMPORT = "import", _("导入")
    EXPORT = "export", _("导出")


# What a running job is doing, as the importer reports it (`Context.report`) and the status page names it.
PHASES = {
    "reading": pgettext_lazy("任务阶段", "读取文件"),
    "checking": pgettext_lazy("任务阶段", "检查"),
    "writing": pgettext_lazy("任务阶段", "写入"),
    "done": pgettext_lazy("任务阶段", "完成"),
    "exporting": pgettext_lazy("任务阶段", "导出"),
    "recovering": pgettext_lazy("任务阶段", "恢复中"),
}


class LedgerImport(models.Model):
    """A background ledger job and its progress: an import (`file` is the upload) or, since issue 9, a long
    export (`file` is the workbook being written, `original_name` the name it downloads as)."""

    ledger = models.CharField(_("台账"), max_length=32)
    kind = models.CharField(_("类型"), max_length=8, choices=JobKind.choices, default=JobKind.IMPORT)
    place_path = models.CharField(_("导出范围"), max_length=110, blank=True, default="")
    file = models.CharField(_("文件"), max_length=255)
    original_name = models.CharField(_("原文件名"), max_length=255, blank=True, default="")
    status = models.CharField(_("状态"), max_length=16, choices=ImportStatus.choices, default="pending")
    phase = models.CharField(_("阶段"), max_length=32, blank=True, default="")
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list, blank=True)
    counts = models.JSONField(default=dict, blank=True)
    message = models.CharField(max_length=300, blank=True, default="")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # The worker running the job stamps this every few seconds (gongzhi.ledgers.jobs); a running job whose
    # stamp is old lost its worker and is undone, then retried or failed.
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    task_id = models.CharField(max_length=64, blank=True, default="")  # django-tasks' result of the run
    # The requester's language: the worker writes the job's messages and row errors in it (core.job_language).
    language = models.CharField(max_length=16, blank=True, default="")

    class Meta:
        verbose_name = _("台账导入")
        verbose_name_plural = _("台账导入")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.ledger} #{self.pk} {self.status}"

    @property
    def phase_label(self) -> str:
        """The phase as the reader's language names it (the worker stores a key)."""
        return str(PHASES.get(self.phase, self.phase))

    @property
    def percent(self) -> int:
        if self.status in (ImportStatus.DONE, ImportStatus.REJECTED):
            return 100
        return int(100 * self.done / self.total) if self.total else 0


class LedgerExport(models.Model):
    """Who exported which ledger for which place (exports carry personal data: PIPL art. 51)."""

    ledger = models.CharField(max_length=32)
    place_path = models.CharField(max_length=110)
    rows = models.PositiveIntegerField(default=0)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("台账导出记录")
        verbose_name_plural = _("台账导出记录")
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.ledger} {self.place_path} {self.rows}"


class ImportJournal(models.Model):
    """One row an import changed on SQLite, to undo it (gongzhi.ledgers.journal); empty when none runs."""

    key = models.CharField(max_length=40, db_index=True)
    tbl = models.CharField(max_length=100)
    row = models.BigIntegerField()
    op = models.CharField(max_length=1)  # i(nsert), u(pdate), d(elete)
    old = models.TextField(null=True)  # the row before: {column: SQLite literal}

    class Meta:
        verbose_name = _("导入撤销日志")
        verbose_name_plural = _("导入撤销日志")

    def __str__(self) -> str:
        return f"{self.key} {self.op} {self.tbl}#{self.row}"
