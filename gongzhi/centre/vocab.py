"""The centre's vocabularies from gongzhi/centre/data/*.csv: GB/T 4754-2017's twenty sections, the default
pipeline stages and the working-day calendar (the State Council's 2025 holiday notice: weekday holidays and
adjusted working days). The data migration loads them, and the same function puts them back after a flush
(registered in gongzhi/core/reference.py)."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

DATA = Path(__file__).resolve().parent / "data"


def _rows(name: str) -> list[dict[str, str]]:
    with open(DATA / name, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def load(industry: Any, stage: Any, calendar: Any) -> None:
    """Idempotent; takes the model classes (the migration passes its historical models)."""
    for row in _rows("gbt4754_sections.csv"):
        industry.objects.update_or_create(code=row["code"], defaults={"name": row["name"]})
    for row in _rows("work_calendar.csv"):
        calendar.objects.update_or_create(
            day=row["day"], defaults={"working": row["working"] == "1", "note": row["note"]}
        )
    fields = {f.name for f in stage._meta.get_fields()}
    for row in _rows("stages.csv"):
        defaults: dict[str, Any] = {"name": row["name"], "position": int(row["position"])}
        defaults["requires"] = row["requires"]
        if "needs_evidence" in fields:  # the column came with centre.0004; 0002's model has no such field
            defaults["needs_evidence"] = row["needs_evidence"] == "1"
        stage.objects.update_or_create(code=row["code"], defaults=defaults)
