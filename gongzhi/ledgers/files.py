"""Uploaded ledger files: written private (0600) under var/ledgers/ and deleted after the retention period.

An uploaded ledger carries full ID numbers and phones. It is kept only as long as a retry or a question about
the import may need it: `GONGZHI_UPLOAD_RETENTION_DAYS` (default 7) after upload; `manage.py purge_uploads`
(run daily, e.g. from a systemd timer) deletes older files, and never a file whose import is still waiting
or running.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils import timezone

from gongzhi.core.files import open_private, private_dir
from gongzhi.ledgers.models import ImportStatus, LedgerImport


def uploads_dir() -> Path:
    return Path(settings.VAR_DIR) / "ledgers"


def private_upload_path() -> Path:
    return private_dir(uploads_dir()) / f"{uuid.uuid4().hex}.xlsx"


def private_export_path() -> Path:
    """Where a background export writes its workbook (full ID numbers for those allowed: private too)."""
    return private_dir(uploads_dir() / "exports") / f"{uuid.uuid4().hex}.xlsx"


def private_file(path: Path) -> Any:
    return open_private(path)


def purge(now: datetime | None = None) -> list[Path]:
    """Delete uploads older than the retention period; returns what was deleted."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.GONGZHI_UPLOAD_RETENTION_DAYS)
    folder = uploads_dir()
    if not folder.exists():
        return []
    busy = {
        Path(f).name
        for f in LedgerImport.objects.filter(
            status__in=(ImportStatus.PENDING, ImportStatus.RUNNING)
        ).values_list("file", flat=True)
    }
    gone = []
    for path in folder.rglob("*"):  # uploads and background exports alike
        if not path.is_file() or path.name in busy:
            continue
        if datetime.fromtimestamp(path.stat().st_mtime, tz=cutoff.tzinfo) < cutoff:
            path.unlink(missing_ok=True)
            gone.append(path)
    return gone
