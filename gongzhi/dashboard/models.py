"""Dated snapshots of every catalogued figure for every division, and the bulletin's editable templates."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from gongzhi.places.models import Division


class Snapshot(models.Model):
    """The value of one catalogued figure at one division on one day. One row per (day, division, figure):
    taking the snapshot again the same day replaces the day's rows, it never doubles them."""

    taken_on = models.DateField(_("日期"))
    place_code = models.CharField(max_length=16)
    path = models.CharField(max_length=100)
    code = models.CharField(_("指标代码"), max_length=60)
    value = models.FloatField(null=True)
    # Set when the value could not be computed as of `taken_on` (the figure's data keeps no dates) and
    # is the value on this later day, when the snapshot was taken; None: the value as of `taken_on`.
    measured_on = models.DateField(_("实际计算日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("指标快照")
        verbose_name_plural = _("指标快照")
        constraints = [
            models.UniqueConstraint(fields=["place_code", "code", "taken_on"], name="snapshot_one_a_day")
        ]
        indexes = [models.Index(fields=["taken_on", "place_code"], name="snapshot_day_place")]

    def __str__(self) -> str:
        return f"{self.taken_on} {self.place_code} {self.code}={self.value}"


class SnapshotRun(models.Model):
    """The audit record of a snapshot: who or what took it, for which day and place, how many rows."""

    taken_on = models.DateField(_("日期"))
    taken_at = models.DateTimeField(_("执行时间"))
    actor = models.CharField(_("执行者"), max_length=100)
    path = models.CharField(max_length=100, default="")
    divisions = models.PositiveIntegerField(default=0)
    rows = models.PositiveIntegerField(default=0)
    seconds = models.FloatField(default=0)

    class Meta:
        verbose_name = _("快照记录")
        verbose_name_plural = _("快照记录")
        ordering = ["-taken_at"]

    def __str__(self) -> str:
        return f"{self.taken_on} {self.path or '全部'} ({self.rows})"


class BulletinTemplate(models.Model):
    """The sentences of a bulletin as a template a district edits (rendered in a sandbox: sandbox.py).

    `division` null is the platform's default; a district's own template wins under it. `table_figures`
    and `chart_figure` name catalogue codes for the table by subdivision and the chart.
    """

    division = models.OneToOneField(
        Division, null=True, blank=True, on_delete=models.CASCADE, verbose_name=_("地区"), related_name="+"
    )
    title = models.CharField(_("标题"), max_length=100)
    body = models.TextField(_("正文模板"))
    table_figures = models.CharField(_("表格指标"), max_length=500)
    chart_figure = models.CharField(_("图表指标"), max_length=60)
    path = models.CharField(max_length=100, default="", editable=False)
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("简报模板")
        verbose_name_plural = _("简报模板")

    def __str__(self) -> str:
        return self.title

    def figure_codes(self) -> list[str]:
        return [c.strip() for c in self.table_figures.split(",") if c.strip()]
