"""A background job speaks its requester's language.

The page that queues a job records the language its request was served in; the worker, which has no request,
writes the job's messages and row errors under that language, so an English-speaking user reads English
problems and a Chinese-speaking one Chinese, whoever runs the worker.
"""

from __future__ import annotations

from django.conf import settings
from django.utils import translation


def current() -> str:
    """The language to record on a job being queued now."""
    return translation.get_language() or settings.LANGUAGE_CODE


def speaking(code: str) -> translation.override:
    """Run a job's writing under its recorded language (the default where none was recorded)."""
    return translation.override(code or settings.LANGUAGE_CODE)
