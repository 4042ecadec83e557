"""Place-browser pages: median server time at district and at city scale (target ≤ 50 ms each).

Requests go through Django's full stack in-process (middleware, auth, scoping, templates); the network
and the browser are not part of "server time".
"""

from __future__ import annotations

from django.contrib.auth.models import User
from django.test import Client

from bench.timing import median_ms
from gongzhi.places.models import Building, Compound, Division


def _client() -> Client:
    user, _ = User.objects.get_or_create(
        username="bench_superuser", defaults={"is_superuser": True, "is_staff": True}
    )
    client = Client()
    client.force_login(user)
    return client


def _page(client: Client, url: str) -> float:
    def hit() -> None:
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)

    return median_ms(hit)


def run() -> list[tuple[str, float | str, str]]:
    client = _client()
    city = Division.objects.get(code="3702")
    district = Division.objects.get(code="370202")
    compound = Compound.objects.filter(path__startswith=district.path).order_by("-homes_count").first()
    assert compound is not None
    building = Building.objects.filter(compound=compound).order_by("-homes_count").first()
    assert building is not None
    return [
        (
            f"place browser, city page ({city.compounds_count:,} compounds, {city.homes_count:,} homes)",
            _page(client, "/places/d/3702/"),
            "≤ 50 ms",
        ),
        (
            f"place browser, district page 市南区 ({district.homes_count:,} homes)",
            _page(client, "/places/d/370202/"),
            "≤ 50 ms",
        ),
        ("place browser, subdistrict page", _page(client, "/places/d/370202001/"), "≤ 50 ms"),
        (
            "place browser, compound page (largest in 市南区)",
            _page(client, f"/places/c/{compound.code}/"),
            "≤ 50 ms",
        ),
        (
            f"place browser, building page ({building.homes_count} homes)",
            _page(client, f"/places/b/{building.pk}/"),
            "≤ 50 ms",
        ),
        ("search by pinyin initials, city scale", _page(client, "/places/search/?q=xg"), "≤ 50 ms"),
    ]
