"""A daily job's management command: ``--on YYYY-MM-DD`` computes for another day (default today) and
``--enqueue`` hands the job to the task worker, as the cron lines in docs/operations.md do. The job is a
task taking ``on`` (the date as text, "" for today); safe to run again or late is the job's own promise."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError


class DailyJobCommand(BaseCommand):
    def job(self) -> Any:
        """The task (with ``enqueue`` and ``call``) this command runs."""
        raise NotImplementedError

    def summary(self, result: Any) -> str:
        """One line for the operator: what the job did."""
        raise NotImplementedError

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--on", default="", help="按哪一天计算（YYYY-MM-DD），默认今天")
        parser.add_argument("--enqueue", action="store_true", help="交给后台任务进程执行")

    def handle(self, *args: Any, on: str, enqueue: bool, **options: Any) -> None:
        if on:
            try:
                date.fromisoformat(on)
            except ValueError:
                raise CommandError(f"日期应为 YYYY-MM-DD：{on}") from None
        if enqueue:
            self.stdout.write(f"已排队：{self.job().enqueue(on=on).id}")
            return
        self.stdout.write(self.summary(self.job().call(on=on)))
