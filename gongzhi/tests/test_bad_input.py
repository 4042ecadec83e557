"""Issue 15 item 7: bad input answered 500. Every list and search URL of the URL configuration (walked by the
permission matrix's walker, so a new page is covered without being listed) gets a NUL byte, absurd page
numbers and offsets, and paths with a NUL; nested outline JSON and an ownership added in the admin follow.
No answer may be a server error."""

from __future__ import annotations

import json
import re

import pytest
from django.contrib.auth.models import User
from django.test import Client

from gongzhi.accounts.roles import Role
from gongzhi.tests.factories import user_with
from gongzhi.tests.matrix import endpoints

QUERIES = [
    "q=%00",
    "q=a%00b",
    "search=%00",
    "page=9999999999999999999",
    "page=-1",
    "page=0",
    "page=abc",
    "page=1e9",
    "limit=99999999999999999999&offset=-5",
    "offset=99999999999999999999",
    "page_size=100000000000",
    "place=%00",
    "ordering=%00",
]


def clients(tree):  # type: ignore[no-untyped-def]
    root = User.objects.create_superuser("root", password="x")
    admin = user_with(Role.DISTRICT_ADMIN, tree.d("370202"), is_staff=True)
    out = []
    for user in (root, admin):
        c = Client(raise_request_exception=False)
        c.force_login(user)
        out.append(c)
    return out


@pytest.mark.django_db
def test_no_list_or_search_url_answers_500_to_hostile_queries(tree):
    routes = [e for e in endpoints() if not e.params]
    assert len(routes) > 20
    tried = 0
    for c in clients(tree):
        for e in routes:
            url = "/" + e.route.replace("^", "").replace("$", "")
            if "(?P<" in url or "\\" in url:
                continue
            for query in QUERIES:
                status = c.get(f"{url}?{query}").status_code
                tried += 1
                assert status < 500, (url, query, status)
    assert tried > 500


@pytest.mark.django_db
def test_no_path_with_a_nul_answers_500(tree):
    (c, _) = clients(tree)
    for e in endpoints():
        if not e.params:
            continue
        url = "/" + re.sub(r"<(?:\w+:)?\w+>", "x%00", e.route.replace("^", "").replace("$", ""))
        url = re.sub(r"\(\?P<\w+>[^)]*\)", "x%00", url)
        assert c.get(url).status_code < 500, url
    assert c.get("/places/d/370202%00/").status_code == 400
    assert c.get("/admin/people/person/?q=%00").status_code == 400


def nested(depth: int) -> str:
    return "[" * depth + "]" * depth


@pytest.mark.django_db
def test_deeply_nested_outline_json_is_a_form_error(tree):
    (root, _) = clients(tree)
    compound = tree.compounds[0]
    for depth in (50, 100_000):
        hostile = (
            json.dumps({"type": "Polygon", "coordinates": json.loads(nested(50))})
            if depth == 50
            else nested(depth)
        )
        for url in (f"/admin/places/compound/{compound.pk}/change/", f"/places/c/{compound.code}/edit/"):
            response = root.post(
                url, {"name": compound.name, "management_type": compound.management_type, "outline": hostile}
            )
            assert response.status_code < 500, (url, depth, response.status_code)


@pytest.mark.django_db
def test_adding_an_ownership_in_the_admin_never_answers_500(tree):
    (root, admin) = clients(tree)
    home = tree.homes[0]
    person = home.ownerships.first().person
    for c in (root, admin):
        for data in (
            {"home": home.pk, "person": person.pk, "share": "1"},
            {"home": home.pk, "person": person.pk, "share": "0.5"},
            {},
            {"home": "x", "person": "%00", "share": "2"},
        ):
            response = c.post("/admin/people/ownership/add/", data)
            assert response.status_code < 500, (data, response.status_code)


def test_json_depth_ignores_brackets_in_strings():
    from gongzhi.core import jsonsafe

    assert jsonsafe.depth('{"a": "[[[[[[", "b": [[1]]}') == 3
    assert jsonsafe.loads('{"type": "Polygon"}') == {"type": "Polygon"}
    with pytest.raises(ValueError, match="嵌套"):
        jsonsafe.loads(nested(1000))


@pytest.mark.django_db
def test_a_deeply_nested_json_body_is_refused_before_any_parser(tree):
    (root, _) = clients(tree)
    response = root.post("/api/v1/auth/token/", nested(100_000), content_type="application/json")
    assert response.status_code == 400
