"""manage.py restore ARCHIVE --yes — put the database, the secret key and the uploaded files back.

Stop the web server and the task worker first; run `migrate` after restoring an older backup.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from gongzhi.ops.backup import BackupError, restore


class Command(BaseCommand):
    help = "Restore a backup archive: replaces the database and the uploaded files. Stop the services first."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archive")
        parser.add_argument("--yes", action="store_true", help="really replace the current data")

    def handle(self, *args: Any, archive: str, yes: bool, **options: Any) -> None:
        path = Path(archive)
        if not path.is_file():
            raise CommandError(f"no such file: {archive}")
        if not yes:
            raise CommandError("restore replaces the database and the uploaded files: add --yes")
        try:
            done = restore(path)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"restored the {done.vendor} backup of {done.created}: database and {done.files} files"
        )
        if done.key_differs:
            self.stderr.write(
                "the keys in the environment differ from the backup's: set them from keys.json in the archive "
                "(tar -xOzf ARCHIVE keys.json), or sessions and encrypted data cannot be read"
            )
