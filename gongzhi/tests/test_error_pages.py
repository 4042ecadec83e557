"""Error pages: in the site's layout, Chinese (English when switched), with a way back; actions are shown
only when the permission check allows them (accounts/templatetags/access_tags.py)."""

from __future__ import annotations

import json
import re
from unittest import mock

import pytest
from django.conf import settings
from django.test import Client, RequestFactory
from django.utils import translation

from gongzhi import errors
from gongzhi.accounts.roles import Role
from gongzhi.tests.factories import user_with

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _back_to_chinese():  # type: ignore[no-untyped-def]
    """Switching to English in a request leaves the thread in English; later tests expect Chinese."""
    yield
    translation.activate(settings.LANGUAGE_CODE)


def signed_in(role: str, place) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user_with(role, place))
    return client


def test_404_in_the_layout_with_a_way_back(tree) -> None:  # type: ignore[no-untyped-def]
    client = signed_in(Role.PARTY_SECRETARY, tree.compounds[0])
    came_from = f"http://testserver/places/c/{tree.compounds[0].code}/"
    response = client.get(f"/places/c/{tree.compounds[1].code}/", HTTP_REFERER=came_from)
    page = response.content.decode()
    assert response.status_code == 404
    assert (
        "找不到这个页面" in page
        and 'class="navbar' in page
        and '<a class="btn btn-danger" href="/" id="error-home">' in page
    )
    assert f'href="{came_from}" id="error-back"' in page
    elsewhere = client.get("/places/c/000000000000000/", HTTP_REFERER="https://evil.example/x").content
    assert b"evil.example" not in elsewhere and b'id="error-back"' not in elsewhere


def test_403_says_the_role_cannot_and_english_when_switched(tree) -> None:  # type: ignore[no-untyped-def]
    client = signed_in(Role.PARTY_SECRETARY, tree.compounds[0])
    url = f"/places/c/{tree.compounds[0].code}/edit/"
    response = client.get(url)
    assert response.status_code == 403 and "您的角色不能做这项操作" in response.content.decode()
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    page = client.get(url).content.decode()
    assert "Your role cannot do this" in page and "Home page" in page and 'lang="en"' in page
    assert "Page not found" in client.get("/no-such-page/").content.decode()


def test_anonymous_404_renders_too() -> None:
    response = Client().get("/no-such-page/")
    assert response.status_code == 404 and "找不到这个页面" in response.content.decode()


def test_500_in_the_layout_and_plain_when_the_layout_fails(tree) -> None:  # type: ignore[no-untyped-def]
    request = RequestFactory().get("/")
    request.user = user_with(Role.RESIDENT, tree.compounds[0])
    response = errors.server_error(request)
    assert response.status_code == 500
    assert "服务器出错" in response.content.decode() and "navbar" in response.content.decode()
    with mock.patch.object(errors, "render_to_string", side_effect=RuntimeError("database gone")):
        plain = errors.server_error(request)
    assert plain.status_code == 500 and "Server error" in plain.content.decode()


def test_api_paths_answer_json_errors(tree) -> None:  # type: ignore[no-untyped-def]
    """An /api/ path that matches no route, and an error outside the API views, answer JSON as the schema
    says, not the HTML page (found by reading the closing note of issue 15); pages keep their layout."""
    client = signed_in(Role.PARTY_SECRETARY, tree.compounds[0])
    for path in ("/api/v1/no-such-thing/", "/api/nothing", "/api/v1/votes/999999999/extra/"):
        response = client.get(path)
        assert response.status_code == 404 and response["Content-Type"] == "application/json"
        assert response.json() == {"detail": "接口不存在：没有与此路径匹配的地址。"}
    assert "找不到这个页面" in client.get("/no-such-page/").content.decode()
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert client.get("/api/v1/no-such-thing/").json() == {
        "detail": "Not found: no API endpoint matches this path."
    }
    request = RequestFactory().get("/api/v1/votes/")
    for answer, status in ((errors.server_error(request), 500), (errors.forbidden(request), 403)):
        assert answer.status_code == status and answer["Content-Type"] == "application/json"
        assert json.loads(answer.content)["detail"]


def test_ledger_export_shown_only_where_the_role_may_export(tree) -> None:  # type: ignore[no-untyped-def]
    """A party secretary may export ledgers but not see full ID numbers: no button that would answer 403."""
    code = tree.compounds[0].code
    secretary = signed_in(Role.PARTY_SECRETARY, tree.compounds[0])
    page = secretary.get(f"/ledgers/?place={code}").content.decode()
    # The ledgers keyed by ID numbers offer no export; one without personal data does, and it answers.
    assert "/homes/export/" not in page and "/party/export/" not in page
    links = re.findall(r'href="(/ledgers/[a-z_]+/export/\?place=\d+)"', page)
    assert links == [f"/ledgers/property_companies/export/?place={code}"]
    assert all(secretary.get(link).status_code == 200 for link in links)
    worker = signed_in(Role.COMMUNITY_WORKER, tree.compounds[0].community)
    page = worker.get(f"/ledgers/?place={code}").content.decode()
    assert f"/ledgers/homes/export/?place={code}" in page
    assert worker.get(f"/ledgers/homes/export/?place={code}").status_code == 200
