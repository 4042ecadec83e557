"""All or nothing on SQLite's batched imports: the undo journal, a failing batch, stale jobs, private files."""

from __future__ import annotations

import os
import stat
from datetime import timedelta
from pathlib import Path

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone

from gongzhi.accounts.roles import Role
from gongzhi.ledgers import jobs
from gongzhi.ledgers.base import Context
from gongzhi.ledgers.files import purge, uploads_dir
from gongzhi.ledgers.importer import import_file
from gongzhi.ledgers.journal import journaled, undo
from gongzhi.ledgers.models import ImportJournal, ImportStatus, LedgerImport
from gongzhi.places.ledger import HOMES_LEDGER, HomesLedger
from gongzhi.places.models import Building, Compound, Home
from gongzhi.places.tests.test_homes_ledger import snapshot, write
from gongzhi.tests.factories import user_with

pytestmark = pytest.mark.django_db
sqlite_only = pytest.mark.skipif(connection.vendor != "sqlite", reason="the journal is SQLite's")


@sqlite_only
def test_undo_puts_back_inserts_updates_and_deletes_exactly(tree) -> None:  # type: ignore[no-untyped-def]
    first, second = tree.compounds[0], tree.compounds[1]
    home = Home.objects.filter(building__compound=first).first()
    assert home is not None
    before = (list(Compound.objects.order_by("pk").values()), list(Home.objects.order_by("pk").values()))
    with journaled("t1"):
        # Values that would break a naive restore: quotes, a percent sign, "%s", NUL-free unicode.
        Compound.objects.filter(pk=first.pk).update(name="x' OR 1=1; -- 100%s %% 引号\"")
        Compound.objects.filter(pk=second.pk).update(homes_count=999)
        Home.objects.filter(pk=home.pk).delete()
        Building.objects.filter(pk=home.building_id).update(floors=77)
    assert ImportJournal.objects.filter(key="t1").count() >= 4
    Compound.objects.filter(pk=second.pk).update(homes_count=5)  # after the block: not journaled
    assert undo("t1") >= 4
    after = (list(Compound.objects.order_by("pk").values()), list(Home.objects.order_by("pk").values()))
    assert after[1] == before[1]
    assert [c for c in after[0] if c["id"] != second.pk] == [c for c in before[0] if c["id"] != second.pk]
    assert not ImportJournal.objects.exists()


@sqlite_only
def test_a_batch_that_fails_undoes_every_batch_before_it(tree, tmp_path: Path, settings, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    settings.GONGZHI_IMPORT_BATCH_ROWS = 2
    settings.GONGZHI_IMPORT_BATCH_PAUSE = 0
    compound = tree.compounds[0]
    worker = user_with(Role.COMMUNITY_WORKER, compound.community)
    rows = [[compound.code, "7号楼", 1, f"{n}01", n, "90", "是"] for n in range(1, 8)]
    f = write(tmp_path / "in.xlsx", rows, [])
    before = snapshot()
    calls = []
    real_apply = HomesLedger.apply

    def failing(self, plan, ctx):  # type: ignore[no-untyped-def]
        calls.append(1)
        if len(calls) == 3:
            raise RuntimeError("disk full")
        return real_apply(self, plan, ctx)

    monkeypatch.setattr(HomesLedger, "apply", failing)
    with pytest.raises(RuntimeError):
        import_file(HOMES_LEDGER, f, Context(worker, key="fail-1"))
    assert len(calls) == 3  # two batches were committed before the third failed
    assert snapshot() == before
    assert not Building.objects.filter(number="7号楼").exists()
    assert not ImportJournal.objects.exists()
    monkeypatch.setattr(HomesLedger, "apply", real_apply)
    assert import_file(HOMES_LEDGER, f, Context(worker)).ok  # the same file, whole, afterwards
    assert Home.objects.filter(building__number="7号楼").count() == 7


def test_a_job_whose_heartbeat_stopped_is_retried_then_failed(tree, settings) -> None:  # type: ignore[no-untyped-def]
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    user = user_with(Role.COMMUNITY_WORKER, tree.compounds[0].community)
    job = LedgerImport.objects.create(ledger="homes", file="x.xlsx", created_by=user)
    old = timezone.now() - jobs.stale_after() - timedelta(seconds=1)
    LedgerImport.objects.filter(pk=job.pk).update(status=ImportStatus.RUNNING, heartbeat_at=old, attempts=1)
    fresh = LedgerImport.objects.create(ledger="homes", file="y.xlsx", created_by=user)
    LedgerImport.objects.filter(pk=fresh.pk).update(status=ImportStatus.RUNNING, heartbeat_at=timezone.now())
    assert jobs.recover_stale() == [job.pk]  # the live one is left alone
    job.refresh_from_db()
    assert job.status == ImportStatus.PENDING  # queued again
    LedgerImport.objects.filter(pk=job.pk).update(status=ImportStatus.RUNNING, heartbeat_at=old, attempts=2)
    # The status page recovers it too, and says plainly that nothing was written.
    client = Client()
    client.force_login(user)
    page = client.get(f"/ledgers/imports/{job.pk}/").content.decode()
    job.refresh_from_db()
    assert job.status == ImportStatus.FAILED and str(jobs.LOST_MESSAGE) in page
    assert jobs.recover_stale() == []
    assert LedgerImport.objects.get(pk=fresh.pk).status == ImportStatus.RUNNING


def test_uploads_are_private_and_purged_after_the_retention(tree, tmp_path: Path, settings) -> None:  # type: ignore[no-untyped-def]
    settings.VAR_DIR = tmp_path
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    user = user_with(Role.COMMUNITY_WORKER, tree.compounds[0].community)
    client = Client()
    client.force_login(user)
    source = write(tmp_path / "in.xlsx", [], [])
    with open(source, "rb") as fh:
        assert client.post("/ledgers/upload/", {"ledger": "homes", "file": fh}).status_code == 302
    (saved,) = uploads_dir().iterdir()
    assert stat.S_IMODE(saved.stat().st_mode) == 0o600
    assert stat.S_IMODE(uploads_dir().stat().st_mode) == 0o700
    old = tmp_path / "ledgers" / "old.xlsx"
    old.write_bytes(b"x")
    ancient = (timezone.now() - timedelta(days=settings.GONGZHI_UPLOAD_RETENTION_DAYS + 1)).timestamp()
    os.utime(old, (ancient, ancient))
    os.utime(saved, (ancient, ancient))  # old, but its import is still queued: kept
    assert purge() == [old]
    assert saved.exists()


def test_the_sqlite_file_is_private(tmp_path: Path) -> None:
    from types import SimpleNamespace

    from gongzhi.core.files import sqlite_private

    db = tmp_path / "x.sqlite3"
    db.write_bytes(b"")
    db.chmod(0o644)
    sqlite_private(None, SimpleNamespace(vendor="sqlite", settings_dict={"NAME": str(db)}))
    assert stat.S_IMODE(db.stat().st_mode) == 0o600
