"""API lists at city scale for the scoped demo users: the first page and a deep page (target ≤ 50 ms each).

A deep page is reached by following `next` (keyset lists) or by offset (limit/offset lists) a few hundred rows
in; lists with a count also pay for it. In-process through Django's full stack (middleware, auth, scoping).
"""

from __future__ import annotations

from django.test import Client

from bench.timing import median_ms
from bench.users import SCOPED, client_for, superuser_client

TARGET = "≤ 50 ms"
LISTS = [
    "/api/v1/persons/",
    "/api/v1/homes/",
    "/api/v1/buildings/",
    "/api/v1/compounds/",
    "/api/v1/divisions/",
    "/api/v1/party/members/",
    "/api/v1/party/organisations/",
    "/api/v1/party/groups/",
    "/api/v1/party/households/",
    "/api/v1/party/settings/",
    "/api/v1/matters/",
    "/api/v1/votes/",
    "/api/v1/meetings/",
]
DEEP_PAGES = 10  # pages followed to reach a "deep" page


def _deep_url(client: Client, url: str) -> str | None:
    """The URL of page DEEP_PAGES + 1 (None when the list is shorter)."""
    for _ in range(DEEP_PAGES):
        data = client.get(url).json()
        nxt = data.get("next")
        if not nxt:
            return None
        url = nxt.replace("http://testserver", "")
    return url


def _timed(client: Client, url: str) -> float:
    def hit() -> None:
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)

    return median_ms(hit, repeat=11)


def run() -> list[tuple[str, float | str, str]]:
    rows: list[tuple[str, float | str, str]] = []
    users = [(u, role, client_for(u)) for u, role in SCOPED] + [
        ("bench_superuser", "superuser", superuser_client())
    ]
    for url in LISTS:
        for _username, role, client in users:
            if client.get(url).status_code != 200:
                continue
            rows.append((f"GET {url} ({role}), first page", _timed(client, url), TARGET))
            deep = _deep_url(client, url)
            if deep:
                rows.append((f"GET {url} ({role}), page {DEEP_PAGES + 1}", _timed(client, deep), TARGET))
    return rows
