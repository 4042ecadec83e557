"""A real SQLite file and real processes for the fault tests: `python -m gongzhi.ledgers.tests.live STEP`.

The test process cannot point Django at a second database, so each step runs in a child process configured
by GONGZHI_VAR_DIR (its var/ folder, SQLite file inside); the tests read the file with sqlite3 directly.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
PYTHON = sys.executable
HOMES = 4000  # rows of the import: long enough to be killed in the middle at 200 rows a batch


def env(var_dir: Path, **extra: str) -> dict[str, str]:
    values = {**os.environ, "GONGZHI_VAR_DIR": str(var_dir), "DJANGO_SETTINGS_MODULE": "gongzhi.settings"}
    values.pop("DATABASE_URL", None)
    values.update(extra)
    return values


def step(var_dir: Path, name: str, **extra: str) -> str:
    done = subprocess.run(
        [PYTHON, "-m", "gongzhi.ledgers.tests.live", name],
        cwd=ROOT,
        env=env(var_dir, **extra),
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    if done.returncode:
        raise RuntimeError(f"{name} failed:\n{done.stdout}\n{done.stderr}")
    return done.stdout.strip()


def manage(var_dir: Path, *args: str, **extra: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [PYTHON, "manage.py", *args],
        cwd=ROOT,
        env=env(var_dir, **extra),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def db(var_dir: Path) -> sqlite3.Connection:
    return sqlite3.connect(var_dir / "gongzhi.sqlite3", timeout=30)


def count(var_dir: Path, table: str) -> int:
    with db(var_dir) as conn:
        return int(conn.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0])


def copy_db(source: Path, target: Path) -> None:
    """SQLite's online backup: a plain copy of a WAL database may miss committed pages."""
    target.mkdir(parents=True, exist_ok=True)
    (target / "secret_key").write_text((source / "secret_key").read_text())
    with db(source) as src, sqlite3.connect(target / "gongzhi.sqlite3") as dst:
        src.backup(dst)


# -- steps, run inside the child process --------------------------------------------------------------


def _world() -> None:
    """A small district and a homes ledger of HOMES new homes in a new building of its first compound."""
    import xlsxwriter
    from django.contrib.auth.models import User

    from gongzhi.places.ledger import HOMES as SHEET
    from gongzhi.places.ledger import OWNERS
    from gongzhi.tests.factories import make_tree

    tree = make_tree()
    User.objects.create_superuser("root", "", "x" * 16)
    code = tree.compounds[0].code
    path = Path(os.environ["GONGZHI_VAR_DIR"]) / "homes.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet(SHEET.name)
    ws.write_row(0, 0, SHEET.headers)
    row = 1
    for unit in range(1, 21):
        for floor in range(1, 21):
            for k in range(1, 11):
                if row > HOMES:
                    break
                ws.write_row(row, 0, [code, "9号楼", unit, f"{floor}{k:02d}", floor, "88.50", "是"])
                row += 1
    wb.add_worksheet(OWNERS.name).write_row(0, 0, OWNERS.headers)
    wb.close()
    print(path)


def _enqueue() -> None:
    from django.contrib.auth.models import User

    from gongzhi.ledgers.models import LedgerImport
    from gongzhi.ledgers.tasks import enqueue

    path = Path(os.environ["GONGZHI_VAR_DIR"]) / "homes.xlsx"
    root = User.objects.get(username="root")
    job = LedgerImport.objects.create(
        ledger="homes", file=str(path), original_name=path.name, created_by=root
    )
    enqueue(job.pk)
    print(job.pk)


if __name__ == "__main__":
    import django

    django.setup()
    {"world": _world, "enqueue": _enqueue}[sys.argv[1]]()
