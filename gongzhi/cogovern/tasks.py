"""Background jobs of the co-governance app (django-tasks; the worker is `manage.py db_worker`)."""

from __future__ import annotations

from django.db.models import Q
from django_tasks import task


@task()
def status_rebuild(path: str = "") -> dict[str, int]:
    """Rebuild the map's status rows under `path` (all when empty): nightly, because a contract that starts
    or a committee that ends on a future day changes a row without any write on that day."""
    from gongzhi.cogovern.services import compound_status_refresh
    from gongzhi.core.paths import under

    return {"compounds": compound_status_refresh(compounds=under(path) if path else Q())}
