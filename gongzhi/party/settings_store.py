"""Which threshold is in force for a place on a day (参数设置 with effective dates and place scope)."""

from __future__ import annotations

from dataclasses import fields, replace
from datetime import date

from django.utils import timezone

from gongzhi.party.models import PartySetting
from gongzhi.party.rules import DEFAULTS, Thresholds

KEYS = [f.name for f in fields(Thresholds)]


Row = tuple[str, int, str, date, int]


def thresholds(path: str = "", on: date | None = None) -> Thresholds:
    """The thresholds for `path` on `on` (today by default), in one query.

    For each key, the record at the nearest place above `path` (longest matching path) wins; among those,
    the newest effective date. Keys without a record keep the defaults of gongzhi.party.rules.
    """
    return resolve(setting_rows(on), path)


def setting_rows(on: date | None = None) -> list[Row]:
    """Every settings record in force on `on`: read once, then `resolve` for as many places as needed."""
    on = on or timezone.localdate()
    return list(
        PartySetting.objects.filter(key__in=KEYS, effective_from__lte=on).values_list(
            "key", "value", "path", "effective_from", "id"
        )
    )


def resolve(rows: list[Row], path: str) -> Thresholds:
    """The thresholds for `path` from rows read by `setting_rows` (no query)."""
    best: dict[str, tuple[int, date, int, int]] = {}
    for key, value, place_path, since, pk in rows:
        if not path.startswith(place_path):
            continue
        rank = (len(place_path), since, pk, value)
        if key not in best or rank[:3] > best[key][:3]:
            best[key] = rank
    return replace(DEFAULTS, **{key: rank[3] for key, rank in best.items()})
