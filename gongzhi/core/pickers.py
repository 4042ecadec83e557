"""Searchable pickers: a select that lists only what the server finds for what was typed.

A select of 1,067 names (or 250 compounds) is unusable and slow to render. A form field keeps its scoped
queryset (it still validates the choice on the server), but its widget renders only the chosen option and
carries `data-gz-picker="<search URL>"`; `static/gongzhi/picker.js` turns it into a Tom Select that asks that
URL as the user types. Each app serves its own picker kinds with `picker_response`, reusing the queryset the
form validates against, so the picker never offers what the form would refuse.

The search endpoint answers `{"results": [{"id", "label", "detail"}]}`; a query string it cannot read (too
long, a control character, a non-numeric id) is a 400 with a Chinese message, never a 500.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django import forms
from django.db.models import Q, QuerySet
from django.http import JsonResponse
from django.utils.translation import gettext as _

from gongzhi.core.pinyin import search_terms

MAX_QUERY = 50
LIMIT = 20
SMALL = 30  # up to this many choices a plain select is shown


class BadQuery(ValueError):
    """A picker's query string that cannot be read; answered 400."""


def read_query(params: Any) -> str:
    """The typed text, stripped; BadQuery when it is too long or holds control characters."""
    raw = params.get("q", "")
    if len(raw) > MAX_QUERY:
        raise BadQuery(_("搜索内容过长（最多 %(n)d 个字）") % {"n": MAX_QUERY})
    if any(ord(c) < 32 for c in raw):
        raise BadQuery(_("搜索内容含有无效字符"))
    return raw.strip()


def read_id(params: Any, name: str) -> int | None:
    """An optional numeric id parameter (e.g. the compound a picker is narrowed to)."""
    raw = params.get(name, "")
    if raw == "":
        return None
    if not raw.isascii() or not raw.isdigit() or len(raw) > 18:
        raise BadQuery(_("参数 %(name)s 无效") % {"name": name})
    return int(raw)


def name_match(query: str) -> Q:
    """Rows whose name holds the text, or whose pinyin or its initials start with it ("badaguan", "bdg")."""
    match = Q(name__contains=query)
    key = search_terms(query)
    if key and key.isascii() and key.isalnum():
        match |= Q(pinyin__startswith=key) | Q(initials__startswith=key)
    return match


def picker_response(
    request: Any,
    search: Callable[[str], Iterable[dict[str, Any]]],
) -> JsonResponse:
    """Answer a picker's search: `search(text)` returns at most LIMIT rows of {"id", "label", "detail"}."""
    try:
        query = read_query(request.GET)
        rows = list(search(query)) if query else []
    except BadQuery as exc:
        return JsonResponse({"error": str(exc), "results": []}, status=400)
    return JsonResponse({"results": rows[:LIMIT]})


class PickerSelect(forms.Select):
    """A select rendering only its chosen option; the rest come from `url` as the user types."""

    def __init__(self, url: Any, attrs: dict[str, Any] | None = None, **params: Any) -> None:
        super().__init__(attrs)
        self.url = url
        self.params = params

    def _small(self) -> bool:
        """Few choices (a secretary's one compound): a plain select with all of them serves better."""
        queryset = getattr(getattr(self.choices, "field", None), "queryset", None)
        if queryset is None:
            return True
        if not hasattr(self, "_is_small"):
            self._is_small = queryset[: SMALL + 1].count() <= SMALL
        return self._is_small

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        if self._small():
            return context
        extra = "&".join(f"{k}={v}" for k, v in self.params.items())
        context["widget"]["attrs"]["data-gz-picker"] = f"{self.url}?{extra}" if extra else str(self.url)
        context["widget"]["attrs"]["data-gz-picker-empty"] = _("输入姓名、拼音或首字母搜索")
        return context

    def optgroups(self, name: str, value: list[Any], attrs: dict[str, Any] | None = None) -> Any:
        if self._small():
            return super().optgroups(name, value, attrs)
        chosen = [v for v in value if v not in ("", None)]
        field = getattr(self.choices, "field", None)
        queryset: QuerySet[Any] | None = getattr(field, "queryset", None)
        if not chosen or queryset is None or field is None:
            return [(None, [self.create_option(name, "", "—", False, 0)], 0)]
        ids = [str(v) for v in chosen if str(v).isdigit()]
        rows = queryset.filter(pk__in=ids) if ids else queryset.none()
        options = [
            self.create_option(name, str(obj.pk), field.label_from_instance(obj), True, i)
            for i, obj in enumerate(rows)
        ]
        return [(None, options, 0)]
