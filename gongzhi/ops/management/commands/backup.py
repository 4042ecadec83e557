"""manage.py backup [--to DIR] — the database (online), the keys and the uploaded files in one archive."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from gongzhi.ops.backup import BackupError, backup


class Command(BaseCommand):
    help = "Back up the database, the secret key and the uploaded files into one archive (0600)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--to", default=str(Path(settings.VAR_DIR) / "backups"), help="folder (default var/backups)"
        )

    def handle(self, *args: Any, to: str, **options: Any) -> None:
        try:
            archive = backup(Path(to))
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"backup written: {archive} ({archive.stat().st_size:,} bytes)")
