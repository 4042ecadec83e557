"""Reads of the one-stop catalogue: the items offered for new requests, and a centre's whole catalogue with
each item's request counts (the page where the operator maintains it)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from gongzhi.centre.models import ServiceItem


def offered_items(centre_ids: Iterable[int], on: date | None = None) -> QuerySet[ServiceItem]:
    """The items of these centres not retired by `on` (today): what an enterprise's contact may choose."""
    day = on or timezone.localdate()
    return ServiceItem.objects.filter(centre_id__in=list(centre_ids)).filter(
        Q(retired_on__isnull=True) | Q(retired_on__gt=day)
    )


def catalogue(centre_id: int) -> list[ServiceItem]:
    """The centre's items, retired ones too, each with `n_requests` and `n_open`: one query."""
    return list(
        ServiceItem.objects.filter(centre_id=centre_id)
        .annotate(
            n_requests=Count("servicerequest"),
            n_open=Count("servicerequest", filter=Q(servicerequest__status="open")),
        )
        .order_by("category", "id")
    )
