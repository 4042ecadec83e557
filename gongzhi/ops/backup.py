"""Backup and restore of everything a server holds: the database, the keys, and the uploaded files.

One archive (`.tar.gz`, written 0600: it holds every ID number) with:

* `database.sqlite3` — SQLite's online backup API (`sqlite3.Connection.backup`), page by page under
  SQLite's own locking: a consistent copy of a live WAL database, which a plain file copy is not (the last
  commits may still be in the -wal file); or `database.pgdump` — `pg_dump --format=custom`, one snapshot.
* `keys.json` — the Django secret key and every `GONGZHI_…KEY…` setting from the environment (encryption
  keys): without them sessions, signed links and encrypted columns cannot be read back.
* `files/media/…` (attachments, mandates) and `files/ledgers/…` (uploads still within their retention).
* `manifest.json` — when, which database, the applied migrations, and a SHA-256 of every member; `restore`
  refuses an archive whose members do not match it, or whose database kind differs from the target's.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection, connections
from django.utils import timezone

from gongzhi.core.files import PRIVATE_FILE, open_private, private_dir

FORMAT = 1


class BackupError(Exception):
    """A backup or restore that cannot be done; the message says why."""


def _file_dirs() -> dict[str, Path]:
    return {"media": Path(settings.MEDIA_ROOT), "ledgers": Path(settings.VAR_DIR) / "ledgers"}


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _keys() -> dict[str, str]:
    keys = {"SECRET_KEY": settings.SECRET_KEY}
    keys.update({k: v for k, v in os.environ.items() if k.startswith("GONGZHI_") and "KEY" in k})
    return keys


def _pg_env() -> tuple[list[str], dict[str, str]]:
    """Connection arguments for pg_dump / pg_restore from Django's settings (password via the environment)."""
    db = connection.settings_dict
    args = ["--dbname", db["NAME"]]
    if db.get("HOST"):
        args += ["--host", str(db["HOST"])]
    if db.get("PORT"):
        args += ["--port", str(db["PORT"])]
    if db.get("USER"):
        args += ["--username", str(db["USER"])]
    env = {**os.environ}
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    return args, env


def _dump_database(target: Path) -> str:
    if connection.vendor == "sqlite":
        name = target / "database.sqlite3"
        connection.ensure_connection()
        with sqlite3.connect(name) as copy:
            connection.connection.backup(copy)  # online, consistent, live WAL included
        copy.close()
        return name.name
    if connection.vendor == "postgresql":
        name = target / "database.pgdump"
        args, env = _pg_env()
        done = subprocess.run(
            ["pg_dump", "--format=custom", "--no-owner", "--file", str(name), *args],
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode:
            raise BackupError(f"pg_dump failed: {done.stderr.strip()}")
        return name.name
    raise BackupError(f"no backup for {connection.vendor}")


def _migrations() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT app, name FROM django_migrations ORDER BY app, name")
        return [f"{app}.{name}" for app, name in cursor.fetchall()]


def backup(target_dir: Path) -> Path:
    """Write a backup archive into `target_dir`; returns its path."""
    private_dir(target_dir)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    archive = target_dir / f"gongzhi-backup-{stamp}.tar.gz"
    with tempfile.TemporaryDirectory(prefix="gongzhi-backup-") as tmp:
        work = Path(tmp)
        members = [_dump_database(work)]
        (work / "keys.json").write_text(json.dumps(_keys(), indent=1))
        members.append("keys.json")
        for label, folder in _file_dirs().items():
            if folder.exists():
                shutil.copytree(folder, work / "files" / label)
        members += [str(p.relative_to(work)) for p in sorted((work / "files").rglob("*")) if p.is_file()]
        manifest = {
            "format": FORMAT,
            "created": timezone.now().isoformat(),
            "vendor": connection.vendor,
            "migrations": _migrations(),
            "sha256": {m: _sha256(work / m) for m in members},
        }
        (work / "manifest.json").write_text(json.dumps(manifest, indent=1, ensure_ascii=False))
        with open_private(archive) as raw, tarfile.open(fileobj=raw, mode="w:gz") as tar:
            for member in ["manifest.json", *members]:
                tar.add(work / member, arcname=member)
    return archive


@dataclass
class Restored:
    vendor: str
    files: int
    created: str
    key_differs: bool


def _safe_extract(archive: Path, into: Path) -> dict[str, Any]:
    with tarfile.open(archive, mode="r:gz") as tar:
        tar.extractall(into, filter="data")  # no absolute paths, no links out, no devices
    manifest_path = into / "manifest.json"
    if not manifest_path.exists():
        raise BackupError("not a Gongzhi backup: manifest.json is missing")
    manifest: dict[str, Any] = json.loads(manifest_path.read_text())
    if manifest.get("format") != FORMAT:
        raise BackupError(f"unknown backup format {manifest.get('format')!r}")
    for member, digest in manifest["sha256"].items():
        path = into / member
        if not path.is_file() or _sha256(path) != digest:
            raise BackupError(f"{member} does not match the manifest: the archive is damaged")
    return manifest


def _restore_database(work: Path, vendor: str) -> None:
    if vendor != connection.vendor:
        raise BackupError(f"the backup is of {vendor}, this server runs {connection.vendor}")
    if vendor == "sqlite":
        connection.ensure_connection()
        with sqlite3.connect(work / "database.sqlite3") as source:
            source.backup(connection.connection)  # online: other connections see the restored pages
        source.close()
        return
    args, env = _pg_env()
    connections.close_all()
    done = subprocess.run(
        [
            "pg_restore",
            "--clean",
            "--if-exists",
            "--no-owner",
            "--single-transaction",
            *args,
            str(work / "database.pgdump"),
        ],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode:
        raise BackupError(f"pg_restore failed: {done.stderr.strip()[:2000]}")


def restore(archive: Path) -> Restored:
    """Put the database, the secret key file and the uploaded files back as they were in `archive`."""
    with tempfile.TemporaryDirectory(prefix="gongzhi-restore-") as tmp:
        work = Path(tmp)
        manifest = _safe_extract(archive, work)
        _restore_database(work, manifest["vendor"])
        files = 0
        for label, folder in _file_dirs().items():
            source = work / "files" / label
            if folder.exists():
                shutil.rmtree(folder)
            if source.exists():
                shutil.copytree(source, folder)
                files += sum(1 for p in folder.rglob("*") if p.is_file())
                for p in folder.rglob("*"):
                    p.chmod(PRIVATE_FILE if p.is_file() else 0o700)
                folder.chmod(0o700)
        keys = json.loads((work / "keys.json").read_text())
        key_file = Path(settings.VAR_DIR) / "secret_key"
        if not os.environ.get("GONGZHI_SECRET_KEY"):
            key_file.write_text(keys["SECRET_KEY"])
            key_file.chmod(PRIVATE_FILE)
        # Keys from the environment cannot be set from here: the operator puts them back (restore says so).
        from_env = {k: v for k, v in keys.items() if k != "SECRET_KEY"}
        if os.environ.get("GONGZHI_SECRET_KEY"):
            from_env["GONGZHI_SECRET_KEY"] = keys["SECRET_KEY"]
        differs = any(os.environ.get(k) != v for k, v in from_env.items())
        return Restored(manifest["vendor"], files, manifest["created"], differs)


def read_keys(archive: Path) -> dict[str, str]:
    with tarfile.open(archive, mode="r:gz") as tar:
        member = tar.extractfile("keys.json")
        if member is None:
            raise BackupError("keys.json is missing")
        return dict(json.load(io.TextIOWrapper(member)))
