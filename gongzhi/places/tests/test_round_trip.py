"""Every date and number input round-trips: a form saved unchanged leaves its record unchanged.

Django's zh-hans formats put `%Y/%m/%d` first, which a DateInput renders and an HTML date input cannot show:
the compound edit page lost its first delivery date on every save. gongzhi/formats puts ISO first.
"""

from __future__ import annotations

import importlib
import json
from datetime import date
from decimal import Decimal
from html.parser import HTMLParser
from typing import Any

import pytest
from django import forms
from django.conf import settings
from django.forms.models import model_to_dict
from django.test import Client
from django.utils import translation

from gongzhi.accounts.roles import Role
from gongzhi.places.models import Compound
from gongzhi.tests.factories import user_with

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _back_to_chinese():  # type: ignore[no-untyped-def]
    """Switching to English in a request leaves the thread in English; later tests expect Chinese."""
    yield
    translation.activate(settings.LANGUAGE_CODE)


class FormFields(HTMLParser):
    """The values a browser would submit from the page's one <form method="post">."""

    def __init__(self) -> None:
        super().__init__()
        self.data: dict[str, str] = {}
        self.inside = False
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form" and a.get("method", "").lower() == "post":
            self.inside = True
        if not self.inside or ("name" not in a and tag != "option"):
            return
        if tag == "input" and a.get("type") not in ("submit", "button", "file"):
            if a.get("type") in ("checkbox", "radio"):
                if "checked" in a:
                    self.data[a["name"]] = a.get("value", "on")
            else:
                self.data[a["name"]] = a.get("value", "")
        elif tag == "select":
            self._select = a["name"]
        elif tag == "option" and self._select and "selected" in a:
            self.data[self._select] = a.get("value", "")
        elif tag == "textarea":
            self._textarea = a["name"]
            self.data[a["name"]] = ""

    def handle_data(self, data: str) -> None:
        if self._textarea:
            self.data[self._textarea] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            if self._textarea:
                self.data[self._textarea] = self.data[self._textarea].removeprefix("\n")
            self._textarea = None
        elif tag == "form":
            self.inside = False


def submitted(html: str) -> dict[str, str]:
    parser = FormFields()
    parser.feed(html)
    return parser.data


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_compound_edit_saved_unchanged_keeps_the_record(tree, language: str) -> None:  # type: ignore[no-untyped-def]
    compound = tree.compounds[0]
    square = [[120.38, 36.06], [120.39, 36.06], [120.39, 36.07], [120.38, 36.07], [120.38, 36.06]]
    Compound.objects.filter(pk=compound.pk).update(
        first_delivered_on=date(2018, 7, 24),
        address="云霄路 1 号",
        outline={"type": "Polygon", "coordinates": [square]},
    )
    compound.refresh_from_db()
    before = model_to_dict(compound)
    client = Client()
    client.force_login(user_with(Role.COMMUNITY_WORKER, compound.community))
    client.post("/i18n/setlang/", {"language": language, "next": "/"})
    url = f"/places/c/{compound.code}/edit/"
    data = submitted(client.get(url).content.decode())
    assert data["first_delivered_on"] == "2018-07-24"
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    compound.refresh_from_db()
    assert model_to_dict(compound) == before
    assert json.loads(data["outline"]) == before["outline"]


def _all_forms() -> list[type[forms.Form]]:
    for module in ("places", "affairs", "party", "accounts"):
        importlib.import_module(f"gongzhi.{module}.forms")
    found: list[type[forms.Form]] = []
    todo: list[type[Any]] = [forms.Form]
    while todo:
        cls = todo.pop()
        for sub in cls.__subclasses__():
            todo.append(sub)
            if sub.__module__.startswith("gongzhi."):
                found.append(sub)
    return found


SAMPLES: dict[type[forms.Field], Any] = {
    forms.DateField: date(2018, 7, 24),
    forms.IntegerField: 1234,
    forms.DecimalField: Decimal("1234.50"),
}


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_every_date_and_number_field_renders_what_it_reads_back(language: str) -> None:
    """Each date/number field of every form in the project: the widget's value parses back to the value."""
    checked = []
    with translation.override(language):
        for form_class in _all_forms():
            for name, field in form_class.base_fields.items():
                kind = next((k for k in SAMPLES if type(field) is k), None)
                if kind is None:
                    continue
                value = SAMPLES[kind]
                top = getattr(field, "max_value", None)
                if top is not None and value > top:
                    value = top
                rendered = field.widget.format_value(field.prepare_value(value))
                assert field.to_python(rendered) == value, (form_class.__name__, name, rendered)
                if field.widget.attrs.get("type") == "date":
                    assert rendered == value.isoformat(), (form_class.__name__, name, rendered)
                checked.append(f"{form_class.__name__}.{name}")
    assert "CompoundForm.first_delivered_on" in checked and "BuildingForm.area" in checked
    assert len(checked) >= 10, checked
