"""A background job's heartbeat: a thread stamps the job's row every few seconds while the work runs.

A worker killed mid-job (SIGKILL, out of memory, a power cut) cannot mark its job; a running job whose stamp
has gone silent lost its worker, and whoever notices fails or retries it. The ledger imports
(gongzhi.ledgers.jobs) and the paper-ballot sheets (gongzhi.affairs.services.sheet_jobs) beat this way.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

from django.conf import settings
from django.db import connections
from django.db.models import Model
from django.utils import timezone

logger = logging.getLogger(__name__)


def heartbeat_seconds() -> float:
    return float(settings.GONGZHI_IMPORT_HEARTBEAT_SECONDS)


def stale_after() -> timedelta:
    """A job silent for this long lost its worker: several missed beats, so a busy machine is not enough."""
    return timedelta(seconds=6 * heartbeat_seconds())


@contextmanager
def beating(model: type[Model], pk: int, field: str = "heartbeat_at") -> Iterator[None]:
    """Stamp ``model`` row ``pk`` now and then every few seconds from a thread (its own connection)."""
    stop = threading.Event()
    rows = model._default_manager.filter(pk=pk)

    def beat() -> None:
        try:
            while not stop.wait(heartbeat_seconds()):
                try:
                    rows.update(**{field: timezone.now()})
                except Exception:  # a locked or lost database: the next beat tries again
                    logger.warning("heartbeat of %s %s failed", model.__name__, pk, exc_info=True)
        finally:
            connections.close_all()  # this thread's connections only

    rows.update(**{field: timezone.now()})
    thread = threading.Thread(target=beat, name=f"{model.__name__}-{pk}-heartbeat", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join(timeout=5)
