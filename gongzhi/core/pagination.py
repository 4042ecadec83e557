"""API pagination.

`Pagination` (limit/offset with a count) suits short lists. Deep lists — persons, homes, buildings, members —
use `KeysetPagination`: the next page starts after the last row's key instead of skipping OFFSET rows, and
nothing is counted, so page 4,000 costs what page 1 costs. A view names its key with `keyset` (unique, e.g.
("path", "id")); an index on those columns in that order serves every page as one range scan.

A view may also offer `keyset_parts(queryset)`: several querysets, each cheap on its own index, whose rows
together make the list (e.g. one per place the caller is granted). Each part is read up to the page size
after the cursor and the parts are merged in key order, so an OR that would defeat the index is never asked.
"""

from __future__ import annotations

import base64
import heapq
import json
from collections.abc import Sequence
from typing import Any

from django.db import connection
from django.db.models import CharField, F, Model, Q, QuerySet, TextField
from django.db.models.expressions import Expression
from django.db.models.functions import Collate
from rest_framework.exceptions import NotFound
from rest_framework.pagination import BasePagination, LimitOffsetPagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param

from gongzhi.core.paths import collapse


class Pagination(LimitOffsetPagination):
    """Pages of 50 by default, 500 at most, so no request can ask for the whole city at once."""

    default_limit = 50
    max_limit = 500


def bytewise(field: str, model: type[Model] | None = None) -> Expression | F:
    """A text `field` compared byte by byte, as paths sort in their indexes ("C" collation on PostgreSQL).

    Non-text fields of `model` (ids, dates) are returned as they are.
    """
    textual = model is None or isinstance(model._meta.get_field(field), CharField | TextField)
    if connection.vendor == "postgresql" and textual:
        return Collate(F(field), "C")
    return F(field)


def under_bytewise(qs: QuerySet[Any], path: str, field: str = "path") -> QuerySet[Any]:
    """Rows of `qs` whose `field` lies under `path`, as a range on the bytewise key (paths end in "/")."""
    return qs.alias(_under=bytewise(field)).filter(_under__gte=path, _under__lt=path[:-1] + "0")


def path_parts(qs: QuerySet[Any], grants: list[str] | None, field: str = "path") -> list[QuerySet[Any]]:
    """`qs` split into one bytewise range per granted place path (None: everywhere, one part)."""
    if grants is None:
        return [qs]
    return [under_bytewise(qs, p, field) for p in collapse(grants)]


def after(key: Sequence[str], values: Sequence[Any]) -> Q:
    """Rows whose key (lexicographic over `key`) comes after `values`."""
    q = Q(pk__in=[])
    for i in range(len(key)):
        step = Q(**{f"_k{i}__gt": values[i]})
        for j in range(i):
            step &= Q(**{f"_k{j}": values[j]})
        q |= step
    return q


def keyed(qs: QuerySet[Any], key: Sequence[str]) -> QuerySet[Any]:
    """`qs` annotated with its key columns (bytewise) and ordered by them."""
    qs = qs.annotate(**{f"_k{i}": bytewise(name, qs.model) for i, name in enumerate(key)})
    return qs.order_by(*(f"_k{i}" for i in range(len(key))))


class KeysetPagination(BasePagination):
    """Forward pages by key: `?cursor=` from the previous page's `next`; `limit` as for Pagination."""

    default_limit = 50
    max_limit = 500
    cursor_query_param = "cursor"
    limit_query_param = "limit"

    def _limit(self, request: Request) -> int:
        raw = request.query_params.get(self.limit_query_param, "")
        try:
            value = int(raw) if raw else self.default_limit
        except ValueError:
            value = self.default_limit
        return max(1, min(value, self.max_limit))

    def _cursor(self, request: Request, width: int) -> list[Any] | None:
        raw = request.query_params.get(self.cursor_query_param)
        if not raw:
            return None
        try:
            values = json.loads(base64.urlsafe_b64decode(raw.encode("ascii")))
        except (ValueError, UnicodeError):
            raise NotFound("invalid cursor") from None
        if not isinstance(values, list) or len(values) != width:
            raise NotFound("invalid cursor")
        if not all(isinstance(v, str | int) and not isinstance(v, bool) for v in values):
            raise NotFound("invalid cursor")
        return values

    def paginate_queryset(self, queryset: QuerySet[Any], request: Request, view: Any = None) -> list[Any]:
        key: Sequence[str] = getattr(view, "keyset", ("id",))
        self.request, self.limit = request, self._limit(request)
        cursor = self._cursor(request, len(key))
        split = getattr(view, "keyset_parts", None)
        parts = split(queryset) if split else [queryset]
        pages = []
        for part in parts:
            qs = keyed(part, key)
            if cursor is not None:
                qs = qs.filter(after(key, cursor))
            pages.append(list(qs[: self.limit + 1]))

        def sort_key(obj: Any) -> tuple[Any, ...]:
            return tuple(getattr(obj, f"_k{i}") for i in range(len(key)))

        merged = list(heapq.merge(*pages, key=sort_key)) if len(pages) != 1 else pages[0]
        rows = merged[: self.limit]
        self.next_key = list(sort_key(rows[-1])) if len(merged) > self.limit else None
        return rows

    def get_next_link(self) -> str | None:
        if self.next_key is None:
            return None
        token = base64.urlsafe_b64encode(json.dumps(self.next_key).encode()).decode("ascii")
        url = self.request.build_absolute_uri()
        return replace_query_param(url, self.cursor_query_param, token)

    def get_paginated_response(self, data: Any) -> Response:
        return Response({"next": self.get_next_link(), "results": data})

    def get_paginated_response_schema(self, schema: dict[str, Any]) -> dict[str, Any]:
        return {
            "type": "object",
            "required": ["results"],
            "properties": {
                "next": {"type": "string", "nullable": True, "format": "uri"},
                "results": schema,
            },
        }
