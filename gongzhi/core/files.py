"""Files that hold personal data stay private to the service's user: uploads 0600 in 0700 folders, and the
SQLite database (and its -wal/-shm companions) 0600 whatever the umask was when SQLite created them."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

PRIVATE_FILE = 0o600
PRIVATE_DIR = 0o700


def private_dir(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    path.chmod(PRIVATE_DIR)
    return path


def open_private(path: Path) -> Any:
    """Open a new file for writing, created 0600 (not created 0644 and narrowed after)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE)
    return os.fdopen(fd, "wb")


def sqlite_private(sender: Any, connection: Any, **kwargs: Any) -> None:
    """connection_created: narrow a file-backed SQLite database and its journals to 0600."""
    if connection.vendor != "sqlite":
        return
    name = str(connection.settings_dict.get("NAME") or "")
    if not name or name == ":memory:" or name.startswith("file:"):
        return
    for suffix in ("", "-wal", "-shm", "-journal"):
        path = Path(name + suffix)
        try:
            if path.exists() and path.stat().st_mode & 0o077:
                path.chmod(PRIVATE_FILE)
        except OSError:  # not ours to change (a read-only copy): leave it
            pass
