"""200 concurrent bids on one listing over two application processes: none lost, the order strict.

Builds a scratch PostgreSQL database (BENCH_BIDS_DATABASE_URL, default gongzhi_h14b_bench), a small 平度市
with BIDDERS bidders who paid their deposit, and one listing open for bidding; starts two gunicorn
processes (ports BENCH_BIDS_PORTS, default 8108,8118, `--no-control-socket`); then BIDS threads, each
signed in as one bidder, post one bid at once, alternating between the two processes. Each bid asks a
distinct amount, so whichever order the database serialises them in, a later lower bid is refused by
the step rule and a higher one accepted. It prints: accepted + refused = BIDS (no request lost), bid rows
= accepted (none lost), sequence 1..n without gap, each amount at least a step above the one before, the
listing's price = the highest accepted bid.
Run: ``.venv/bin/python bench/bench_bids.py`` (needs PostgreSQL; createdb is done here, copying the migrated
database BENCH_BIDS_TEMPLATE when set). One port in BENCH_BIDS_PORTS runs one gunicorn whose two workers
are the two processes.
"""

from __future__ import annotations

import http.cookiejar
import itertools
import os
import re
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
URL = os.environ.get("BENCH_BIDS_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/gongzhi_h14b_bench")
os.environ["DATABASE_URL"] = URL
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongzhi.settings")
PORTS = [int(p) for p in os.environ.get("BENCH_BIDS_PORTS", "8108,8118").split(",")]
BIDS = int(os.environ.get("BENCH_BIDS", "200"))
BIDDERS = int(os.environ.get("BENCH_BIDDERS", "50"))
PASSWORD = "Bench-bids-2025!"
WORKERS = 2  # application processes per gunicorn


def _database() -> None:
    name = urllib.parse.urlparse(URL).path.lstrip("/")
    host = urllib.parse.urlparse(URL)
    base = ["-U", host.username or "postgres", "-h", host.hostname or "127.0.0.1"]
    subprocess.run(["dropdb", "--if-exists", *base, name], check=True)
    template = os.environ.get("BENCH_BIDS_TEMPLATE", "")  # a migrated database to copy: no migrate wait
    subprocess.run(["createdb", *base, *(["-T", template] if template else []), name], check=True)
    subprocess.run([sys.executable, "manage.py", "migrate", "-v", "0"], cwd=ROOT, check=True)


def _world() -> tuple[int, list[str]]:
    import django

    django.setup()
    from gongzhi.trading.tests.kit import make_listing, make_world, pay

    w = make_world(bidders=BIDDERS)
    for user in w.users:
        user.set_password(PASSWORD)
        user.save(update_fields=["password"])
    listing = make_listing(w.d["370283001203"], reserve_yuan=10_000, step_yuan=10)
    pay(listing, *w.bidders)
    return listing.pk, [u.username for u in w.users]


class Session:
    def __init__(self, port: int, username: str) -> None:
        self.base = f"http://127.0.0.1:{port}"
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))
        self.username = username

    def _csrf(self) -> str:
        return next(c.value or "" for c in self.jar if c.name == "csrftoken")

    def get(self, path: str) -> str:
        return self.opener.open(self.base + path, timeout=60).read().decode()

    def post(self, path: str, data: dict[str, str]) -> str:
        data = {**data, "csrfmiddlewaretoken": self._csrf()}
        req = urllib.request.Request(
            self.base + path, urllib.parse.urlencode(data).encode(), headers={"Referer": self.base + path}
        )
        return self.opener.open(req, timeout=120).read().decode()

    def login(self) -> None:
        self.get("/accounts/login/")
        self.post("/accounts/login/", {"username": self.username, "password": PASSWORD})


def _serve() -> list[subprocess.Popen[bytes]]:
    procs = []
    for port in PORTS:
        procs.append(
            subprocess.Popen(
                [
                    str(Path(sys.executable).parent / "gunicorn"),
                    "gongzhi.wsgi",
                    "-b",
                    f"127.0.0.1:{port}",
                    "-w",
                    str(WORKERS),
                    "--no-control-socket",
                    "--log-level",
                    "warning",
                ],
                cwd=ROOT,
                env={**os.environ, "GONGZHI_DEBUG": "1"},  # static files served without collectstatic
            )
        )
    for port in PORTS:
        for _i in range(100):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/accounts/login/", timeout=2)
                break
            except OSError:
                time.sleep(0.3)
    return procs


def main() -> None:
    _database()
    listing_id, usernames = _world()
    procs = _serve()
    try:
        sessions = [Session(PORTS[i % len(PORTS)], usernames[i % len(usernames)]) for i in range(BIDS)]
        for s in sessions:
            s.login()
            s.get(f"/trading/{listing_id}/")
        # Distinct amounts, shuffled deterministically so arrival order differs from amount order.
        amounts = [10_000 + 10 * ((i * 7919) % BIDS) for i in range(BIDS)]
        barrier = threading.Barrier(BIDS)
        outcome: list[str] = [""] * BIDS

        def bid(i: int) -> None:
            barrier.wait(timeout=120)
            try:
                page = sessions[i].post(f"/trading/{listing_id}/bid/", {"amount": str(amounts[i])})
                outcome[i] = (
                    "accepted"
                    if "出价成功" in page
                    else "refused"
                    if re.search("alert-danger|出价须|最高出价人", page)
                    else "?"
                )
            except Exception as exc:  # a lost request
                outcome[i] = f"error {exc!r}"[:80]

        threads = [threading.Thread(target=bid, args=(i,)) for i in range(BIDS)]
        wall = time.perf_counter()
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=600)
        wall = time.perf_counter() - wall
    finally:
        for p in procs:
            p.terminate()
        for p in procs:
            p.wait(timeout=30)
    from gongzhi.trading.models import Bid, Listing

    rows = list(Bid.objects.filter(listing_id=listing_id).order_by("seq").values_list("seq", "amount_yuan"))
    accepted = [amounts[i] for i, o in enumerate(outcome) if o == "accepted"]
    refused = sum(1 for o in outcome if o == "refused")
    other = [o for o in outcome if o not in ("accepted", "refused")]
    seqs = [s for s, _a in rows]
    money = [a for _s, a in rows]
    listing = Listing.objects.get(pk=listing_id)
    print(f"bids sent: {BIDS} over {len(PORTS) * WORKERS} application processes in {wall:.1f} s")
    print(f"accepted {len(accepted)}, refused by the rules {refused}, other {len(other)} {other[:3]}")
    print(f"bid rows {len(rows)} (lost: {len(accepted) - len(rows)})")
    print(f"order strict (seq 1..n, no gap): {seqs == list(range(1, len(rows) + 1))}")
    print(f"each bid a step above the last: {all(b >= a + 10 for a, b in itertools.pairwise(money))}")
    print(f"listing price {listing.price_yuan} = highest accepted {max(accepted) if accepted else None}")


if __name__ == "__main__":
    main()
