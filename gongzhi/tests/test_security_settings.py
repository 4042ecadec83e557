"""Issue 15 items 1 and 4 at the settings level: the headers every page carries and SQLite's busy timeout."""

from __future__ import annotations

import base64
import sqlite3
import threading
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client


@pytest.mark.django_db
def test_every_page_carries_the_policy_headers():
    response = Client().get("/accounts/login/")
    csp = response["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in csp.split(";") if d.strip())
    assert directives["script-src"] == "'self'"
    assert directives["default-src"] == "'self'" and directives["frame-ancestors"] == "'none'"
    assert "http" not in csp  # nothing from other hosts
    assert "camera=()" in response["Permissions-Policy"]


def test_sqlite_waits_for_a_writer_instead_of_failing(tmp_path: Path):
    """The configured timeout (when the database is SQLite) makes a second writer wait for the first."""
    options = settings.DATABASES["default"].get("OPTIONS", {})
    if settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"):
        assert options["timeout"] >= 5 and "journal_mode=WAL" in options["init_command"]
    timeout = options.get("timeout", 20)
    path = tmp_path / "busy.sqlite3"
    first = sqlite3.connect(path, timeout=timeout, isolation_level=None, check_same_thread=False)
    first.execute("PRAGMA journal_mode=WAL")
    first.execute("CREATE TABLE t (x)")
    first.execute("BEGIN IMMEDIATE")
    first.execute("INSERT INTO t VALUES (1)")

    def release() -> None:
        time.sleep(0.5)
        first.execute("COMMIT")

    threading.Thread(target=release, daemon=True).start()
    second = sqlite3.connect(path, timeout=timeout, isolation_level=None)
    second.execute("BEGIN IMMEDIATE")  # would raise "database is locked" with no timeout
    second.execute("INSERT INTO t VALUES (2)")
    second.execute("COMMIT")
    assert second.execute("SELECT count(*) FROM t").fetchone() == (2,)


@pytest.mark.django_db
def test_the_api_docs_page_has_no_inline_script():
    """drf-spectacular's split Swagger view serves its init script as a file, which the policy allows."""
    from django.contrib.auth.models import User

    c = Client()
    c.force_login(User.objects.create_superuser("root", password="x"))
    body = c.get("/api/v1/docs/").content.decode()
    assert "<script>" not in body and '<script src="/api/v1/docs/?script=' in body
    assert c.get("/api/v1/docs/?script=").status_code == 200


# The production settings README documents ("On an intranet", /etc/gongzhi.env): HTTPS behind the proxy.
PRODUCTION_ENV = {
    "GONGZHI_HTTPS": "1",
    "GONGZHI_SECRET_KEY": "k" * 20 + "9Xq-Lm2_Vb7Rt4Zp8Wn3Yc6Hs1Jd5Gf0Ke" + "v" * 20,
    "GONGZHI_ALLOWED_HOSTS": "gongzhi.example.gov.cn",
    "GONGZHI_CSRF_TRUSTED_ORIGINS": "https://gongzhi.example.gov.cn",
    # A server refuses to start on the published development keys (docs/security.md): test-only keys here.
    "GONGZHI_PERSONAL_DATA_KEYS": "t1:" + base64.b64encode(bytes(range(32))).decode(),
    "GONGZHI_PERSONAL_DATA_INDEX_KEY": base64.b64encode(bytes(range(32, 64))).decode(),
}


def test_check_deploy_with_the_production_settings_prints_no_warning(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    env = {**os.environ, **PRODUCTION_ENV, "GONGZHI_VAR_DIR": str(tmp_path), "GONGZHI_DEBUG": "0"}
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set by the browser tests' plugin, never in production
    done = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=Path(settings.BASE_DIR),
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "System check identified no issues" in done.stdout
