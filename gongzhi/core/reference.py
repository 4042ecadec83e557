"""Reference data: the rows an app ships and cannot work without (vocabularies, default settings, score sheets).

A data migration writes them once. A flush empties every table (each transactional or browser test ends with
one, and `manage.py flush` does the same), and Django then sends `post_migrate` for every app. An app registers
its loader here from its `AppConfig.ready()`; on its app's `post_migrate` the loader runs when one of the
models it fills is empty, so flushed reference data comes back by itself and no test or demo step replays it
by hand.

A loader has a data migration's signature, ``loader(apps, schema_editor)``, so the migration's own function
registers as it is (one copy of the data). It must be idempotent and write through ``apps.get_model``: after
`migrate` it gets that command's model state, after a flush the project's models. Core imports no app: the
loader is named by a dotted path and imported only when it runs.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import import_module
from typing import Any

from django.db import connections
from django.db.models.signals import post_migrate


@dataclass(frozen=True)
class Loader:
    app: str  # the app label whose post_migrate runs it
    target: str  # "module:function", called as function(apps, None)
    models: tuple[str, ...]  # model names in `app` it fills: it runs when any of them has no row


LOADERS: dict[str, Loader] = {}


def register_reference(app: str, target: str, *models: str) -> None:
    """`target` ("module:function") fills `models` of `app`; it runs on post_migrate when any is empty."""
    if not models:
        raise ValueError(f"reference loader {target} names no model to check")
    LOADERS[target] = Loader(app, target, tuple(models))
    post_migrate.connect(_on_post_migrate, dispatch_uid="gongzhi.core.reference")


def _function(target: str) -> Any:
    module, _, name = target.partition(":")
    return getattr(import_module(module), name)


def _missing(loader: Loader, registry: Any, using: str, tables: list[str]) -> bool:
    """True when one of the loader's models has no row (False when the model or its table is absent: a
    schema migrated back to before the model existed has nothing to fill)."""
    for name in loader.models:
        try:
            model = registry.get_model(loader.app, name)
        except LookupError:
            return False
        if model._meta.db_table not in tables:
            return False
        if not model._default_manager.using(using).exists():
            return True
    return False


def load_reference(registry: Any = None, *, app: str | None = None, using: str = "default") -> list[str]:
    """Run the loaders (of `app`, or all) whose data is missing; answer the targets that ran.

    `registry` is an app registry (a migration state's `apps`); the project's by default."""
    if registry is None:
        from django.apps import apps as registry
    ran: list[str] = []
    mine = [loader for loader in LOADERS.values() if app is None or loader.app == app]
    if not mine:
        return ran
    tables = connections[using].introspection.table_names()
    for loader in mine:
        if _missing(loader, registry, using, tables):
            _function(loader.target)(registry, None)
            ran.append(loader.target)
    return ran


def _on_post_migrate(sender: Any, using: str = "default", apps: Any = None, **kwargs: Any) -> None:
    load_reference(apps, app=sender.label, using=using)
