"""Backup and restore as a round trip on a real SQLite file (and on PostgreSQL when DATABASE_URL is set):
rows still in the write-ahead log are in the backup, files and keys come back, a damaged archive is refused."""

from __future__ import annotations

import os
import sqlite3
import stat
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest
from django.db import connection

from gongzhi.ledgers.tests import live

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def migrated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("backup-base")
    live.manage(base, "migrate", "-v0").wait(timeout=600)
    live.manage(base, "load_divisions", str(live.ROOT / "data" / "qingdao-divisions.csv")).wait(timeout=600)
    return base


def _manage(var: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=live.ROOT,
        env=live.env(var),
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


def _names(var: Path) -> list[str]:
    with live.db(var) as conn:
        return [r[0] for r in conn.execute("SELECT name FROM places_division ORDER BY code")]


def test_round_trip_on_sqlite_keeps_rows_still_in_the_wal_files_and_key(
    migrated: Path, tmp_path: Path
) -> None:
    var = tmp_path / "var"
    live.copy_db(migrated, var)
    (var / "media" / "affairs").mkdir(parents=True)
    (var / "media" / "affairs" / "mandate.pdf").write_bytes(b"%PDF mandate")
    # A writer that keeps its rows in the -wal file (no checkpoint) and stays connected, as a live server.
    writer = sqlite3.connect(var / "gongzhi.sqlite3", isolation_level=None)
    writer.execute("PRAGMA wal_autocheckpoint=0")
    writer.execute("CREATE TABLE probe (n INTEGER)")
    writer.executemany("INSERT INTO probe VALUES (?)", [(n,) for n in range(1000)])
    assert (var / "gongzhi.sqlite3-wal").stat().st_size > 0
    done = _manage(var, "backup", "--to", str(tmp_path / "backups"))
    assert done.returncode == 0, done.stderr
    (archive,) = (tmp_path / "backups").iterdir()
    assert stat.S_IMODE(archive.stat().st_mode) == 0o600
    before = _names(var)
    assert len(before) > 100  # Qingdao's divisions

    # Disaster: rows gone, the file gone, a new key.
    writer.execute("DROP TABLE probe")
    writer.execute("DELETE FROM places_division")
    writer.close()
    (var / "media" / "affairs" / "mandate.pdf").unlink()
    (var / "secret_key").write_text("another")
    assert _manage(var, "restore", str(archive)).returncode != 0  # asks for --yes
    done = _manage(var, "restore", str(archive), "--yes")
    assert done.returncode == 0, done.stderr
    assert _names(var) == before
    with live.db(var) as conn:
        assert conn.execute("SELECT count(*) FROM probe").fetchone()[0] == 1000  # it was only in the WAL
    assert (var / "media" / "affairs" / "mandate.pdf").read_bytes() == b"%PDF mandate"
    assert (var / "secret_key").read_text() == (migrated / "secret_key").read_text()
    assert stat.S_IMODE((var / "media" / "affairs" / "mandate.pdf").stat().st_mode) == 0o600


def test_a_damaged_or_foreign_archive_is_refused(migrated: Path, tmp_path: Path) -> None:
    var = tmp_path / "var"
    live.copy_db(migrated, var)
    assert _manage(var, "backup", "--to", str(tmp_path / "b")).returncode == 0
    (archive,) = (tmp_path / "b").iterdir()
    work = tmp_path / "x"
    with tarfile.open(archive) as tar:
        tar.extractall(work, filter="data")
    (work / "keys.json").write_text('{"SECRET_KEY": "forged"}')
    forged = tmp_path / "forged.tar.gz"
    with tarfile.open(forged, "w:gz") as tar:
        for p in sorted(work.rglob("*")):
            tar.add(p, arcname=str(p.relative_to(work)), recursive=False)
    done = _manage(var, "restore", str(forged), "--yes")
    assert done.returncode != 0 and "does not match the manifest" in done.stderr
    (tmp_path / "junk.tar.gz").write_bytes(b"not an archive")
    assert _manage(var, "restore", str(tmp_path / "junk.tar.gz"), "--yes").returncode != 0


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs DATABASE_URL (PostgreSQL)")
@pytest.mark.django_db(transaction=True)
def test_round_trip_on_postgresql(tmp_path: Path, settings) -> None:  # type: ignore[no-untyped-def]
    from gongzhi.ops.backup import backup, restore
    from gongzhi.places.models import Division
    from gongzhi.tests.factories import load_divisions

    settings.VAR_DIR = tmp_path
    settings.MEDIA_ROOT = tmp_path / "media"
    load_divisions()
    before = sorted(Division.objects.values_list("code", "name"))
    archive = backup(tmp_path / "b")
    Division.objects.filter(code="370202").update(name="改坏了")
    restored = restore(archive)
    assert restored.vendor == "postgresql"
    assert sorted(Division.objects.values_list("code", "name")) == before
    assert os.path.getsize(archive) > 0
