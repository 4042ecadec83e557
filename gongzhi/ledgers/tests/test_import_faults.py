"""Imports against real processes on a real SQLite file: others write while a long import runs, and a
worker killed in the middle of an import leaves all of the file or none of it (docs/ledgers.md)."""

from __future__ import annotations

import signal
import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from gongzhi.ledgers.tests import live

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def migrated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("live-base")
    live.manage(base, "migrate", "-v0").wait(timeout=600)
    live.step(base, "world")
    return base


@pytest.fixture
def var(migrated: Path, tmp_path: Path) -> Iterator[Path]:
    live.copy_db(migrated, tmp_path)
    (tmp_path / "homes.xlsx").write_bytes((migrated / "homes.xlsx").read_bytes())
    yield tmp_path


def _wait(predicate, timeout: float = 120.0) -> None:  # type: ignore[no-untyped-def]
    end = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < end, "timed out"
        time.sleep(0.05)


def test_others_write_while_a_long_import_runs(var: Path) -> None:
    before = live.count(var, "places_home")
    importer = live.manage(
        var,
        "import_ledger",
        str(var / "homes.xlsx"),
        "--ledger",
        "homes",
        "-v0",
        GONGZHI_IMPORT_BATCH_ROWS="200",
    )
    waits, during = [], 0
    while importer.poll() is None:
        # A write as a log-in or a ballot makes it, with a short busy timeout: it must not wait for the
        # whole import (one transaction held the lock for all of it before).
        conn = sqlite3.connect(var / "gongzhi.sqlite3", timeout=2, isolation_level=None)
        start = time.monotonic()
        conn.execute("BEGIN IMMEDIATE")
        conn.execute(
            "UPDATE places_compound SET name = name WHERE id = (SELECT min(id) FROM places_compound)"
        )
        conn.execute("COMMIT")
        waits.append(time.monotonic() - start)
        conn.close()
        during += before < live.count(var, "places_home") < before + live.HOMES  # part of the file is in
        time.sleep(0.05)
    assert importer.returncode == 0
    assert live.count(var, "places_home") == before + live.HOMES
    assert during >= 3 and max(waits) < 2
    assert live.count(var, "ledgers_importjournal") == 0


def test_a_worker_killed_mid_import_leaves_all_or_nothing_and_the_job_is_retried(var: Path) -> None:
    before = live.count(var, "places_home")
    fast = {"GONGZHI_IMPORT_BATCH_ROWS": "200", "GONGZHI_IMPORT_HEARTBEAT_SECONDS": "1"}
    job = int(live.step(var, "enqueue", **fast))
    worker = live.manage(var, "db_worker", "--no-reload", "--interval", "0.2", "--no-startup-delay", **fast)
    try:
        _wait(lambda: live.count(var, "places_home") > before + 400)
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=30)
        partial = live.count(var, "places_home") - before
        assert 0 < partial < live.HOMES  # killed in the middle of writing
        with live.db(var) as conn:
            status, killed_task = conn.execute(
                "SELECT status, task_id FROM ledgers_ledgerimport WHERE id = ?", [job]
            ).fetchone()
        assert status == "running"  # nobody could mark it
        worker = live.manage(
            var, "db_worker", "--no-reload", "--interval", "0.2", "--no-startup-delay", **fast
        )

        def finished() -> bool:
            with live.db(var) as conn:
                row = conn.execute("SELECT status FROM ledgers_ledgerimport WHERE id = ?", [job]).fetchone()
            return row[0] in ("done", "failed", "rejected")

        _wait(finished, timeout=180)
    finally:
        worker.kill()
        worker.wait(timeout=30)
    with live.db(var) as conn:
        status, attempts = conn.execute(
            "SELECT status, attempts FROM ledgers_ledgerimport WHERE id = ?", [job]
        ).fetchone()
        # The killed run's own result: the test's final kill may catch the new worker mid-watchdog.
        dead = conn.execute(
            "SELECT count(*) FROM django_tasks_database_dbtaskresult WHERE status = 'RUNNING' AND id = ?",
            [killed_task],
        ).fetchone()
    # The restarted worker undid the partial rows and ran the job again: all of the file, once.
    assert (status, attempts) == ("done", 2)
    assert live.count(var, "places_home") == before + live.HOMES
    assert live.count(var, "ledgers_importjournal") == 0
    assert dead[0] == 0  # the killed run's task result is failed, not "running" for ever
