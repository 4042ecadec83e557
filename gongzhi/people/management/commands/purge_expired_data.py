"""Delete what the retention settings say is kept no longer (docs/security.md, "Retention").

* access-log rows and security alerts older than GONGZHI_RETAIN_ACCESS_LOG_DAYS (at least 180: 等保 2.0
  keeps audit records six months);
* uploaded spreadsheets (full ID numbers) under GONGZHI_UPLOAD_DIRS older than GONGZHI_RETAIN_UPLOAD_DAYS;
* ownerships and residences whose `until` lies more than GONGZHI_RETAIN_ENDED_DAYS back (PIPL art. 47:
  delete personal information once its purpose is served). Their history rows stay: the audit trail is not
  the application's to delete.

`--dry-run` counts without deleting. Run daily (cron or a systemd timer).
"""

from __future__ import annotations

import time
from datetime import timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils import timezone

from gongzhi.core.actors import system
from gongzhi.people.services import expired_records_purge

MIN_AUDIT_DAYS = 180


class Command(BaseCommand):
    help = "按保留期限删除过期的查看记录、上传文件和已终止的产权/居住记录"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="只统计，不删除")

    def handle(self, *args: Any, dry_run: bool, **options: Any) -> None:
        log_days = settings.GONGZHI_RETAIN_ACCESS_LOG_DAYS
        if log_days < MIN_AUDIT_DAYS:
            raise CommandError(
                f"GONGZHI_RETAIN_ACCESS_LOG_DAYS={log_days}：审计记录至少保留 {MIN_AUDIT_DAYS} 天"
            )
        now = timezone.now()
        with transaction.atomic():
            counts = expired_records_purge(
                actor=system("purge_expired_data"),
                log_before=now - timedelta(days=log_days),
                ended_before=(now - timedelta(days=settings.GONGZHI_RETAIN_ENDED_DAYS)).date(),
                dry_run=dry_run,
            )
        counts["上传文件"] = _purge_files(settings.GONGZHI_RETAIN_UPLOAD_DAYS, dry_run)
        verb = "将删除" if dry_run else "已删除"
        for label, n in counts.items():
            self.stdout.write(f"{label}：{verb} {n}")


def _purge_files(days: int, dry_run: bool) -> int:
    cutoff = time.time() - days * 86400
    n = 0
    for folder in settings.GONGZHI_UPLOAD_DIRS:
        for f in Path(folder).glob("**/*"):
            if f.is_file() and f.stat().st_mtime < cutoff:
                n += 1
                if not dry_run:
                    f.unlink(missing_ok=True)
    return n
