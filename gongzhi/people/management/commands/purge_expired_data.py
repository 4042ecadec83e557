"""Delete what the retention settings say is kept no longer (docs/security.md, "Retention").

* access-log rows and security alerts older than GONGZHI_RETAIN_ACCESS_LOG_DAYS (at least 180: 等保 2.0
  keeps audit records six months);
* ownerships and residences whose `until` lies more than GONGZHI_RETAIN_ENDED_DAYS back (PIPL art. 47:
  delete personal information once its purpose is served). Their history rows stay: the audit trail is not
  the application's to delete.

`--dry-run` counts without deleting. Run daily (cron or a systemd timer), with `purge_uploads` (ledgers), which
deletes uploaded spreadsheets (full ID numbers) after GONGZHI_UPLOAD_RETENTION_DAYS. Logs are sealed
(gongzhi/accounts/audit.py): this command is one of the two ways out, inside `purging()`.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils import timezone

from gongzhi.accounts.audit import purging
from gongzhi.core.actors import system
from gongzhi.people.services import expired_records_purge

MIN_AUDIT_DAYS = 180


class Command(BaseCommand):
    help = "按保留期限删除过期的查看记录和已终止的产权/居住记录"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="只统计，不删除")

    def handle(self, *args: Any, dry_run: bool, **options: Any) -> None:
        log_days = settings.GONGZHI_RETAIN_ACCESS_LOG_DAYS
        if log_days < MIN_AUDIT_DAYS:
            raise CommandError(
                f"GONGZHI_RETAIN_ACCESS_LOG_DAYS={log_days}：审计记录至少保留 {MIN_AUDIT_DAYS} 天"
            )
        now = timezone.now()
        with transaction.atomic(), purging():
            counts = expired_records_purge(
                actor=system("purge_expired_data"),
                log_before=now - timedelta(days=log_days),
                ended_before=(now - timedelta(days=settings.GONGZHI_RETAIN_ENDED_DAYS)).date(),
                dry_run=dry_run,
            )
        verb = "将删除" if dry_run else "已删除"
        for label, n in counts.items():
            self.stdout.write(f"{label}：{verb} {n}")
