"""manage.py purge_uploads — delete uploaded ledger files older than GONGZHI_UPLOAD_RETENTION_DAYS."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from gongzhi.ledgers.files import purge


class Command(BaseCommand):
    help = "Delete uploaded ledger files (full ID numbers) older than the retention period."

    def handle(self, *args: Any, **options: Any) -> None:
        gone = purge()
        days = settings.GONGZHI_UPLOAD_RETENTION_DAYS
        self.stdout.write(f"deleted {len(gone)} uploaded files older than {days} days")
