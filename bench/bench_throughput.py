"""API throughput against a bare Django view, both served by one gunicorn in the same run (aim ≥ 25%).

gunicorn runs as `make demo` runs it (2 workers × 4 threads) with bench/settings.py, which only adds the
reference views of bench/urls.py. Each URL is hit for a fixed time by a few keep-alive clients, logged in as
the district administrator; the ratio is requests per second of the API over those of the bare view, and,
for persons, over a plain Django view doing the same work by hand.
"""

from __future__ import annotations

import http.client
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

from bench.users import client_for

ROOT = Path(__file__).resolve().parents[1]
PORT = int(os.environ.get("BENCH_PORT", "8104"))
CLIENTS = 4
SECONDS = 8.0
URLS = ["/api/v1/persons/", "/api/v1/homes/", "/api/v1/compounds/"]


def _load(url: str, cookie: str) -> float:
    """Requests per second over SECONDS with CLIENTS keep-alive connections."""
    counts = [0] * CLIENTS
    stop = time.perf_counter() + SECONDS

    def worker(i: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=30)
        while time.perf_counter() < stop:
            conn.request("GET", url, headers={"Cookie": cookie})
            response = conn.getresponse()
            response.read()
            assert response.status == 200, (url, response.status)
            counts[i] += 1
        conn.close()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(CLIENTS)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return sum(counts) / (time.perf_counter() - started)


def _wait(proc: subprocess.Popen[bytes]) -> None:
    for _ in range(100):
        try:
            conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=2)
            conn.request("GET", "/bench/bare/")
            conn.getresponse().read()
            return
        except OSError:
            if proc.poll() is not None:
                raise RuntimeError("gunicorn did not start") from None
            time.sleep(0.2)
    raise RuntimeError("gunicorn did not answer")


def run() -> list[tuple[str, float | str, str]]:
    client = client_for("shinan_admin")
    cookie = f"sessionid={client.cookies['sessionid'].value}"
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "bench.settings", "PYTHONPATH": str(ROOT)}
    gunicorn = Path(sys.executable).with_name("gunicorn")
    proc = subprocess.Popen(
        [str(gunicorn), "gongzhi.wsgi", "--bind", f"127.0.0.1:{PORT}", "--workers", "2", "--threads", "4",
         "--no-control-socket", "--log-level", "warning"],
        cwd=ROOT, env=env,
    )  # fmt: skip
    rows: list[tuple[str, float | str, str]] = []
    try:
        _wait(proc)
        for url in URLS:
            _load(url, cookie)  # warm both workers
        bare = _load("/bench/bare/", cookie)
        rows.append(("bare Django view, same server", f"{bare:,.0f} req/s", "reference"))
        by_hand = _load("/bench/persons/", cookie)
        rows.append(("persons list by hand in a plain Django view", f"{by_hand:,.0f} req/s", "reference"))
        for url in URLS:
            api = _load(url, cookie)
            rows.append(
                (f"GET {url} (district admin) throughput", f"{api:,.0f} req/s = {api / bare:.0%}", "≥ 25%")
            )
            if url == "/api/v1/persons/":
                rows.append(("  persons API / the same work by hand", f"{api / by_hand:.0%}", ""))
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    return rows
