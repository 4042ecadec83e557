"""Under /api/ a client reads JSON: a path no route matches answers {"detail": …} with 404 in the reader's
language (gongzhi/errors.py), and a wrong method answers JSON 405, never the HTML pages."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client
from django.utils import translation

from gongzhi.accounts.roles import Role
from gongzhi.tests.factories import user_with

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _back_to_chinese():  # type: ignore[no-untyped-def]
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.mark.parametrize(
    "path", ["/api/v1/no-such-thing/", "/api/v2/compounds/", "/api/", "/api/v1/compounds/x/y/"]
)
def test_an_unknown_api_path_answers_json_404_in_the_readers_language(path: str) -> None:
    client = Client()
    zh = client.get(path)
    assert zh.status_code == 404 and zh["Content-Type"] == "application/json"
    assert zh.json() == {"detail": "接口不存在：没有与此路径匹配的地址。"}
    en = client.get(path, HTTP_ACCEPT_LANGUAGE="en")
    assert en.status_code == 404 and en.json() == {"detail": "Not found: no API endpoint matches this path."}


def test_pages_outside_the_api_keep_the_html_404() -> None:
    answer = Client().get("/apis-are-elsewhere/")
    assert answer.status_code == 404 and "找不到这个页面" in answer.content.decode()


def test_a_wrong_method_on_an_api_route_answers_json_405(tree) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user_with(Role.COMMUNITY_WORKER, tree.d("370202001001")))
    for path in ("/api/v1/compounds/", "/api/v1/votes/", "/api/v1/indicators/"):
        answer = client.delete(path)
        assert answer.status_code == 405 and answer["Content-Type"] == "application/json", path
        assert "detail" in answer.json()
