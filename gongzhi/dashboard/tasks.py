"""Background jobs of the dashboard (django-tasks; the worker is `manage.py db_worker`)."""

from __future__ import annotations

from datetime import date

from django_tasks import task

from gongzhi.core.actors import system


@task()
def take_snapshots(on: str = "", path: str = "") -> dict[str, object]:
    """Snapshot the catalogue for every division (under `path`); `on` an ISO date, default today."""
    from gongzhi.campaign.services import targets_sync
    from gongzhi.dashboard.services import snapshots_take

    day = date.fromisoformat(on) if on else None
    actor = system("task:take_snapshots")
    if day is None:  # targets that completed from the registries are brought up to date first
        targets_sync(actor=actor)
    run = snapshots_take(actor=actor, on=day, path=path)
    return {"taken_on": run.taken_on.isoformat(), "divisions": run.divisions, "rows": run.rows}
