"""Reference data that ships in data migrations (goal types, the default score sheet), put back when missing.

A test database flushed by a browser test (transactional) loses rows that migrations wrote; the demo
builders replay the migration's own function instead of keeping a second copy of the data.
"""

from __future__ import annotations

from importlib import import_module

from django.apps import apps


def replay(migration: str, function: str) -> None:
    """Run ``function(apps, None)`` of the data migration module ``migration`` (idempotent ones only)."""
    getattr(import_module(migration), function)(apps, None)
