"""Pages at city scale for the scoped demo users, each on the places they are granted (target ≤ 50 ms).

Every user opens what their work needs: the start page, their own place's page, its largest building, the
pinyin search, the party dashboard or chain of their place, the members list and its search, the gaps page,
the matters list, the vote page of a vote in their compound, the indicators API. A page a role may not open
(403/404) is reported as such, not timed. In-process through Django's full stack; server time only.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from django.test import Client

from bench.timing import median_ms
from bench.users import SCOPED, client_for
from gongzhi.accounts.models import RoleAssignment
from gongzhi.places.models import Building

TARGET = "≤ 50 ms"


def _urls(user: User) -> list[str]:
    grant = RoleAssignment.objects.filter(user=user).select_related("division", "compound").first()
    assert grant is not None, user.username
    code = grant.division.code if grant.division else grant.compound.code if grant.compound else ""
    place = f"/places/d/{code}/" if grant.division else f"/places/c/{code}/"
    party = f"/party/d/{code}/" if grant.division else f"/party/c/{code}/"
    building = Building.objects.filter(path__startswith=grant.path).order_by("-homes_count").first()
    urls = [place, party, f"/party/gaps/{code}/", "/party/members/", "/party/members/?q=wang"]
    urls += [
        "/party/organisations/",
        "/places/search/?q=xg",
        "/affairs/",
        f"/api/v1/indicators/?place={code}",
    ]
    if building is not None:
        urls.append(f"/places/b/{building.pk}/")
    from gongzhi.affairs.models import Vote

    vote = Vote.objects.filter(path__startswith=grant.path).order_by("-pk").first()
    if vote is not None:
        urls.append(f"/affairs/v/{vote.pk}/")
    return urls


def _measure(client: Client, url: str) -> float | str:
    status = client.get(url).status_code
    if status != 200:
        return f"HTTP {status}"

    def hit() -> None:
        client.get(url)

    return median_ms(hit, repeat=11)


def run() -> list[tuple[str, float | str, str]]:
    rows: list[tuple[str, Any, str]] = []
    for username, role in SCOPED:
        client = client_for(username)
        for url in _urls(User.objects.get(username=username)):
            rows.append((f"{url} ({role})", _measure(client, url), TARGET))
    return rows
